/**
 * Reads the stack's data sources from the provider before planning, so a plan shows the real
 * network id or flavor, not `(known after apply)`. Data sources that depend on other data
 * sources are read in rounds; one whose configuration depends on a resource not yet created
 * stays `read during apply`, which this version refuses with a clear message.
 */
import { containsUnknown, isObject, type Value, type ValueObject } from '../core/value.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { StackDocument } from '../planner/model/document.js';
import { makePlan, type PlanOptions } from '../planner/plan/make-plan.js';
import type { PriorState } from '../planner/plan/types.js';
import { ProviderError, type Provider } from '../providers/provider.js';
import { providerContext } from './context.js';

export async function readDataSources(doc: StackDocument, prior: PriorState | undefined, provider: Provider, options: PlanOptions, signal = new AbortController().signal): Promise<{ values: Map<string, Value>; diagnostics: Diagnostic[] }> {
  const values = new Map<string, Value>();
  const diagnostics: Diagnostic[] = [];
  const failed = new Set<string>();
  for (let round = 0; round < 20; round++) {
    const { plan } = makePlan(doc, prior, { ...options, dataValues: values });
    const pending = plan.resourceChanges.filter((c) => c.mode === 'data' && c.actions[0] === 'read' && !failed.has(c.address));
    const ready = pending.filter((c) => c.config !== undefined && !containsUnknown(c.config));
    if (!ready.length) {
      for (const c of pending) {
        diagnostics.push({
          severity: 'error',
          summary: `${c.address} depends on values known only after apply`,
          detail: 'dbstack reads data sources while planning: look up only things that exist already, or use the resource\'s own attributes instead.',
          address: c.address,
        });
      }
      break;
    }
    await Promise.all(ready.map(async (c) => {
      const source = provider.dataSource?.(c.type);
      if (!source) {
        failed.add(c.address);
        diagnostics.push({ severity: 'error', summary: `the ${provider.name} provider has no data source ${c.type}`, address: c.address });
        return;
      }
      const ctx = providerContext(provider, { address: c.address, stack: options.stack, lineage: prior?.lineage ?? '', signal, resources: () => prior?.resources ?? [] });
      try {
        values.set(c.address, await source.read(ctx, isObject(c.config!) ? c.config : ({} as ValueObject)));
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        failed.add(c.address);
        diagnostics.push({ severity: 'error', summary: `${c.address}: ${e.message}`, address: c.address });
      }
    }));
  }
  return { values, diagnostics };
}
