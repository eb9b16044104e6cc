import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What every benchmark returns: figures named as in the targets, and the rows of its printed table. */
export type BenchResult = {
  figures: Record<string, number>;
  /** One row per measured thing: what, figure, target (optional), and whether the target held. */
  rows: Array<{ what: string; value: string; target?: string; ok?: boolean }>;
  /** What limited the figures or how to read them (printed under the table). */
  notes?: string[];
};

export type BenchOptions = {
  /** `npm run bench` with no name runs every benchmark in a reduced size that fits in 10 minutes together. */
  reduced: boolean;
  /** Extra arguments after the benchmark's name, e.g. `--size large`. */
  args: string[];
};

export type Benchmark = (options: BenchOptions) => Promise<BenchResult>;

/** Prints the table and writes bench/results/<name>.json: `{ name, at, node, cpus, reduced, figures }`. */
export function report(name: string, result: BenchResult, options: BenchOptions): string {
  const rows = result.rows.map((r) => [r.what, r.value, r.target ?? '', r.ok === undefined ? '' : r.ok ? 'met' : 'MISSED']);
  const out = [`\n${name}${options.reduced ? ' (reduced size)' : ''}`, table(['measure', 'figure', 'target', ''], rows), ...(result.notes ?? []).map((n) => `  note: ${n}`)].join('\n');
  console.log(out);
  const dir = path.resolve('bench/results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, reduced: options.reduced, figures: result.figures }, null, 2) + '\n');
  return file;
}

/** A plain-text table: a header, a rule, and the rows, columns padded to their widest cell. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Peak resident set size of this process so far, in MB (Linux: VmHWM). */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round(Number(m[1]) / 1024);
  } catch {
    // not Linux: fall back to the current RSS below
  }
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

/** p-th percentile (0..100) of a list of numbers, nearest-rank. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
