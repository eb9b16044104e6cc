import { describe, expect, it } from 'vitest';
import { type ColumnData, csvFileName, searchRows, sortRows, toCsv } from './tableData.ts';

interface Member {
  name: string;
  team: string;
  commits: number | null;
  lastActive: string | null;
}

const ROWS: Member[] = [
  { name: 'Zoë Åberg', team: 'Design', commits: 12, lastActive: '2026-06-01' },
  { name: 'ann lee', team: 'Platform', commits: null, lastActive: null },
  { name: 'Bob item2', team: 'Platform', commits: 3, lastActive: '2026-06-14' },
  { name: 'Bob item10', team: 'Design', commits: 120, lastActive: '2026-05-20' },
];

const COLUMNS: ColumnData<Member>[] = [
  { key: 'name', header: 'Name', value: (m) => m.name },
  { key: 'team', header: 'Team', value: (m) => m.team },
  { key: 'commits', header: 'Commits', value: (m) => m.commits },
  { key: 'last', header: 'Last active', value: (m) => m.lastActive, searchable: false },
];
const column = (key: string) => COLUMNS.find((c) => c.key === key)!;
const names = (rows: Member[]) => rows.map((r) => r.name);

describe('table rows', () => {
  it('sorts numbers as numbers and puts empty cells last in both directions', () => {
    expect(names(sortRows(ROWS, column('commits'), 'descending'))).toEqual(['Bob item10', 'Zoë Åberg', 'Bob item2', 'ann lee']);
    expect(names(sortRows(ROWS, column('commits'), 'ascending'))).toEqual(['Bob item2', 'Zoë Åberg', 'Bob item10', 'ann lee']);
    expect(names(sortRows(ROWS, column('last'), 'ascending')).at(-1)).toBe('ann lee');
  });

  it('sorts text case-insensitively with numbers inside names in order', () => {
    expect(names(sortRows(ROWS, column('name'), 'ascending'))).toEqual(['ann lee', 'Bob item2', 'Bob item10', 'Zoë Åberg']);
  });

  it('keeps the previous order among equal values', () => {
    expect(names(sortRows(ROWS, column('team'), 'ascending'))).toEqual(['Zoë Åberg', 'Bob item10', 'ann lee', 'Bob item2']);
  });

  it('finds rows where every word appears, ignoring case and accents', () => {
    expect(names(searchRows(ROWS, COLUMNS, 'zoe'))).toEqual(['Zoë Åberg']);
    expect(names(searchRows(ROWS, COLUMNS, 'bob design'))).toEqual(['Bob item10']);
    expect(names(searchRows(ROWS, COLUMNS, '  '))).toHaveLength(4);
    expect(searchRows(ROWS, COLUMNS, '2026-06')).toEqual([]);
  });

  it('writes CSV a spreadsheet opens safely', () => {
    const rows: Member[] = [
      { name: 'Lee, Ann "AL"', team: '=HYPERLINK("http://x")', commits: -3, lastActive: null },
      { name: 'Line\nbreak', team: '@team', commits: 0, lastActive: '2026-06-01' },
    ];
    expect(toCsv(rows, COLUMNS)).toBe(
      'Name,Team,Commits,Last active\r\n' +
        '"Lee, Ann ""AL""","\'=HYPERLINK(""http://x"")",-3,\r\n' +
        '"Line\nbreak",\'@team,0,2026-06-01\r\n',
    );
  });

  it('writes money as its exact decimal, whatever the column sorts by', () => {
    const price: ColumnData<{ amount: string }> = { key: 'a', header: 'Amount', value: (r) => Number(r.amount), csvValue: (r) => r.amount };
    expect(toCsv([{ amount: '60.10' }], [price])).toBe('Amount\r\n60.10\r\n');
  });

  it('leaves out columns marked csv: false', () => {
    expect(toCsv([ROWS[0]!], [...COLUMNS.slice(0, 1), { key: 'x', header: 'Actions', value: () => 'Edit', csv: false }])).toBe('Name\r\nZoë Åberg\r\n');
  });

  it('names the file after the table and the day', () => {
    expect(csvFileName('DigitalOcean members', new Date('2026-06-15T10:00:00Z'))).toBe('digitalocean-members-2026-06-15.csv');
  });
});
