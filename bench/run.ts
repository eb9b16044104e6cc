/**
 * `npm run bench -- <name> [args]` runs one benchmark (`--reduced` for its small size); `npm run bench` runs
 * them all in a reduced size.
 * Each benchmark is bench/<name>.ts exporting `run: Benchmark` (bench/support/report.ts); its table is
 * printed and its figures written to bench/results/<name>.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { report, type Benchmark } from './support/report.ts';

const ORDER = ['sync', 'ingest', 'analytics', 'load', 'first-numbers', 'scale-out'];
const [name, ...args] = process.argv.slice(2);
const dir = path.dirname(new URL(import.meta.url).pathname);
const available = ORDER.filter((n) => fs.existsSync(path.join(dir, `${n}.ts`)));

async function runOne(n: string, reduced: boolean): Promise<boolean> {
  const mod = (await import(path.join(dir, `${n}.ts`))) as { run: Benchmark };
  const started = Date.now();
  const result = await mod.run({ reduced, args });
  report(n, result, { reduced, args });
  console.log(`  (${n} took ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return result.rows.every((r) => r.ok !== false);
}

if (name && !available.includes(name)) {
  console.error(`Unknown benchmark "${name}". Available: ${available.join(', ')}. Run \`npm run bench\` for all of them in a reduced size.`);
  process.exit(2);
}
let allMet = true;
for (const n of name ? [name] : available) {
  allMet = (await runOne(n, !name || args.includes('--reduced'))) && allMet;
}
console.log(allMet ? '\nEvery target met.' : '\nSome targets were missed (see MISSED above).');
process.exit(0);
