import type { UserSpec } from './types.js';

/**
 * Every engine refuses an empty password here, before anything is sent to it: an account
 * without a password would let any local user in (the spec parsers only check the type).
 */
export function requirePasswords(engine: string, users: UserSpec[]): void {
  const empty = users.filter((u) => typeof u.password !== 'string' || u.password.length === 0).map((u) => `'${u.name}'`);
  if (empty.length) {
    throw new Error(`${engine} user${empty.length > 1 ? 's' : ''} ${empty.join(', ')}: an empty password is refused; give each user a password (e.g. from a random_password resource)`);
  }
}
