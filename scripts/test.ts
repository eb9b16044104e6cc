/**
 * `npm test`: the whole suite on a fresh machine. Installs what the machine lacks (Debian's chromium and
 * postgresql) or says what to run, builds the dashboard, then runs the suite on the embedded PostgreSQL
 * and the database tests again on an external Debian PostgreSQL started for this run.
 *   npm test                  everything (the resilience suites in their reduced size; full: npm run test:resilience -- --full)
 *   npm test -- <vitest args> one embedded run with those arguments (e.g. a file), no external run
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { startExternalPostgres } from './external-postgres.ts';
import { ensureSystemPackages } from './system-packages.ts';

const args = process.argv.slice(2);
const [major] = process.versions.node.split('.').map(Number);
if (major! < 22) {
  console.error(`npm test runs on the pinned Node 24 (this is ${process.version}); run npm install first.`);
  process.exit(1);
}

ensureSystemPackages(['chromium', 'postgresql']);

function run(cmd: string, cmdArgs: string[], env: Record<string, string> = {}): number {
  const res = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, ...env } });
  return res.status ?? 1;
}

// Type stripping runs code whose types no longer match (a file left out of a commit): the whole suite typechecks first.
if (args.length === 0 && run('npx', ['tsc', '-p', '.']) !== 0) {
  console.error('Type errors (above): fix them first.');
  process.exit(1);
}

if (fs.existsSync('web/index.html') && run('npm', ['run', '-s', 'build:web']) !== 0) {
  console.error('The dashboard build failed.');
  process.exit(1);
}

type Totals = { passed: number; failed: number; skipped: number };
const totals: Totals = { passed: 0, failed: 0, skipped: 0 };

function vitest(label: string, vitestArgs: string[], env: Record<string, string> = {}): number {
  const report = `data/test-report-${label}.json`;
  fs.mkdirSync('data', { recursive: true });
  fs.rmSync(report, { force: true });
  console.log(`\n=== ${label} ===`);
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs], env);
  if (!fs.existsSync(report)) return code === 0 ? 1 : code;
  const r = JSON.parse(fs.readFileSync(report, 'utf8')) as { success: boolean; numTotalTests: number; numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + r.numTodoTests;
  // Vitest can exit 0 after its global setup failed: a run that ran nothing or says it failed has failed.
  if (!r.success || r.numTotalTests === 0) {
    console.error(`The ${label} run failed${r.numTotalTests === 0 ? ' without running any test' : ''}; see above.`);
    return code === 0 ? 1 : code;
  }
  return code;
}

let failed = vitest('embedded PostgreSQL', args) !== 0;

if (args.length === 0) {
  // The database tests again, on Debian's PostgreSQL through DATABASE_URL-style configuration.
  const external = startExternalPostgres(54349);
  try {
    // The resilience suites run once, in the embedded run (the security suite starts a Debian PostgreSQL for pg_dump).
    const dbOnly = ['--exclude', 'test/e2e/**', '--exclude', 'test/simulators/**', '--exclude', 'test/resilience/**', '--exclude', 'test/store/embedded.test.ts', '--exclude', 'test/config.test.ts', '--exclude', 'web/**'];
    failed = vitest('external PostgreSQL (Debian)', dbOnly, { TALLY_TEST_DATABASE_URL: external.url }) !== 0 || failed;
  } finally {
    external.stop();
  }
}

console.log(`\ntests: ${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(failed || totals.failed > 0 ? 1 : 0);
