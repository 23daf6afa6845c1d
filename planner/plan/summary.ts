import type { Plan, PlanSummary, ResourceChange } from './types.js';

export function isReplace(c: ResourceChange): boolean {
  return c.actions.length === 2;
}

export function summarize(plan: Plan): PlanSummary {
  const s: PlanSummary = { add: 0, change: 0, replace: 0, destroy: 0, forget: 0 };
  for (const c of plan.resourceChanges) {
    if (c.mode === 'data') continue;
    if (isReplace(c)) s.replace++;
    else if (c.actions[0] === 'create') s.add++;
    else if (c.actions[0] === 'update') s.change++;
    else if (c.actions[0] === 'delete') s.destroy++;
    else if (c.actions[0] === 'forget') s.forget++;
  }
  return s;
}

export function hasChanges(plan: Plan): boolean {
  const s = summarize(plan);
  return s.add + s.change + s.replace + s.destroy + s.forget > 0 || plan.outputChanges.some((o) => o.actions[0] !== 'no-op');
}

export function summaryLine(plan: Plan): string {
  const s = summarize(plan);
  const forget = s.forget ? `, ${s.forget} to forget` : '';
  return `Plan: ${s.add} to add, ${s.change} to change, ${s.replace} to replace, ${s.destroy} to destroy${forget}.`;
}

/** "will be created", "must be replaced", … in Terraform's words. */
export function describeAction(c: ResourceChange): string {
  if (isReplace(c)) {
    const why = c.actionReason === 'replace_because_tainted' ? ' (it is tainted)' : c.actionReason === 'replace_by_request' ? ' (as requested with -replace)' : '';
    return `must be replaced${c.actions[0] === 'create' ? ' (create before destroy)' : ''}${why}`;
  }
  switch (c.actions[0]) {
    case 'create':
      return 'will be created';
    case 'update':
      return 'will be updated in-place';
    case 'delete':
      return c.actionReason === 'delete_because_count_index'
        ? 'will be destroyed (its index is out of range for count)'
        : c.actionReason === 'delete_because_each_key'
          ? 'will be destroyed (its key is not in for_each)'
          : c.actionReason === 'delete_because_no_resource_config'
            ? 'will be destroyed (it is no longer in the configuration)'
            : 'will be destroyed';
    case 'forget':
      return 'will be removed from the state but kept in the cloud (deletion_policy: Retain)';
    case 'read':
      return 'will be read during apply';
    default:
      return 'is unchanged';
  }
}

/** One sentence per change that destroys data, for the warning block. */
export function dataLossWarnings(plan: Plan): string[] {
  return plan.resourceChanges
    .filter((c) => c.destroysData)
    .map((c) =>
      isReplace(c)
        ? `${c.address} will be replaced${c.replacePaths.length ? ` (the change to ${c.replacePaths.map((p) => p.join('.')).join(', ')} cannot be made in place)` : ''}: the data it holds is destroyed with the old one.`
        : `${c.address} will be destroyed, and the data it holds with it.`,
    );
}
