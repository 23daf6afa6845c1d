import { isObject, newObject, unknown, type Value, type ValueObject } from '../../core/value.js';
import { changedPaths, concretePaths, dedupe, getAt, matches, parsePath, setAt, underAny, type Pattern } from './paths.js';
import type { ActionReason, Path, PriorResource, ResourceChange } from './types.js';

/** What the planner needs to know about a resource type; read from its schema. */
export interface TypeMeta {
  attributes: string[];
  /** Set by the provider only. */
  computed: Set<string>;
  /** Optional for the user; the provider fills it when absent (e.g. `name`). */
  optionalComputed: Set<string>;
  /** Nested paths the provider fills when not configured (`datastore.version`). */
  nestedComputed: Pattern[];
  forceNew: Pattern[];
  sensitive: Pattern[];
  holdsData: boolean;
}

export interface DesiredInstance {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: number | string;
  config: Value;
  dependencies: string[];
  ignoreChanges: string[] | 'all';
  createBeforeDestroy: boolean;
  /** Attribute paths whose values come from sensitive variables or attributes. */
  sensitiveConfig: Path[];
}

/** Drops null attributes: "not set" and "set to null" are the same to a provider. */
export function cleanInputs(config: Value): ValueObject {
  const out = newObject();
  if (isObject(config)) for (const [k, v] of Object.entries(config)) if (v !== null) out[k] = v;
  return out;
}

/**
 * The change for one resource instance: create, no-op, in-place update, or replace — decided by
 * comparing its configuration with the inputs it was last applied with, and by the schema's
 * force-new markings. Returns the change and its planned value (what references see).
 */
export function diffInstance(d: DesiredInstance, prior: PriorResource | undefined, meta: TypeMeta, replaceRequested: boolean): { change: ResourceChange; planned: Value } {
  const config = cleanInputs(d.config);
  const base = {
    address: d.address,
    mode: d.mode,
    type: d.type,
    name: d.name,
    ...(d.key !== undefined ? { index: d.key } : {}),
    dependencies: d.dependencies,
    createBeforeDestroy: d.createBeforeDestroy,
  };
  const sensitiveAfter = (after: Value) => dedupe([...concretePaths(after, meta.sensitive), ...d.sensitiveConfig]);
  if (!prior) {
    const after = fresh(config, meta);
    return {
      change: { ...base, actions: ['create'], before: null, after, replacePaths: [], changedPaths: [], beforeSensitive: [], afterSensitive: sensitiveAfter(after), destroysData: false, config },
      planned: after,
    };
  }

  // Provider-filled values are kept for an update; a replacement starts from the configuration
  // alone, so the new object gets what the provider chooses then (and apply sees the same).
  const kept = keepComputed(config, prior.inputs, meta.nestedComputed);
  let changes = changedPaths(prior.inputs, kept);
  const ignored = d.ignoreChanges === 'all' ? [[]] : d.ignoreChanges.map(parsePath);
  const ignoredChanges = changes.filter((c) => underAny(c, ignored));
  changes = changes.filter((c) => !underAny(c, ignored));
  const withIgnored = (c: ValueObject): ValueObject => ignoredChanges.reduce((acc, p) => setAt(acc, p, getAt(prior.inputs, p) ?? null) as ValueObject, c);
  const desired = withIgnored(kept);
  const replacePaths = changes.filter((c) => meta.forceNew.some((f) => matches(c, f)));
  let reason: ActionReason | undefined;
  if (prior.status === 'tainted') reason = 'replace_because_tainted';
  else if (replaceRequested) reason = 'replace_by_request';
  else if (replacePaths.length) reason = 'replace_because_cannot_update';

  const before = prior.attributes;
  const beforeSensitive = concretePaths(before, meta.sensitive);
  if (reason) {
    const replacement = withIgnored(config);
    const after = fresh(replacement, meta);
    return {
      change: {
        ...base,
        actions: d.createBeforeDestroy ? ['create', 'delete'] : ['delete', 'create'],
        actionReason: reason,
        before,
        after,
        replacePaths,
        changedPaths: changedPaths(before, after),
        beforeSensitive,
        afterSensitive: sensitiveAfter(after),
        destroysData: meta.holdsData,
        config: replacement,
      },
      planned: after,
    };
  }
  if (changes.length === 0) {
    return {
      change: { ...base, actions: ['no-op'], before, after: before, replacePaths: [], changedPaths: [], beforeSensitive, afterSensitive: beforeSensitive, destroysData: false },
      planned: before,
    };
  }
  const after = updated(before, desired, meta);
  return {
    change: {
      ...base,
      actions: ['update'],
      before,
      after,
      replacePaths: [],
      changedPaths: changedPaths(before, after),
      beforeSensitive,
      afterSensitive: sensitiveAfter(after),
      destroysData: false,
      config: desired,
    },
    planned: after,
  };
}

/**
 * The configuration with the recorded value at each nested computed path it leaves out, so
 * that a value the provider chose (the engine version it runs) is not planned away.
 */
function keepComputed(config: ValueObject, inputs: ValueObject, patterns: Pattern[]): ValueObject {
  let out = config;
  for (const path of concretePaths(inputs, patterns)) {
    const configured = getAt(out, path);
    const parent = getAt(out, path.slice(0, -1));
    if ((configured === undefined || configured === null) && isObject(parent ?? null)) out = setAt(out, path, getAt(inputs, path)!) as ValueObject;
  }
  return out;
}

/** A new object's planned value: configured attributes, computed ones unknown, the rest null. */
function fresh(config: ValueObject, meta: TypeMeta): ValueObject {
  const out = newObject();
  for (const a of meta.attributes) {
    if (config[a] !== undefined) out[a] = config[a]!;
    else out[a] = meta.computed.has(a) || meta.optionalComputed.has(a) ? unknown : null;
  }
  return out;
}

/** An updated object: recorded attributes with the configured ones replaced. */
function updated(before: ValueObject, config: ValueObject, meta: TypeMeta): ValueObject {
  const out = newObject(Object.entries(before));
  for (const a of meta.attributes) {
    if (meta.computed.has(a)) continue;
    if (config[a] !== undefined) out[a] = config[a]!;
    else if (!meta.optionalComputed.has(a)) out[a] = null;
  }
  return out;
}

/** `policy`: the HOT deletion_policy from the configuration, when the resource is still in it. */
export function deleteChange(prior: PriorResource, meta: TypeMeta | undefined, reason: ActionReason | undefined, policy?: string): ResourceChange {
  const retain = (policy ?? prior.deletionPolicy) === 'Retain';
  return {
    address: prior.address,
    mode: prior.mode,
    type: prior.type,
    name: prior.name,
    ...(prior.key !== undefined ? { index: prior.key } : {}),
    actions: [retain ? 'forget' : 'delete'],
    ...(retain ? { actionReason: 'forget_because_retain_policy' as const } : reason ? { actionReason: reason } : {}),
    before: prior.attributes,
    after: null,
    replacePaths: [],
    changedPaths: [],
    beforeSensitive: meta ? concretePaths(prior.attributes, meta.sensitive) : [],
    afterSensitive: [],
    dependencies: prior.dependencies,
    destroysData: !retain && (meta?.holdsData ?? false),
  };
}
