import { loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { startTally, type RunningTally } from '../main.ts';

/** For one-shot commands: the database, migrated, without HTTP or jobs; stopped afterwards. Quiet unless asked. */
export async function withDatabase<T>(fn: (tally: RunningTally) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const tally = await startTally(config, 'migrate', { log: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) });
  try {
    return await fn(tally);
  } finally {
    await tally.stop();
  }
}
