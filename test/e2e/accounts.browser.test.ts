/**
 * The path a new organization walks in the dashboard, in a real browser against a whole Tally:
 * setup → log in → invite a member → the member accepts in another browser → logs in.
 * Every page is screenshotted at 1280 px and 390 px (test-artifacts/screenshots/accounts-*.png)
 * and checked with axe-core.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestPage, capture, openPage } from '../support/browser.ts';
import { startDashboard } from '../support/dashboard.ts';
import type { TestTally } from '../support/tally.ts';

const OWNER = { org: 'Acme Inc', name: 'Olivia Owner', email: 'olivia@acme.test', password: 'correct horse battery' };
const MEMBER = { name: 'Mia Member', email: 'mia@acme.test', password: 'member password one' };

let tally: TestTally;
let browser: Browser;
let owner: TestPage;
let member: TestPage;
let invitationPath: string;

const shot = (page: Page, name: string) => capture(page, `accounts-${name}`);
const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

async function logOut(page: Page, who: string) {
  await page.getByRole('button', { name: new RegExp(who) }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.waitForURL('**/login');
}

async function logIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

beforeAll(async () => {
  [tally, browser] = await startDashboard();
  owner = await openPage(browser, tally.baseUrl);
  member = await openPage(browser, tally.baseUrl);
});

afterAll(async () => {
  await browser?.close();
});

