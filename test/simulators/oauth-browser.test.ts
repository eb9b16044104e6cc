import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulators } from '../../src/simulators/index.ts';
import { openBrowser, openPage } from '../support/browser.ts';
import { authorizeUrl } from './support/dance.ts';
import { basic, bearer, control, http, startTestSimulators } from './support/sim.ts';

/** A person in a real browser clicks through both simulators' login and consent pages. */

let sims: RunningSimulators;
let browser: Browser;
let callbackServer: Server;
let callback: string;
const secret = 'browser-secret';

beforeAll(async () => {
  callbackServer = createServer((_req, res) => res.end('<!DOCTYPE html><title>Back at the app</title><p>Connected.</p>'));
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  callback = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/callback`;
  sims = await startTestSimulators();
  for (const provider of ['digitalocean', 'bitbucket'])
    await control(sims, 'POST', `/${provider}/clients`, { clientId: `browser-${provider}`, clientSecret: secret, redirectUris: [callback] });
  browser = await openBrowser();
});
afterAll(async () => {
  await browser?.close();
  await sims?.close();
  await new Promise((resolve) => callbackServer.close(resolve));
});

async function clickThrough(url: string, steps: (page: import('playwright-core').Page) => Promise<void>): Promise<URL> {
  const { context, page, errors } = await openPage(browser, sims.baseUrl);
  try {
    await page.goto(url);
    await steps(page);
    await page.waitForURL((u) => u.toString().startsWith(callback));
    expect(errors).toEqual([]);
    return new URL(page.url());
  } finally {
    await context.close();
  }
}

describe('the OAuth dance in a real browser', () => {
  it('DigitalOcean: pick the admin on the login page, read the scopes, approve', async () => {
    const admin = (await control<Array<{ name: string; email: string }>>(sims, 'GET', '/digitalocean/users'))[0]!;
    const url = authorizeUrl(sims.info.digitalocean.authorizeUrl, { client_id: 'browser-digitalocean', redirect_uri: callback, response_type: 'code', scope: 'read', state: 'b1' });
    const back = await clickThrough(url, async (page) => {
      await page.getByRole('button', { name: new RegExp(`Continue as ${admin.name}`) }).click();
      expect(await page.locator('ul.scopes').textContent()).toContain('read');
      await page.getByRole('button', { name: 'Approve' }).click();
    });
    expect(back.searchParams.get('state')).toBe('b1');
    const token = await http<any>(sims.info.digitalocean.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string, client_id: 'browser-digitalocean', client_secret: secret, redirect_uri: callback }),
    });
    expect(token.body.info.email).toBe(admin.email);
    expect((await http(`${sims.info.digitalocean.apiBaseUrl}/v2/account`, { headers: bearer(token.body.access_token) })).status).toBe(200);
  });

  it('DigitalOcean: sign in with SSO through the identity provider, then deny', async () => {
    const url = authorizeUrl(sims.info.digitalocean.authorizeUrl, { client_id: 'browser-digitalocean', redirect_uri: callback, response_type: 'code', state: 'b2' });
    const back = await clickThrough(url, async (page) => {
      await page.getByRole('link', { name: 'Sign in with SSO' }).click();
      await page.getByRole('button', { name: /Sign in as/ }).first().click();
      await page.getByRole('button', { name: 'Deny' }).click();
    });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('state')).toBe('b2');
  });

  it('Bitbucket: a member with two-step verification types the one-time code, then approves', async () => {
    const member = (await control<Array<{ id: string; email: string; signIn: string; otpCode: string | null }>>(sims, 'GET', '/bitbucket/users')).find((u) => u.signIn === 'otp')!;
    const url = authorizeUrl(sims.info.bitbucket.authorizeUrl, { client_id: 'browser-bitbucket', redirect_uri: callback, response_type: 'code', state: 'b3' });
    const back = await clickThrough(url, async (page) => {
      await page.getByLabel('Email').fill(member.email);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByLabel('Code').fill('000000');
      await page.getByRole('button', { name: 'Verify' }).click();
      expect(await page.getByRole('alert').textContent()).toContain('not valid');
      await page.getByLabel('Code').fill(member.otpCode as string);
      await page.getByRole('button', { name: 'Verify' }).click();
      expect(await page.locator('ul.scopes').textContent()).toContain('pipeline');
      await page.getByRole('button', { name: 'Approve' }).click();
    });
    const token = await http<any>(sims.info.bitbucket.tokenUrl, {
      method: 'POST',
      headers: basic('browser-bitbucket', secret),
      body: new URLSearchParams({ grant_type: 'authorization_code', code: back.searchParams.get('code') as string, redirect_uri: callback }),
    });
    expect(token.status).toBe(200);
    const me = await http<any>(`${sims.info.bitbucket.apiBaseUrl}/user`, { headers: bearer(token.body.access_token) });
    expect(me.body.uuid).toBe(member.id);
  });
});
