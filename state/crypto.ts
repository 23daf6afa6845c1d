import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM sealing. A sealed blob is `version(1) ‖ nonce(12) ‖ tag(16) ‖ ciphertext`, with a
 * fresh random 96-bit nonce per blob. The additional authenticated data binds a blob to the
 * row it belongs to, so a blob copied to another row (or stack) fails to open.
 */
const FORMAT_VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;

export function seal(key: Buffer, plaintext: Buffer, aad: string): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(FORMAT_VERSION), nonce, cipher.getAuthTag(), body]);
}

/** The plaintext, or undefined when the blob is malformed or fails authentication. */
export function unseal(key: Buffer, blob: Buffer, aad: string): Buffer | undefined {
  if (blob.length < 1 + NONCE_BYTES + TAG_BYTES || blob[0] !== FORMAT_VERSION) return undefined;
  const nonce = blob.subarray(1, 1 + NONCE_BYTES);
  const tag = blob.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(blob.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    return undefined;
  }
}

/** Additional authenticated data for each kind of sealed row. */
export const aad = {
  keyCheck: 'dbstack/state/v1 key-check',
  resource: (stack: string, address: string) => `dbstack/state/v1 resource\0${stack}\0${address}`,
  output: (stack: string, name: string) => `dbstack/state/v1 output\0${stack}\0${name}`,
  snapshot: (stack: string, serial: number) => `dbstack/state/v1 snapshot\0${stack}\0${serial}`,
};

export const KEY_CHECK_PLAINTEXT = Buffer.from('dbstack state key check', 'utf8');
