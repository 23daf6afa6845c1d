import type { Value } from '../core/value.js';
import { nowIso, type StoreContext } from './context.js';
import { loadState, openSnapshot, sealSnapshot } from './snapshot.js';
import type { StackRow } from './stacks.js';
import type { HistoryEntry, RunStatus, StateSnapshot } from './types.js';
import { decodeValue, encodeValue } from './values.js';

interface HistoryRow {
  serial: number;
  command: string;
  summary: string;
  status: RunStatus;
  started_at: string;
  finished_at: string | null;
  error: string | null;
  has_snapshot: number;
}

/** Records the start of a run at `serial`. `summary` is stored in clear: no secrets in it. */
export function insertHistory(ctx: StoreContext, stackId: number, serial: number, command: string, summary: Value): void {
  ctx.db
    .prepare("INSERT INTO history (stack_id, serial, command, summary, status, started_at) VALUES (?, ?, ?, ?, 'running', ?)")
    .run(stackId, serial, command, encodeValue(summary, 'the run summary'), nowIso());
}

/** Ends the run at the stack's current serial, storing a sealed snapshot of the state as it is now. */
export function finishHistory(ctx: StoreContext, stack: StackRow, status: Exclude<RunStatus, 'running'>, error?: string): void {
  const { json, sealed } = sealSnapshot(ctx.key, loadState(ctx, stack));
  ctx.db
    .prepare('UPDATE history SET status = ?, finished_at = ?, error = ?, snapshot = ?, snapshot_sealed = ? WHERE stack_id = ? AND serial = ?')
    .run(status, nowIso(), error ?? null, json, sealed, stack.id, stack.serial);
  ctx.recorded = true; // the whole state just decoded: it may become the last-good copy
}

/**
 * A run still `running` at the current serial when a new run starts crashed (the caller holds
 * the lock, so its process is gone). Nothing changed since, so the current state is exactly
 * what that run left: record it as `interrupted` with that snapshot.
 */
export function closeInterrupted(ctx: StoreContext, stack: StackRow): void {
  const row = ctx.db.prepare('SELECT status FROM history WHERE stack_id = ? AND serial = ?').get(stack.id, stack.serial) as { status: RunStatus } | undefined;
  if (row?.status === 'running') finishHistory(ctx, stack, 'interrupted', 'the process running this command stopped before it finished');
}

export function listHistory(ctx: StoreContext, stackId: number): HistoryEntry[] {
  const rows = ctx.db
    .prepare(
      'SELECT serial, command, summary, status, started_at, finished_at, error, snapshot IS NOT NULL AS has_snapshot FROM history WHERE stack_id = ? ORDER BY serial',
    )
    .all(stackId) as HistoryRow[];
  return rows.map((r) => ({
    serial: r.serial,
    command: r.command,
    summary: lenient(r.summary),
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    hasSnapshot: r.has_snapshot === 1,
  }));
}

export function readSnapshot(ctx: StoreContext, stack: StackRow, serial: number): StateSnapshot | undefined {
  const row = ctx.db.prepare('SELECT snapshot, snapshot_sealed FROM history WHERE stack_id = ? AND serial = ?').get(stack.id, serial) as
    | { snapshot: string | null; snapshot_sealed: Buffer | null }
    | undefined;
  if (!row?.snapshot) return undefined;
  return openSnapshot(ctx.key, stack.name, serial, row.snapshot, row.snapshot_sealed);
}

/** History is how one finds a way out of a damaged state: a summary that does not parse is shown as its text. */
function lenient(text: string): Value {
  try {
    return decodeValue(text);
  } catch {
    return `(damaged) ${text}`;
  }
}
