import { accessSync, chmodSync, closeSync, constants, lstatSync, openSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { StateFileError } from './errors.js';
import { keyFilePath } from './keys.js';

/**
 * What is on disk at a state path before SQLite is allowed near it. SQLite takes a missing or
 * empty file for a new database; dbstack must not when a state evidently existed here (its key
 * file or its last-good copy is beside it): an apply would then create every instance a second
 * time and orphan the originals.
 */
export interface StateFileProbe {
  /** `absent`: no file (a new state may be created); `empty`: a 0-byte file with no sign of an earlier state. */
  status: 'absent' | 'empty' | 'present';
  size: number;
  /** The file (or its directory, WAL or shared-memory file) cannot be written by us, or its owner-write bit is off. */
  readOnly: boolean;
  /** Why it is read-only, for messages. */
  readOnlyWhy?: string;
}

/** The last-good copy dbstack keeps beside the state (refreshed after each recorded run). */
export function backupPath(statePath: string): string {
  return `${statePath}.backup`;
}

/** How to put the last-good copy back, if there is one; else undefined. */
export function restoreHint(statePath: string): string | undefined {
  const backup = backupPath(statePath);
  return exists(backup) ? `\`cp ${backup} ${statePath}\`` : undefined;
}

/** Looks at the state path (without opening it with SQLite) and refuses what SQLite would misread. */
export function probeStateFile(path: string): StateFileProbe {
  let link: Stats;
  try {
    link = lstatSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const evidence = earlierState(path);
      if (evidence) throw missingState(path, 'does not exist', evidence);
      return { status: 'absent', size: 0, readOnly: false };
    }
    if (code === 'ENOTDIR') throw new StateFileError(path, 'unreadable', `cannot create the directory for the state at ${path}: ${dirname(path)} is not a directory`, 'pass a path in a directory you can write to with --state');
    throw unreadable(path, e);
  }
  let st = link;
  if (link.isSymbolicLink()) {
    try {
      st = statSync(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const target = safeReadlink(path);
      if (code === 'ENOENT') {
        throw new StateFileError(
          path,
          'unreadable',
          `the state path ${path} is a symbolic link to ${target}, which does not exist`,
          `point the link at the state file again (restore ${target}), or pass the real file with --state; dbstack will not start a new state through a broken link`,
        );
      }
      if (code === 'ELOOP') throw new StateFileError(path, 'unreadable', `the state path ${path} is a symbolic link that loops`, 'pass the path of the real state file with --state');
      throw unreadable(path, e);
    }
  }
  if (st.isDirectory()) throw new StateFileError(path, 'unreadable', `the state path ${path} is a directory`, 'pass the path of a file (e.g. --state .dbstack/state.db)');
  if (!st.isFile()) throw new StateFileError(path, 'unreadable', `the state path ${path} is not a regular file (it is ${kindOf(st)})`, 'pass the path of a dbstack state file with --state');
  try {
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw unreadable(path, e, st);
  }
  if (st.size === 0) {
    const evidence = earlierState(path);
    if (evidence) throw missingState(path, 'is empty (0 bytes)', evidence);
  }
  tightenModes(path, st);
  const ro = readOnlyWhy(path, st);
  return { status: st.size === 0 ? 'empty' : 'present', size: st.size, readOnly: ro !== undefined, ...(ro ? { readOnlyWhy: ro } : {}) };
}

/** Creates a new, empty state file 0600 (whatever the umask), so SQLite's WAL and shared-memory files inherit 0600. */
export function createStateFile(path: string): void {
  try {
    closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return; // another dbstack created it first
    throw new StateFileError(path, 'unreadable', `cannot create the state at ${path}: ${(e as Error).message}`, 'pass a path in a directory you can write to with --state');
  }
  chmodSync(path, 0o600); // O_CREAT's mode is reduced by the umask, never widened: this is a no-op unless the umask was odd
}

function earlierState(path: string): string | undefined {
  const key = keyFilePath(path);
  const backup = backupPath(path);
  if (exists(backup)) return `its last-good copy ${backup} is beside it`;
  // The key file is shared by every state in its directory: it shows this state existed only
  // when no other state file is there to own it.
  if (exists(key) && !otherStateBeside(path)) return `its key file ${key} is beside it, so a state was created here`;
  return undefined;
}

function otherStateBeside(path: string): boolean {
  try {
    const self = basename(path);
    return readdirSync(dirname(path)).some((f) => f !== self && f.endsWith('.db'));
  } catch {
    return false;
  }
}

function missingState(path: string, what: string, evidence: string): StateFileError {
  const restore = restoreHint(path);
  return new StateFileError(
    path,
    'missing',
    `the state at ${path} ${what}, but ${evidence}; dbstack will not start a new state over it (an apply would create every resource a second time)`,
    (restore ? `restore the last-good copy with ${restore}` : `restore ${path} from your backup`) +
      `; only to start a new, empty state on purpose, move ${keyFilePath(path)}${exists(backupPath(path)) ? ` and ${backupPath(path)}` : ''} away first`,
  );
}

function unreadable(path: string, e: unknown, st?: Stats): StateFileError {
  const code = (e as NodeJS.ErrnoException).code;
  const who = st ? ` (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}, owner uid ${st.uid})` : '';
  if (code === 'EACCES' || code === 'EPERM') {
    return new StateFileError(path, 'unreadable', `cannot read the state at ${path}: permission denied${who}`, 'run dbstack as the user who owns the state, or give this user read access to it and its directory');
  }
  return new StateFileError(path, 'unreadable', `cannot read the state at ${path}: ${(e as Error).message}`);
}

/**
 * The state holds resource ids and sealed secrets: group and others get nothing. Files we own
 * with looser modes (written by an older dbstack, or copied) are tightened; the owner's bits
 * are kept, so a state made read-only on purpose stays read-only.
 */
function tightenModes(path: string, st: Stats): void {
  const uid = process.getuid?.();
  for (const [p, s] of [[path, st] as const, ...[`${path}-wal`, `${path}-shm`].map((f) => [f, statOrUndefined(f)] as const)]) {
    if (!s || !s.isFile() || s.uid !== uid) continue;
    let mode = s.mode & 0o700;
    // A WAL or shared-memory file left 0444 by a read-only run would break every later run.
    if (p !== path && (st.mode & 0o200) !== 0) mode |= 0o600;
    if (mode !== (s.mode & 0o777)) {
      try {
        chmodSync(p, mode);
      } catch {
        /* a read-only file system: nothing to tighten there */
      }
    }
  }
}

function readOnlyWhy(path: string, st: Stats): string | undefined {
  if ((st.mode & 0o200) === 0) return `the file is read-only (mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`;
  if (!writable(path)) return 'this user cannot write the file';
  const dir = dirname(resolve(path));
  if (!writable(dir)) return `this user cannot write its directory ${dir}`;
  for (const f of [`${path}-wal`, `${path}-shm`]) if (exists(f) && !writable(f)) return `this user cannot write ${f}`;
  return undefined;
}

function writable(p: string): boolean {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

function safeReadlink(p: string): string {
  try {
    return readlinkSync(p);
  } catch {
    return '(unreadable target)';
  }
}

function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a file';
}
