/**
 * What the applier reports while it works. The shape follows Terraform's machine-readable UI
 * (`apply_start`, `apply_progress`, `apply_complete`, `apply_errored`), so the `--json`
 * stream reads the way tools built for Terraform expect.
 */
import type { OperationKind } from './operations.js';

export type ApplyEvent =
  | { type: 'apply_start'; address: string; action: OperationKind; deposed?: boolean }
  | { type: 'apply_progress'; address: string; action: OperationKind; elapsedSeconds: number; message?: string }
  | { type: 'apply_complete'; address: string; action: OperationKind; elapsedSeconds: number; id?: string }
  | { type: 'apply_errored'; address: string; action: OperationKind; elapsedSeconds: number; error: string }
  | { type: 'apply_interrupted'; reason: 'interrupt' | 'failure'; running: string[] };

export type ApplyListener = (e: ApplyEvent) => void;

const VERBS: Record<OperationKind, [string, string, string]> = {
  create: ['Creating...', 'Still creating...', 'Creation complete'],
  update: ['Modifying...', 'Still modifying...', 'Modifications complete'],
  delete: ['Destroying...', 'Still destroying...', 'Destruction complete'],
  forget: ['Removing from state...', 'Still removing...', 'Removed from state'],
};

/** One line per event for a human, in Terraform's words. */
export function describeEvent(e: ApplyEvent): string {
  switch (e.type) {
    case 'apply_start':
      return `${e.address}: ${e.deposed ? 'Destroying the replaced object...' : VERBS[e.action][0]}`;
    case 'apply_progress':
      return e.message ? `${e.address}: ${e.message} [${e.elapsedSeconds}s elapsed]` : `${e.address}: ${VERBS[e.action][1]} [${e.elapsedSeconds}s elapsed]`;
    case 'apply_complete':
      return `${e.address}: ${VERBS[e.action][2]} after ${e.elapsedSeconds}s${e.id ? ` [id=${e.id}]` : ''}`;
    case 'apply_errored':
      return `${e.address}: ${e.action} failed after ${e.elapsedSeconds}s`;
    case 'apply_interrupted':
      return e.running.length
        ? `Stopping: waiting for ${e.running.length} running operation(s) to finish (${e.running.join(', ')})${e.reason === 'interrupt' ? '; press Ctrl-C again to abort them' : ''}`
        : 'Stopping: nothing is running';
  }
}
