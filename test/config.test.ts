import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('configuration', () => {
  it('has working defaults: port 4000, embedded database, data under ./data', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ port: 4000, databaseUrl: undefined, publicUrl: 'http://localhost:4000', secureCookies: false, simulators: 'auto' });
    expect(c.dataDir).toMatch(/\/data$/);
  });

  it.each([
    [{ TALLY_PORT: 'abc' }, 'TALLY_PORT', 'port number'],
    [{ TALLY_PORT: '70000' }, 'TALLY_PORT', 'port number'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'postgres:// URL'],
    [{ TALLY_PUBLIC_URL: 'tally.example.com' }, 'TALLY_PUBLIC_URL', 'absolute URL'],
    [{ TALLY_SECRET_KEY: 'too-short' }, 'TALLY_SECRET_KEY', '32 random bytes'],
    [{ TALLY_LOG_LEVEL: 'loud' }, 'TALLY_LOG_LEVEL', 'one of'],
    [{ TALLY_SIMULATORS_CLOCK: 'paused' }, 'TALLY_SIMULATORS_CLOCK', 'live or frozen'],
    [{ TALLY_SMTP_URL: 'mail.example.com' }, 'TALLY_SMTP_URL', 'smtp://'],
    [{ TALLY_WEBHOOK_URL: 'hooks.example.com/tally' }, 'TALLY_WEBHOOK_URL', 'absolute http:// or https:// URL'],
    [{ TALLY_WEBHOOK_URL: 'ftp://hooks.example.com/tally' }, 'TALLY_WEBHOOK_URL', 'absolute http:// or https:// URL'],
  ])('a bad value (%o) fails with a message naming %s', (env, variable, expected) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    try {
      loadConfig(env);
    } catch (error) {
      expect((error as Error).message).toContain(`- ${variable}: `);
      expect((error as Error).message).toContain(expected);
    }
  });

  it('accepts a 32-byte key as hex or base64, and an https public URL turns on Secure cookies', () => {
    const hex = loadConfig({ TALLY_SECRET_KEY: 'ab'.repeat(32), TALLY_PUBLIC_URL: 'https://tally.example.com/' });
    expect(hex.secretKey?.length).toBe(32);
    expect(hex.publicUrl).toBe('https://tally.example.com');
    expect(hex.secureCookies).toBe(true);
    expect(loadConfig({ TALLY_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey?.length).toBe(32);
  });

  it('a webhook URL may be https, or http (a receiver on this machine or network), as its message says', () => {
    expect(loadConfig({ TALLY_WEBHOOK_URL: 'https://hooks.example.com/tally' }).webhookUrl).toBe('https://hooks.example.com/tally');
    expect(loadConfig({ TALLY_WEBHOOK_URL: 'http://127.0.0.1:9999/hook' }).webhookUrl).toBe('http://127.0.0.1:9999/hook');
    expect(loadConfig({ TALLY_WEBHOOK_URL: 'http://hooks.internal/tally' }).webhookUrl).toBe('http://hooks.internal/tally');
  });

  it('the tally command stops at boot with the message and exit code 2', () => {
    const res = spawnSync(process.execPath, ['bin/tally.js', 'serve'], { env: { ...process.env, TALLY_PORT: 'abc' }, encoding: 'utf8' });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('TALLY_PORT: TALLY_PORT must be a port number');
  });

  it('every variable is documented in the README', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile('README.md', 'utf8');
    const source = await readFile('src/config.ts', 'utf8');
    const variables = [...source.matchAll(/^\s+((?:TALLY|DATABASE)_[A-Z_]+):/gm)].map((m) => m[1]);
    expect(variables.length).toBeGreaterThan(8);
    for (const v of variables) expect(readme, v).toContain(`\`${v}\``);
  });
});
