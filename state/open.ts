import { closeSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StateFileError } from './errors.js';
import { APPLICATION_ID, applyMigrations, LATEST_VERSION, schemaVersion } from './migrations.js';

/**
 * Busy waits block the event loop (better-sqlite3 is synchronous), so the wait is short and
 * every transaction is kept to a few statements.
 */
export const BUSY_TIMEOUT_MS = 2000;

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Opens (creating if needed) the state database at `path`: checks it is a dbstack state of a
 * version this dbstack understands before writing anything, then sets WAL, synchronous=FULL
 * and foreign keys, and applies pending migrations.
 */
export function openDatabase(path: string): Database.Database {
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
  sniff(path);
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (e) {
    throw new StateFileError(path, 'unreadable', `cannot open the state at ${path}: ${(e as Error).message}`);
  }
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
    applyMigrations(db);
    return db;
  } catch (e) {
    db.close();
    throw translate(e, path);
  }
}

function sniff(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new StateFileError(path, 'unreadable', `the state path ${path} is a directory`, 'pass the path of a file (e.g. --state .dbstack/state.db)');
    size = st.size;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (size === 0) return; // SQLite treats an empty file as a new database
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

function translate(e: unknown, path: string): unknown {
  if (e instanceof StateFileError) return e;
  const code = (e as { code?: string }).code;
  if (code === 'SQLITE_NOTADB') return notState(path, 'not-sqlite', 'it is not an SQLite database');
  if (code === 'SQLITE_CORRUPT') return new StateFileError(path, 'corrupt', `the state at ${path} is corrupt: ${(e as Error).message}`, 'restore it from a backup');
  if (code === 'SQLITE_BUSY') return new StateFileError(path, 'busy', `the state at ${path} is busy (another dbstack is writing to it)`, 'try again');
  if (typeof code === 'string' && code.startsWith('SQLITE_CANTOPEN')) return new StateFileError(path, 'unreadable', `cannot open the state at ${path}: ${(e as Error).message}`);
  return e;
}
