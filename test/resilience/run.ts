/**
 * `npm run test:resilience` runs the resilience suites (test/resilience/*.test.ts) in their reduced size;
 * `npm run test:resilience -- --full` at full size (1,000 faulted syncs, 50 crashes: about an hour and a half).
 * Other arguments go to Vitest (e.g. a file: `npm run test:resilience -- faults`). At the end every suite's
 * figures are printed again as one table.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { table } from '../../bench/support/report.ts';

const args = process.argv.slice(2);
const full = args.includes('--full');
const vitestArgs = args.filter((a) => a !== '--full');
const results = path.resolve('data/resilience');
fs.rmSync(results, { recursive: true, force: true });

// A bare suite name (`faults`) means that suite's file, not every test file whose path contains the word.
const named = vitestArgs.map((a) => (a.startsWith('-') || a.includes('/') ? a : `test/resilience/${a}`));
const files = named.some((a) => !a.startsWith('-')) ? named : ['test/resilience', ...named];
const reportFile = path.join(results, 'vitest-report.json');
spawnSync('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...files], { stdio: 'inherit', env: { ...process.env, TALLY_RESILIENCE: full ? 'full' : 'reduced' } });
// Vitest's exit code is not to be trusted here (it can be 0 with failed tests): its report decides.
const outcome = fs.existsSync(reportFile) ? (JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { success: boolean; numTotalTests: number; numFailedTests: number }) : undefined;
const passed = outcome !== undefined && outcome.success && outcome.numTotalTests > 0 && outcome.numFailedTests === 0;

type Saved = { suite: string; figures: Array<{ tried: string; figure: string | number; expected?: string; ok?: boolean }> };
const saved: Saved[] = fs.existsSync(results) ? fs.readdirSync(results).filter((f) => f.endsWith('.json') && f !== 'vitest-report.json').sort().map((f) => JSON.parse(fs.readFileSync(path.join(results, f), 'utf8')) as Saved) : [];
if (saved.length) {
  const rows = saved.flatMap((s) => s.figures.map((f) => [s.suite, f.tried, String(f.figure), f.expected ?? '', f.ok === undefined ? '' : f.ok ? 'held' : 'BROKEN']));
  console.log(`\nResilience${full ? ' (full size)' : ' (reduced size)'}: what was tried and what held\n${table(['suite', 'tried', 'figure', 'expected', ''], rows)}`);
}
console.log(passed ? '\nEvery resilience suite held.' : `\nResilience suites failed: ${outcome ? `${outcome.numFailedTests} of ${outcome.numTotalTests} tests` : 'Vitest wrote no report'} (see above).`);
process.exit(passed ? 0 : 1);
