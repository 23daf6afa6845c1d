import { isObject, newObject, type Value, type ValueObject } from '../expr/value.js';
import type { StateSnapshot } from '../../state/index.js';
import type { PriorResource, PriorState } from './types.js';

const asObject = (v: Value): ValueObject => (isObject(v) ? v : newObject());

/** The planner's view of a recorded stack. */
export function priorFromSnapshot(s: StateSnapshot | undefined): PriorState | undefined {
  if (!s) return undefined;
  return {
    lineage: s.lineage,
    serial: s.serial,
    resources: s.resources.map(
      (r): PriorResource => ({
        address: r.address,
        mode: r.mode,
        type: r.type,
        name: r.name,
        ...(r.indexKey !== null ? { key: r.indexKey } : {}),
        inputs: withoutLifecycle(asObject(r.inputs)),
        attributes: asObject(r.attributes),
        dependencies: r.dependencies,
        status: r.status === 'tainted' ? 'tainted' : 'ready',
        ...lifecycleOf(r.inputs),
      }),
    ),
    outputs: s.outputs.map((o) => ({ name: o.name, value: o.value, sensitive: o.sensitive })),
  };
}

/**
 * Lifecycle settings recorded with the inputs (`__lifecycle`), so a resource removed from the
 * configuration keeps its HOT deletion_policy.
 */
function lifecycleOf(inputs: Value): Pick<PriorResource, 'deletionPolicy' | 'preventDestroy'> {
  const l = isObject(inputs) ? inputs['__lifecycle'] : undefined;
  if (!l || !isObject(l)) return {};
  const out: Pick<PriorResource, 'deletionPolicy' | 'preventDestroy'> = {};
  const policy = l.deletion_policy;
  if (typeof policy === 'string' && ['Retain', 'Snapshot', 'Delete'].includes(policy)) out.deletionPolicy = policy as 'Retain' | 'Snapshot' | 'Delete';
  if (l.prevent_destroy === true) out.preventDestroy = true;
  return out;
}

function withoutLifecycle(o: ValueObject): ValueObject {
  if (!('__lifecycle' in o)) return o;
  return newObject(Object.entries(o).filter(([k]) => k !== '__lifecycle'));
}
