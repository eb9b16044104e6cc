import { z } from 'zod';
import { MEMBER_EMAILS_MAX_CHARS as MAX_CSV_CHARS } from '../api/contracts/member-emails.ts';
import { TallyError } from '../errors.ts';

/**
 * Reads the workspace member list a Bitbucket admin exports as CSV (Bitbucket's API gives no emails).
 * Exports differ in their columns and their order, so the header line names them: an email column and at
 * least one column to find the member by (account id or UUID, nickname/username, display name). Comma,
 * semicolon (spreadsheets in many locales) or tab separated, quoted fields, a byte-order mark, CRLF or LF.
 * Pure functions: test/connections/member-emails-csv.test.ts pins them down.
 */

/** About 5 MB of text (MAX_CSV_CHARS): a workspace of 20,000 members exports well under it. */
export { MAX_CSV_CHARS };
export const MAX_CSV_ROWS = 50_000;

/** One data row, with the line of the file it starts on (the header is line 1 when the file starts with it). */
export type MemberEmailRow = {
  line: number;
  /** The email cell as written (trimmed); checked by `normalizeEmail`. */
  email: string;
  /** Account id or UUID (Atlassian `557058:…` or 24 hex digits; Bitbucket `{…}`). */
  id: string | null;
  nickname: string | null;
  name: string | null;
};
export type ParsedMemberList = {
  rows: MemberEmailRow[];
  delimiter: ',' | ';' | '\t';
  /** The header names used for each role, as the file spells them. */
  columns: { email: string; id: string[]; nickname: string[]; name: string[] };
};

type Role = 'email' | 'id' | 'nickname' | 'name' | 'username';

/** Header spellings, compared lower case without spaces or punctuation ("E-mail address" -> "emailaddress"). */
const HEADERS: Record<string, Role> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  primaryemail: 'email',
  useremail: 'email',
  workemail: 'email',
  accountemail: 'email',
  accountid: 'id',
  atlassianaccountid: 'id',
  atlassianid: 'id',
  aaid: 'id',
  userid: 'id',
  id: 'id',
  uuid: 'id',
  useruuid: 'id',
  accountuuid: 'id',
  nickname: 'nickname',
  nick: 'nickname',
  handle: 'nickname',
  login: 'nickname',
  bitbucketusername: 'nickname',
  // Bitbucket's "username" is the nickname, Atlassian admin's "User name" the full name: tried as both.
  username: 'username',
  name: 'name',
  displayname: 'name',
  fullname: 'name',
  publicname: 'name',
  membername: 'name',
  member: 'name',
  user: 'name',
};

const normalizeHeader = (h: string) => h.toLowerCase().replace(/[^a-z0-9]/g, '');
const invalid = (message: string) => new TallyError('invalid_request', message);

/** Parses and checks the whole file; a problem with the file as a whole throws with what to fix. */
export function parseMemberList(input: string): ParsedMemberList {
  if (input.length > MAX_CSV_CHARS) {
    throw invalid(`The file is too large (${(input.length / 1_000_000).toFixed(1)} MB; at most ${MAX_CSV_CHARS / 1_000_000} MB): export only the name, email and account id columns, or split it into parts and import each.`);
  }
  const text = input.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw invalid('The file is empty: export the workspace member list from Bitbucket as CSV, then upload or paste it.');
  refuseOtherFormats(text);

  const delimiter = detectDelimiter(text);
  const records = readRecords(text, delimiter);
  const [header, ...data] = records;
  const roles = header!.cells.map((cell) => HEADERS[normalizeHeader(cell)]);
  const named = (role: Role) => header!.cells.filter((_, i) => roles[i] === role).map((c) => c.trim());
  const emailAt = roles.indexOf('email');
  if (emailAt < 0) {
    const looksLikeData = header!.cells.some((c) => c.includes('@'));
    throw invalid(
      looksLikeData
        ? `The first line is not a header: it holds data (${preview(header!.cells)}). Add a header line naming the columns, e.g. name,email,account id.`
        : `No email column: the header line (line ${header!.line}) has ${preview(header!.cells)}. Name the column with the addresses "email".`,
    );
  }
  if (!roles.some((r) => r === 'id' || r === 'nickname' || r === 'name' || r === 'username')) {
    throw invalid(`No column to find members by: the header line has ${preview(header!.cells)}. Add an "account id", "nickname" (or "username") or "name" column.`);
  }
  const rows = data.filter((r) => r.cells.some((c) => c.trim() !== ''));
  if (rows.length === 0) throw invalid('The file has a header line but no members under it.');
  if (rows.length > MAX_CSV_ROWS) throw invalid(`The file has ${rows.length} rows; at most ${MAX_CSV_ROWS} are imported at once. Split it into parts and import each.`);

  const first = (cells: string[], ...wanted: Role[]) => {
    for (const role of wanted) {
      for (let i = 0; i < roles.length; i++) {
        const value = roles[i] === role ? cells[i]?.trim() : '';
        if (value) return value;
      }
    }
    return null;
  };
  return {
    delimiter,
    columns: { email: header!.cells[emailAt]!.trim(), id: named('id'), nickname: [...named('nickname'), ...named('username')], name: [...named('name'), ...named('username')] },
    rows: rows.map((r) => ({
      line: r.line,
      email: r.cells[emailAt]?.trim() ?? '',
      id: first(r.cells, 'id'),
      nickname: first(r.cells, 'nickname', 'username'),
      name: first(r.cells, 'name', 'username'),
    })),
  };
}

