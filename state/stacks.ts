import { randomUUID } from 'node:crypto';
import { nowIso, type StoreContext } from './context.js';
import { StateError } from './errors.js';
import type { StackInfo } from './types.js';

export interface StackRow extends StackInfo {
  id: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function validateStackName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.length > 200 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new StateError('invalid-stack', `invalid stack name ${JSON.stringify(name)}`, 'a stack name is 1–200 printable characters');
  }
  return name;
}

export function validateLineage(lineage: unknown): string {
  if (typeof lineage !== 'string' || !UUID.test(lineage)) throw new Error(`invalid lineage ${JSON.stringify(lineage)}: expected a lower-case UUID`);
  return lineage;
}

export function getStack(ctx: StoreContext, name: string): StackRow | undefined {
  return ctx.db.prepare('SELECT id, name, lineage, serial FROM stacks WHERE name = ?').get(validateStackName(name)) as StackRow | undefined;
}

export function requireStack(ctx: StoreContext, name: string): StackRow {
  const row = getStack(ctx, name);
  if (!row) throw new StateError('no-stack', `there is no stack "${name}" in the state at ${ctx.path}`);
  return row;
}

export function createStack(ctx: StoreContext, name: string, lineage: string = randomUUID()): StackRow {
  const now = nowIso();
  const info = ctx.db
    .prepare('INSERT INTO stacks (name, lineage, serial, created_at, updated_at) VALUES (?, ?, 0, ?, ?)')
    .run(validateStackName(name), validateLineage(lineage), now, now);
  return { id: Number(info.lastInsertRowid), name, lineage, serial: 0 };
}

/** Sets the stack's serial to the next one and returns it. */
export function bumpSerial(ctx: StoreContext, stack: StackRow): number {
  const serial = stack.serial + 1;
  ctx.db.prepare('UPDATE stacks SET serial = ?, updated_at = ? WHERE id = ? AND serial = ?').run(serial, nowIso(), stack.id, stack.serial);
  return serial;
}

export function listStacks(ctx: StoreContext): StackInfo[] {
  return ctx.db.prepare('SELECT name, lineage, serial FROM stacks ORDER BY name').all() as StackInfo[];
}

export const info = (row: StackRow): StackInfo => ({ name: row.name, lineage: row.lineage, serial: row.serial });
