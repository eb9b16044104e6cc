import type { TallyApp } from './api/server.ts';
import type { Config } from './config.ts';
import type { SimulatedProviders } from './connections/provider-apps.ts';
import type { AppContext } from './context.ts';
import type { Jobs } from './jobs/boss.ts';
import { createLogger, type Logger } from './log.ts';
import { loadSecretKey } from './secret-key.ts';
import type { DatabaseHandle } from './store/database.ts';
import { runningEmbeddedPostgres, startEmbeddedPostgres, type EmbeddedPostgresHandle } from './store/embedded.ts';

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
export async function openDatabase(config: Config, log: Logger, options: { join?: boolean; whileStarting?: () => void } = {}): Promise<{ connectionString: string; embedded?: EmbeddedPostgresHandle }> {
  if (config.databaseUrl) return { connectionString: config.databaseUrl };
  const running = options.join ? await runningEmbeddedPostgres(config.dataDir) : undefined;
  if (running) {
    log.debug({ dataDir: config.dataDir }, 'joining the embedded PostgreSQL of the running Tally');
    return { connectionString: running };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPostgresPort, log, ...(options.whileStarting ? { whileStarting: options.whileStarting } : {}) });
  return { connectionString: embedded.connectionString, embedded };
}

/**
 * The modules a process needs once its database is up. Loading them takes seconds on a busy machine, so
 * they load while PostgreSQL starts, in the order they are needed (loading is one thread's work anyway).
 */
function loadModules(mode: Mode) {
  const database = import('./store/database.ts');
  const migrate = database.then(() => import('./store/migrate.ts'));
  const context = migrate.then(() => Promise.all([import('./connections/simulated.ts'), import('./notify/mailer.ts'), import('./oauth/vault.ts')]));
  const jobs = mode === 'migrate' ? undefined : context.then(() => Promise.all([import('./jobs/boss.ts'), import('./jobs/definitions.ts')]));
  const app = mode === 'serve' ? jobs!.then(() => import('./api/app.ts')) : undefined;
  // Awaited in turn below; a failure before that (say the database does not start) must not be reported twice.
  for (const p of [database, migrate, context, jobs, app]) p?.catch(() => undefined);
  return { database, migrate, context, jobs, app };
}

async function startSimulatorsIfWanted(config: Config, log: Logger, context: ReturnType<typeof loadModules>['context']) {
  const [{ simulatorsWanted, startBuiltInSimulators }] = await context;
  return simulatorsWanted(config, 0) ? startBuiltInSimulators(config, log) : undefined;
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
  let loading: ReturnType<typeof loadModules> | undefined;
  let simulatorsStarting: ReturnType<typeof startSimulatorsIfWanted> | undefined;
  let simulatorsClosed = false;
  stack.push(async () => {
    const sims = await simulatorsStarting?.catch(() => undefined);
    if (sims && !simulatorsClosed) await sims.close();
  });
  // Once PostgreSQL's own processes run (at once without them): loading any earlier would hold up its start.
  const whileDatabaseStarts = () => {
    if (loading) return;
    loading = loadModules(mode);
    // The built-in simulators need no database: in a web process they start alongside it, and stop again
    // if the settings name a real provider app.
    if (mode === 'serve') simulatorsStarting = startSimulatorsIfWanted(config, log, loading.context);
    simulatorsStarting?.catch(() => undefined);
  };
  const modules = () => {
    whileDatabaseStarts();
    return loading!;
  };
  try {
    const { connectionString, embedded } = await openDatabase(config, log, { join: mode !== 'serve', whileStarting: whileDatabaseStarts });
    if (embedded) stack.push(() => embedded.stop());
    const { connectDatabase, describeDatabase } = await modules().database;
    const database: DatabaseHandle = connectDatabase(connectionString, log, { stopping: () => stopping });
    stack.push(() => database.close());
    const { migrateToLatest } = await modules().migrate;
    await migrateToLatest(database.db, log).catch((error: unknown) => {
      throw new Error(`Could not migrate the database at ${describeDatabase(connectionString)}: ${(error as Error).message}`, { cause: error });
    });
    const secretKey = await loadSecretKey(config.secretKey, config.dataDir, log);
    const [{ publishSimulators, simulatorsWanted }, { createMailer }, { createVault }] = await modules().context;
    let simulated: SimulatedProviders = {};
    const appsInSettings = mode === 'serve' ? (await database.db.selectFrom('provider_apps').select('provider').execute()).length : 0;
    const sims = await simulatorsStarting;
    if (sims && simulatorsWanted(config, appsInSettings)) simulated = sims.simulated;
    else if (sims) {
      simulatorsClosed = true;
      await sims.close();
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

    const [{ startJobs }, { jobDefinitions }] = await modules().jobs!;
    const jobs: Jobs = await startJobs(ctx, connectionString, jobDefinitions, { work: true });
    stack.push(() => jobs.stop());
    ctx.queue = jobs;
    if (mode === 'worker') {
      log.info({ database: describeDatabase(connectionString) }, 'Tally worker is running');
      return { ctx, url: undefined, app: undefined, connectionString, stop };
    }

    const { buildApp } = await modules().app!;
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