const EMAIL = z.email();

/** An address as stored (lower case, like commit emails), or why it is not one. `Name <a@b.c>` is accepted. */
export function normalizeEmail(raw: string): { email: string } | { problem: string } {
  const value = (/<([^<>]+)>\s*$/.exec(raw)?.[1] ?? raw).trim().toLowerCase();
  if (value === '') return { problem: 'the email cell is empty' };
  if (!EMAIL.safeParse(value).success || value.length > 254) return { problem: 'not an email address' };
  return { email: value };
}

function refuseOtherFormats(text: string): void {
  if (text.startsWith('PK\u0003\u0004') || text.includes('\u0000')) {
    throw invalid('This is a binary file (an Excel workbook?), not CSV: open it and save it as "CSV (comma delimited)", then import that.');
  }
  const start = text.trimStart();
  if (start.startsWith('<')) throw invalid('This is an HTML or XML page, not CSV: export the member list as CSV from Bitbucket, then import that.');
  if (start.startsWith('{') || start.startsWith('[')) throw invalid('This is JSON, not CSV: import a CSV file with a header line such as name,email,account id.');
}

/** The separator that splits the header line into the most columns (comma when none does). */
function detectDelimiter(text: string): ',' | ';' | '\t' {
  let best: ',' | ';' | '\t' = ',';
  let most = 1;
  for (const d of [',', ';', '\t'] as const) {
    let n = 0;
    try {
      n = readRecords(text, d, 1)[0]!.cells.length;
    } catch {
      // Quotes that never close under this separator: not the file's separator (reading with the chosen one reports real quote errors).
    }
    if (n > most) [best, most] = [d, n];
  }
  return best;
}

/**
 * RFC 4180 records: a field that starts with a quote runs to the closing quote ("" is a quote inside it,
 * separators and line breaks included); `line` is where the record starts. Stops after `limit` records.
 */
function readRecords(text: string, delimiter: string, limit = Infinity): Array<{ line: number; cells: string[] }> {
  const records: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let atFieldStart = true;
  const endRecord = () => {
    cells.push(cell);
    if (!(cells.length === 1 && cells[0] === '')) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    atFieldStart = true;
  };
  while (i < text.length && records.length < limit) {
    const ch = text[i]!;
    // `a, "b"`: spaces before an opening quote (hand-written files) are not part of the field.
    if (atFieldStart && ch === ' ') {
      let j = i;
      while (text[j] === ' ') j++;
      if (text[j] === '"') i = j;
    }
    if (atFieldStart && text[i] === '"') {
      const opened = line;
      i++;
      for (;;) {
        if (i >= text.length) throw invalid(`A quoted field that starts on line ${opened} never closes: check the quotes on that line (a quote inside a field is written "").`);
        const c = text[i]!;
        if (c === '"' && text[i + 1] === '"') {
          cell += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
          cell += c;
          i++;
        }
      }
      atFieldStart = false;
      continue;
    }
    atFieldStart = false;
    if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      atFieldStart = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      endRecord();
      line++;
      recordLine = line;
    } else {
      cell += ch;
      i++;
    }
  }
  if (records.length < limit && (cell !== '' || cells.length > 0)) endRecord();
  return records;
}

function preview(cells: string[]): string {
  const shown = cells.slice(0, 6).map((c) => `"${c.trim().slice(0, 40)}"`);
  return shown.join(', ') + (cells.length > 6 ? ` and ${cells.length - 6} more` : '');
}
