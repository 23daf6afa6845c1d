import type Database from 'better-sqlite3';
import { StateFileError } from './errors.js';
import { translate } from './open.js';

/** What every part of the store shares: the open database, its path, the sealing key. */
export interface StoreContext {
  readonly db: Database.Database;
  readonly path: string;
  readonly key: Buffer;
  readonly lockTtlMs: number;
  /** Why this state may not be written (read from a private copy); undefined when it may. */
  readonly readOnly?: string;
  /** Set once a run or state command was recorded whole: the store then refreshes its last-good copy on close. */
  recorded?: boolean;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks). */
export function writeTx<T>(ctx: StoreContext, fn: () => T): T {
  if (ctx.readOnly) throw readOnlyError(ctx);
  return guard(ctx, () => ctx.db.transaction(fn).immediate());
}

/** Runs `fn` in a read transaction, so several SELECTs see one consistent state. */
export function readTx<T>(ctx: StoreContext, fn: () => T): T {
  return guard(ctx, () => ctx.db.transaction(fn).deferred());
}

/** SQLite errors about the file (damaged pages, I/O, read-only, busy) become StateFileErrors. */
export function guard<T>(ctx: StoreContext, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw translate(e, ctx.path);
  }
}

export function readOnlyError(ctx: StoreContext): StateFileError {
  return new StateFileError(
    ctx.path,
    'read-only',
    `the state at ${ctx.path} is read-only here (${ctx.readOnly}), and this command changes it`,
    `commands that only read it (plan, show, output, state list) work; to change it, make it writable (\`chmod u+w ${ctx.path}\`) or run dbstack as its owner`,
  );
}
