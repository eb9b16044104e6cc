/**
 * Importing a Bitbucket workspace member list (CSV) over the API, against a connection synced from the
 * simulator: rows matched by account id, nickname or name fill in the emails Bitbucket's API never gives,
 * commit emails are kept unless the admin asks, problems come back by line, and later syncs keep it all.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSync } from '../../src/sync/engine.ts';
import { connect } from '../support/consent.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally({ simulators: true });
const { owner, orgId } = await setUpOrganization(t);
await connect(owner, orgId, 'bitbucket');
const ctx = t.tally.ctx;
const connectionId = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'bitbucket').executeTakeFirstOrThrow()).id;
const url = `/api/orgs/${orgId}/connections/${connectionId}/member-emails`;

type Member = { uuid: string; accountId: string; nickname: string; name: string; commitEmail: string | null };
let members: Member[] = [];

async function emails(): Promise<Map<string, string | null>> {
  const rows = await ctx.db.selectFrom('app_accounts').select(['external_id', 'email']).where('connection_id', '=', connectionId).where('external_id', 'like', '{%').execute();
  return new Map(rows.map((r) => [r.external_id, r.email]));
}

const csvCell = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (header: string[], rows: string[][]) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n');
const work = (m: Member) => `${m.nickname}@work.acme.test`;

beforeAll(async () => {
  const early = await owner.post(url, { csv: 'name,email\nJane,jane@acme.test' });
  expect(early.status).toBe(400);
  expect(early.body.error.message).toMatch(/sync the connection first/);

  const result = await runSync(ctx, connectionId, { trigger: 'test' });
  expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
  const rows = await sql<{ uuid: string; account_id: string; nickname: string; name: string }>`
    select distinct data->'user'->>'uuid' as uuid, data->'user'->>'account_id' as account_id, data->'user'->>'nickname' as nickname, data->'user'->>'display_name' as name
    from sync_records where connection_id = ${connectionId} and stream = 'members' and deleted_at is null order by 1`.execute(ctx.db);
  const before = await emails();
  members = rows.rows.map((r) => ({ uuid: r.uuid, accountId: r.account_id, nickname: r.nickname, name: r.name, commitEmail: before.get(r.uuid) ?? null }));
}, 120_000);

describe('importing the Bitbucket member list', () => {
  it('fills in members’ emails by account id, nickname or name, keeps commit emails, and reports every bad row by line', async () => {
    const withCommit = members.filter((m) => m.commitEmail);
    const without = members.filter((m) => !m.commitEmail);
    // The simulator's members mostly commit with their work address; some never commit.
    expect(withCommit.length).toBeGreaterThan(2);
    expect(without.length).toBeGreaterThan(0);
    const uniqueName = (m: Member) => members.filter((o) => o.name.toLowerCase() === m.name.toLowerCase()).length === 1;

    // Line 1 is the header; member i is on line i + 2. Each third is found a different way.
    const rows = members.map((m, i) => {
      const by = i % 3 === 0 || !uniqueName(m) ? 'id' : i % 3 === 1 ? 'nickname' : 'name';
      return [by === 'name' ? m.name.toUpperCase() : '', work(m), by === 'id' ? m.accountId : '', by === 'nickname' ? m.nickname : ''];
    });
    const first = members[0]!;
    const extra = [
      ['Nobody Here', 'nobody@acme.test', '', 'no-such-nick'],
      ['', 'not an email', '', first.nickname],
      ['', '', first.accountId, ''],
      ['', `again-${work(first)}`, '', first.nickname],
    ];
    const file = '\uFEFF' + csv(['Display name', 'Email address', 'Atlassian account ID', 'Nickname'], [...rows, ...extra]);
    const at = (k: number) => members.length + 2 + k;

    const res = await owner.post(url, { csv: file });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body;
    expect(body.rows).toBe(members.length + extra.length);
    expect(body.columns).toEqual({ email: 'Email address', id: ['Atlassian account ID'], nickname: ['Nickname'], name: ['Display name'] });
    // Which of the commit emails equal the work address the list gives does not matter: they count as unchanged.
    const differing = withCommit.filter((m) => m.commitEmail !== work(m));
    expect(body.counts).toEqual({
      matched: members.length,
      added: without.length,
      replaced: 0,
      unchanged: withCommit.length - differing.length,
      kept: differing.length,
      unmatched: 1,
      invalidEmails: 2,
      duplicates: 1,
    });
    expect(new Set(body.matched.map((m: { matchedBy: string }) => m.matchedBy))).toEqual(new Set(['account_id', 'nickname', 'name']));
    const kept = body.matched.find((m: { outcome: string }) => m.outcome === 'kept');
    if (differing.length) expect(kept).toMatchObject({ previousEmail: expect.any(String), email: expect.stringMatching(/@work\.acme\.test$/) });
    expect(body.unmatched).toEqual([{ line: at(0), value: 'nobody@acme.test, no-such-nick, Nobody Here', reason: 'no member has the nickname "no-such-nick"; no member has the name "Nobody Here"' }]);
    expect(body.invalidEmails).toEqual([
      { line: at(1), value: `not an email, ${first.nickname}`, reason: 'not an email address' },
      { line: at(2), value: first.accountId, reason: 'the email cell is empty' },
    ]);
    expect(body.duplicates).toEqual([
      { line: at(3), firstLine: 2, value: `again-${work(first)}, ${first.nickname}`, reason: `${first.name} (${first.nickname}) already got an email from line 2; this row is skipped` },
    ]);
    expect(body.membersWithoutEmail).toBe(0);

    const after = await emails();
    for (const m of without) expect(after.get(m.uuid), m.nickname).toBe(work(m));
    for (const m of differing) expect(after.get(m.uuid), m.nickname).toBe(m.commitEmail);

    // The people directory links the members by the imported emails (the analytics were recomputed).
    const people = await ctx.db.selectFrom('people').select('primary_email').where('organization_id', '=', orgId).execute();
    const known = new Set(people.map((p) => p.primary_email));
    for (const m of without) expect(known.has(work(m)), m.nickname).toBe(true);

    const status = await owner.get(url);
    expect(status.body).toMatchObject({ members: members.length, withEmail: members.length, imported: members.length - differing.length, lastImport: { by: expect.any(String), added: without.length } });
  });

  it('replaces commit emails when the admin asks, and a full sync afterwards keeps every imported email', async () => {
    const file = csv(['email', 'account id'], members.map((m) => [work(m), m.accountId]));
    const res = await owner.post(url, { csv: file, replaceCommitEmails: true });
    expect(res.status).toBe(200);
    const differing = members.filter((m) => m.commitEmail && m.commitEmail !== work(m)).length;
    expect(res.body.counts).toMatchObject({ matched: members.length, replaced: differing, kept: 0, added: 0 });

    const full = await runSync(ctx, connectionId, { trigger: 'test', full: true });
    expect(full.status).toBe('succeeded');
    // The full pass read every commit again (more than the five lists an unchanged incremental sync reads),
    // and their authors' addresses did not take the imported ones' place.
    expect(full.counters.requests).toBeGreaterThan(10);
    const after = await emails();
    for (const m of members) expect(after.get(m.uuid), m.nickname).toBe(work(m));
    const status = await owner.get(url);
    expect(status.body).toMatchObject({ members: members.length, withEmail: members.length, imported: members.length, lastImport: { replaced: differing } });
  }, 120_000);

  it('a later list replaces an earlier import, and never gives one address to two members', async () => {
    const [a, b, c, d] = members as [Member, Member, Member, Member];
    const res = await owner.post(url, { csv: [`nickname;email`, `${a.nickname};new-${work(a)}`, `${b.nickname};new-${work(a)}`, `${c.nickname};${work(d)}`].join('\n') });
    expect(res.body.delimiter).toBe(';');
    expect(res.body.counts).toMatchObject({ matched: 1, replaced: 1, duplicates: 2 });
    expect(res.body.duplicates).toEqual([
      { line: 3, firstLine: 2, value: `new-${work(a)}, ${b.nickname}`, reason: `line 2 gives new-${work(a)} to another member; an email belongs to one Bitbucket account` },
      { line: 4, firstLine: null, value: `${work(d)}, ${c.nickname}`, reason: `${work(d)} is already the email of ${d.name} (${d.nickname}); an email belongs to one Bitbucket account` },
    ]);
    const after = await emails();
    expect([after.get(a.uuid), after.get(b.uuid), after.get(c.uuid)]).toEqual([`new-${work(a)}`, work(b), work(c)]);
  });
});

describe('what the import refuses', () => {
  it('says what to fix: no email column, empty, too large, not CSV', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ csv: 'name,nickname\nJane,jdoe' }, /No email column/],
      [{ csv: '' }, /The file is empty/],
      [{ csv: '<html><body>Log in</body></html>' }, /not CSV/],
      [{ csv: 'name,email\n' + 'x'.repeat(5_000_000) }, /too large/],
      [{}, /csv/],
    ];
    for (const [body, message] of cases) {
      const res = await owner.post(url, body);
      expect(res.status, String(message)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('only takes Bitbucket connections of this organization', async () => {
    await connect(owner, orgId, 'digitalocean');
    const digitalocean = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'digitalocean').executeTakeFirstOrThrow()).id;
    const other = await owner.post(`/api/orgs/${orgId}/connections/${digitalocean}/member-emails`, { csv: 'name,email\nJane,jane@acme.test' });
    expect(other.status).toBe(400);
    expect(other.body.error.message).toMatch(/Bitbucket connections only/);
    const missing = await owner.post(`/api/orgs/${orgId}/connections/${crypto.randomUUID()}/member-emails`, { csv: 'name,email\nJane,jane@acme.test' });
    expect(missing.status).toBe(404);
  });
});
