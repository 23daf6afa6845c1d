/**
 * SCRAM-SHA-256 password verifiers computed on the client, as `psql \password` does
 * (RFC 5802 / RFC 7677): the server stores `SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`
 * and never sees the password, so a failing CREATE/ALTER ROLE cannot log it.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { saslprep } from './saslprep.js';

/** PostgreSQL's default (scram_iterations) and the salt length libpq uses. */
export const SCRAM_ITERATIONS = 4096;
const SALT_BYTES = 16;

export function scramSha256Verifier(password: string, salt: Buffer = randomBytes(SALT_BYTES), iterations = SCRAM_ITERATIONS): string {
  const prepared = Buffer.from(saslprep(password) ?? password, 'utf8');
  const salted = pbkdf2Sync(prepared, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
