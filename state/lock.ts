import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { writeTx, type StoreContext } from './context.js';
import { StateLockHeldError, LockLostError, StateError, type LockHolder } from './errors.js';
import { validateStackName } from './stacks.js';

export interface LockRequest {
  /** What the holder runs, shown to whoever is refused (`dbstack apply`). */
  command: string;
  /** Defaults: the OS user, this host's name, this process. */
  user?: string;
  host?: string;
  pid?: number;
}

interface LockRow {
  stack: string;
  id: string;
  command: string;
  user: string;
  host: string;
  pid: number;
  since: string;
  refreshed_ms: number;
  ttl_ms: number;
}

/** A held stack lock. Refresh it well within its TTL; release it when done. */
export class Lock {
  #released = false;
  constructor(
    private readonly ctx: StoreContext,
    readonly holder: LockHolder,
    /** The stale lock this one replaced (expired, or its process is gone), for a warning. */
    readonly tookOver?: LockHolder,
  ) {}

  get id(): string {
    return this.holder.id;
  }
  get stack(): string {
    return this.holder.stack;
  }
  get released(): boolean {
    return this.#released;
  }

  /** Extends the TTL from now; throws LockLostError if the lock was forced open or taken over. */
  refresh(): void {
    if (this.#released) throw new Error(`lock ${this.id} was already released`);
    writeTx(this.ctx, () => {
      const n = this.ctx.db.prepare('UPDATE locks SET refreshed_ms = ? WHERE stack = ? AND id = ?').run(Date.now(), this.stack, this.id).changes;
      if (n === 0) throw new LockLostError(this.stack, this.id, holderOf(this.ctx, this.stack));
    });
  }

  /** Releases the lock (if still ours). Idempotent. */
  release(): void {
    if (this.#released) return;
    writeTx(this.ctx, () => this.ctx.db.prepare('DELETE FROM locks WHERE stack = ? AND id = ?').run(this.stack, this.id));
    this.#released = true;
  }
}

export function acquireLock(ctx: StoreContext, stack: string, req: LockRequest, ttlMs = ctx.lockTtlMs): Lock {
  validateStackName(stack);
  if (typeof req.command !== 'string' || req.command === '') throw new Error('a lock request needs the command that holds it');
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new Error(`invalid lock TTL ${ttlMs}`);
  const now = Date.now();
  const holder: LockHolder = {
    id: randomUUID(),
    stack,
    command: req.command,
    user: req.user ?? currentUser(),
    host: req.host ?? hostname(),
    pid: req.pid ?? process.pid,
    since: new Date(now).toISOString(),
    refreshedAt: new Date(now).toISOString(),
    ttlMs,
  };
  return writeTx(ctx, () => {
    const row = selectLock(ctx, stack);
    let tookOver: LockHolder | undefined;
    if (row) {
      if (!isStale(row, now)) throw new StateLockHeldError(toHolder(row));
      tookOver = toHolder(row);
      ctx.db.prepare('DELETE FROM locks WHERE stack = ?').run(stack);
    }
    ctx.db
      .prepare('INSERT INTO locks (stack, id, command, user, host, pid, since, refreshed_ms, ttl_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(stack, holder.id, holder.command, holder.user, holder.host, holder.pid, holder.since, now, ttlMs);
    return new Lock(ctx, holder, tookOver);
  });
}

/** Removes the lock with this id, whoever holds it. The id guards against removing a newer lock. */
export function forceUnlock(ctx: StoreContext, stack: string, id: string): LockHolder {
  return writeTx(ctx, () => {
    const row = selectLock(ctx, validateStackName(stack));
    if (!row) throw new StateError('not-locked', `stack "${stack}" is not locked`);
    if (row.id !== id) {
      throw new StateError('lock-id', `the lock on stack "${stack}" has id ${row.id}, not ${id}`, `check the id printed by the refused command; the lock is held by ${describe(toHolder(row))}`);
    }
    ctx.db.prepare('DELETE FROM locks WHERE stack = ? AND id = ?').run(stack, id);
    return toHolder(row);
  });
}

/** The lock row as recorded (live or stale), or undefined. */
export function holderOf(ctx: StoreContext, stack: string): LockHolder | undefined {
  const row = selectLock(ctx, stack);
  return row && toHolder(row);
}

/**
 * Inside a write transaction: may this caller change the stack? With `lockId`, the lock must
 * still be that one; without, no one else may hold a live lock.
 */
export function assertMayWrite(ctx: StoreContext, stack: string, lockId?: string): void {
  const row = selectLock(ctx, stack);
  if (lockId !== undefined) {
    if (row?.id !== lockId) throw new LockLostError(stack, lockId, row && toHolder(row));
  } else if (row && !isStale(row, Date.now())) {
    throw new StateLockHeldError(toHolder(row));
  }
}

function selectLock(ctx: StoreContext, stack: string): LockRow | undefined {
  return ctx.db.prepare('SELECT * FROM locks WHERE stack = ?').get(stack) as LockRow | undefined;
}

/** Past its TTL since the last refresh, or held by a process of this host that no longer runs. */
function isStale(row: LockRow, now: number): boolean {
  if (now - row.refreshed_ms > row.ttl_ms) return true;
  return row.host === hostname() && !processAlive(row.pid);
}

export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true; // unknown: never assume dead
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: alive, another user's
  }
  try {
    // A killed child its parent has not reaped yet still answers signal 0.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    if (state === 'Z' || state === 'X') return false;
  } catch {
    /* no procfs: trust kill(0) */
  }
  return true;
}

function toHolder(row: LockRow): LockHolder {
  return {
    id: row.id,
    stack: row.stack,
    command: row.command,
    user: row.user,
    host: row.host,
    pid: row.pid,
    since: row.since,
    refreshedAt: new Date(row.refreshed_ms).toISOString(),
    ttlMs: row.ttl_ms,
  };
}

function describe(h: LockHolder): string {
  return `${h.user}@${h.host} pid ${h.pid} running \`${h.command}\` since ${h.since}`;
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
