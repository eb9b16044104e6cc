import { describe, expect, it, vi } from 'vitest';
import { CSRF_COOKIE as CONTRACT_CSRF_COOKIE, CSRF_HEADER as CONTRACT_CSRF_HEADER } from '../../../src/api/contracts/common.ts';
import { ApiError, CSRF_COOKIE, CSRF_HEADER, createApiClient } from './client.ts';

type Call = { url: string; method: string; headers: Record<string, string>; body: string | undefined };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fake server: answers from a list, records what the client sent, keeps a cookie jar. */
function fakeServer(answers: Array<(call: Call) => Response>, cookies: Record<string, string> = {}) {
  const calls: Call[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const call: Call = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string>) },
      body: init?.body as string | undefined,
    };
    calls.push(call);
    const answer = answers.shift();
    if (!answer) throw new Error(`unexpected request ${call.method} ${call.url}`);
    return answer(call);
  });
  const client = createApiClient({ fetch, readCookie: (name) => cookies[name] });
  return { client, calls, cookies };
}

describe('the dashboard API client', () => {
  it('uses the cookie and header names of the server contract', () => {
    expect(CSRF_COOKIE).toBe(CONTRACT_CSRF_COOKIE);
    expect(CSRF_HEADER).toBe(CONTRACT_CSRF_HEADER);
  });

  it('sends GET requests without a CSRF header and returns the JSON body', async () => {
    const { client, calls } = fakeServer([() => json(200, { needed: true })], { tally_csrf: 'tok' });
    await expect(client.get('/api/setup')).resolves.toEqual({ needed: true });
    expect(calls[0]?.headers['x-csrf-token']).toBeUndefined();
    expect(calls[0]?.headers['content-type']).toBeUndefined();
  });

  it("echoes the tally_csrf cookie's value in x-csrf-token on every request that changes something", async () => {
    const { client, calls } = fakeServer([() => json(200, { ok: true }), () => json(200, { ok: true })], { tally_csrf: 'cookie-value' });
    await client.post('/api/auth/login', { email: 'a@b.c', password: 'x' });
    await client.delete('/api/orgs/1/invitations/2');
    expect(calls.map((c) => c.headers['x-csrf-token'])).toEqual(['cookie-value', 'cookie-value']);
    expect(calls[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(calls[0]?.body ?? '')).toEqual({ email: 'a@b.c', password: 'x' });
    // Fastify rejects an empty JSON body, so a DELETE without a body declares none.
    expect(calls[1]?.headers['content-type']).toBeUndefined();
    expect(calls[1]?.body).toBeUndefined();
  });

  it('fetches a token from /api/csrf first when the cookie is missing', async () => {
    const { client, calls } = fakeServer([() => json(200, { token: 'fresh' }), () => json(200, { ok: true })]);
    await client.post('/api/auth/logout');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/csrf', 'POST /api/auth/logout']);
    expect(calls[1]?.headers['x-csrf-token']).toBe('fresh');
  });

  it('retries once with a fresh token when the server rejects the CSRF token', async () => {
    const { client, calls } = fakeServer(
      [
        () => json(403, { error: { code: 'csrf_failed', message: 'This request lacks its CSRF token' } }),
        () => json(200, { token: 'rotated' }),
        () => json(200, { ok: true }),
      ],
      { tally_csrf: 'stale' },
    );
    await expect(client.post('/api/me/password', {})).resolves.toEqual({ ok: true });
    expect(calls.map((c) => c.headers['x-csrf-token'])).toEqual(['stale', undefined, 'rotated']);
  });

  it('does not retry other refusals', async () => {
    const { client, calls } = fakeServer([() => json(403, { error: { code: 'forbidden', message: 'Only admins can do that.' } })], { tally_csrf: 't' });
    await expect(client.post('/api/orgs/1/invitations', {})).rejects.toMatchObject({ status: 403, code: 'forbidden', message: 'Only admins can do that.' });
    expect(calls).toHaveLength(1);
  });

  it("turns an error body into an ApiError with the API's code, message and details", async () => {
    const details = [{ path: ['password'], message: 'Use at least 10 characters.' }];
    const { client } = fakeServer([() => json(400, { error: { code: 'invalid_request', message: 'password: Use at least 10 characters.', details } })], { tally_csrf: 't' });
    const error = await client.post('/api/setup', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_request', message: 'password: Use at least 10 characters.', details });
  });

  it('explains answers that are not JSON (a proxy error page) by their status', async () => {
    const { client } = fakeServer([() => new Response('<html>Bad gateway</html>', { status: 502 })]);
    await expect(client.get('/api/me')).rejects.toMatchObject({ status: 502, code: 'server_error', message: expect.stringContaining('HTTP 502') });
  });

  it('says Tally cannot be reached when the network fails', async () => {
    const client = createApiClient({ fetch: () => Promise.reject(new TypeError('Failed to fetch')), readCookie: () => undefined });
    await expect(client.get('/api/me')).rejects.toMatchObject({ status: 0, code: 'network_error', message: expect.stringContaining("can't be reached") });
  });

  it('reports a lost session (401 unauthenticated) so the app can show the sign-in page', async () => {
    const lost = vi.fn();
    const client = createApiClient({
      fetch: async () => json(401, { error: { code: 'unauthenticated', message: 'Log in to continue.' } }),
      readCookie: () => 't',
      onUnauthenticated: lost,
    });
    await expect(client.get('/api/me')).rejects.toMatchObject({ code: 'unauthenticated' });
    expect(lost).toHaveBeenCalledTimes(1);
  });

  it('does not treat a wrong password (401 invalid_credentials) as a lost session', async () => {
    const lost = vi.fn();
    const client = createApiClient({
      fetch: async () => json(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password.' } }),
      readCookie: () => 't',
      onUnauthenticated: lost,
    });
    await expect(client.post('/api/auth/login', {})).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(lost).not.toHaveBeenCalled();
  });

  it('shares one /api/csrf request between requests sent at the same time', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls: string[] = [];
    const client = createApiClient({
      fetch: async (input, init) => {
        calls.push(`${init?.method} ${String(input)}`);
        if (String(input) === '/api/csrf') {
          await gate;
          return json(200, { token: 't' });
        }
        return json(200, { ok: true });
      },
      readCookie: () => undefined,
    });
    const both = Promise.all([client.post('/a'), client.post('/b')]);
    release();
    await both;
    expect(calls.filter((c) => c === 'GET /api/csrf')).toHaveLength(1);
  });
});
