/**
 * Reads every recorded object back from its provider — for the local and OpenStack clouds
 * that includes what the guest observes inside the engine — and returns the state as it
 * really is. Configurable attributes read back replace the recorded inputs, so the planner's
 * diff (configuration vs inputs) shows drift as the change that undoes it.
 */
import { newObject, type ValueObject } from '../core/value.js';
import { deepEqual } from '../planner/plan/paths.js';
import type { PriorResource, PriorState } from '../planner/plan/types.js';
import type { Provider } from '../providers/provider.js';
import { providerContext } from './context.js';
import { priorObject } from './record.js';

export interface Drift {
  address: string;
  /** `changed`: attributes differ; `deleted`: the object no longer exists. */
  kind: 'changed' | 'deleted';
  before: ValueObject;
  after: ValueObject | null;
}

export interface RefreshResult {
  prior: PriorState;
  drift: Drift[];
  /** Resources that could not be read, with why (the recorded values are kept for them). */
  errors: { address: string; message: string }[];
}

export async function refreshPrior(prior: PriorState, provider: Provider, o: { stack: string; signal?: AbortSignal; parallelism?: number }): Promise<RefreshResult> {
  const drift: Drift[] = [];
  const errors: RefreshResult['errors'] = [];
  const out = new Map(prior.resources.map((r) => [r.address, r]));
  const queue = prior.resources.filter((r) => r.mode === 'managed');
  const signal = o.signal ?? new AbortController().signal;
  const worker = async () => {
    for (let r = queue.shift(); r; r = queue.shift()) {
      const impl = provider.resourceType(r.type);
      if (!impl) continue;
      const ctx = providerContext(provider, { address: r.address, stack: o.stack, lineage: prior.lineage, signal, resources: () => prior.resources });
      try {
        const now = await impl.read(ctx, priorObject(r));
        if (!now) {
          out.delete(r.address);
          drift.push({ address: r.address, kind: 'deleted', before: r.attributes, after: null });
          continue;
        }
        const refreshed = { ...refreshedResource(r, now.attributes), ...(now.private ? { private: now.private } : {}) };
        // Drift is what changed in the object. Inputs may differ from attributes read back
        // without anything having changed (a provider-filled `datastore.version`).
        if (!deepEqual(r.attributes, refreshed.attributes)) {
          drift.push({ address: r.address, kind: 'changed', before: r.attributes, after: refreshed.attributes });
        }
        out.set(r.address, refreshed);
      } catch (e) {
        errors.push({ address: r.address, message: e instanceof Error ? e.message : String(e) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.parallelism ?? 10) }, worker));
  drift.sort((a, b) => a.address.localeCompare(b.address));
  return { prior: { ...prior, resources: prior.resources.filter((r) => out.has(r.address)).map((r) => out.get(r.address)!) }, drift, errors };
}

function refreshedResource(r: PriorResource, attributes: ValueObject): PriorResource {
  const inputs = newObject(Object.entries(r.inputs));
  for (const k of Object.keys(inputs)) if (k in attributes && attributes[k] !== undefined) inputs[k] = attributes[k]!;
  const merged = newObject(Object.entries(attributes));
  merged.id ??= r.attributes.id ?? null;
  return { ...r, inputs, attributes: merged };
}
