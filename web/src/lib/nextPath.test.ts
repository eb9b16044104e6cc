import { describe, expect, it } from 'vitest';
import { loginPathFor, safeNextPath } from './nextPath.ts';

describe('returning to a page after signing in', () => {
  it('accepts paths inside the dashboard', () => {
    expect(safeNextPath('?next=%2Forgs%2Fabc%2Fsettings%2Fmembers')).toBe('/orgs/abc/settings/members');
    expect(safeNextPath('next=/account')).toBe('/account');
  });

  it('refuses other sites, API paths and loops back to the login page', () => {
    for (const next of ['https://evil.test/', '//evil.test/x', '/\\evil.test', 'account', '/api/me', '/login', '/login?next=/x']) {
      expect(safeNextPath(`?next=${encodeURIComponent(next)}`), next).toBeUndefined();
    }
    expect(safeNextPath('')).toBeUndefined();
  });

  it('builds the login link that brings someone back where they were', () => {
    expect(loginPathFor('/account', '')).toBe('/login?next=%2Faccount');
    expect(loginPathFor('/orgs/1/settings/members', 'tab=x')).toBe('/login?next=%2Forgs%2F1%2Fsettings%2Fmembers%3Ftab%3Dx');
    expect(loginPathFor('/', '')).toBe('/login');
  });
});
