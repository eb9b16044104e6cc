import { describe, expect, it } from 'vitest';
import { startTestTally } from '../support/tally.ts';

const t = await startTestTally();

describe('operations endpoints', () => {
  it('/healthz says the process is up and /readyz that the database is ready', async () => {
    expect((await t.client().get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.client().get('/readyz')).body).toEqual({ status: 'ok' });
  });

  it('/metrics speaks Prometheus and counts requests by route', async () => {
    await t.client().get('/api/setup');
    const res = await fetch(`${t.baseUrl}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    expect(text).toMatch(/tally_http_request_duration_seconds_count\{method="GET",route="\/api\/setup",status="200"\} \d+/);
  });

  it('serves an OpenAPI 3.1 document and a docs page', async () => {
    const doc = (await t.client().get('/api/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/setup', '/api/auth/login', '/api/orgs/{orgId}/members', '/api/orgs/{orgId}/invitations']));
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.properties).toHaveProperty('email');
    const docs = await fetch(`${t.baseUrl}/api/docs/`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toMatch(/swagger/i);
  });

  it('answers errors as { error: { code, message } } and unknown API paths with 404', async () => {
    const res = await t.client().get('/api/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.stringMatching(/No such endpoint: GET \/api\/nothing-here/) } });
    const unauth = await t.client().get('/api/me');
    expect(unauth.body).toEqual({ error: { code: 'unauthenticated', message: 'Log in to continue.' } });
  });

  it('sends security headers', async () => {
    const res = await fetch(`${t.baseUrl}/api/setup`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('strict-transport-security')).toBeTruthy();
  });
});
