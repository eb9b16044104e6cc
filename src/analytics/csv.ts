/**
 * CSV export of any list (RFC 4180): the items' fields as columns in their order, nested objects flattened
 * with dots, arrays and records written as `key=value; key=value`, empty cells for null. Cells that a
 * spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe.
 */

type Flat = Record<string, string>;

function cellOf(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' ? Object.values(v).map(cellOf).join(' ') : cellOf(v))).join('; ');
  if (typeof value === 'object') return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}=${cellOf(v)}`).join('; ');
  return String(value);
}

function flatten(item: Record<string, unknown>, prefix = '', out: Flat = {}): Flat {
  for (const [key, value] of Object.entries(item)) {
    const name = prefix ? `${prefix}.${key}` : key;
    // Records with free keys (feature counts) stay in one cell; fixed sub-objects (app, usage) become columns.
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !isFreeRecord(key)) flatten(value as Record<string, unknown>, name, out);
    else out[name] = cellOf(value);
  }
  return out;
}

const FREE_RECORDS = new Set(['featureCounts', 'usageLevels']);
const isFreeRecord = (key: string) => FREE_RECORDS.has(key);

function quote(cell: string): string {
  const safe = /^[=+\-@\t\r]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(items: Array<Record<string, unknown>>, emptyColumns: string[] = []): string {
  const rows = items.map((i) => flatten(i));
  const columns: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!columns.includes(k)) columns.push(k);
  if (!columns.length) columns.push(...emptyColumns);
  return [columns.map(quote).join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\r\n') + '\r\n';
}

/** Most rows one export holds. */
export const CSV_MAX_ROWS = 100_000;
