import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../src/log.ts';

function capture() {
  let raw = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      raw += chunk.toString();
      done();
    },
  });
  return { log: createLogger('debug', sink), lines: () => raw.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, any>), raw: () => raw };
}

describe('JSON logs', () => {
  it('redact cookies, authorization headers and anything named like a token, secret or password, at any depth', () => {
    const { log, lines, raw } = capture();
    const secrets = {
      headers: { cookie: 'tally_session=s3ss10n-value', authorization: 'Bearer b3arer-value', 'x-csrf-token': 'csrf-value-123', accept: 'application/json' },
      access_token: 'access-value-123',
      refreshToken: 'refresh-value-123',
      clientSecret: 'client-secret-123',
      password: 'password-value-123',
      api_key: 'api-key-value-123',
      nested: [{ code_verifier: 'verifier-value-123', provider: 'bitbucket' }],
    };
    log.info({ ...secrets, connectionId: 'c-1' }, 'something happened');
    for (const value of ['s3ss10n-value', 'b3arer-value', 'csrf-value-123', 'access-value-123', 'refresh-value-123', 'client-secret-123', 'password-value-123', 'api-key-value-123', 'verifier-value-123']) {
      expect(raw()).not.toContain(value);
    }
    const [line] = lines();
    expect(line).toMatchObject({ msg: 'something happened', connectionId: 'c-1', headers: { cookie: '[redacted]', authorization: '[redacted]', accept: 'application/json' }, nested: [{ code_verifier: '[redacted]', provider: 'bitbucket' }] });
  });

  it('log a request by method and URL only (no headers), with OAuth codes, states and invitation tokens taken out of the URL', () => {
    const { log, lines } = capture();
    log.info({ req: { method: 'GET', url: '/api/oauth/bitbucket/callback?code=c0de-value&state=st4te-value&x=1', id: 'r1', headers: { cookie: 'tally_session=abc' } } }, 'request');
    const [line] = lines();
    expect(line!.req).toEqual({ method: 'GET', url: '/api/oauth/bitbucket/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&x=1', id: 'r1' });
    expect(redactUrl('/api/invitations/inv1t3-token/accept')).toBe('/api/invitations/[redacted]/accept');
    expect(redactUrl('/api/connect-invitations/c0nnect-token')).toBe('/api/connect-invitations/[redacted]');
    expect(redactUrl('/invite/inv1t3-token')).toBe('/invite/[redacted]');
    // The page a connect-invitation link opens, as the app admin's browser asks the server for it.
    expect(redactUrl('/connect-invite/c0nnect-token?result=connected')).toBe('/connect-invite/[redacted]?result=connected');
  });
});
