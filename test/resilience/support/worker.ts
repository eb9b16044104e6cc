/**
 * A second Tally process for the refresh race. It boots as `tally sync` does (configuration from the
 * environment, database, migrations, vault; no job queue), says "ready", and for every line on stdin runs
 * <count> refreshes of the connection at once and reports their outcomes as a JSON line. Logs go to
 * stderr, where the suites look for leaked secrets.
 *   node worker.ts refresh <connectionId> <count>
 */
import readline from 'node:readline';
import { loadConfig } from '../../../src/config.ts';
import { refreshConnection } from '../../../src/connections/refresh.ts';
import { createLogger } from '../../../src/log.ts';
import { startTally } from '../../../src/main.ts';

const say = (event: Record<string, unknown>) => process.stdout.write(JSON.stringify(event) + '\n');
const [command, connectionId, count] = process.argv.slice(2);
if (command !== 'refresh' || !connectionId) throw new Error('usage: worker.ts refresh <connectionId> <count>');

const config = loadConfig(process.env);
const tally = await startTally(config, 'migrate', { log: createLogger(config.logLevel, process.stderr) });
try {
  say({ event: 'ready', pid: process.pid });
  for await (const round of readline.createInterface({ input: process.stdin })) {
    const outcomes = await Promise.allSettled(Array.from({ length: Number(count ?? 1) }, () => refreshConnection(tally.ctx, connectionId, { reason: 'due' })));
    say({ event: 'done', round, outcomes: outcomes.map((o) => (o.status === 'fulfilled' ? o.value : `error: ${(o.reason as Error).message}`)) });
  }
} finally {
  await tally.stop();
}
