import fs from 'node:fs';
import type { EmbeddedDatabase } from '../../src/db/embedded';

export default async function globalTeardown() {
  const pg = (globalThis as Record<string, unknown>).__HUB_TEST_PG__ as { server: EmbeddedDatabase; dir: string };
  await pg.server.stop();
  fs.rmSync(pg.dir, { recursive: true, force: true });
}
