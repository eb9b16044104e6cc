// What a data table does with its rows, apart from drawing them: search, sort, CSV. Pure, so the
// rules (nulls last, numbers as numbers, spreadsheet-safe CSV) are tested without a browser.

export type CellValue = string | number | boolean | null | undefined;
export type SortDirection = 'ascending' | 'descending';

export interface ColumnData<Row> {
  key: string;
  header: string;
  /** The cell's value for sorting, searching and CSV (what the cell shows may be richer). */
  value: (row: Row) => CellValue;
  /** Included in the search box's matching (default true for text values). */
  searchable?: boolean;
  /** Left out of the CSV (action buttons). */
  csv?: boolean;
  /** What the CSV holds when it differs from the sort value: money as its exact decimal string. */
  csvValue?: (row: Row) => CellValue;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function compareValues(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  return collator.compare(String(a), String(b));
}

const isEmpty = (value: CellValue) => value === null || value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value));

/** A stable sort by one column; empty cells go last whichever the direction. */
export function sortRows<Row>(rows: readonly Row[], column: ColumnData<Row>, direction: SortDirection): Row[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, value: column.value(row) }))
    .sort((a, b) => {
      const aEmpty = isEmpty(a.value);
      const bEmpty = isEmpty(b.value);
      if (aEmpty || bEmpty) return aEmpty === bEmpty ? a.index - b.index : aEmpty ? 1 : -1;
      return sign * compareValues(a.value, b.value) || a.index - b.index;
    })
    .map((entry) => entry.row);
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Rows where every word of the query appears in some searchable column ("ann design" finds Ann in Design). */
export function searchRows<Row>(rows: readonly Row[], columns: readonly ColumnData<Row>[], query: string): Row[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  const searchable = columns.filter((c) => c.searchable !== false);
  return rows.filter((row) => {
    const haystack = fold(
      searchable
        .map((c) => c.value(row))
        .filter((v) => typeof v === 'string')
        .join(' '),
    );
    return words.every((word) => haystack.includes(word));
  });
}

function csvCell(value: CellValue): string {
  if (isEmpty(value)) return '';
  let text = String(value);
  // A text cell starting with = + - @ (or a tab/CR) would run as a formula when the file is opened in a
  // spreadsheet; a leading apostrophe keeps it text (OWASP "CSV injection"). Numbers are left alone.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row and CRLF line ends. */
export function toCsv<Row>(rows: readonly Row[], columns: readonly ColumnData<Row>[]): string {
  const included = columns.filter((c) => c.csv !== false);
  const lines = [included.map((c) => csvCell(c.header)).join(',')];
  for (const row of rows) lines.push(included.map((c) => csvCell((c.csvValue ?? c.value)(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** "members-2026-06-15.csv" from "Members" and today's date. */
export function csvFileName(name: string, today: Date = new Date()): string {
  const slug = fold(name).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'export';
  return `${slug}-${today.toISOString().slice(0, 10)}.csv`;
}
