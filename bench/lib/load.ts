import { Worker } from 'node:worker_threads';
import { PURPOSE } from './hand-written';

/**
 * Load generation: autocannon in a worker thread (so the serving thread is measured alone), each
 * request's body drawn at random from `bodies`. Responses whose body holds `"errors"` are counted
 * as errors, as are socket errors, timeouts and non-2xx statuses.
 */
const LOAD_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const path = require('node:path');
const autocannon = require(workerData.autocannon);
// Off the main thread autocannon returns raw histograms; aggregate them as it does on the main thread.
const lib = path.join(path.dirname(workerData.autocannon), 'lib');
const aggregateResult = require(path.join(lib, 'aggregateResult'));
const { decodeHist } = require(path.join(lib, 'histUtil'));
const { bodies, ...options } = workerData.options;
let errorBodies = 0;
let firstError;
autocannon(
  {
    ...options,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({ ...req, body: bodies[Math.floor(Math.random() * bodies.length)] }),
        onResponse: (status, body) => {
          if (status >= 300 || body.includes('"errors"')) {
            errorBodies++;
            firstError ??= status + ' ' + body.slice(0, 500);
          }
        },
      },
    ],
  },
  (err, raw) => {
    if (err) return parentPort.postMessage({ error: String((err && err.stack) || err) });
    const r = aggregateResult(raw, options, {
      requests: decodeHist(raw.requests),
      throughput: decodeHist(raw.throughput),
    });
    parentPort.postMessage({
      result: {
        rps: r.requests.average,
        total: r.requests.total,
        p50: r.latency.p50,
        p99: r.latency.p99,
        max: r.latency.max,
        errors: r.errors,
        timeouts: r.timeouts,
        non2xx: r.non2xx,
        errorBodies,
        firstError,
      },
    });
  },
);
`;

export interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses with a non-2xx status or a GraphQL `errors` member. */
  errorBodies: number;
  firstError?: string;
}

export interface LoadOptions {
  url: string;
  token: string;
  bodies: string[];
  /** Seconds. */
  duration: number;
  connections: number;
  /** Seconds before a request counts as timed out. */
  timeout?: number;
}

/** Runs the load and returns what autocannon measured, errors included. */
export function runLoad(o: LoadOptions): Promise<LoadResult> {
  const worker = new Worker(LOAD_WORKER, {
    eval: true,
    workerData: {
      autocannon: require.resolve('autocannon'),
      options: {
        url: o.url,
        connections: o.connections,
        duration: o.duration,
        timeout: o.timeout ?? 10,
        headers: { authorization: `Bearer ${o.token}`, 'content-type': 'application/json', 'x-purpose': PURPOSE },
        bodies: o.bodies,
      },
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { error?: string; result?: LoadResult }) => {
      void worker.terminate();
      if (m.error) reject(new Error(m.error));
      else resolve(m.result!);
    });
    worker.once('error', reject);
  });
}

export const failures = (r: LoadResult) => r.errors + r.timeouts + r.errorBodies;

/** Runs the load and fails unless every response was a success. */
export async function load(o: LoadOptions): Promise<LoadResult> {
  const r = await runLoad(o);
  if (failures(r)) {
    throw new Error(
      `${o.url}: ${r.errors} socket errors, ${r.timeouts} timeouts, ${r.errorBodies} error responses ` +
        `of ${r.total}; first: ${r.firstError ?? '-'}`,
    );
  }
  return r;
}
