import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { startTally, type Mode } from '../main.ts';

const program = new Command()
  .name('tally')
  .description('Tally: how your organization really uses its SaaS and cloud accounts, and what they cost.')
  .showHelpAfterError('(run with --help for usage)');

export const parsePort = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number (0-65535)');
  return String(n);
};

async function runProcess(mode: Mode, env: Record<string, string | undefined> = process.env): Promise<void> {
  const config = loadConfig(env);
  const log = createLogger(config.logLevel);
  const tally = await startTally(config, mode, { log });
  if (mode === 'migrate') {
    await tally.stop();
    console.log('Database is up to date.');
    return;
  }
  if (tally.url) console.log(`\nTally is running at ${tally.url}\n(Ctrl-C stops Tally and its database)\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    tally.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

program
  .command('serve', { isDefault: true })
  .description('run the web app, the API and the background workers (what `npm start` runs)')
  .option('-p, --port <port>', 'port to listen on (default: TALLY_PORT or 4000)', parsePort)
  .action(async (opts: { port?: string }) => {
    await runProcess('serve', { ...process.env, ...(opts.port ? { TALLY_PORT: opts.port } : {}) });
  });

program
  .command('worker')
  .description('run background jobs only (sync, refresh, schedules); run as many as you like against one Postgres')
  .action(async () => runProcess('worker'));

program
  .command('migrate')
  .description('bring the database schema up to date and exit (serve and worker do it at start too)')
  .action(async () => runProcess('migrate'));

program
  .command('simulators')
  .description('run the DigitalOcean and Bitbucket Cloud simulators alone (OAuth, API, faults, control API under /_sim)')
  .option('-p, --port <port>', 'port to listen on', parsePort, '4010')
  .option('--preset <preset>', 'data size: small or large', 'small')
  .option('--seed <seed>', 'seed of the generated data (same seed, same data)', '1')
  .action(async (opts: { port: string; preset: string; seed: string }) => {
    if (opts.preset !== 'small' && opts.preset !== 'large') throw new InvalidArgumentError('--preset must be small or large');
    const seed = Number(opts.seed);
    if (!Number.isInteger(seed)) throw new InvalidArgumentError('--seed must be a whole number');
    const { runSimulatorsCommand } = await import('../simulators/cli.ts');
    const running = await runSimulatorsCommand({ port: Number(opts.port), preset: opts.preset, seed });
    const stop = () => running.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

/**
 * These commands load most of Tally (seconds on a busy machine): they are loaded only when asked for, or for
 * help and unknown commands, so that `tally serve` starts PostgreSQL while its own modules load.
 */
const loadedOnRequest: Record<string, () => Promise<Command>> = {
  users: async () => (await import('./users.ts')).usersCommand(),
  keys: async () => (await import('./keys.ts')).keysCommand(),
  sync: async () => (await import('./sync.ts')).syncCommand(),
};

export async function main(argv: string[]): Promise<void> {
  try {
    const args = argv.slice(2);
    const asked = args.find((a) => !a.startsWith('-'));
    const builtIn = program.commands.some((c) => c.name() === asked);
    const wanted = asked && asked in loadedOnRequest ? [asked] : (asked && !builtIn) || args.includes('--help') || args.includes('-h') ? Object.keys(loadedOnRequest) : [];
    for (const name of wanted) program.addCommand(await loadedOnRequest[name]!());
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    console.error(`tally: ${(error as Error).message}`);
    if ((error as Error).cause) console.error(`  cause: ${((error as Error).cause as Error).message ?? String((error as Error).cause)}`);
    process.exit(1);
  }
}
