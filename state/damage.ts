import type { StoreContext } from './context.js';
import { StateError, StateFileError } from './errors.js';
import { restoreHint } from './files.js';
import { openSnapshot } from './snapshot.js';
import type { StackRow } from './stacks.js';

/**
 * A row of the state that cannot be read back as it was written: JSON that does not parse,
 * sealed values that do not decrypt, a sensitive value whose sealed copy is gone. Thrown
 * by the decoders; explainDamage adds the ways out (which need the rest of the state).
 */
export class DamagedRowError extends StateError {
  override name = 'DamagedRowError';
  constructor(
    /** What is damaged, e.g. `resource db.main of stack "s"`. */
    readonly what: string,
    readonly why: string,
    address?: string,
  ) {
    super('corrupt', `${what} in the state is damaged: ${why}`, 'the state file was modified outside dbstack; restore it from a backup', address);
  }
}

/** A check of a decoded row that failed; its message is the whole reason. */
export class RowProblem extends Error {}

/** Runs a decoder; anything it throws becomes a DamagedRowError naming `what`. */
export function decoding<T>(what: string, address: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DamagedRowError) throw e;
    if (e instanceof RowProblem) throw new DamagedRowError(what, e.message, address);
    if (e instanceof StateError && e.code === 'tampered') {
      throw new DamagedRowError(what, 'its sealed values do not decrypt (changed outside dbstack, or copied from another row)', address);
    }
    throw new DamagedRowError(what, `its stored data does not read back (${(e as Error).message.slice(0, 120)})`, address);
  }
}

/**
 * Runs `fn`; a DamagedRowError it throws comes back as a StateFileError that names the
 * damaged row and every way out that exists: forget the resource, roll back to the newest
 * serial whose snapshot reads whole, or put back the last-good copy.
 */
export function explainDamage<T>(ctx: StoreContext, stack: StackRow, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof DamagedRowError)) throw e;
    const ways: string[] = [];
    if (e.address) ways.push(`forget it with \`dbstack state rm ${e.address}${stackFlag(stack)}\` (its cloud object stays; a later apply creates a new one)`);
    const serial = newestReadableSnapshot(ctx, stack);
    if (serial !== undefined) ways.push(`roll back to serial ${serial}, the newest recorded state that reads whole, with \`dbstack state rollback ${serial}${stackFlag(stack)}\``);
    const restore = restoreHint(ctx.path);
    if (restore) ways.push(`put back the last-good copy with ${restore}`);
    if (!ways.length) ways.push(`restore ${ctx.path} from your backup`);
    throw new StateFileError(ctx.path, 'corrupt', `the state at ${ctx.path} is damaged: ${e.summary}`, ways.join('; or '));
  }
}

function stackFlag(stack: StackRow): string {
  return /^[A-Za-z0-9_.-]+$/.test(stack.name) ? ` --stack ${stack.name}` : ` --stack '${stack.name.replace(/'/g, "'\\''")}'`;
}

function newestReadableSnapshot(ctx: StoreContext, stack: StackRow): number | undefined {
  try {
    const rows = ctx.db
      .prepare('SELECT serial, snapshot, snapshot_sealed FROM history WHERE stack_id = ? AND snapshot IS NOT NULL ORDER BY serial DESC LIMIT 50')
      .all(stack.id) as { serial: number; snapshot: string; snapshot_sealed: Buffer | null }[];
    for (const r of rows) {
      try {
        openSnapshot(ctx.key, stack.name, r.serial, r.snapshot, r.snapshot_sealed);
        return r.serial;
      } catch {
        /* damaged too: try an older one */
      }
    }
  } catch {
    /* the history itself does not read */
  }
  return undefined;
}
