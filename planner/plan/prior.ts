import { isObject, newObject, type Value, type ValueObject } from '../../core/value.js';
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
        inputs: asObject(r.inputs),
        attributes: asObject(r.attributes),
        dependencies: r.dependencies,
        status: r.status === 'tainted' ? 'tainted' : 'ready',
        ...(r.lifecycle?.deletionPolicy ? { deletionPolicy: r.lifecycle.deletionPolicy } : {}),
        ...(r.lifecycle?.preventDestroy ? { preventDestroy: true } : {}),
        ...(r.private !== undefined ? { private: r.private } : {}),
      }),
    ),
    outputs: s.outputs.map((o) => ({ name: o.name, value: o.value, sensitive: o.sensitive })),
  };
}
