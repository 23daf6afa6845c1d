/** Conversions between what a provider returns, what the state records and what the evaluator reads. */
import { isObject, newObject, type ValueObject } from '../core/value.js';
import { parseAddress, type ResourceLifecycle, type ResourceWrite, type SensitivePath } from '../state/index.js';
import * as catalog from '../schemas/catalog.js';
import { dedupe } from '../planner/plan/paths.js';
import type { PriorResource, ResourceChange } from '../planner/plan/types.js';
import type { PriorObject, ResourceObject } from '../providers/provider.js';

/**
 * The state record of a finished create/update. Sensitive paths: the schema's (`users.*.password`)
 * and those the plan found sensitive (values from sensitive variables), for inputs and attributes alike.
 */
export function toWrite(change: ResourceChange, inputs: ValueObject, result: ResourceObject, provider: string, status: 'ready' | 'tainted', lifecycle: ResourceLifecycle): ResourceWrite {
  const attributes = newObject(Object.entries(result.attributes));
  attributes.id = result.id;
  const sensitive: SensitivePath[] = dedupe<SensitivePath>([...catalog.sensitivePaths('managed', change.type), ...change.afterSensitive]);
  return {
    address: change.address,
    provider,
    providerId: result.id,
    inputs,
    attributes,
    dependencies: change.dependencies,
    status,
    sensitive: { inputs: sensitive, attributes: sensitive },
    lifecycle,
    ...(result.private ? { private: result.private } : {}),
  };
}

export function toPrior(w: ResourceWrite): PriorResource {
  const a = parseAddress(w.address);
  return {
    address: w.address,
    mode: a.mode,
    type: a.type,
    name: a.name,
    ...(a.indexKey !== null ? { key: a.indexKey } : {}),
    inputs: w.inputs as ValueObject,
    attributes: w.attributes as ValueObject,
    dependencies: [...(w.dependencies ?? [])],
    status: w.status === 'tainted' ? 'tainted' : 'ready',
    ...(w.lifecycle?.deletionPolicy ? { deletionPolicy: w.lifecycle.deletionPolicy } : {}),
    ...(w.private !== undefined ? { private: w.private } : {}),
  };
}

export function priorObject(r: PriorResource): PriorObject {
  const id = r.attributes.id;
  return { id: typeof id === 'string' ? id : '', inputs: r.inputs, attributes: r.attributes, ...(isObject(r.private ?? null) ? { private: r.private as ValueObject } : {}) };
}
