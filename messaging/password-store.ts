/** In-memory broker credential store; passwords are kept only as scrypt hashes. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { BrokerCredential } from './credentials.js';

const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEYLEN = 32;

function scryptAsync(password: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEYLEN, PARAMS, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>` */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt);
  return `scrypt$${PARAMS.N}$${PARAMS.r}$${PARAMS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, saltB64, hashB64] = parts;
  const expected = Buffer.from(hashB64!, 'base64');
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, Buffer.from(saltB64!, 'base64'), expected.length,
      { N: Number(n), r: Number(r), p: Number(p), maxmem: PARAMS.maxmem },
      (err, k) => (err ? reject(err) : resolve(k))),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export class PasswordStore {
  private readonly hashes = new Map<string, string>();
  // Compared against when a username is unknown, so timing does not reveal which users exist.
  private dummy: Promise<string> | undefined;

  async add(cred: BrokerCredential): Promise<void> {
    this.hashes.set(cred.username, await hashPassword(cred.password));
  }

  async addAll(creds: Iterable<BrokerCredential>): Promise<void> {
    await Promise.all([...creds].map((c) => this.add(c)));
  }

  remove(username: string): void {
    this.hashes.delete(username);
  }

  has(username: string): boolean {
    return this.hashes.has(username);
  }

  async verify(username: string | undefined, password: Buffer | string | undefined): Promise<boolean> {
    const pw = password === undefined ? '' : password.toString();
    const stored = username === undefined ? undefined : this.hashes.get(username);
    if (stored === undefined) {
      this.dummy ??= hashPassword('not-a-user');
      await verifyPassword(pw, await this.dummy);
      return false;
    }
    return verifyPassword(pw, stored);
  }
}
