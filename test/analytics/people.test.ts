import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { confirmProposal, linkAccount, rejectProposal, unlinkAccount, updatePerson } from '../../src/analytics/people/admin.ts';
import { peopleList, personDetail, proposalsList } from '../../src/analytics/queries/people.ts';
import { addAccounts, addFacts, addMembers, fixtureDb, makeConnection, makeOrg, recomputeAt } from './support.ts';

/**
 * A workspace whose members and commit authors are the same people under different identities:
 * Jane's member account has the email Bitbucket verified; she also commits from a personal address;
 * John commits as "J. Roe"; a build bot commits under a raw name; Cy left; Dee never did anything.
 */
const TODAY = '2026-06-15';
const { db, ctx } = await fixtureDb();
const org = await makeOrg(db);
const bb = await makeConnection(db, org, 'bitbucket');
await addMembers(db, org, bb, [
  { uuid: '{a}', name: 'Jane Doe', nickname: 'jdoe', email: 'jane@acme.io' },
  { uuid: '{b}', name: 'John Roe', nickname: 'jroe' },
  { uuid: '{c}', name: 'Cy Young', departed: true },
  { uuid: '{d}', name: 'Dee Ray' },
]);
await addAccounts(db, org, bb, [
  { id: 'email:jane.doe@gmail.com', name: 'Jane Doe', email: 'jane.doe@gmail.com' },
  { id: 'email:john@roe.dev', name: 'J. Roe', email: 'john@roe.dev' },
  { id: 'raw:build bot', name: 'build bot' },
]);
await addFacts(db, bb, [
  { account: '{a}', day: '2026-06-10', feature: 'commit' },
  { account: '{b}', day: '2026-03-01', feature: 'commit' },
  { account: '{c}', day: '2026-06-01', feature: 'commit' },
  { account: 'email:jane.doe@gmail.com', day: '2026-06-11', feature: 'commit', count: 2 },
  { account: 'email:john@roe.dev', day: '2026-06-12', feature: 'commit' },
  { account: 'raw:build bot', day: '2026-06-12', feature: 'commit' },
]);
await recomputeAt(ctx, bb, TODAY);
const admin = { id: (await sql<{ id: string }>`insert into users (email, name, password_hash) values ('ada@acme.io', 'Ada Admin', 'x') returning id`.execute(db)).rows[0]!.id, name: 'Ada Admin' };
const list = async (extra: Record<string, string> = {}) => (await peopleList(db, org, { limit: 50, offset: 0, format: 'json', ...extra }, TODAY)).items;
const byName = async () => Object.fromEntries((await list()).map((p) => [p.displayName, p]));
const personOf = async (accountId: string) => (await sql<{ person_id: string; method: string }>`select person_id, method from person_accounts where connection_id = ${bb} and account_id = ${accountId}`.execute(db)).rows[0]!;

describe('the people directory', () => {
  it('links by verified email, makes the rest people of their own, and shows who left or never showed up', async () => {
    const people = await list();
    expect(people.map((p) => [p.displayName, p.status])).toEqual([
      ['build bot', 'active'],
      ['Cy Young', 'departed'],
      ['Dee Ray', 'never_seen'],
      ['J. Roe', 'active'],
      ['Jane Doe', 'active'],
      ['Jane Doe', 'active'],
      ['John Roe', 'inactive'],
    ]);
    expect(people.find((p) => p.primaryEmail === 'jane@acme.io')).toMatchObject({ accounts: 1, proposals: 1, linkConfidence: 1, apps: [{ appId: bb, provider: 'bitbucket', level: 'few_features' }] });
    expect(people.find((p) => p.displayName === 'Dee Ray')).toMatchObject({ accounts: 1, apps: [{ appId: bb, provider: 'bitbucket', level: 'never_active' }] });
    expect((await list({ status: 'departed' })).map((p) => p.displayName)).toEqual(['Cy Young']);
    expect((await list({ q: 'roe' })).map((p) => p.displayName)).toEqual(['J. Roe', 'John Roe']);
    expect((await list({ from: '2026-06-11', to: '2026-06-11' })).map((p) => p.displayName)).toEqual(['Jane Doe']);
  });

  it('proposes the look-alike account by name, for an admin to confirm', async () => {
    const proposals = await proposalsList(db, org, { limit: 50, offset: 0, format: 'json' });
    expect(proposals.items).toEqual([
      expect.objectContaining({ accountId: 'email:jane.doe@gmail.com', confidence: 0.8, reason: 'same name "Jane Doe"', person: expect.objectContaining({ displayName: 'Jane Doe' }) }),
      expect.objectContaining({ accountId: '{b}', confidence: 0.6, reason: 'nickname "jroe" matches', person: expect.objectContaining({ displayName: 'J. Roe' }) }),
    ]);
  });
});

