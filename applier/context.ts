/** The one way the applier, refresh, recovery and plan checks hand a provider its context. */
import type { PriorResource } from '../planner/plan/types.js';
import type { Provider, ProviderContext } from '../providers/provider.js';
import { priorObject } from './record.js';

export interface ContextOptions {
  address: string;
  stack: string;
  lineage: string;
  signal: AbortSignal;
  progress?: (message: string) => void;
  /** The stack's resources as this run sees them now (for `lookup`). */
  resources: () => Iterable<PriorResource>;
}

export function providerContext(provider: Provider, o: ContextOptions): ProviderContext {
  return {
    address: o.address,
    stack: { name: o.stack, lineage: o.lineage },
    signal: o.signal,
    progress: o.progress ?? (() => {}),
    conductor: () => (provider.conductor ? provider.conductor() : Promise.reject(new Error(`provider ${provider.name} has no guest conductor`))),
    lookup: (id) => {
      for (const r of o.resources()) if (r.attributes.id === id) return priorObject(r);
      return undefined;
    },
  };
}
