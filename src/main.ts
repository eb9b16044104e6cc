import { buildApp } from './api/app.ts';
import type { TallyApp } from './api/server.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { startJobs, type Jobs } from './jobs/boss.ts';
import { jobDefinitions } from './jobs/definitions.ts';
import { createLogger, type Logger } from './log.ts';
import { createMailer } from './notify/mailer.ts';
import { createVault } from './oauth/vault.ts';
import type { SimulatedProviders } from './connections/provider-apps.ts';
import { publishSimulators, simulatorsWanted, startBuiltInSimulators } from './connections/simulated.ts';
import { loadSecretKey } from './secret-key.ts';
import { connectDatabase, describeDatabase, type DatabaseHandle } from './store/database.ts';
import { runningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgresHandle } from './store/embedded.ts';
import { migrateToLatest } from './store/migrate.ts';

export type Mode = 'serve' | 'worker' | 'migrate';

export type RunningTally = {
  ctx: AppContext;
  /** Where the web app listens (serve mode). */
  url: string | undefined;
  connectionString: string;
  /** The HTTP app (serve mode). */
  app: TallyApp | undefined;
  stop(): Promise<void>;
};

/**
 * Where the database is: DATABASE_URL, or the embedded PostgreSQL under the data dir. A process that may
 * join (workers, one-shot commands) uses the embedded server a running `tally serve` already owns.
 */
export async function openDatabase(config: Config, log: Logger, options: { join?: boolean } = {}): Promise<{ connectionString: string; embedded?: EmbeddedPostgresHandle }> {
  if (config.databaseUrl) return { connectionString: config.databaseUrl };
  const running = options.join ? await runningEmbeddedPostgres(config.dataDir) : undefined;
  if (running) {
    log.debug({ dataDir: config.dataDir }, 'joining the embedded PostgreSQL of the running Tally');
    return { connectionString: running };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log });
  return { connectionString: embedded.connectionString, embedded };
}

/**
 * Boot: config -> database (embedded or DATABASE_URL) -> migrate -> jobs -> http.
 * `serve` runs the web app, the API and the workers; `worker` runs jobs only; `migrate` migrates and stops.
 */
export async function startTally(config: Config, mode: Mode, options: { log?: Logger } = {}): Promise<RunningTally> {
  const log = options.log ?? createLogger(config.logLevel);
  const stack: Array<() => Promise<void>> = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    for (const step of stack.reverse().splice(0)) {
      try {
        await step();
      } catch (error) {
        log.warn({ err: { message: (error as Error).message } }, 'error while stopping');
      }
    }
  };
  try {
    const { connectionString, embedded } = await openDatabase(config, log, { join: mode !== 'serve' });
    if (embedded) stack.push(() => embedded.stop());
    const database: DatabaseHandle = connectDatabase(connectionString, log, { stopping: () => stopping });
    stack.push(() => database.close());
    await migrateToLatest(database.db, log).catch((error: unknown) => {
      throw new Error(`Could not migrate the database at ${describeDatabase(connectionString)}: ${(error as Error).message}`, { cause: error });
    });
    const secretKey = await loadSecretKey(config.secretKey, config.dataDir, log);
    let simulated: SimulatedProviders = {};
    const appsInSettings = mode === 'serve' ? (await database.db.selectFrom('provider_apps').select('provider').execute()).length : 0;
    if (mode === 'serve' && simulatorsWanted(config, appsInSettings)) {
      const sims = await startBuiltInSimulators(config, log);
      stack.push(() => sims.close());
      simulated = sims.simulated;
    }
    const ctx: AppContext = {
      config,
      db: database.db,
      log,
      mailer: createMailer(config.smtp, log),
      vault: createVault(secretKey, config.previousSecretKeys),
      simulated,
    };
    if (mode === 'migrate') return { ctx, url: undefined, app: undefined, connectionString, stop };
    if (Object.keys(simulated).length) stack.push(await publishSimulators(ctx));
    // A web process without simulators means real providers: forget any a killed demo left recorded.
    else if (mode === 'serve') await ctx.db.deleteFrom('simulated_providers').execute();

    const jobs: Jobs = await startJobs(ctx, connectionString, jobDefinitions, { work: true });
    stack.push(() => jobs.stop());
    ctx.queue = jobs;
    if (mode === 'worker') {
      log.info({ database: describeDatabase(connectionString) }, 'Tally worker is running');
      return { ctx, url: undefined, app: undefined, connectionString, stop };
    }

    const app = await buildApp(ctx);
    stack.push(() => app.close());
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = config.port === 0 ? `http://${config.host}:${port}` : config.publicUrl;
    return { ctx, url, app, connectionString, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
