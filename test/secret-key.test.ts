import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.ts';
import { loadSecretKey } from '../src/secret-key.ts';

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-secret-key-'));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: createLogger('info', sink), lines };
}

describe('the secret key when TALLY_SECRET_KEY is unset', () => {
  it('is generated once into the data directory, readable by its owner only, and the log says so', async () => {
    const dataDir = path.join(root, 'fresh');
    const { log, lines } = capturingLogger();
    const key = await loadSecretKey(undefined, dataDir, log);
    expect(key.length).toBe(32);
    const file = path.join(dataDir, 'secret.key');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await fs.readFile(file, 'utf8')).trim(), 'base64').equals(key)).toBe(true);
    expect(lines).toContainEqual(expect.objectContaining({ level: 40, file, msg: expect.stringMatching(/TALLY_SECRET_KEY is not set: generated a new secret key.*Back it up/) }));
    // The key itself never reaches the log.
    expect(JSON.stringify(lines)).not.toContain(key.toString('base64'));
  });

  it('is reused on the next start, without a new log line', async () => {
    const dataDir = path.join(root, 'fresh');
    const { log, lines } = capturingLogger();
    const again = await loadSecretKey(undefined, dataDir, log);
    expect(again.equals(Buffer.from((await fs.readFile(path.join(dataDir, 'secret.key'), 'utf8')).trim(), 'base64'))).toBe(true);
    expect(lines).toEqual([]);
  });

  it('is the same for processes starting together, none of which reads a half-written key file', async () => {
    // A race of this kind lost about one round in fifty when the file was created and then written.
    const { log } = capturingLogger();
    for (let round = 0; round < 30; round++) {
      const dataDir = path.join(root, `together-${round}`);
      const keys = await Promise.all(Array.from({ length: 20 }, () => loadSecretKey(undefined, dataDir, log)));
      expect(new Set(keys.map((k) => k.toString('hex'))).size).toBe(1);
      expect(await fs.readdir(dataDir)).toEqual(['secret.key']);
    }
  });

  it('a damaged key file stops the start with what to do, rather than making a new key', async () => {
    const dataDir = path.join(root, 'damaged');
    await fs.mkdir(dataDir, { recursive: true });
    await fs.writeFile(path.join(dataDir, 'secret.key'), 'not a key\n');
    await expect(loadSecretKey(undefined, dataDir, capturingLogger().log)).rejects.toThrow(/does not hold a valid key .*Restore it from a backup or set TALLY_SECRET_KEY/);
  });

  it('is not written at all when TALLY_SECRET_KEY is set', async () => {
    const dataDir = path.join(root, 'configured');
    const configured = Buffer.alloc(32, 9);
    expect(await loadSecretKey(configured, dataDir, capturingLogger().log)).toBe(configured);
    await expect(fs.stat(path.join(dataDir, 'secret.key'))).rejects.toThrow(/ENOENT/);
  });
});
