import type { Value } from '../core/value.js';
import { parseAddress } from './address.js';
import { nowIso, writeTx, type StoreContext } from './context.js';
import { StateError } from './errors.js';
import { closeInterrupted, finishHistory, insertHistory, readSnapshot } from './history.js';
import { assertMayWrite, type Lock } from './lock.js';
import {
  decodeResource,
  deleteResourceRow,
  encodeOutput,
  encodeResource,
  insertRestoredResource,
  replaceOutputs,
  selectResource,
} from './rows.js';
import { bumpSerial, requireStack, type StackRow } from './stacks.js';

/** The back ends of `dbstack state rm|mv`, `rollback`, `taint|untaint`: each one run, one transaction. */
export interface CommandOptions {
  /** The caller's lock, if it holds one; otherwise the command is refused while someone else holds a live lock. */
  lock?: Lock;
  /** The command recorded in history; a default naming the operation otherwise. */
  command?: string;
}

/**
 * Runs `fn` as a whole run in one transaction: serial + 1, history row, the change, and the
 * snapshot. Either all of it is recorded or none. Returns the new serial.
 */
function stateCommand(ctx: StoreContext, stack: string, command: string, summary: Value, o: CommandOptions, fn: (row: StackRow) => void): number {
  if (o.lock && o.lock.stack !== stack) throw new Error(`the lock passed is for stack "${o.lock.stack}", not "${stack}"`);
  return writeTx(ctx, () => {
    assertMayWrite(ctx, stack, o.lock?.id);
    const before = requireStack(ctx, stack);
    closeInterrupted(ctx, before);
    const row = { ...before, serial: bumpSerial(ctx, before) };
    insertHistory(ctx, row.id, row.serial, o.command ?? command, summary);
    fn(row);
    finishHistory(ctx, row, 'applied');
    return row.serial;
  });
}

function notFound(stack: string, address: string): StateError {
  return new StateError('not-found', `there is no resource ${address} in the state of stack "${stack}"`, 'list them with `dbstack state list`', address);
}

export function removeResource(ctx: StoreContext, stack: string, address: string, o: CommandOptions = {}): number {
  parseAddress(address);
  return stateCommand(ctx, stack, `state rm ${address}`, { action: 'rm', address }, o, (row) => {
    if (!deleteResourceRow(ctx, row.id, address)) throw notFound(stack, address);
  });
}

/** Renames a resource in the state (re-sealing its secrets for the new address) and in its dependents' dependencies. */
export function moveResource(ctx: StoreContext, stack: string, from: string, to: string, o: CommandOptions = {}): number {
  const a = parseAddress(from);
  const b = parseAddress(to);
  if (a.mode !== b.mode || a.type !== b.type) {
    throw new StateError('type-mismatch', `cannot move ${from} to ${to}: the resource types differ`, 'a resource can only be renamed or re-indexed within its type');
  }
  return stateCommand(ctx, stack, `state mv ${from} ${to}`, { action: 'mv', from, to }, o, (row) => {
    const source = selectResource(ctx, row.id, from);
    if (!source) throw notFound(stack, from);
    if (from === to) return;
    if (selectResource(ctx, row.id, to)) {
      throw new StateError('exists', `cannot move ${from} to ${to}: ${to} is already in the state of stack "${stack}"`, `remove it first with \`dbstack state rm ${to}\``, to);
    }
    const r = decodeResource(ctx.key, stack, source);
    deleteResourceRow(ctx, row.id, from);
    insertRestoredResource(ctx, row.id, encodeResource(ctx.key, stack, { ...r, address: to }), row.serial, r.createdAt);
    const dependents = ctx.db.prepare('SELECT address, dependencies FROM resources WHERE stack_id = ?').all(row.id) as { address: string; dependencies: string }[];
    const update = ctx.db.prepare('UPDATE resources SET dependencies = ?, serial = ?, updated_at = ? WHERE stack_id = ? AND address = ?');
    for (const d of dependents) {
      const deps = JSON.parse(d.dependencies) as string[];
      if (deps.includes(from)) update.run(JSON.stringify(deps.map((x) => (x === from ? to : x))), row.serial, nowIso(), row.id, d.address);
    }
  });
}

/** Restores the snapshot recorded at `serial` as a new serial. */
export function rollback(ctx: StoreContext, stack: string, serial: number, o: CommandOptions = {}): number {
  if (!Number.isInteger(serial) || serial < 1) throw new StateError('no-snapshot', `invalid serial ${serial}`, 'see `dbstack state history` for the serials you can roll back to');
  return stateCommand(ctx, stack, `rollback to ${serial}`, { action: 'rollback', to: serial }, o, (row) => {
    const snap = readSnapshot(ctx, row, serial);
    if (!snap) {
      throw new StateError('no-snapshot', `there is no snapshot of serial ${serial} of stack "${stack}"`, 'see `dbstack state history` for the serials you can roll back to');
    }
    ctx.db.prepare('DELETE FROM resources WHERE stack_id = ?').run(row.id);
    for (const r of snap.resources) insertRestoredResource(ctx, row.id, encodeResource(ctx.key, stack, r), row.serial, r.createdAt);
    replaceOutputs(
      ctx,
      row.id,
      snap.outputs.map((x) => encodeOutput(ctx.key, stack, x)),
      row.serial,
    );
  });
}

export function taint(ctx: StoreContext, stack: string, address: string, o: CommandOptions = {}): number {
  return setStatus(ctx, stack, address, 'taint', o);
}

export function untaint(ctx: StoreContext, stack: string, address: string, o: CommandOptions = {}): number {
  return setStatus(ctx, stack, address, 'untaint', o);
}

function setStatus(ctx: StoreContext, stack: string, address: string, action: 'taint' | 'untaint', o: CommandOptions): number {
  parseAddress(address);
  return stateCommand(ctx, stack, `${action} ${address}`, { action, address }, o, (row) => {
    const current = ctx.db.prepare('SELECT status FROM resources WHERE stack_id = ? AND address = ?').get(row.id, address) as { status: string } | undefined;
    if (!current) throw notFound(stack, address);
    if (action === 'untaint' && current.status !== 'tainted') {
      throw new StateError('not-tainted', `${address} is not tainted (its status is ${current.status})`, undefined, address);
    }
    ctx.db
      .prepare('UPDATE resources SET status = ?, serial = ?, updated_at = ? WHERE stack_id = ? AND address = ?')
      .run(action === 'taint' ? 'tainted' : 'ready', row.serial, nowIso(), row.id, address);
  });
}
