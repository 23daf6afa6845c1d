/**
 * `deletion_protection = true`: a plan that would destroy or replace the resource is refused,
 * whatever the reason (removed from the stack, `--destroy`, a change that forces replacement,
 * `--replace`, a tainted object). Protection holds while either the recorded inputs or the
 * configuration say true, so turning it off takes an apply of its own first.
 */
import { isObject, type Value } from '../../core/value.js';
import { error, type Diagnostic } from '../../core/diagnostics.js';
import { locate } from '../resolve/locate.js';
import type { ResourceConfig } from '../resolve/stack-config.js';
import type { PriorResource, ResourceChange } from './types.js';

const protectedBy = (v: Value | undefined) => isObject(v ?? null) && (v as Record<string, Value>).deletion_protection === true;

export function checkDeletionProtection(
  changes: ResourceChange[],
  prior: ReadonlyMap<string, PriorResource>,
  declared: (address: string) => ResourceConfig | undefined,
): Diagnostic[] {
  const diags: Diagnostic[] = [];
  for (const c of changes) {
    if (c.mode !== 'managed' || !c.actions.includes('delete')) continue;
    const recorded = prior.get(c.address);
    if (!protectedBy(recorded?.inputs) && !protectedBy(c.config)) continue;
    const decl = declared(c.address);
    const replace = c.actions.includes('create');
    const inConfig = decl?.instances.find((i) => i.address === c.address);
    const range = decl && inConfig ? locate(decl.body, ['deletion_protection'], 'key') : decl?.range;
    const why = c.actionReason === 'replace_because_cannot_update' && c.replacePaths.length
      ? ` (the change to ${c.replacePaths.map((p) => p.join('.')).join(', ')} forces replacement)`
      : c.actionReason === 'replace_because_tainted' ? ' (it is tainted)'
      : c.actionReason === 'replace_by_request' ? ' (--replace)'
      : '';
    const how = inConfig
      ? `To ${replace ? 'replace' : 'destroy'} it, set deletion_protection = false and apply that change on its own first; then plan again.`
      : `To destroy it, put it back in the stack with deletion_protection = false and apply that first; then remove it.`;
    diags.push(error(`${c.address} has deletion_protection = true, but the plan would ${replace ? 'replace' : 'destroy'} it${why}`, range, how, c.address));
  }
  return diags;
}
