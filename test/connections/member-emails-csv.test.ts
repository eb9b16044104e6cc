import { describe, expect, it } from 'vitest';
import { MAX_CSV_CHARS, normalizeEmail, parseMemberList } from '../../src/connections/member-emails-csv.ts';

const rowsOf = (csv: string) => parseMemberList(csv).rows;

describe('reading a Bitbucket member list export', () => {
  const jane = { email: 'jane@acme.test', id: '557058:aaaa', nickname: 'jdoe', name: 'Jane Doe' };
  it.each([
    ['Atlassian admin export order', 'User id,User name,email,User status\n557058:aaaa,Jane Doe,jane@acme.test,Active', { ...jane, nickname: 'Jane Doe' }],
    ['email first, lower-case names', 'email,account_id,nickname,display_name\njane@acme.test,557058:aaaa,jdoe,Jane Doe', jane],
    ['capitalised headers with spaces', 'Display Name,Nickname,E-mail Address,Atlassian Account ID\nJane Doe,jdoe,jane@acme.test,557058:aaaa', jane],
    ['a byte-order mark before the header', '\uFEFFemail,nickname,name\njane@acme.test,jdoe,Jane Doe', { ...jane, id: null }],
    ['semicolons (spreadsheets in many locales)', 'Name;Email;Nickname\nJane Doe;jane@acme.test;jdoe', { ...jane, id: null }],
    ['tabs', 'name\temail\tnickname\nJane Doe\tjane@acme.test\tjdoe', { ...jane, id: null }],
    ['CRLF line ends', 'name,email,nickname\r\nJane Doe,jane@acme.test,jdoe\r\n', { ...jane, id: null }],
    ['quoted fields with the separator, a quote and a line break', 'name,email,nickname\n"Doe, Jane ""JD""\nsenior",jane@acme.test,"jdoe"', { ...jane, id: null, name: 'Doe, Jane "JD"\nsenior' }],
    ['spaces around cells and before quotes', 'name, email , uuid\n Jane Doe , "jane@acme.test", {1234}', { ...jane, id: '{1234}', nickname: null }],
    ['Bitbucket "username" tried as nickname and as name', 'username,email\njdoe,jane@acme.test', { email: 'jane@acme.test', id: null, nickname: 'jdoe', name: 'jdoe' }],
    ['unknown columns are ignored', 'Last seen,Email,Name,Groups\n2026-01-01,jane@acme.test,Jane Doe,"devs,admins"', { email: 'jane@acme.test', id: null, nickname: null, name: 'Jane Doe' }],
  ])('%s', (_, csv, expected) => {
    expect(rowsOf(csv)).toEqual([{ line: 2, ...expected }]);
  });

  it('picks the separator the header splits on, and names the columns it used', () => {
    const parsed = parseMemberList('Name;E-mail;Account ID;Username\nJane;jane@acme.test;1;jdoe');
    expect(parsed.delimiter).toBe(';');
    expect(parsed.columns).toEqual({ email: 'E-mail', id: ['Account ID'], nickname: ['Username'], name: ['Name', 'Username'] });
  });

  it('numbers rows by the line they start on, skipping blank lines and counting line breaks inside quotes', () => {
    const rows = rowsOf('name,email\n\nA,a@x.test\n"B\nB",b@x.test\n,\nC,c@x.test');
    expect(rows.map((r) => [r.line, r.name])).toEqual([
      [3, 'A'],
      [4, 'B\nB'],
      [7, 'C'],
    ]);
  });

  it('keeps rows with a missing or bad email for the summary (checked later, one by one)', () => {
    expect(rowsOf('name,email\nA,\nB,not-an-email\nC').map((r) => r.email)).toEqual(['', 'not-an-email', '']);
  });
});

describe('a file that cannot be imported says what to fix', () => {
  it.each([
    ['empty', '', /The file is empty/],
    ['only a byte-order mark and spaces', '\uFEFF  \n \n', /The file is empty/],
    ['no email column', 'name,nickname\nJane,jdoe', /No email column: the header line \(line 1\) has "name", "nickname"\. Name the column with the addresses "email"/],
    ['no header line', 'Jane Doe,jane@acme.test\nJohn,john@acme.test', /The first line is not a header/],
    ['nothing to find members by', 'email,status\na@x.test,active', /No column to find members by/],
    ['a header and no rows', 'name,email\n\n', /header line but no members/],
    ['a quote that never closes', 'name,email\n"Jane,jane@acme.test\nJohn,john@acme.test', /quoted field that starts on line 2 never closes/],
    ['an Excel workbook', 'PK\u0003\u0004\u0014\u0000binary', /binary file \(an Excel workbook\?\), not CSV/],
    ['an HTML page', '<!doctype html><html><body>Sign in</body></html>', /HTML or XML page, not CSV/],
    ['JSON', '[{"email":"a@x.test"}]', /This is JSON, not CSV/],
    ['too large', 'name,email\n' + 'x'.repeat(MAX_CSV_CHARS), /too large \(5\.0 MB; at most 5 MB\)/],
  ])('%s', (_, csv, message) => {
    expect(() => parseMemberList(csv)).toThrow(message);
  });

  it('is an invalid request (HTTP 400)', () => {
    try {
      parseMemberList('');
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
    }
  });
});

describe('emails', () => {
  it.each([
    ['jane@acme.test', { email: 'jane@acme.test' }],
    ['  Jane.Doe@ACME.test ', { email: 'jane.doe@acme.test' }],
    ['Jane Doe <jane@acme.test>', { email: 'jane@acme.test' }],
    ['', { problem: 'the email cell is empty' }],
    ['jane', { problem: 'not an email address' }],
    ['jane@', { problem: 'not an email address' }],
    ['jane doe@acme.test', { problem: 'not an email address' }],
    [`${'a'.repeat(250)}@acme.test`, { problem: 'not an email address' }],
  ])('%j', (raw, expected) => {
    expect(normalizeEmail(raw)).toEqual(expected);
  });
});
