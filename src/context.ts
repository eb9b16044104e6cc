import type { Config } from './config.ts';
import type { Logger } from './log.ts';
import type { Mailer } from './notify/mailer.ts';
import type { Database } from './store/database.ts';

/** What services need from the running process: passed in, never imported as globals. */
export type AppContext = {
  config: Config;
  db: Database;
  log: Logger;
  mailer: Mailer;
};