describe('a new organization in the dashboard', () => {
  it('sends the first visitor to setup, which explains what is wrong beside each field', async () => {
    const { page } = owner;
    const started = Date.now();
    await page.goto('/');
    await page.waitForURL('**/setup');
    await heading(page, 'Set up Tally').waitFor();
    const firstPaint = Date.now() - started;
    console.log(`setup page usable ${firstPaint} ms after navigation`);
    await shot(page, '01-setup');

    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('Enter the organization name.').waitFor();

    await page.getByLabel('Organization name').fill(OWNER.org);
    await page.getByLabel('Your name').fill(OWNER.name);
    await page.getByLabel('Work email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill('too short');
    await page.getByRole('button', { name: 'Create organization' }).click();
    // The API's validation message, shown beside the field and announced with it.
    const passwordField = page.getByLabel('Password', { exact: true });
    await page.getByText('Use at least 10 characters.').waitFor();
    expect(await passwordField.getAttribute('aria-invalid')).toBe('true');
    await shot(page, '02-setup-errors');
  });

  it('creates the organization and its owner, lands on Connections, and lists the owner on Members', async () => {
    const { page } = owner;
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL(/\/orgs\/[0-9a-f-]{36}\/connections$/);
    await heading(page, 'Connections').waitFor();
    await page.getByRole('link', { name: 'Members' }).click();
    await heading(page, 'Members').waitFor();
    await page.getByRole('cell', { name: new RegExp(OWNER.email) }).waitFor();
    await expect(page.title()).resolves.toBe(`Members · ${OWNER.org} · Tally`);
    await page.getByText('No pending invitations').waitFor();
    await shot(page, '03-members-owner');
  });

  it('closes setup for good once it is done', async () => {
    const visitor = await openPage(browser, tally.baseUrl);
    await visitor.page.goto('/setup');
    await visitor.page.waitForURL('**/login');
    await heading(visitor.page, 'Sign in to Tally').waitFor();
    await visitor.context.close();
  });

  it("logs out, refuses a wrong password with the API's message, then logs in", async () => {
    const { page } = owner;
    await logOut(page, OWNER.name);
    await heading(page, 'Sign in to Tally').waitFor();
    await shot(page, '04-login');

    await logIn(page, OWNER.email, 'not the password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect((await alert.textContent())?.trim()).not.toBe('');
    await shot(page, '05-login-wrong-password');

    await logIn(page, OWNER.email, OWNER.password);
    await page.waitForURL('**/connections');
    await page.getByRole('link', { name: 'Members' }).click();
    await heading(page, 'Members').waitFor();
  });

  it('invites a member and shows the one-time link with a copy button', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Invite people' }).first().click();
    const dialog = page.getByRole('dialog', { name: `Invite people to ${OWNER.org}` });
    await dialog.waitFor();
    await dialog.getByLabel('Email address').fill(MEMBER.email);
    await shot(page, '06-invite-dialog');

    await dialog.getByRole('button', { name: 'Create invitation' }).click();
    const link = page.getByLabel('Invitation link');
    await link.waitFor();
    const url = new URL(await link.inputValue());
    expect(url.pathname).toMatch(/^\/invite\/[\w-]{20,}$/);
    invitationPath = url.pathname;
    await page.getByRole('button', { name: 'Copy link' }).waitFor();
    await shot(page, '07-invite-link');

    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('button', { name: `Revoke invitation for ${MEMBER.email}` }).waitFor();
    await shot(page, '08-members-pending-invitation');
  });

  it('lets the invitee create an account from the link in another browser and join', async () => {
    const { page } = member;
    await page.goto(invitationPath);
    await heading(page, `Join ${OWNER.org} on Tally`).waitFor();
    await page.getByText(MEMBER.email).waitFor();
    await shot(page, '09-invite-accept');

    await page.getByLabel('Your name').fill(MEMBER.name);
    await page.getByLabel('Choose a password').fill(MEMBER.password);
    await page.getByRole('button', { name: 'Create account and join' }).click();
    await page.waitForURL('**/connections');
    await page.getByRole('link', { name: 'Members' }).click();
    await heading(page, 'Members').waitFor();
    await page.getByRole('cell', { name: new RegExp(OWNER.email) }).waitFor();
    // A member sees the people but cannot invite or manage them.
    expect(await page.getByRole('button', { name: 'Invite people' }).count()).toBe(0);
    expect(await page.getByRole('combobox').count()).toBe(0);
    await shot(page, '10-members-as-member');
  });

  it('lets the member log out and log in again', async () => {
    const { page } = member;
    await logOut(page, MEMBER.name);
    await logIn(page, MEMBER.email, MEMBER.password);
    await page.waitForURL('**/connections');
    await page.getByRole('button', { name: new RegExp(MEMBER.name) }).waitFor();
  });

  it('refuses to use the invitation link a second time', async () => {
    const visitor = await openPage(browser, tally.baseUrl);
    await visitor.page.goto(invitationPath);
    await heading(visitor.page, "This invitation can't be used").waitFor();
    await visitor.page.getByRole('alert').waitFor();
    await shot(visitor.page, '11-invite-used');
    expect(visitor.errors).toEqual([]);
    await visitor.context.close();
  });

  it('shows the owner the new member, and lets the owner make them an admin', async () => {
    const { page } = owner;
    await page.reload();
    const role = page.getByRole('combobox', { name: `Role of ${MEMBER.name}` });
    await role.waitFor();
    // The accepted invitation is no longer pending.
    await page.getByText('No pending invitations').waitFor();
    await role.selectOption('admin');
    await page.getByText(`${MEMBER.name} is now an admin.`).waitFor();
    expect(await role.inputValue()).toBe('admin');
    await shot(page, '12-members-two');
  });

  it('revokes an invitation after asking for confirmation', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: 'Invite people' }).first().click();
    await page.getByLabel('Email address').fill('sam@acme.test');
    await page.getByRole('radio', { name: /Admin/ }).check();
    await page.getByRole('button', { name: 'Create invitation' }).click();
    await page.getByLabel('Invitation link').waitFor();
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Revoke invitation for sam@acme.test' }).click();
    const confirm = page.getByRole('dialog', { name: 'Revoke this invitation?' });
    await confirm.waitFor();
    await shot(page, '13-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke invitation' }).click();
    await page.getByText('The invitation for sam@acme.test was revoked.').waitFor();
    await page.getByText('No pending invitations').waitFor();
  });

  it('changes the name on the account page, reached with the keyboard through the user menu', async () => {
    const { page } = owner;
    await page.getByRole('button', { name: new RegExp(OWNER.name) }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('menu', { name: 'Account' }).waitFor();
    // The menu opens with its first item focused; arrows move, Enter chooses.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await heading(page, 'Account').waitFor();
    await shot(page, '14-account');

    await page.getByLabel('Name', { exact: true }).fill('Olivia Founder');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Your name was saved.').waitFor();
    await page.getByRole('button', { name: /Olivia Founder/ }).waitFor();
  });

  it('says so when an organization or a page does not exist', async () => {
    const { page } = owner;
    await page.goto('/orgs/00000000-0000-4000-8000-000000000000/settings/members');
    await heading(page, 'Organization not found').waitFor();
    await page.goto('/no/such/page');
    await heading(page, 'Page not found').waitFor();
    await shot(page, '15-not-found');
  });

  it("shows a skeleton while members load, and the API's message with a retry when loading fails", async () => {
    const { page } = owner;
    const membersUrl = /\/api\/orgs\/[^/]+\/members$/;
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(membersUrl, async (route) => {
      await held;
      await route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'The database is restarting. Try again in a minute.' } }),
      });
    });
    await page.getByRole('link', { name: 'Members' }).click();
    await heading(page, 'Members').waitFor();
    await page.getByRole('status').filter({ hasText: 'Loading' }).first().waitFor({ state: 'attached' });
    await shot(page, '16-members-loading');
    release();
    await page.getByText('The database is restarting. Try again in a minute.').waitFor();
    await shot(page, '17-members-load-error');

    await page.unroute(membersUrl);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('cell', { name: /olivia@acme\.test/ }).waitFor();
  });

  it('sends someone whose session ended to sign in, and back to where they were', async () => {
    const { page, context } = owner;
    const membersPath = new URL(page.url()).pathname;
    await page.goto('/account');
    await heading(page, 'Account').waitFor();
    await context.clearCookies({ name: 'tally_session' });
    await page.getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByText('Your session ended').waitFor();
    await shot(page, '18-session-ended');
    await logIn(page, OWNER.email, OWNER.password);
    await page.waitForURL((url) => url.pathname === membersPath);
    await heading(page, 'Members').waitFor();
  });

  it('lets a member leave the organization, after which they are told how to join one', async () => {
    const { page } = member;
    await page.reload();
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('button', { name: 'Leave organization' }).click();
    const confirm = page.getByRole('dialog', { name: `Leave ${OWNER.org}?` });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: 'Leave organization' }).click();
    await heading(page, 'Welcome to Tally').waitFor();
    await page.getByText("You're not in any organization yet").waitFor();
    await shot(page, '19-no-organization');
  });

  it('lets someone without an organization start one of their own', async () => {
    const { page } = member;
    await page.getByRole('button', { name: 'Create an organization' }).click();
    const dialog = page.getByRole('dialog', { name: 'New organization' });
    await dialog.getByLabel('Organization name').fill('Mia Consulting');
    await dialog.getByRole('button', { name: 'Create organization' }).click();
    await page.waitForURL('**/connections');
    await page.getByRole('button', { name: /Mia Consulting.*Owner/ }).waitFor();
    await page.getByRole('link', { name: 'Members' }).click();
    await page.getByRole('cell', { name: /mia@acme\.test/ }).waitFor();
  });

  it('ran without a script error in either browser', () => {
    expect(owner.errors).toEqual([]);
    expect(member.errors).toEqual([]);
  });
});
