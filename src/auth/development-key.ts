import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * 32 random bytes generated on first use under the data directory's key folder and reused
 * afterwards, so what was keyed or sealed yesterday still matches or opens today. Development
 * only: production takes its keys from the configuration.
 */
export async function developmentKey(dataDir: string, name: string): Promise<Buffer> {
  const file = path.join(dataDir, 'keys', name);
  const read = async () => Buffer.from(await fs.readFile(file, 'utf8'), 'base64');
  try {
    return await read();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32);
  await fs.mkdir(dataDir, { recursive: true });
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // Never replace a key another process wrote meanwhile: what was made under it would be lost.
    await fs.writeFile(file, key.toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return read();
    throw err;
  }
  return key;
}
