import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientSecretContext } from '../../src/oauth/contexts.ts';
import { createVault } from '../../src/oauth/vault.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

/** The `tally` command as a person runs it: a separate process against the same database as a running Tally. */
const oldKey = randomBytes(32);
const t = await startTestTally({ env: { TALLY_SECRET_KEY: oldKey.toString('base64') } });
const { owner, orgId } = await setUpOrganization(t);
const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-cli-'));
afterAll(() => fs.rm(dataDir, { recursive: true, force: true }));

function tally(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/tally.js', ...args], {
      env: { ...process.env, DATABASE_URL: t.databaseUrl, TALLY_DATA_DIR: dataDir, TALLY_SECRET_KEY: oldKey.toString('base64'), TALLY_SIMULATORS: 'off', TALLY_LOG_LEVEL: 'warn', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const login = async (email: string, password: string) => (await t.client().post('/api/auth/login', { email, password })).status;

describe('--help', () => {
  const commands = ['', 'serve', 'worker', 'migrate', 'simulators', 'users', 'users create', 'users reset-password', 'keys', 'keys rotate', 'sync'];
  it.each(commands)('tally %s --help says how to use it and exits 0', async (name) => {
    const command = name ? name.split(' ') : [];
    const res = await tally([...command, '--help']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain(`Usage: tally${command.length ? ` ${command.join(' ')}` : ''}`);
    expect(res.out).toMatch(/Options:[\s\S]*-h, --help/);
  });

  it('the top-level help lists every command', async () => {
    const res = await tally(['--help']);
    for (const name of ['serve', 'worker', 'migrate', 'simulators', 'users', 'keys', 'sync']) expect(res.out).toMatch(new RegExp(`^\\s+${name}\\b`, 'm'));
  });
});

describe('tally users', () => {
  const password = 'cli password 12345';

  it('create makes an account that can log in, as an admin of the organization named by its slug', async () => {
    const slug = (await t.tally.ctx.db.selectFrom('organizations').select('slug').where('id', '=', orgId).executeTakeFirstOrThrow()).slug;
    const res = await tally(['users', 'create', '--email', 'Cli.User@Example.com', '--name', 'Cli User', '--org', slug, '--role', 'admin'], { TALLY_NEW_PASSWORD: password });
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('Created cli.user@example.com.');
    expect(await login('cli.user@example.com', password)).toBe(200);
    const members = (await owner.get(`/api/orgs/${orgId}/members`)).body.items as Array<{ email: string; role: string }>;
    expect(members).toContainEqual(expect.objectContaining({ email: 'cli.user@example.com', role: 'admin' }));
  });

  it('create refuses an email that has an account, a weak password, and a missing password, saying what to do', async () => {
    const taken = await tally(['users', 'create', '--email', 'cli.user@example.com', '--name', 'Again'], { TALLY_NEW_PASSWORD: password });
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('An account with the email cli.user@example.com already exists.');
    const weak = await tally(['users', 'create', '--email', 'weak@example.com', '--name', 'Weak', '--password', 'short']);
    expect(weak.code).toBe(1);
    expect(weak.err).toContain('Use at least 10 characters.');
    const none = await tally(['users', 'create', '--email', 'none@example.com', '--name', 'None']);
    expect(none.code).toBe(1);
    expect(none.err).toContain('--password or the TALLY_NEW_PASSWORD environment variable');
  });

  it('reset-password sets a new password and ends the account’s sessions', async () => {
    const session = t.client();
    expect((await session.post('/api/auth/login', { email: 'cli.user@example.com', password })).status).toBe(200);
    expect((await session.get('/api/me')).status).toBe(200);
    const res = await tally(['users', 'reset-password', '--email', 'cli.user@example.com', '--password', 'another password 678']);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain('a running Tally refuses them within 2 s');
    expect(await login('cli.user@example.com', password)).toBe(401);
    expect(await login('cli.user@example.com', 'another password 678')).toBe(200);
    // The running Tally is another process: it may trust a session it read a moment ago for a few seconds.
    await expect.poll(async () => (await session.get('/api/me')).status, { timeout: 10_000, interval: 250 }).toBe(401);
    const unknown = await tally(['users', 'reset-password', '--email', 'nobody@example.com', '--password', 'another password 678']);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No account has the email nobody@example.com.');
  });
});

describe('tally keys rotate', () => {
  it('re-encrypts the stored secrets with the new key while the old one is still given, and says the old one can go', async () => {
    const oldVault = createVault(oldKey);
    await t.tally.ctx.db.insertInto('provider_apps').values({ provider: 'digitalocean', client_id: 'cid', client_secret_enc: oldVault.encrypt('app-secret-value', clientSecretContext('digitalocean')) }).execute();
    const newKey = randomBytes(32);
    const res = await tally(['keys', 'rotate'], { TALLY_SECRET_KEY: newKey.toString('base64'), TALLY_PREVIOUS_SECRET_KEYS: oldKey.toString('base64') });
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/Re-encrypted 1 secret\(s\) with key [0-9a-f]{8}; 0 already used it\./);
    expect(res.out).toContain('You can now remove TALLY_PREVIOUS_SECRET_KEYS everywhere.');
    const row = await t.tally.ctx.db.selectFrom('provider_apps').select('client_secret_enc').where('provider', '=', 'digitalocean').executeTakeFirstOrThrow();
    expect(createVault(newKey).decrypt(row.client_secret_enc, clientSecretContext('digitalocean'))).toBe('app-secret-value');
    // The app is not needed by the rest of this Tally, which still runs with the old key.
    await t.tally.ctx.db.deleteFrom('provider_apps').where('provider', '=', 'digitalocean').execute();
  });
});
