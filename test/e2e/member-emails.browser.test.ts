/**
 * Connections → Bitbucket → Import member emails (CSV) in a real browser, on a connection synced from the
 * simulator: the card says how many members have an email, an admin pastes a file that is not a member
 * list and reads what to fix, uploads the real list and reads the summary (bad rows by line), and the card
 * then counts every member. A member sees the counts without the import. Screenshots at 1280 and 390 px
 * (test-artifacts/screenshots/member-emails-*.png) with axe checks.
 */
import { sql } from 'kysely';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { syncConnection } from '../../src/sync/schedule.ts';
import { type TestPage, capture, openPage, screenshot } from '../support/browser.ts';
import { connect } from '../support/consent.ts';
import { logIn, providerRegion, startDashboard } from '../support/dashboard.ts';
import { type TestTally, setUpOrganization } from '../support/tally.ts';

const OWNER = { name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'mia password 123' };

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let member: TestPage;
let connectionId: string;
type SyncedMember = { uuid: string; account_id: string; nickname: string; name: string; email: string | null };
let members: SyncedMember[] = [];

const shot = (page: Page, name: string) => capture(page, `member-emails-${name}`);
const band = (page: Page) => providerRegion(page, 'Bitbucket').getByRole('region', { name: 'Member emails' });

beforeAll(async () => {
  [tally, browser] = await startDashboard({ simulators: true });
  const { owner: api, orgId } = await setUpOrganization(tally, OWNER);
  const invited = await api.post(`/api/orgs/${orgId}/invitations`, { email: MEMBER.email, role: 'member' });
  await tally.client().post(`/api/invitations/${invited.body.link.split('/invite/')[1]}/accept`, { name: MEMBER.name, password: MEMBER.password });
  await connect(api, orgId, 'bitbucket');
  const ctx = tally.tally.ctx;
  connectionId = (await ctx.db.selectFrom('connections').select('id').where('provider', '=', 'bitbucket').executeTakeFirstOrThrow()).id;
  const result = await syncConnection(ctx, connectionId, { trigger: 'test' });
  expect(result.status, JSON.stringify(result.error)).toBe('succeeded');
  members = await synced();
  [owner, member] = await Promise.all([openPage(browser, tally.baseUrl), openPage(browser, tally.baseUrl)]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(() => {
  onTestFailed(async () => {
    for (const [who, opened] of Object.entries({ owner, member })) {
      if (opened && !opened.page.isClosed()) await screenshot(opened.page, `member-emails-failed-${who}`).catch(() => undefined);
    }
  });
});

async function synced(): Promise<SyncedMember[]> {
  const rows = await sql<SyncedMember>`
    select distinct r.data->'user'->>'uuid' as uuid, r.data->'user'->>'account_id' as account_id, r.data->'user'->>'nickname' as nickname,
           r.data->'user'->>'display_name' as name, aa.email
    from sync_records r join app_accounts aa on aa.connection_id = r.connection_id and aa.external_id = r.data->'user'->>'uuid'
    where r.connection_id = ${connectionId} and r.stream = 'members' and r.deleted_at is null order by 1`.execute(tally.tally.ctx.db);
  return rows.rows;
}

describe('importing member emails, as an admin', () => {
  it('the Bitbucket card counts the members with an email', async () => {
    const { page } = owner;
    expect(await logIn(page, OWNER)).toBe('overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections', exact: true }).click();
    const withEmail = members.filter((m) => m.email).length;
    expect(withEmail).toBeLessThan(members.length);
    await band(page).getByText(`${withEmail} of ${members.length}`).waitFor();
    await band(page).getByText(/gives no emails/).waitFor();
  });

  it('says what to fix when the file is not a member list', async () => {
    const { page } = owner;
    await band(page).getByRole('button', { name: 'Import member emails (CSV)' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import Bitbucket Cloud member emails' });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText('Choose the CSV file, or paste the list.').waitFor();
    await dialog.getByLabel('Or paste the list').fill('name,nickname\nJane,jdoe');
    await dialog.getByRole('button', { name: 'Import' }).click();
    await dialog.getByText(/No email column: the header line \(line 1\) has "name", "nickname"/).waitFor();
    await shot(page, '01-not-a-member-list');
  });

  it('imports the uploaded list and lists the rows that need a look, by line', async () => {
    const { page } = owner;
    const dialog = page.getByRole('dialog', { name: 'Import Bitbucket Cloud member emails' });
    await dialog.getByLabel('Or paste the list').fill('');
    const without = members.filter((m) => !m.email);
    const lines = ['Display name;E-mail;Atlassian account ID', ...without.map((m) => `"${m.name}";${m.nickname}@work.acme.test;${m.account_id}`), 'Nobody Here;nobody@acme.test;', `${without[0]!.name};not-an-email;`];
    await dialog.getByLabel('CSV file').setInputFiles({ name: 'members.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`) });
    await dialog.getByRole('button', { name: 'Remove members.csv' }).waitFor();
    await dialog.getByRole('button', { name: 'Import' }).click();

    const summary = page.getByRole('dialog', { name: 'Member emails imported into Bitbucket Cloud' });
    await summary.getByText(`${without.length} ${without.length === 1 ? 'email' : 'emails'} saved`).waitFor();
    await summary.getByText('Every current member has an email now.').waitFor();
    const notMatched = summary.getByRole('region', { name: 'Not matched' });
    await notMatched.getByText(`Line ${without.length + 2}`).waitFor();
    await notMatched.getByText('no member has the name "Nobody Here"').waitFor();
    await summary.getByRole('region', { name: 'Invalid emails' }).getByText(`Line ${without.length + 3}`).waitFor();
    await shot(page, '02-summary');

    await summary.getByRole('button', { name: 'Done' }).click();
    await band(page).getByText(`${members.length} of ${members.length}`).waitFor();
    await band(page).getByText(`by ${OWNER.name}`, { exact: false }).waitFor();
    const after = await synced();
    for (const m of without) expect(after.find((a) => a.uuid === m.uuid)?.email, m.nickname).toBe(`${m.nickname}@work.acme.test`);
    await shot(page, '03-card-after');
  });
});

describe('a member', () => {
  it('sees the counts but not the import', async () => {
    const { page } = member;
    expect(await logIn(page, MEMBER)).toBe('overview');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Connections', exact: true }).click();
    await band(page).getByText(`${members.length} of ${members.length}`).waitFor();
    expect(await band(page).getByRole('button').count()).toBe(0);
  });

  it('ran without a script error in either browser', () => {
    expect(owner.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  });
});
