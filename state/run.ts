import type { Value } from '../core/value.js';
import { parseAddress } from './address.js';
import { writeTx, type StoreContext } from './context.js';
import { StaleStateError } from './errors.js';
import { closeInterrupted, finishHistory, insertHistory } from './history.js';
import { assertMayWrite, type Lock } from './lock.js';
import { deleteResourceRow, encodeOutput, encodeResource, replaceOutputs, upsertResource } from './rows.js';
import { bumpSerial, createStack, getStack, validateLineage, type StackRow } from './stacks.js';
import type { OutputState, ResourceWrite } from './types.js';

export interface BeginRunOptions {
  /** Recorded in history (`apply`, `destroy`). */
  command: string;
  /** The lineage and serial the plan was made against (serial 0 and a fresh lineage: no state). */
  lineage: string;
  expectedSerial: number;
  /** The plan summary, stored in clear in history: no secrets. */
  summary?: Value;
  /** The caller's lock on the stack; every write of the run then checks it is still held. */
  lock?: Lock;
}

/**
 * Checks the state is still what the plan was made against and starts a run: serial + 1, a
 * `running` history row. Creates the stack (with the plan's lineage) when the plan was made
 * against no state.
 */
export function beginRun(ctx: StoreContext, stack: string, o: BeginRunOptions): Run {
  if (typeof o.command !== 'string' || o.command === '') throw new Error('beginRun needs the command being run');
  validateLineage(o.lineage);
  if (!Number.isInteger(o.expectedSerial) || o.expectedSerial < 0) throw new Error(`invalid expected serial ${o.expectedSerial}`);
  if (o.lock && o.lock.stack !== stack) throw new Error(`the lock passed to beginRun is for stack "${o.lock.stack}", not "${stack}"`);
  const expected = { lineage: o.lineage, serial: o.expectedSerial };
  return writeTx(ctx, () => {
    assertMayWrite(ctx, stack, o.lock?.id);
    let row = getStack(ctx, stack);
    if (!row) {
      if (o.expectedSerial !== 0) throw new StaleStateError(stack, expected, { lineage: undefined, serial: undefined });
      row = createStack(ctx, stack, o.lineage);
    } else if (row.lineage !== o.lineage || row.serial !== o.expectedSerial) {
      throw new StaleStateError(stack, expected, { lineage: row.lineage, serial: row.serial });
    }
    closeInterrupted(ctx, row);
    const serial = bumpSerial(ctx, row);
    insertHistory(ctx, row.id, serial, o.command, o.summary ?? null);
    return new Run(ctx, { ...row, serial }, o.lock?.id);
  });
}

/**
 * One apply at one serial. Each write is its own short transaction, so every finished
 * resource is durable at once; each checks the run is still the stack's latest (and, when
 * started with a lock, that the lock is still held).
 */
export class Run {
  #finished = false;
  constructor(
    private readonly ctx: StoreContext,
    private readonly row: StackRow,
    private readonly lockId?: string,
  ) {}

  get stack(): string {
    return this.row.name;
  }
  get lineage(): string {
    return this.row.lineage;
  }
  /** The serial this run writes (the stack's serial while it runs). */
  get serial(): number {
    return this.row.serial;
  }
  get finished(): boolean {
    return this.#finished;
  }

  /** Records a resource as it now is (insert or replace). */
  commitResource(resource: ResourceWrite): void {
    const encoded = encodeResource(this.ctx.key, this.stack, resource);
    this.#write(() => upsertResource(this.ctx, this.row.id, encoded, this.serial));
  }

  /** Forgets a destroyed resource; false if it was not in the state. */
  deleteResource(address: string): boolean {
    parseAddress(address);
    return this.#write(() => deleteResourceRow(this.ctx, this.row.id, address));
  }

  /** Replaces all of the stack's outputs. */
  setOutputs(outputs: readonly OutputState[]): void {
    const names = new Set<string>();
    for (const o of outputs) {
      if (names.has(o.name)) throw new Error(`output "${o.name}" is given twice`);
      names.add(o.name);
    }
    const encoded = outputs.map((o) => encodeOutput(this.ctx.key, this.stack, o));
    this.#write(() => replaceOutputs(this.ctx, this.row.id, encoded, this.serial));
  }

  /** Ends the run, storing a sealed snapshot of the stack at this serial in history. */
  finish(status: 'applied' | 'failed', error?: string): void {
    if (status !== 'applied' && status !== 'failed') throw new Error(`invalid run status ${String(status)}`);
    this.#write(() => finishHistory(this.ctx, this.row, status, error));
    this.#finished = true;
  }

  #write<T>(fn: () => T): T {
    if (this.#finished) throw new Error(`the run at serial ${this.serial} of stack "${this.stack}" has finished`);
    return writeTx(this.ctx, () => {
      const now = getStack(this.ctx, this.stack);
      if (!now || now.id !== this.row.id || now.serial !== this.serial) {
        throw new StaleStateError(this.stack, { lineage: this.lineage, serial: this.serial }, { lineage: now?.lineage, serial: now?.serial });
      }
      assertMayWrite(this.ctx, this.stack, this.lockId);
      return fn();
    });
  }
}
