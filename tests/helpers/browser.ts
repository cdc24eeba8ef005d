import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's chromium, driven headless by playwright-core. */
const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

export interface Browser {
  context: BrowserContext;
  /** Every URL the browser has requested. */
  requested: string[];
  /** Serves an HTTP app on a loopback port until the browser closes; returns its base URL. */
  serve(app: Express): Promise<string>;
  /** The requested URLs on any host but those of the served apps. */
  elsewhere(): string[];
  close(): Promise<void>;
}

/** A fresh headless Chromium profile, and the apps it is to visit. */
export async function openBrowser(): Promise<Browser> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1100, height: 1400 },
  });
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  const servers: Server[] = [];
  const hosts = new Set<string>();
  return {
    context,
    requested,
    async serve(app) {
      const server = await new Promise<Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      servers.push(server);
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      hosts.add(host);
      return `http://${host}`;
    },
    elsewhere: () => requested.filter((url) => !hosts.has(new URL(url).host)),
    async close() {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}
