/**
 * A worker process for the resilience suites. It boots as `tally worker` does (configuration from the
 * environment, database, migrations, vault) but runs no job queue, does one thing, and reports it as JSON
 * lines on stdout; its logs go to stderr, where the suites look for leaked secrets.
 *   node worker.ts sync <connectionId> [options as JSON]   one sync; a line per committed page
 *   node worker.ts refresh <connectionId> <count>          says "ready", waits for a line on stdin, then
 *                                                           runs <count> refreshes at once
 */
import readline from 'node:readline';
import { loadConfig } from '../../../src/config.ts';
import { refreshConnection } from '../../../src/connections/refresh.ts';
import { createLogger } from '../../../src/log.ts';
import { startTally } from '../../../src/main.ts';
import { runSync, type SyncOptions } from '../../../src/sync/engine.ts';

const say = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + '\n');
const [command, connectionId, extra] = process.argv.slice(2);
if (!command || !connectionId) throw new Error('usage: worker.ts sync <connectionId> [options JSON] | refresh <connectionId> <count>');

const config = loadConfig(process.env);
const tally = await startTally(config, 'migrate', { log: createLogger(config.logLevel, process.stderr) });
const { ctx } = tally;
try {
  if (command === 'sync') {
    const options = (extra ? JSON.parse(extra) : {}) as Partial<SyncOptions>;
    say({ event: 'started', pid: process.pid });
    const result = await runSync(ctx, connectionId, {
      trigger: 'resilience',
      ...options,
      onProgress: (p) => {
        say({ event: 'page', pages: p.pages, stream: p.stream });
      },
    });
    say({ event: 'done', status: result.status, runId: result.runId, counters: result.counters, error: result.error ?? null });
  } else if (command === 'refresh') {
    const count = Number(extra ?? 1);
    say({ event: 'ready', pid: process.pid });
    await new Promise<void>((resolve) => readline.createInterface({ input: process.stdin }).once('line', () => resolve()));
    const outcomes = await Promise.allSettled(Array.from({ length: count }, () => refreshConnection(ctx, connectionId, { reason: 'due' })));
    say({ event: 'done', outcomes: outcomes.map((o) => (o.status === 'fulfilled' ? o.value : `error: ${(o.reason as Error).message}`)) });
  } else {
    throw new Error(`unknown command ${command}`);
  }
} finally {
  await tally.stop();
}
process.exit(0);
