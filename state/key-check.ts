import type Database from 'better-sqlite3';
import { aad, KEY_CHECK_PLAINTEXT, seal, unseal } from './crypto.js';
import { StateKeyError } from './errors.js';
import { createKeyFile, explicitKey, KEY_ENV, keyFilePath, readKeyFile, type KeySource } from './keys.js';

/**
 * Finds the state's key (option, then DBSTACK_STATE_KEY, then `state.key` beside the file,
 * created for a new state) and checks it against the sealed check value stored in the state,
 * so a wrong key is refused at open rather than half-way through a read.
 */
export function resolveKey(db: Database.Database, statePath: string, option: Buffer | undefined): { key: Buffer; source: KeySource } {
  const explicit = explicitKey(option);
  const stored = () => (db.prepare("SELECT value FROM meta WHERE key = 'key_check'").get() as { value: Buffer } | undefined)?.value;
  let found = explicit;
  if (!found) {
    const file = keyFilePath(statePath);
    const existing = readKeyFile(file);
    if (existing) found = { key: existing, source: { kind: 'file', path: file, created: false } };
    else if (stored()) {
      throw new StateKeyError(
        'missing',
        `the state at ${statePath} is encrypted, but no key was found (${KEY_ENV} is not set and ${file} does not exist)`,
        `set ${KEY_ENV} to the key it was written with, or put its state.key file back`,
      );
    } else found = { key: createKeyFile(file), source: { kind: 'file', path: file, created: true } };
  }
  const { key, source } = found;
  const check = db
    .transaction(() => {
      const blob = stored();
      if (blob) return blob;
      db.prepare("INSERT INTO meta (key, value) VALUES ('key_check', ?)").run(seal(key, KEY_CHECK_PLAINTEXT, aad.keyCheck));
      return undefined;
    })
    .immediate();
  if (check) {
    const plain = unseal(key, check, aad.keyCheck);
    if (!plain || !plain.equals(KEY_CHECK_PLAINTEXT)) {
      const from = source.kind === 'file' ? ` (the key tried was read from ${source.path})` : source.kind === 'env' ? ` (the key tried was ${KEY_ENV})` : '';
      throw new StateKeyError(
        'wrong-key',
        `the state at ${statePath} was encrypted with a different key${from}`,
        `set ${KEY_ENV} to the key it was written with`,
      );
    }
  }
  return found;
}
