import { describe, expect, it } from 'vitest';
import { LOGIN_LIMITS } from '../../src/accounts/throttle.ts';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

const t = await startTestTally();
const password = 'correct horse battery';
/** Who won the concurrent setup below; the log-in tests use that account. */
let ownerEmail = '';

describe('first-run setup', () => {
  it('is needed on a fresh instance, and of two concurrent setups exactly one wins', async () => {
    const a = t.client();
    expect((await a.get('/api/setup')).body).toEqual({ needed: true });
    const body = (email: string) => ({ organizationName: 'Acme Inc', name: 'Olivia Owner', email, password });
    const results = await Promise.all([t.client().post('/api/setup', body('owner@example.com')), t.client().post('/api/setup', body('other@example.com'))]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.error.code).toBe('setup_done');
    ownerEmail = results.find((r) => r.status === 201)!.body.user.email;
  });

  it('is closed for good after it ran', async () => {
    const c = t.client();
    expect((await c.get('/api/setup')).body).toEqual({ needed: false });
    const again = await c.post('/api/setup', { organizationName: 'Evil Corp', name: 'Mallory', email: 'mallory@example.com', password });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already set up/);
  });

  it('rejects a weak password with a message beside the field', async () => {
    const fresh = await startTestTally();
    const res = await fresh.client().post('/api/setup', { organizationName: 'X', name: 'Y', email: 'y@example.com', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details[0]).toMatchObject({ path: ['password'], message: 'Use at least 10 characters.' });
    await fresh.close();
  });
});

describe('log in and log out', () => {
  it('logs in with the right password, and logout ends the session', async () => {
    const c = t.client();
    const login = await c.post('/api/auth/login', { email: ownerEmail.toUpperCase(), password });
    expect(login.status).toBe(200);
    expect(login.body.user.email).toBe(ownerEmail);
    expect(login.body.memberships[0]).toMatchObject({ role: 'owner', organization: { name: 'Acme Inc', slug: 'acme-inc' } });
    expect((await c.get('/api/me')).status).toBe(200);
    const token = c.sessionToken!;
    expect((await c.post('/api/auth/logout')).status).toBe(200);
    expect(c.sessionToken).toBeUndefined();
    c.cookies.set('tally_session', token); // replaying the old cookie must not work
    expect((await c.get('/api/me')).status).toBe(401);
  });

  it('says the email and password do not match, without telling which', async () => {
    const wrongPassword = await t.client().post('/api/auth/login', { email: ownerEmail, password: 'not the password' });
    const noAccount = await t.client().post('/api/auth/login', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrongPassword.status).toBe(401);
    expect(noAccount.status).toBe(401);
    expect(wrongPassword.body).toEqual(noAccount.body);
    expect(wrongPassword.body.error.message).toBe('That email and password do not match an account.');
  });

  it('locks an account after repeated failures, with a message that says when to retry', async () => {
    const email = 'locked@example.com';
    for (let i = 0; i < LOGIN_LIMITS.account.failures; i++) {
      expect((await t.client().post('/api/auth/login', { email, password: 'wrong password!' })).status).toBe(401);
    }
    const locked = await t.client().post('/api/auth/login', { email, password: 'wrong password!' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('too_many_attempts');
    expect(locked.body.error.message).toMatch(/Too many failed log-in attempts for this account\. Try again in 15 minutes/);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
  });

  it('limits failures per network address across accounts', async () => {
    const other = await startTestTally();
    await setUpOrganization(other);
    let status = 0;
    for (let i = 0; i <= LOGIN_LIMITS.ip.failures; i++) {
      status = (await other.client().post('/api/auth/login', { email: `guess${i}@example.com`, password: 'wrong password!' })).status;
    }
    expect(status).toBe(429);
    // The right password from the same address is refused while the address is locked.
    const res = await other.client().post('/api/auth/login', { email: 'owner@example.com', password });
    expect(res.status).toBe(429);
    expect(res.body.error.message).toMatch(/your network address/);
    await other.close();
  });

  it('sets the session cookie HttpOnly and SameSite=Lax, and not Secure on plain http', async () => {
    const res = await t.client().post('/api/auth/login', { email: ownerEmail, password });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tally_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
  });

  it('marks cookies Secure when the public URL is https', async () => {
    const https = await startTestTally({ env: { TALLY_PUBLIC_URL: 'https://tally.example.com' } });
    const { owner } = await setUpOrganization(https);
    const res = await owner.post('/api/auth/login', { email: 'owner@example.com', password });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('tally_session='))!;
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/HttpOnly/i);
    await https.close();
  });

  it('changing the password ends the other sessions', async () => {
    const a = t.client();
    const b = t.client();
    await a.post('/api/auth/login', { email: ownerEmail, password });
    await b.post('/api/auth/login', { email: ownerEmail, password });
    const changed = await a.post('/api/me/password', { currentPassword: password, newPassword: 'an even better passphrase' });
    expect(changed.status).toBe(200);
    expect((await a.get('/api/me')).status).toBe(200);
    expect((await b.get('/api/me')).status).toBe(401);
    await a.post('/api/me/password', { currentPassword: 'an even better passphrase', newPassword: password });
  });
});
