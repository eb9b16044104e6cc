import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets at rest with AES-256-GCM: a fresh 96-bit nonce per value, and the id of the key with
 * each ciphertext so keys can be rotated (old keys keep decrypting until `tally keys rotate` re-encrypted
 * everything). The context (e.g. "connections.access_token:<id>") is bound as additional data, so a
 * ciphertext copied into another row or column does not decrypt.
 * Format: `v1.<key id>.<nonce>.<ciphertext>.<tag>` (base64url parts).
 */
export type Vault = {
  readonly currentKeyId: string;
  encrypt(plaintext: string, context: string): string;
  decrypt(ciphertext: string, context: string): string;
  keyIdOf(ciphertext: string): string;
};

export const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 8);

export function createVault(current: Buffer, previous: Buffer[] = []): Vault {
  const keys = new Map<string, Buffer>([current, ...previous].map((k) => [keyIdOf(k), k]));
  const currentKeyId = keyIdOf(current);
  return {
    currentKeyId,
    encrypt(plaintext, context) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, nonce);
      cipher.setAAD(Buffer.from(context));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return ['v1', currentKeyId, nonce.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    decrypt(ciphertext, context) {
      const [version, kid, nonce, body, tag] = ciphertext.split('.');
      if (version !== 'v1' || !kid || !nonce || body === undefined || !tag) throw new Error('not a Tally ciphertext');
      const key = keys.get(kid);
      if (!key) {
        throw new Error(`stored secrets were encrypted with key ${kid}, which this process does not have: set TALLY_SECRET_KEY (or TALLY_PREVIOUS_SECRET_KEYS) to the key used before`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    },
    keyIdOf(ciphertext) {
      return ciphertext.split('.')[1] ?? '';
    },
  };
}
