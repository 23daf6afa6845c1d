import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadStackText } from '../../planner/load/index.js';
import { makePlan, type PlanOptions } from '../../planner/plan/make-plan.js';
import { priorFromSnapshot } from '../../planner/plan/prior.js';
import type { Value } from '../../core/value.js';
import { StateStore, type ResourceWrite } from '../../state/index.js';
import { writeTemp } from './tmp.js';

export const LINEAGE = '0b0c6a2e-6a51-4f4e-9d59-5d3a8f6f7c11';

export interface Recorded {
  address: string;
  inputs: Record<string, Value>;
  attributes: Record<string, Value>;
  status?: ResourceWrite['status'];
  sensitive?: ResourceWrite['sensitive'];
  dependencies?: string[];
}

/** A real state file in a temp dir, filled through the store API as an apply would. */
export function stateWith(resources: Recorded[], outputs: { name: string; value: Value; sensitive: boolean }[] = [], stack = 'test') {
  const { dir } = writeTemp({});
  const store = StateStore.open(join(dir, 'state.db'), { key: randomBytes(32) });
  if (resources.length || outputs.length) {
    const run = store.beginRun(stack, { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
    for (const r of resources) {
      const { status, ...rest } = r;
      run.commitResource({ provider: 'local', providerId: `id-${r.address}`, ...rest, status: status === 'tainted' ? 'ready' : 'ready' });
    }
    run.setOutputs(outputs);
    run.finish('applied');
    for (const r of resources) if (r.status === 'tainted') store.taint(stack, r.address);
  }
  return { store, dir, stack };
}

/** Plans `hcl` against the recorded state of `store`. */
export function planHcl(store: StateStore, stack: string, hcl: string, options: Partial<PlanOptions> = {}) {
  const { document, diagnostics } = loadStackText(hcl, 'main.hcl');
  if (diagnostics.some((d) => d.severity === 'error')) throw new Error(diagnostics.map((d) => d.summary).join('\n'));
  return makePlan(document, priorFromSnapshot(store.readState(stack)), { stack, ...options });
}
