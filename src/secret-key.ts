import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { decodeKey } from './config.ts';
import type { Logger } from './log.ts';

/**
 * The key that encrypts provider tokens at rest. From TALLY_SECRET_KEY, or generated once into the data
 * directory (mode 0600). Several processes on several machines must share it: set TALLY_SECRET_KEY there.
 */
export async function loadSecretKey(configured: Buffer | undefined, dataDir: string, log: Logger): Promise<Buffer> {
  if (configured) return configured;
  const file = path.join(dataDir, 'secret.key');
  try {
    const key = decodeKey(await fs.readFile(file, 'utf8'));
    if (!key) throw new Error(`${file} does not hold a valid key (32 bytes, base64). Restore it from a backup or set TALLY_SECRET_KEY.`);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(dataDir, { recursive: true });
  const key = randomBytes(32);
  // Written whole under a name of its own, then linked into place: link fails if another process created the
  // key meanwhile (then theirs is read), and nobody ever reads a half-written key file.
  const draft = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await fs.writeFile(draft, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return loadSecretKey(undefined, dataDir, log);
    throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
  log.warn({ file }, 'TALLY_SECRET_KEY is not set: generated a new secret key into the data directory. Back it up; without it stored tokens cannot be read.');
  return key;
}
