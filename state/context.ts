import type Database from 'better-sqlite3';

/** What every part of the store shares: the open database, its path, the sealing key. */
export interface StoreContext {
  readonly db: Database.Database;
  readonly path: string;
  readonly key: Buffer;
  readonly lockTtlMs: number;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** Runs `fn` in a BEGIN IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks). */
export function writeTx<T>(ctx: StoreContext, fn: () => T): T {
  return ctx.db.transaction(fn).immediate();
}

/** Runs `fn` in a read transaction, so several SELECTs see one consistent state. */
export function readTx<T>(ctx: StoreContext, fn: () => T): T {
  return ctx.db.transaction(fn).deferred();
}
