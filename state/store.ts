import { seal, unseal } from './crypto.js';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { moveResource, removeResource, rollback, taint, untaint, type CommandOptions } from './commands.js';
import { readOnlyError, readTx, writeTx, type StoreContext } from './context.js';
import { StaleStateError } from './errors.js';
import type { LockHolder } from './errors.js';
import { listHistory, readSnapshot } from './history.js';
import { journalBegin, journalEnd, openJournal, type JournalBeginOptions } from './journal.js';
import { resolveKey } from './key-check.js';
import type { KeySource } from './keys.js';
import { acquireLock, forceUnlock, holderOf, type Lock, type LockRequest } from './lock.js';
import { openDatabase, translate } from './open.js';
import { writeBackup } from './backup.js';
import { DamagedRowError, explainDamage } from './damage.js';
import { beginRun, type BeginRunOptions, type Run } from './run.js';
import { loadState } from './snapshot.js';
import { createStack, getStack, info, listStacks, validateLineage } from './stacks.js';
import type { HistoryEntry, JournalEntry, JournalOutcome, StackInfo, StateSnapshot } from './types.js';
import type { Value } from '../core/value.js';

export interface OpenOptions {
  /** 32-byte sealing key; else DBSTACK_STATE_KEY; else `state.key` beside the file. */
  key?: Buffer;
  /** Lock time-to-live since the last refresh (default 5 minutes). */
  lockTtlMs?: number;
}

export const DEFAULT_LOCK_TTL_MS = 5 * 60 * 1000;

/** The SQLite state store: one file, several stacks. Synchronous; every write is one short transaction. */
export class StateStore {
  private constructor(
    private readonly ctx: StoreContext,
    /** Where the key came from (never the key itself). */
    readonly keySource: KeySource,
    private readonly closeDatabase: () => void,
  ) {}

  /** Why this state may not be written here (it was read from a private copy); undefined when it may. */
  get readOnly(): string | undefined {
    return this.ctx.readOnly;
  }

  /** Throws the read-only StateFileError when this command may not write the state. */
  assertWritable(): void {
    if (this.ctx.readOnly) throw readOnlyError(this.ctx);
  }

  static open(path: string, options: OpenOptions = {}): StateStore {
    const full = resolve(path);
    const ttl = options.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
    if (!Number.isFinite(ttl) || ttl <= 0) throw new Error(`invalid lock TTL ${ttl}`);
    const opened = openDatabase(full);
    try {
      const { key, source } = resolveKey(opened.db, full, options.key);
      return new StateStore({ db: opened.db, path: full, key, lockTtlMs: ttl, ...(opened.readOnly ? { readOnly: opened.readOnly } : {}) }, source, opened.close);
    } catch (e) {
      opened.close();
      throw translate(e, full);
    }
  }

  get path(): string {
    return this.ctx.path;
  }

  /** The underlying connection, for inspection tools and tests only. */
  get database(): Database.Database {
    return this.ctx.db;
  }

  /**
   * Seals and opens blobs under the state's key for things that belong with this state (saved
   * plans), without handing out the key. The additional data must name what the blob is.
   */
  sealer(): { seal(plaintext: Buffer, aad: string): Buffer; unseal(blob: Buffer, aad: string): Buffer | undefined } {
    const key = this.ctx.key;
    return {
      seal: (plaintext, aadText) => seal(key, plaintext, `dbstack/external ${aadText}`),
      unseal: (blob, aadText) => unseal(key, blob, `dbstack/external ${aadText}`),
    };
  }

  close(): void {
    if (this.ctx.db.open && this.ctx.recorded && !this.ctx.readOnly) writeBackup(this.ctx.db, this.ctx.path);
    this.closeDatabase();
    this.ctx.key.fill(0);
  }

  // Stacks

  stack(name: string): StackInfo | undefined {
    return readTx(this.ctx, () => {
      const row = getStack(this.ctx, name);
      return row && info(row);
    });
  }

  /** The stack, created (serial 0, with `lineage` or a new one) if absent. A different existing lineage is a StaleStateError. */
  ensureStack(name: string, lineage?: string): StackInfo {
    if (lineage !== undefined) validateLineage(lineage);
    return writeTx(this.ctx, () => {
      const row = getStack(this.ctx, name);
      if (!row) return info(createStack(this.ctx, name, lineage ?? randomUUID()));
      if (lineage !== undefined && row.lineage !== lineage) {
        throw new StaleStateError(name, { lineage, serial: 0 }, { lineage: row.lineage, serial: row.serial });
      }
      return info(row);
    });
  }

  listStacks(): StackInfo[] {
    return readTx(this.ctx, () => listStacks(this.ctx));
  }

  /** The stack's current state, decrypted; undefined if there is no such stack. */
  readState(stack: string): StateSnapshot | undefined {
    return readTx(this.ctx, () => {
      const row = getStack(this.ctx, stack);
      return row && explainDamage(this.ctx, row, () => loadState(this.ctx, row));
    });
  }

  // Runs and history

  beginRun(stack: string, options: BeginRunOptions): Run {
    return beginRun(this.ctx, stack, options);
  }

  history(stack: string): HistoryEntry[] {
    return readTx(this.ctx, () => {
      const row = getStack(this.ctx, stack);
      return row ? listHistory(this.ctx, row.id) : [];
    });
  }

  /** The state as recorded when the run at `serial` ended; undefined if none was recorded. */
  snapshot(stack: string, serial: number): StateSnapshot | undefined {
    return readTx(this.ctx, () => {
      const row = getStack(this.ctx, stack);
      return row && readSnapshot(this.ctx, row, serial);
    });
  }

  // Journal

  journalBegin(stack: string, options: JournalBeginOptions): number {
    return journalBegin(this.ctx, stack, options);
  }

  journalEnd(id: number, outcome: JournalOutcome, note?: Value): void {
    journalEnd(this.ctx, id, outcome, note);
  }

  openJournal(stack: string): JournalEntry[] {
    return openJournal(this.ctx, stack);
  }

  // Lock

  acquireLock(stack: string, request: LockRequest): Lock {
    return acquireLock(this.ctx, stack, request);
  }

  forceUnlock(stack: string, id: string): LockHolder {
    return forceUnlock(this.ctx, stack, id);
  }

  /** The recorded lock on the stack (possibly stale), if any. */
  lockHolder(stack: string): LockHolder | undefined {
    return holderOf(this.ctx, stack);
  }

  // State commands

  removeResource(stack: string, address: string, options?: CommandOptions): number {
    return this.#explained(stack, () => removeResource(this.ctx, stack, address, options));
  }

  moveResource(stack: string, from: string, to: string, options?: CommandOptions): number {
    return this.#explained(stack, () => moveResource(this.ctx, stack, from, to, options));
  }

  rollback(stack: string, serial: number, options?: CommandOptions): number {
    return this.#explained(stack, () => rollback(this.ctx, stack, serial, options));
  }

  taint(stack: string, address: string, options?: CommandOptions): number {
    return this.#explained(stack, () => taint(this.ctx, stack, address, options));
  }

  untaint(stack: string, address: string, options?: CommandOptions): number {
    return this.#explained(stack, () => untaint(this.ctx, stack, address, options));
  }

  /** A damaged row met while doing `fn` is reported with the ways out (see explainDamage). */
  #explained<T>(stack: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof DamagedRowError)) throw e;
      const row = readTx(this.ctx, () => getStack(this.ctx, stack));
      if (!row) throw e;
      return explainDamage(this.ctx, row, () => {
        throw e;
      });
    }
  }
}
