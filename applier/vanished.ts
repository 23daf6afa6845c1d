/**
 * Resources the state records but the plan's refreshed prior no longer holds: the refresh found
 * their objects already gone (deleted outside, or by a run killed after the delete). Nothing is
 * left to delete, so an apply or destroy removes them from the state instead of leaving them
 * recorded behind a "complete".
 */
import type { Plan } from '../planner/plan/types.js';
import type { StateStore } from '../state/index.js';

export function vanishedResources(store: StateStore, plan: Plan): string[] {
  if (!plan.prior) return [];
  const known = new Set(plan.prior.resources.map((r) => r.address));
  return (store.readState(plan.stack)?.resources ?? []).map((r) => r.address).filter((a) => !known.has(a));
}

/** The managed resources a destroy left in the state (none when it did its job). */
export function remainingAfterDestroy(store: StateStore, stack: string): string[] {
  return (store.readState(stack)?.resources ?? []).filter((r) => r.mode === 'managed').map((r) => r.address);
}