describe('an admin’s corrections', () => {
  const jane = async () => (await personOf('{a}')).person_id;
  const scope = async (personId: string) => ({ organizationId: org, personId, actor: admin });

  it('confirming a proposal moves the account, and the link survives later syncs', async () => {
    await confirmProposal(db, await scope(await jane()), { appId: bb, accountId: 'email:jane.doe@gmail.com' });
    await addAccounts(db, org, bb, [{ id: 'email:jane.doe@gmail.com', name: 'Jane D.', email: 'jane.doe@gmail.com' }]);
    await addFacts(db, bb, [{ account: 'email:jane.doe@gmail.com', day: '2026-06-15', feature: 'commit' }]);
    await recomputeAt(ctx, bb, TODAY);
    expect(await personOf('email:jane.doe@gmail.com')).toEqual({ person_id: await jane(), method: 'confirmed' });
    const detail = await personDetail(db, org, await jane(), { from: '2026-06-01', to: TODAY }, TODAY);
    expect(detail.person).toMatchObject({ accounts: 2, linkConfidence: 0.8, proposals: 0 });
    expect(detail.timeline).toEqual([
      { day: '2026-06-10', appId: bb, feature: 'commit', count: 1 },
      { day: '2026-06-11', appId: bb, feature: 'commit', count: 2 },
      { day: '2026-06-15', appId: bb, feature: 'commit', count: 1 },
    ]);
    expect((await list()).filter((p) => p.displayName.startsWith('Jane')).length).toBe(1);
  });

  it('linking by hand moves an account no rule matched, for good', async () => {
    const john = (await personOf('{b}')).person_id;
    await linkAccount(db, await scope(john), { appId: bb, accountId: 'email:john@roe.dev' });
    await recomputeAt(ctx, bb, TODAY, true);
    expect(await personOf('email:john@roe.dev')).toEqual({ person_id: john, method: 'manual' });
    expect((await byName())['John Roe']).toMatchObject({ status: 'active', accounts: 2 });
    expect((await byName())['J. Roe']).toBeUndefined();
  });

  it('unlinking makes the account a person of its own that is never proposed back', async () => {
    const janeId = await jane();
    await unlinkAccount(db, await scope(janeId), { appId: bb, accountId: 'email:jane.doe@gmail.com' });
    await recomputeAt(ctx, bb, TODAY, true);
    const moved = await personOf('email:jane.doe@gmail.com');
    expect(moved.method).toBe('manual');
    expect(moved.person_id).not.toBe(janeId);
    expect((await proposalsList(db, org, { limit: 50, offset: 0, format: 'json' })).items).toEqual([]);
  });

  it('a rejected proposal stays rejected', async () => {
    await addAccounts(db, org, bb, [{ id: 'email:jane@old.io', name: 'Jane Doe', email: 'jane@old.io' }]);
    await recomputeAt(ctx, bb, TODAY);
    const open = async () => (await proposalsList(db, org, { limit: 50, offset: 0, format: 'json' })).items.filter((p) => p.accountId === 'email:jane@old.io');
    expect((await open()).map((p) => p.person.personId)).toEqual([await jane()]);
    await rejectProposal(db, await scope(await jane()), { appId: bb, accountId: 'email:jane@old.io' });
    await recomputeAt(ctx, bb, TODAY, true);
    expect(await open()).toEqual([]);
    await expect(rejectProposal(db, await scope(await jane()), { appId: bb, accountId: 'email:jane@old.io' })).rejects.toThrow(/no open proposal/);
  });

  it('a member whose verified email appears later takes it, keeping the same person', async () => {
    const john = (await personOf('{b}')).person_id;
    await addAccounts(db, org, bb, [{ id: '{b}', name: 'John Roe', email: 'john@acme.io', nickname: 'jroe' }]);
    await recomputeAt(ctx, bb, TODAY);
    expect(await personOf('{b}')).toEqual({ person_id: john, method: 'email' });
    expect((await byName())['John Roe']!.primaryEmail).toBe('john@acme.io');
  });

  it('an admin’s name and email for a person are kept, and an email cannot belong to two people', async () => {
    const john = (await personOf('{b}')).person_id;
    await updatePerson(db, await scope(john), { displayName: 'Johnny Roe' });
    await addAccounts(db, org, bb, [{ id: '{b}', name: 'John R.', email: 'john@acme.io' }]);
    await recomputeAt(ctx, bb, TODAY, true);
    expect((await byName())['Johnny Roe']).toBeDefined();
    await expect(updatePerson(db, await scope(john), { primaryEmail: 'jane@acme.io' })).rejects.toThrow(/already the email of Jane Doe/);
  });

  it('an account already on its own is proposed to a person who appears later', async () => {
    await addAccounts(db, org, bb, [{ id: 'email:kim@home.io', name: 'Kim Park', email: 'kim@home.io' }]);
    await recomputeAt(ctx, bb, TODAY);
    await addMembers(db, org, bb, [{ uuid: '{k}', name: 'Kim Park', email: 'kim@acme.io' }]);
    await recomputeAt(ctx, bb, TODAY);
    const kim = (await personOf('{k}')).person_id;
    const proposals = (await proposalsList(db, org, { limit: 50, offset: 0, format: 'json' })).items.filter((p) => p.accountId === 'email:kim@home.io');
    expect(proposals.map((p) => [p.person.personId, p.confidence])).toEqual([[kim, 0.8]]);
  });
});
