import { describe, expect, it } from 'vitest';
import type { Member, Role } from '../../api/accounts.ts';
import { canManage, grantableRoles, isLastOwner } from './permissions.ts';

const member = (userId: string, role: Role): Member => ({ userId, role, name: userId, email: `${userId}@x.test`, joinedAt: '2026-01-01T00:00:00Z' });

describe('what the members page offers', () => {
  it('lets owners manage everyone but themselves', () => {
    expect(canManage('owner', member('b', 'owner'), false)).toBe(true);
    expect(canManage('owner', member('b', 'member'), false)).toBe(true);
    expect(canManage('owner', member('a', 'owner'), true)).toBe(false);
  });

  it('lets admins manage admins and members, not owners', () => {
    expect(canManage('admin', member('b', 'admin'), false)).toBe(true);
    expect(canManage('admin', member('b', 'member'), false)).toBe(true);
    expect(canManage('admin', member('b', 'owner'), false)).toBe(false);
  });

  it('lets members manage nobody', () => {
    expect(canManage('member', member('b', 'member'), false)).toBe(false);
    expect(grantableRoles('member')).toEqual([]);
  });

  it('offers the owner role only to owners', () => {
    expect(grantableRoles('owner')).toContain('owner');
    expect(grantableRoles('admin')).not.toContain('owner');
  });

  it('knows the last owner', () => {
    expect(isLastOwner([member('a', 'owner'), member('b', 'admin')], 'a')).toBe(true);
    expect(isLastOwner([member('a', 'owner'), member('b', 'owner')], 'a')).toBe(false);
    expect(isLastOwner([member('a', 'owner'), member('b', 'admin')], 'b')).toBe(false);
  });
});
