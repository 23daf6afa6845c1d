import { error as diagnosticError, type Diagnostic } from '../core/diagnostics.js';

/**
 * A problem with the state a user can cause or fix (wrong key, stale plan, held lock, a state
 * file from a newer dbstack). The CLI prints `message` (or `diagnostic()`) without a stack
 * trace. Anything thrown that is not a StateError is a bug in the caller or in dbstack.
 */
export class StateError extends Error {
  override name = 'StateError';
  constructor(
    /** Stable machine-readable kind, e.g. `not-found`, `exists`, `invalid-address`. */
    readonly code: string,
    readonly summary: string,
    readonly detail?: string,
    readonly address?: string,
  ) {
    super(detail ? `${summary}; ${detail}` : summary);
  }

  diagnostic(): Diagnostic {
    return diagnosticError(this.summary, undefined, this.detail, this.address);
  }
}

export type StateFileProblem = 'not-sqlite' | 'not-dbstack' | 'newer-version' | 'corrupt' | 'unreadable' | 'busy' | 'missing' | 'read-only';

/** The file at `path` cannot be used as a dbstack state. */
export class StateFileError extends StateError {
  override name = 'StateFileError';
  constructor(
    readonly path: string,
    readonly problem: StateFileProblem,
    summary: string,
    detail?: string,
  ) {
    super(problem, summary, detail);
  }
}

export type StateKeyProblem = 'format' | 'wrong-key' | 'missing' | 'permissions' | 'tampered';

/** The encryption key is malformed, missing, unsafe, or not the one the state was written with. */
export class StateKeyError extends StateError {
  override name = 'StateKeyError';
  constructor(
    readonly problem: StateKeyProblem,
    summary: string,
    detail?: string,
    address?: string,
  ) {
    super(problem, summary, detail, address);
  }
}

export interface StateVersion {
  lineage: string | undefined;
  serial: number | undefined;
}

/** The state moved on since the plan was made (another apply, or a different state altogether). */
export class StaleStateError extends StateError {
  override name = 'StaleStateError';
  constructor(
    readonly stackName: string,
    readonly expected: { lineage: string; serial: number },
    readonly actual: StateVersion,
  ) {
    super('stale', staleSummary(stackName, expected, actual), 'run `dbstack plan` again against the current state');
  }
}

function staleSummary(stack: string, expected: { lineage: string; serial: number }, actual: StateVersion): string {
  const head = `the state of stack "${stack}" changed since the plan was made`;
  if (actual.lineage === undefined) return `${head}: the plan was made against serial ${expected.serial}, but the stack no longer exists`;
  if (actual.lineage !== expected.lineage) {
    return `${head}: the plan was made against lineage ${expected.lineage}, the state has lineage ${actual.lineage} (a different state)`;
  }
  return `${head}: the plan was made against serial ${expected.serial}, the state is now at serial ${actual.serial}`;
}

/** Who holds a stack's lock. */
export interface LockHolder {
  id: string;
  stack: string;
  command: string;
  user: string;
  host: string;
  pid: number;
  /** ISO time the lock was taken. */
  since: string;
  /** ISO time of the last refresh; the lock expires `ttlMs` after it. */
  refreshedAt: string;
  ttlMs: number;
}

/** The stack's lock is held by a live holder. */
export class StateLockHeldError extends StateError {
  override name = 'StateLockHeldError';
  constructor(readonly holder: LockHolder) {
    super(
      'locked',
      `state of stack "${holder.stack}" locked by ${holder.user}@${holder.host} pid ${holder.pid} running \`${holder.command}\` since ${holder.since}`,
      `if that process is gone, run \`dbstack force-unlock ${holder.id}\``,
    );
  }
}

/** A lock this process held was released, forced open or taken over by someone else. */
export class LockLostError extends StateError {
  override name = 'LockLostError';
  constructor(
    readonly stackName: string,
    readonly lockId: string,
    readonly holder?: LockHolder,
  ) {
    super(
      'lock-lost',
      `the lock ${lockId} on stack "${stackName}" is no longer held by this process` +
        (holder ? ` (now held by ${holder.user}@${holder.host} pid ${holder.pid} running \`${holder.command}\`)` : ''),
      'it expired or was force-unlocked; stop and re-run the command',
    );
  }
}
