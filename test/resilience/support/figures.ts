import fs from 'node:fs';
import path from 'node:path';
import { table } from '../../../bench/support/report.ts';
import { FULL } from './size.ts';

/** One line of a suite's summary: what was tried, how often, and what held. */
export type Figure = { tried: string; figure: string | number; expected?: string; ok?: boolean };

export const RESULTS_DIR = path.resolve('data/resilience');

/**
 * Prints a suite's table (what it tried, the figure, what held) and keeps it in data/resilience/<suite>.json
 * so `npm run test:resilience` can print every suite in one table at the end.
 */
export function printFigures(suite: string, figures: Figure[], notes: string[] = []): void {
  const rows = figures.map((f) => [f.tried, String(f.figure), f.expected ?? '', f.ok === undefined ? '' : f.ok ? 'held' : 'BROKEN']);
  const out = [`\nresilience: ${suite}${FULL ? ' (full size)' : ' (reduced size)'}`, table(['tried', 'figure', 'expected', ''], rows), ...notes.map((n) => `  note: ${n}`)];
  console.log(out.join('\n'));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.writeFileSync(path.join(RESULTS_DIR, `${suite}.json`), JSON.stringify({ suite, at: new Date().toISOString(), full: FULL, figures, notes }, null, 2) + '\n');
}
