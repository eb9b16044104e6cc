import type { Config } from './config.ts';
import type { JobQueue } from './jobs/boss.ts';
import type { SimulatedProviders } from './connections/provider-apps.ts';
import type { Vault } from './oauth/vault.ts';
import type { Logger } from './log.ts';
import type { Mailer } from './notify/mailer.ts';
import type { Database } from './store/database.ts';

/** What services need from the running process: passed in, never imported as globals. */
export type AppContext = {
  config: Config;
  db: Database;
  log: Logger;
  mailer: Mailer;
  /** Encrypts provider tokens and secrets at rest. */
  vault: Vault;
  /** Providers served by the built-in simulators in this process (empty when they do not run). */
  simulated: SimulatedProviders;
  /** The job queue, once started (absent in `tally migrate` and one-shot CLI commands). */
  queue?: JobQueue;
};
