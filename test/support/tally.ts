import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, expect } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startTally, type RunningTally } from '../../src/main.ts';
import { ApiClient, seenSecrets } from './api.ts';
import { createTestDatabase } from './db.ts';
import { freePort, withFreePorts } from './ports.ts';

export type TestTally = {
  baseUrl: string;
  tally: RunningTally;
  databaseUrl: string;
  /** Every log line this Tally wrote, as parsed JSON. */
  logs: Array<Record<string, unknown>>;
  rawLogs: () => string;
  client(): ApiClient;
  close(): Promise<void>;
};

/**
 * A whole Tally (API, jobs, dashboard if built) on a free port with a fresh database of its own and logs
 * captured at debug level. After the file's tests it stops, and fails the file if any secret a test
 * client sent or received appears in those logs.
 */
export async function startTestTally(options: { env?: Record<string, string>; simulators?: boolean } = {}): Promise<TestTally> {
  const { url: databaseUrl } = await createTestDatabase();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tally-test-'));
  let raw = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  const { tally, port } = await withFreePorts(async () => {
    const port = await freePort();
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      TALLY_PORT: String(port),
      TALLY_PUBLIC_URL: `http://127.0.0.1:${port}`,
      TALLY_DATA_DIR: dataDir,
      TALLY_LOG_LEVEL: 'debug',
      TALLY_SIMULATORS: options.simulators ? 'on' : 'off',
      TALLY_SIMULATORS_PORT: String(await freePort()),
      // Only the tests start syncs (a scheduled one would race with theirs) unless a test asks for schedules.
      TALLY_SYNC_SCHEDULES: 'off',
      ...options.env,
    });
    return { tally: await startTally(config, 'serve', { log: createLogger('debug', sink) }), port };
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await tally.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  afterAll(async () => {
    await close();
    const leaked = [...seenSecrets].filter((s) => raw.includes(s));
    expect(leaked, 'secret values found in the logs').toEqual([]);
  });
  return {
    baseUrl,
    tally,
    databaseUrl,
    get logs() {
      return raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    rawLogs: () => raw,
    client: () => new ApiClient(baseUrl),
    close,
  };
}

/** Runs setup through the API: returns the owner's client and the organization id. */
export async function setUpOrganization(t: TestTally, who = { name: 'Olivia Owner', email: 'owner@example.com', password: 'correct horse battery' }) {
  const owner = t.client();
  const res = await owner.post('/api/setup', { organizationName: 'Acme Inc', ...who });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { owner, orgId: res.body.memberships[0].organization.id as string, user: res.body.user as { id: string; email: string } };
}
