/**
 * Runs the provider's plan-time checks over a plan's creates and updates, so a bad datastore
 * or a setting the engine refuses fails the plan — before anything is applied — and a change
 * that restarts a database is announced with it.
 */
import type { Diagnostic } from '../core/diagnostics.js';
import { isObject, type ValueObject } from '../core/value.js';
import type { Plan } from '../planner/plan/types.js';
import { ProviderError, type Provider } from '../providers/provider.js';
import { providerContext } from './context.js';
import { priorObject } from './record.js';

export async function checkPlan(plan: Plan, provider: Provider, signal: AbortSignal = new AbortController().signal): Promise<Diagnostic[]> {
  const prior = new Map((plan.prior?.resources ?? []).map((r) => [r.address, r]));
  const diags: Diagnostic[] = [];
  await Promise.all(plan.resourceChanges.map(async (c) => {
    if (c.mode !== 'managed' || !c.config || !isObject(c.config) || !c.actions.some((a) => a === 'create' || a === 'update')) return;
    const check = provider.resourceType(c.type)?.check;
    if (!check) return;
    const ctx = providerContext(provider, { address: c.address, stack: plan.stack, lineage: plan.lineage, signal, resources: () => prior.values() });
    const before = prior.get(c.address);
    let r;
    try {
      r = await check(ctx, c.config as ValueObject, c.actions.includes('delete') || !before ? undefined : priorObject(before));
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      return void diags.push({ severity: 'error', summary: `${c.address}: ${e.message}`, detail: 'The cloud could not be asked while checking the plan; nothing was changed.', address: c.address });
    }
    for (const e of r.errors) diags.push({ severity: 'error', summary: `${c.address}: ${e}`, address: c.address });
    for (const w of r.warnings) diags.push({ severity: 'warning', summary: `${c.address}: ${w}`, address: c.address });
  }));
  return diags.sort((a, b) => (a.address ?? '').localeCompare(b.address ?? ''));
}
