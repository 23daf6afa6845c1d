import type { Value } from '../core/value.js';
import { parseAddress } from './address.js';
import { nowIso, readTx, writeTx, type StoreContext } from './context.js';
import { getStack, requireStack } from './stacks.js';
import { decoding } from './damage.js';
import type { JournalEntry, JournalOutcome } from './types.js';
import { decodeValue, encodeValue } from './values.js';

export interface JournalBeginOptions {
  address: string;
  /** `create`, `update`, `delete`, `read`, … */
  action: string;
  /** The serial of the run making the call. */
  runSerial: number;
  /** What is needed to find the cloud object again (its tags, name, request id). Stored in clear: no secrets. */
  detail?: Value;
}

const OUTCOMES: readonly JournalOutcome[] = ['succeeded', 'failed', 'adopted', 'abandoned'];

/** Records an operation about to be sent to a provider; returns its id. */
export function journalBegin(ctx: StoreContext, stack: string, o: JournalBeginOptions): number {
  parseAddress(o.address);
  if (typeof o.action !== 'string' || o.action === '') throw new Error('a journal entry needs an action');
  if (!Number.isInteger(o.runSerial) || o.runSerial < 1) throw new Error(`invalid run serial ${o.runSerial}`);
  const detail = encodeValue(o.detail ?? null, `journal detail of ${o.address}`);
  return writeTx(ctx, () => {
    const row = requireStack(ctx, stack);
    const info = ctx.db
      .prepare('INSERT INTO journal (stack_id, address, action, run_serial, detail, started_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(row.id, o.address, o.action, o.runSerial, detail, nowIso());
    return Number(info.lastInsertRowid);
  });
}

/** Closes an open entry with how it ended. */
export function journalEnd(ctx: StoreContext, id: number, outcome: JournalOutcome, note?: Value): void {
  if (!OUTCOMES.includes(outcome)) throw new Error(`invalid journal outcome ${String(outcome)}; expected one of ${OUTCOMES.join(', ')}`);
  const text = note === undefined ? null : encodeValue(note, 'journal note');
  writeTx(ctx, () => {
    const n = ctx.db.prepare('UPDATE journal SET ended_at = ?, outcome = ?, note = ? WHERE id = ? AND ended_at IS NULL').run(nowIso(), outcome, text, id).changes;
    if (n === 0) throw new Error(`journal entry ${id} does not exist or has already ended`);
  });
}

/** Entries begun and never ended (a crashed apply's operations in flight), oldest first. */
export function openJournal(ctx: StoreContext, stack: string): JournalEntry[] {
  return readTx(ctx, () => {
    const row = getStack(ctx, stack);
    if (!row) return [];
    const rows = ctx.db
      .prepare('SELECT id, address, action, run_serial, detail, started_at, ended_at, outcome, note FROM journal WHERE stack_id = ? AND ended_at IS NULL ORDER BY id')
      .all(row.id) as {
      id: number;
      address: string;
      action: string;
      run_serial: number;
      detail: string;
      started_at: string;
      ended_at: string | null;
      outcome: JournalOutcome | null;
      note: string | null;
    }[];
    return rows.map((r) => decoding(`journal entry ${r.id} (${r.action} of ${r.address}) of stack "${stack}"`, undefined, () => ({
      id: r.id,
      stack,
      address: r.address,
      action: r.action,
      runSerial: r.run_serial,
      detail: decodeValue(r.detail),
      startedAt: r.started_at,
      endedAt: r.ended_at,
      outcome: r.outcome,
      note: r.note === null ? null : decodeValue(r.note),
    })));
  });
}
