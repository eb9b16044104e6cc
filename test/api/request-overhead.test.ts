import { describe, expect, it } from 'vitest';
import { setUpOrganization, startTestTally } from '../support/tally.ts';

// What every answer carries or costs besides its body: security headers worked out once, one log line.
const t = await startTestTally();
const { owner, orgId } = await setUpOrganization(t);

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'none';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' 'unsafe-inline';upgrade-insecure-requests;connect-src 'self'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('security headers', () => {
  it('every kind of answer carries the same set: a cached analytics answer, an error, an unknown path, a page', async () => {
    const session = { cookie: [...owner.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    for (const [path, status, headers] of [
      [`/api/orgs/${orgId}/analytics/overview`, 200, session],
      [`/api/orgs/${orgId}/analytics/overview`, 200, session], // the second from the analytics cache
      ['/api/me', 401, {}],
      ['/api/nothing-here', 404, session],
      ['/some/dashboard/page', undefined, {}],
    ] as const) {
      const res = await fetch(t.baseUrl + path, { headers });
      if (status) expect(res.status, path).toBe(status);
      const got = Object.fromEntries(Object.keys(SECURITY_HEADERS).map((h) => [h, res.headers.get(h)]));
      expect(got, path).toEqual(SECURITY_HEADERS);
      expect(res.headers.get('x-powered-by'), path).toBeNull();
    }
  });
});

describe('request log', () => {
  it('one info line per request when it is answered, with method, URL, status and time; the arrival line is debug', async () => {
    const marker = `/api/orgs/${orgId}/analytics/overview?window=30`;
    expect((await owner.get(marker)).status).toBe(200);
    await expect.poll(() => t.logs.filter((l) => (l.req as { url?: string } | undefined)?.url === marker).length).toBeGreaterThanOrEqual(2);
    const lines = t.logs.filter((l) => (l.req as { url?: string } | undefined)?.url === marker);
    const info = lines.filter((l) => (l.level as number) >= 30);
    expect(info).toEqual([expect.objectContaining({ msg: 'request completed', req: expect.objectContaining({ method: 'GET' }), res: { statusCode: 200 }, responseTime: expect.any(Number) })]);
    expect(lines.filter((l) => l.msg === 'incoming request').map((l) => l.level)).toEqual([20]);
  });

  it('an unknown path and a refused request are logged once at info as well', async () => {
    const before = t.logs.length;
    await t.client().get('/api/me');
    await t.client().get('/api/nothing-here');
    await expect.poll(() => t.logs.slice(before).filter((l) => l.msg === 'request completed').length).toBe(2);
    const completed = t.logs.slice(before).filter((l) => l.msg === 'request completed');
    expect(completed.map((l) => (l.res as { statusCode: number }).statusCode).sort()).toEqual([401, 404]);
    expect(t.logs.slice(before).filter((l) => (l.level as number) >= 30 && l.msg !== 'request completed')).toEqual([]);
  });
});
