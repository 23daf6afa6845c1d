/**
 * What `plan` and `apply` do before showing a plan: refresh the recorded objects (cloud and
 * guest), read the data sources, plan, and let the provider check the plan. The plan's
 * diagnostics hold every problem found; none of this changes anything in the cloud.
 */
import { checkPlan } from '../applier/check.js';
import { readDataSources } from '../applier/data.js';
import { refreshPrior } from '../applier/refresh.js';
import { hasErrors } from '../core/diagnostics.js';
import type { StackDocument } from '../planner/model/document.js';
import { makePlan, type PlanOptions } from '../planner/plan/make-plan.js';
import type { Plan, PriorState } from '../planner/plan/types.js';
import type { Provider } from '../providers/provider.js';
import { capabilitiesOf } from '../providers/capabilities.js';
import { renderDrift } from './drift.js';
import type { Reporter } from './output/reporter.js';

export async function planWithCloud(doc: StackDocument, prior: PriorState | undefined, provider: Provider, options: PlanOptions & { refresh: boolean }, reporter: Reporter): Promise<Plan> {
  const { refresh, ...planOptions } = options;
  if (prior?.resources.length && refresh) prior = await refreshForPlan(prior, provider, options.stack, reporter);
  const data = options.destroy ? undefined : await readDataSources(doc, prior, provider, planOptions);
  const capabilities = capabilitiesOf(provider.name);
  const { plan } = makePlan(doc, prior, { ...planOptions, ...(data ? { dataValues: data.values } : {}), ...(capabilities ? { capabilities } : {}) });
  // A data source the plan already refused (located, e.g. one the provider lacks) is not reported twice.
  const refused = new Set(plan.diagnostics.filter((d) => d.severity === 'error' && d.address).map((d) => d.address));
  if (data?.diagnostics.length) plan.diagnostics.push(...data.diagnostics.filter((d) => !d.address || !refused.has(d.address)));
  if (!hasErrors(plan.diagnostics)) plan.diagnostics.push(...(await checkPlan(plan, provider)));
  return plan;
}

/** Refreshes before a plan; objects that cannot be read are planned with their recorded state (one warning per cause). */
async function refreshForPlan(prior: PriorState, provider: Provider, stack: string, reporter: Reporter): Promise<PriorState> {
  const r = await refreshPrior(prior, provider, { stack });
  const byCause = new Map<string, string[]>();
  for (const e of r.errors) byCause.set(e.message, [...(byCause.get(e.message) ?? []), e.address]);
  for (const [message, addresses] of byCause) {
    reporter.diagnostics([{ severity: 'warning', summary: `could not refresh ${addresses.join(', ')}; planning with the recorded state`, detail: message }]);
  }
  if (r.drift.length) reporter.out(renderDrift(r.drift, reporter.style));
  return r.prior;
}
