import { chmodSync, closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { StateFileError } from './errors.js';
import { createStateFile, probeStateFile } from './files.js';
import { checkHeader, damaged, quickCheck, walPresent, wantsQuickCheck } from './integrity.js';
import { APPLICATION_ID, applyMigrations, LATEST_VERSION, schemaVersion } from './migrations.js';

/**
 * Busy waits block the event loop (better-sqlite3 is synchronous), so the wait is short and
 * every transaction is kept to a few statements.
 */
export const BUSY_TIMEOUT_MS = 2000;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** An open state database; `readOnly` says why it may not be written (then `db` is a private copy). */
export interface OpenedDatabase {
  db: Database.Database;
  readOnly?: string;
  /** Closes the connection and removes a private copy. */
  close(): void;
}

/**
 * Opens (creating if needed) the state database at `path`. Before SQLite touches the file it
 * is checked: a missing or empty file where a state evidently existed, a broken link, a
 * directory, a header that does not match the file (truncated, overwritten) are refused;
 * modes are tightened to 0600. Then it checks it is a dbstack state of a version this dbstack
 * understands (and, for files up to QUICK_CHECK_MAX_BYTES, runs `PRAGMA quick_check`) before
 * writing anything, sets WAL, synchronous=FULL and foreign keys, and applies pending migrations.
 *
 * A state we may not write (owner-write bit off, another user's file, a read-only directory) is
 * read from a private copy in a temporary directory: SQLite never creates a `-shm` beside it
 * (one left 0444 would break every later run), and writes are refused by the store.
 */
export function openDatabase(path: string): OpenedDatabase {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StateFileError(
      path,
      'unreadable',
      `cannot create the directory for the state at ${path}: ${code === 'EEXIST' || code === 'ENOTDIR' ? `${dirname(path)} is not a directory` : (e as Error).message}`,
      'pass a path in a directory you can write to with --state',
    );
  }
  const probe = probeStateFile(path);
  if (probe.status === 'absent') createStateFile(path);
  const wal = walPresent(path);
  if (probe.status === 'present') {
    sniff(path, probe.size);
    checkHeader(path, probe.size, wal);
  }
  const copy = probe.readOnly ? privateCopy(path) : undefined;
  let db: Database.Database;
  try {
    db = new Database(copy?.file ?? path);
  } catch (e) {
    copy?.remove();
    throw translate(e, path);
  }
  const close = () => {
    if (db.open) db.close();
    copy?.remove();
  };
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    inspect(db, path);
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw new StateFileError(path, 'unreadable', `cannot use write-ahead logging for the state at ${path} (journal mode stays ${String(mode)})`);
    // FULL: with WAL, each commit fsyncs the log, so a committed resource survives power loss,
    // not just a crash of this process. Commits are one per finished cloud operation, so the
    // cost (one fsync) is negligible next to the operation itself.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    if (probe.status === 'present' && wantsQuickCheck(probe.size, wal)) quickCheck(db, path);
    applyMigrations(db);
    return { db, ...(probe.readOnlyWhy ? { readOnly: probe.readOnlyWhy } : {}), close };
  } catch (e) {
    close();
    throw translate(e, path);
  }
}

/** A copy of a state we may not write, in a private directory removed on close (or at exit). */
function privateCopy(path: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-readonly-'));
  const atExit = () => rmSync(dir, { recursive: true, force: true });
  const remove = () => {
    process.removeListener('exit', atExit);
    atExit();
  };
  process.once('exit', atExit);
  const file = join(dir, 'state.db');
  try {
    copyFileSync(path, file);
    chmodSync(file, 0o600);
    if (walPresent(path)) {
      copyFileSync(`${path}-wal`, `${file}-wal`);
      chmodSync(`${file}-wal`, 0o600);
    }
  } catch (e) {
    remove();
    throw new StateFileError(path, 'unreadable', `cannot read the state at ${path}: ${(e as Error).message}`, 'run dbstack as the user who owns the state, or give this user read access to it and its write-ahead log');
  }
  return { file, remove };
}

function sniff(path: string, size: number): void {
  const head = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (size < SQLITE_HEADER.length || !head.equals(SQLITE_HEADER)) throw notState(path, 'not-sqlite', 'it is not an SQLite database');
}

function inspect(db: Database.Database, path: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  if (tables.length === 0 && appId === 0) return; // new
  if (appId !== APPLICATION_ID) throw notState(path, 'not-dbstack', 'it is an SQLite database of another application');
  if (!tables.includes('schema_migrations')) throw notState(path, 'not-dbstack', 'it has no schema_migrations table');
  const version = schemaVersion(db);
  if (version > LATEST_VERSION) {
    throw new StateFileError(
      path,
      'newer-version',
      `the state at ${path} was written by a newer dbstack (state schema version ${version}; this dbstack understands up to version ${LATEST_VERSION})`,
      'upgrade dbstack to use this state',
    );
  }
}

function notState(path: string, problem: 'not-sqlite' | 'not-dbstack', why: string): StateFileError {
  return new StateFileError(path, problem, `${path} is not a dbstack state file: ${why}`, 'pass the path of a dbstack state (default .dbstack/state.db) with --state');
}

/** A SQLite error about the file (not a bug in a statement) as a StateFileError; anything else unchanged. */
export function translate(e: unknown, path: string): unknown {
  if (e instanceof StateFileError) return e;
  const code = (e as { code?: string }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return e;
  const message = (e as Error).message;
  if (code === 'SQLITE_NOTADB') return notState(path, 'not-sqlite', 'it is not an SQLite database');
  if (code.startsWith('SQLITE_CORRUPT')) return damaged(path, message);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return new StateFileError(path, 'busy', `the state at ${path} is busy (another dbstack is writing to it)`, 'try again');
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') {
    return new StateFileError(path, 'read-only', `cannot write the state at ${path}: ${message}`, 'give this user write access to the state file, its directory and its -wal and -shm files');
  }
  if (code.startsWith('SQLITE_CANTOPEN')) return new StateFileError(path, 'unreadable', `cannot open the state at ${path}: ${message}`);
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL') return new StateFileError(path, 'unreadable', `cannot read or write the state at ${path}: ${message}`, 'check the disk (space, errors) and try again');
  return e;
}
