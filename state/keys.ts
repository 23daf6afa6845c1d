import { closeSync, constants, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { KEY_BYTES } from './crypto.js';
import { StateKeyError } from './errors.js';

/** Where the key came from, for messages (never the key itself). */
export type KeySource = { kind: 'option' } | { kind: 'env' } | { kind: 'file'; path: string; created: boolean };

export const KEY_ENV = 'DBSTACK_STATE_KEY';
const FORMAT_HINT = 'expected 32 bytes written as 64 hexadecimal characters or as base64 (44 characters); generate one with `openssl rand -hex 32`';

/** Decodes key text (hex or base64/base64url of 32 bytes). `where` names the source in errors; the text is never echoed. */
export function parseKeyText(text: string, where: string): Buffer {
  const t = text.trim();
  if (t === '') throw new StateKeyError('format', `${where} is empty`, FORMAT_HINT);
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/]{43}=?$/.test(t) || /^[A-Za-z0-9_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === KEY_BYTES) return key;
  }
  throw new StateKeyError('format', `${where} is not a valid state key`, FORMAT_HINT);
}

/** The key given explicitly (option, then environment), if any. */
export function explicitKey(option: Buffer | undefined, env: NodeJS.ProcessEnv = process.env): { key: Buffer; source: KeySource } | undefined {
  if (option !== undefined) {
    if (!Buffer.isBuffer(option) || option.length !== KEY_BYTES) {
      throw new StateKeyError('format', `the state key passed to StateStore.open must be a ${KEY_BYTES}-byte Buffer`);
    }
    return { key: Buffer.from(option), source: { kind: 'option' } };
  }
  const text = env[KEY_ENV];
  if (text === undefined) return undefined;
  return { key: parseKeyText(text, KEY_ENV), source: { kind: 'env' } };
}

/** `state.key` beside the state file. */
export function keyFilePath(statePath: string): string {
  return join(dirname(statePath), 'state.key');
}

/** Reads the key file; undefined when it does not exist. Refuses a file group or others can access. */
export function readKeyFile(path: string): Buffer | undefined {
  // A concurrent creator may have the file open but not yet written: retry briefly.
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY); // a symlink is fine: the mode checked is its target's
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new StateKeyError('missing', `cannot read the state key file ${path}: ${(e as Error).message}`);
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw new StateKeyError('format', `the state key file ${path} is not a regular file`);
      if ((st.mode & 0o077) !== 0) {
        throw new StateKeyError(
          'permissions',
          `the state key file ${path} is accessible by group or others (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`,
          `run \`chmod 600 ${path}\``,
        );
      }
      const buf = Buffer.alloc(256);
      const n = readSync(fd, buf, 0, buf.length, 0);
      const text = buf.subarray(0, n).toString('utf8');
      if (text.trim() === '' && attempt < 50) {
        sleepSync(20);
        continue;
      }
      return parseKeyText(text, `the state key file ${path}`);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Creates the key file with a fresh random key: O_CREAT|O_EXCL, mode 0600, fsynced with its
 * directory. If another process created it first, reads theirs.
 */
export function createKeyFile(path: string): Buffer {
  const key = randomBytes(KEY_BYTES);
  let fd: number;
  try {
    fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      const existing = readKeyFile(path);
      if (existing) return existing;
    }
    throw new StateKeyError('missing', `cannot create the state key file ${path}: ${(e as Error).message}`);
  }
  try {
    writeSync(fd, `${key.toString('hex')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  fsyncDirectory(dirname(path));
  return key;
}

export function fsyncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, constants.O_RDONLY);
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* not supported on every file system; the file itself is synced */
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
