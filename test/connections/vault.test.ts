import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVault, keyIdOf } from '../../src/oauth/vault.ts';

describe('token vault', () => {
  const key = randomBytes(32);
  const vault = createVault(key);

  it('encrypts with a fresh nonce each time and decrypts back', () => {
    const a = vault.encrypt('doo_v1_secret-token', 'connections.access_token:1');
    const b = vault.encrypt('doo_v1_secret-token', 'connections.access_token:1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-token');
    expect(a.split('.')[1]).toBe(keyIdOf(key));
    expect(vault.decrypt(a, 'connections.access_token:1')).toBe('doo_v1_secret-token');
  });

  it('a ciphertext moved to another row or column does not decrypt', () => {
    const c = vault.encrypt('token', 'connections.access_token:1');
    expect(() => vault.decrypt(c, 'connections.access_token:2')).toThrow();
    expect(() => vault.decrypt(c, 'connections.refresh_token:1')).toThrow();
  });

  it('a tampered ciphertext does not decrypt', () => {
    const c = vault.encrypt('token', 'x');
    const parts = c.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => vault.decrypt(parts.join('.'), 'x')).toThrow();
  });

  it('after a key rotation, the previous key still decrypts and new values use the new key', () => {
    const old = vault.encrypt('old secret', 'x');
    const rotated = createVault(randomBytes(32), [key]);
    expect(rotated.decrypt(old, 'x')).toBe('old secret');
    expect(rotated.keyIdOf(rotated.encrypt('new', 'x'))).toBe(rotated.currentKeyId);
    expect(rotated.currentKeyId).not.toBe(keyIdOf(key));
  });

  it('without the key, says which key id is missing and what to set', () => {
    const c = vault.encrypt('token', 'x');
    expect(() => createVault(randomBytes(32)).decrypt(c, 'x')).toThrow(new RegExp(`key ${keyIdOf(key)}.*TALLY_SECRET_KEY`));
  });
});
