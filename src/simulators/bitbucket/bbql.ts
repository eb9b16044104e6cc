/**
 * Bitbucket's query language for `q=` and the `sort=` parameter, as described in the REST API's
 * "Filtering and sorting" section: comparisons (`=`, `!=`, `>`, `>=`, `<`, `<=`, `~`, `!~`),
 * `IN (...)` / `NOT IN (...)`, `AND`, `OR`, parentheses; values are double-quoted strings,
 * numbers, `true`, `false`, `null` or bare ISO 8601 dates and datetimes.
 */

export type FieldValue = string | number | boolean | null | undefined;
/** Reads a dotted field (`updated_on`, `author.uuid`) of a record; undefined means no such field. */
export type FieldReader<T> = (record: T, field: string) => FieldValue;

type Literal = string | number | boolean | null;
type Node =
  | { op: 'and'; left: Node; right: Node }
  | { op: 'or'; left: Node; right: Node }
  | { op: 'cmp'; field: string; cmp: string; value: Literal }
  | { op: 'in'; field: string; negated: boolean; values: Literal[] };

export class BbqlError extends Error {}

const TOKEN = /\s*(?:("(?:[^"\\]|\\.)*")|(\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?)|(-?\d+(?:\.\d+)?)|(!=|>=|<=|!~|=|>|<|~|\(|\)|,)|([A-Za-z_][A-Za-z0-9_.]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) throw new BbqlError(`Invalid query near character ${at}`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

function literal(token: string | undefined): Literal {
  if (token === undefined) throw new BbqlError('Missing value');
  if (token.startsWith('"')) return JSON.parse(token) as string;
  if (token === 'true' || token === 'false') return token === 'true';
  if (token === 'null') return null;
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (/^\d{4}-\d{2}-\d{2}/.test(token)) return token;
  throw new BbqlError(`Invalid value: ${token}`);
}

export function parseBbql(text: string): Node {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];
  const expect = (t: string) => {
    if (next() !== t) throw new BbqlError(`Expected "${t}"`);
  };
  function comparison(): Node {
    if (peek() === '(') {
      next();
      const inner = orExpr();
      expect(')');
      return inner;
    }
    const field = next();
    if (!field || !/^[A-Za-z_]/.test(field)) throw new BbqlError(`Expected a field name, got ${field ?? 'the end'}`);
    const negated = peek()?.toUpperCase() === 'NOT';
    if (negated) next();
    if (peek()?.toUpperCase() === 'IN') {
      next();
      expect('(');
      const values: Literal[] = [literal(next())];
      while (peek() === ',') {
        next();
        values.push(literal(next()));
      }
      expect(')');
      return { op: 'in', field, negated, values };
    }
    if (negated) throw new BbqlError('NOT must be followed by IN');
    const cmp = next();
    if (!cmp || !['=', '!=', '>', '>=', '<', '<=', '~', '!~'].includes(cmp)) throw new BbqlError(`Invalid operator: ${cmp ?? 'the end'}`);
    return { op: 'cmp', field, cmp, value: literal(next()) };
  }
  function andExpr(): Node {
    let left = comparison();
    while (peek()?.toUpperCase() === 'AND') {
      next();
      left = { op: 'and', left, right: comparison() };
    }
    return left;
  }
  function orExpr(): Node {
    let left = andExpr();
    while (peek()?.toUpperCase() === 'OR') {
      next();
      left = { op: 'or', left, right: andExpr() };
    }
    return left;
  }
  const tree = orExpr();
  if (i < tokens.length) throw new BbqlError(`Unexpected ${tokens[i]}`);
  return tree;
}

const isDateField = (field: string) => field.endsWith('_on') || field.endsWith('date');

function compare(actual: FieldValue, cmp: string, expected: Literal, field: string): boolean {
  if (actual === undefined) throw new BbqlError(`Invalid field name: ${field}`);
  if (cmp === '~' || cmp === '!~') {
    const hit = String(actual ?? '').toLowerCase().includes(String(expected ?? '').toLowerCase());
    return cmp === '~' ? hit : !hit;
  }
  let a: number | string | boolean | null = actual;
  let b: number | string | boolean | null = expected;
  if (isDateField(field) && typeof a === 'string' && typeof b === 'string') {
    a = Date.parse(a);
    b = Date.parse(b.length === 10 ? `${b}T00:00:00Z` : b);
    if (Number.isNaN(b)) throw new BbqlError(`Invalid date: ${expected}`);
  }
  switch (cmp) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a !== null && b !== null && a > b;
    case '>=':
      return a !== null && b !== null && a >= b;
    case '<':
      return a !== null && b !== null && a < b;
    default:
      return a !== null && b !== null && a <= b;
  }
}

export function matches<T>(node: Node, record: T, read: FieldReader<T>): boolean {
  if (node.op === 'and' || node.op === 'or') {
    const left = matches(node.left, record, read);
    return node.op === 'and' ? left && matches(node.right, record, read) : left || matches(node.right, record, read);
  }
  if (node.op === 'in') {
    const actual = read(record, node.field);
    if (actual === undefined) throw new BbqlError(`Invalid field name: ${node.field}`);
    const hit = node.values.some((v) => compare(actual, '=', v, node.field));
    return node.negated ? !hit : hit;
  }
  return compare(read(record, node.field), node.cmp, node.value, node.field);
}

/** `sort=-updated_on`: one field, descending with a leading minus. */
export function sortBy<T>(records: T[], sort: string, read: FieldReader<T>): T[] {
  const descending = sort.startsWith('-');
  const field = descending ? sort.slice(1) : sort;
  if (records.length > 0 && read(records[0] as T, field) === undefined) throw new BbqlError(`Invalid sort field: ${field}`);
  const key = (r: T) => {
    const v = read(r, field);
    return isDateField(field) && typeof v === 'string' ? Date.parse(v) : v;
  };
  // Each record's key read once, not at every comparison (the sort is stable, as before).
  return records
    .map((r) => ({ r, k: key(r) }))
    .sort(({ k: a }, { k: b }) => {
      if (a === b) return 0;
      if (a === null || a === undefined) return 1;
      if (b === null || b === undefined) return -1;
      return (a < b ? -1 : 1) * (descending ? -1 : 1);
    })
    .map(({ r }) => r);
}
