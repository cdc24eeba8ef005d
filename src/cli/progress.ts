/** What a long file command reports as it goes: its phase, rows so far, and bytes of the file read. */
export interface Progress {
  phase: string;
  rows: number;
  bytesRead: number;
  bytesTotal: number;
}

export const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * A progress line on stderr: phase, share of the file read, rows, rows per second and, while the
 * file is being read, the time left. A terminal gets one line redrawn; a log file one line per phase.
 */
export function progressBar(stream: NodeJS.WriteStream) {
  const started = performance.now();
  let last = 0;
  let width = 0;
  let printed: string | null = null;
  return {
    update(p: Progress, force = false) {
      const now = performance.now();
      if (!force && now - last < 100) return;
      last = now;
      const seconds = (now - started) / 1000;
      const share = p.bytesTotal ? Math.min(1, p.bytesRead / p.bytesTotal) : 0;
      const rate = seconds > 0 ? p.rows / seconds : 0;
      const eta = share > 0 && share < 1 ? (seconds / share) * (1 - share) : 0;
      const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '-');
      const line = `${p.phase.toLowerCase().padEnd(8)} [${bar}] ${(share * 100).toFixed(0).padStart(3)}% ${fmt(p.rows)} rows ${fmt(rate)} rows/s ETA ${eta.toFixed(0)}s`;
      if (stream.isTTY) stream.write(`\r${line.padEnd(width)}`);
      else if (p.phase !== printed) stream.write(`${line}\n`);
      printed = p.phase;
      width = line.length;
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
