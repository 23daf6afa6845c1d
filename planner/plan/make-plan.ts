import { randomUUID } from 'node:crypto';
import { isObject, newObject, unknown, type Value } from '../../core/value.js';
import { didYouMean, error, hasErrors, type Diagnostic } from '../../core/diagnostics.js';
import type { StackDocument } from '../model/document.js';
import { resolveStack, type InstanceContext, type ResolveOptions } from '../resolve/resolve.js';
import type { ResourceConfig, StackConfig } from '../resolve/stack-config.js';
import type { DependencyGraph } from '../graph/graph.js';
import { cleanInputs, deleteChange, diffInstance, type TypeMeta } from './diff.js';
import { deepEqual } from './paths.js';
import { sensitiveConfigPaths } from './sensitivity.js';
import { typeMeta } from './type-meta.js';
import type { ActionReason, OutputChange, Plan, PriorResource, PriorState, ResourceChange } from './types.js';
import type { ProviderCapabilities } from './capabilities.js';
import { checkSupport, createOnly, refusedChange } from './support-check.js';
import { checkDeletionProtection } from './deletion-protection.js';

export interface PlanOptions extends Omit<ResolveOptions, 'instanceValue' | 'requireVariables'> {
  stack: string;
  /** `-replace=ADDRESS` (repeatable). */
  replace?: string[];
  /** `-target=ADDRESS` (repeatable): only these and what they depend on. */
  target?: string[];
  destroy?: boolean;
  /** Data sources already read from the provider (address → attributes); the others are planned as `read`. */
  dataValues?: ReadonlyMap<string, Value>;
  /**
   * What the stack's provider implements: anything else is refused, and a change to an
   * attribute it uses only at create is a replacement (or refused). Absent: not checked.
   */
  capabilities?: ProviderCapabilities;
}

/**
 * Diffs the stack against the recorded state. The planner never calls a provider: every
 * action is computed from the configuration, the state and the resource schemas.
 */
export function makePlan(doc: StackDocument, prior: PriorState | undefined, options: PlanOptions): { plan: Plan; config: StackConfig } {
  const priorByAddress = new Map((prior?.resources ?? []).map((r) => [r.address, r]));
  const changes = new Map<string, ResourceChange>();
  const replace = new Set(options.replace ?? []);
  const metas = new Map<string, TypeMeta>();
  const metaOf = (mode: 'managed' | 'data', type: string) => {
    const k = `${mode}:${type}`;
    if (!metas.has(k)) metas.set(k, withCreateOnly(typeMeta(mode, type), options.capabilities, mode, type));
    return metas.get(k)!;
  };
  const instanceValue = (ctx: InstanceContext): Value => {
    const r = ctx.resource;
    const meta = metaOf(r.mode, r.type);
    if (r.mode === 'data') {
      const change = dataChange(ctx, meta, options.dataValues?.get(ctx.address), dependencyAddresses(r.address, ctx.graph));
      changes.set(ctx.address, change);
      return change.after;
    }
    const { change, planned } = diffInstance(
      {
        address: ctx.address,
        mode: r.mode,
        type: r.type,
        name: r.name,
        key: ctx.key,
        config: ctx.config,
        dependencies: dependencyAddresses(r.address, ctx.graph),
        ignoreChanges: r.lifecycle.ignoreChanges,
        createBeforeDestroy: r.lifecycle.createBeforeDestroy,
        sensitiveConfig: sensitiveConfigPaths(r.body, ctx.sensitiveVariables, metaOf),
      },
      priorByAddress.get(ctx.address),
      meta,
      replace.has(ctx.address),
    );
    changes.set(ctx.address, change);
    return planned;
  };
  const config = resolveStack(doc, { ...options, requireVariables: true, instanceValue });
  const diags: Diagnostic[] = [...config.diagnostics];

  const desired = new Set(changes.keys());
  const declared = new Map(config.resources.map((r) => [r.address, r]));
  for (const r of prior?.resources ?? []) {
    if (r.mode === 'data' || desired.has(r.address)) continue;
    changes.set(r.address, deleteChange(r, safeMeta(metaOf, r), orphanReason(r, declared)));
  }
  if (options.destroy) {
    changes.clear();
    for (const r of prior?.resources ?? []) {
      if (r.mode === 'managed') changes.set(r.address, deleteChange(r, safeMeta(metaOf, r), undefined, declared.get(baseAddress(r.address))?.deletionPolicy));
    }
  }
  if (options.replace?.length && !options.destroy && !hasErrors(diags)) {
    const managed = [...changes.values()].filter((c) => c.mode === 'managed').map((c) => c.address);
    for (const r of options.replace) if (!changes.has(r)) diags.push(noMatch('-replace', r, managed));
  }
  let list = orderChanges([...changes.values()], config);
  if (options.target?.length) list = targeted(list, options.target, diags);
  checkPreventDestroy(list, declared, diags);
  diags.push(...checkDeletionProtection(list, priorByAddress, (a) => declared.get(baseAddress(a))));
  if (options.capabilities) diags.push(...supportDiagnostics(options.capabilities, config, list, priorByAddress, declared));

  const plan: Plan = {
    formatVersion: '1.0',
    stack: options.stack,
    lineage: prior?.lineage ?? randomUUID(),
    serial: prior?.serial ?? 0,
    createdAt: new Date().toISOString(),
    mode: options.destroy ? 'destroy' : 'normal',
    resourceChanges: list,
    outputChanges: hasErrors(diags) ? [] : outputChanges(config, prior, options.destroy ?? false),
    prior,
    variables: Object.fromEntries(Object.entries(config.variables).map(([k, v]) => [k, { value: v, sensitive: config.sensitiveVariables.has(k) }])),
    diagnostics: diags,
  };
  return { plan, config };
}

/** The schema's force-new paths plus the attributes this provider can set only by replacing. */
function withCreateOnly(meta: TypeMeta, caps: ProviderCapabilities | undefined, mode: 'managed' | 'data', type: string): TypeMeta {
  if (mode !== 'managed') return meta;
  const extra = createOnly(caps, type, 'replace').map((x) => x.pattern);
  return extra.length ? { ...meta, forceNew: [...meta.forceNew, ...extra] } : meta;
}

/** The provider's refusals: unimplemented types and attributes, and in-place changes it cannot make. */
function supportDiagnostics(caps: ProviderCapabilities, config: StackConfig, list: ResourceChange[], prior: Map<string, PriorResource>, declared: Map<string, ResourceConfig>): Diagnostic[] {
  const diags = checkSupport(config, caps);
  for (const c of list) {
    const before = prior.get(c.address);
    const r = declared.get(baseAddress(c.address));
    if (c.actions[0] !== 'update' || !before || !r || !isObject(c.config ?? null)) continue;
    diags.push(...refusedChange(caps, r, c.address, before.inputs, c.config as Record<string, Value>));
  }
  return diags;
}

function safeMeta(metaOf: (m: 'managed' | 'data', t: string) => TypeMeta, r: PriorResource): TypeMeta | undefined {
  try {
    return metaOf(r.mode, r.type);
  } catch {
    return undefined;
  }
}

/** Resources this one depends on, directly or through locals, variables and conditions. */
function dependencyAddresses(address: string, graph: DependencyGraph): string[] {
  const out = new Set<string>();
  const stack = graph.dependencies(address).map((e) => e.to);
  while (stack.length) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    if (/^(var|local|condition)\./.test(id)) stack.push(...graph.dependencies(id).map((e) => e.to));
  }
  return [...out].filter((id) => !/^(var|local|condition|output)\./.test(id));
}


/** Why a recorded instance has no configuration: gone entirely, or its count/for_each shrank. */
function orphanReason(r: PriorResource, declared: Map<string, ResourceConfig>): ActionReason {
  const decl = declared.get(baseAddress(r.address));
  if (!decl) return 'delete_because_no_resource_config';
  if (typeof r.key === 'number') return decl.prepared.decl.count ? 'delete_because_count_index' : 'delete_because_wrong_repetition';
  if (typeof r.key === 'string') return decl.prepared.decl.forEach ? 'delete_because_each_key' : 'delete_because_wrong_repetition';
  return 'delete_because_wrong_repetition';
}

/** The address of the declaration an instance belongs to: `a.b[0]` → `a.b`. */
export function baseAddress(address: string): string {
  return address.endsWith(']') ? address.replace(/\[[^\]]*\]$/, '') : address;
}

/** Changes in dependency order (the applier reverses it for deletes); stable within a rank. */
function orderChanges(list: ResourceChange[], config: StackConfig): ResourceChange[] {
  const order = new Map(config.graph.topologicalOrder().map((id, i) => [id, i]));
  const rank = (c: ResourceChange) => order.get(baseAddress(c.address)) ?? Number.MAX_SAFE_INTEGER;
  return list.sort((a, b) => rank(a) - rank(b) || a.address.localeCompare(b.address));
}

/** `-replace`/`-target` naming nothing: an error, as in Terraform, with the nearest address. */
export function noMatch(flag: string, address: string, known: Iterable<string>): Diagnostic {
  const hint = didYouMean(address, known);
  return error(
    `${flag} ${address} matches no resource in the stack or the state`,
    undefined,
    hint ? `Did you mean ${hint}?` : 'Give a resource address such as database_instance.orders[0] (see `dbstack state list`).',
  );
}

/** `-target`: the targeted instances and everything they depend on. */
function targeted(list: ResourceChange[], targets: string[], diags: Diagnostic[]): ResourceChange[] {
  // An address names one instance, or (without an index) every instance of a declaration.
  const byName = new Map<string, ResourceChange[]>();
  for (const c of list) {
    for (const key of new Set([c.address, baseAddress(c.address)])) byName.set(key, [...(byName.get(key) ?? []), c]);
  }
  const keep = new Set<string>();
  const visit = (addr: string) => {
    for (const c of byName.get(addr) ?? []) {
      if (keep.has(c.address)) continue;
      keep.add(c.address);
      for (const d of c.dependencies) visit(d);
    }
  };
  for (const t of targets) {
    if (!byName.has(t)) diags.push(noMatch('-target', t, byName.keys()));
    visit(t);
  }
  return list.filter((c) => keep.has(c.address));
}

function checkPreventDestroy(list: ResourceChange[], declared: Map<string, ResourceConfig>, diags: Diagnostic[]): void {
  for (const c of list) {
    if (!c.actions.includes('delete')) continue;
    const r = declared.get(baseAddress(c.address));
    if (!r?.lifecycle.preventDestroy) continue;
    diags.push(
      error(
        `${c.address} has lifecycle.prevent_destroy set, but the plan would destroy it`,
        r.prepared.decl.lifecycle.preventDestroy?.range ?? r.range,
        `${c.actionReason ? `Reason: ${c.actionReason.replace(/_/g, ' ')}. ` : ''}To destroy it, remove prevent_destroy first; otherwise change the plan so it is not replaced${c.replacePaths.length ? ` (the change to ${c.replacePaths.map((p) => p.join('.')).join(', ')} forces replacement)` : ''}.`,
        c.address,
      ),
    );
  }
}

function outputChanges(config: StackConfig, prior: PriorState | undefined, destroy: boolean): OutputChange[] {
  const before = new Map((prior?.outputs ?? []).map((o) => [o.name, o]));
  const out: OutputChange[] = [];
  for (const o of destroy ? [] : config.outputs) {
    const b = before.get(o.name);
    before.delete(o.name);
    const actions: OutputChange['actions'] = !b ? ['create'] : deepEqual(b.value, o.value) ? ['no-op'] : ['update'];
    out.push({ name: o.name, actions, before: b?.value ?? null, after: o.value, sensitive: o.sensitive || (b?.sensitive ?? false) });
  }
  for (const b of before.values()) out.push({ name: b.name, actions: ['delete'], before: b.value, after: null, sensitive: b.sensitive });
  return out;
}

/** A data source: read at plan time (no-op, its value known) or, when it could not be, read during apply. */
function dataChange(ctx: InstanceContext, meta: TypeMeta, value: Value | undefined, dependencies: string[]): ResourceChange {
  const r = ctx.resource;
  const base = { address: ctx.address, mode: 'data' as const, type: r.type, name: r.name, ...(ctx.key !== undefined ? { index: ctx.key } : {}), dependencies, replacePaths: [], changedPaths: [], beforeSensitive: [], afterSensitive: [], destroysData: false };
  if (value !== undefined) return { ...base, actions: ['no-op'], before: value, after: value };
  const after = newObject();
  const config = isObject(ctx.config) ? ctx.config : newObject();
  for (const a of meta.attributes) after[a] = config[a] ?? (meta.computed.has(a) || meta.optionalComputed.has(a) ? unknown : null);
  return { ...base, actions: ['read'], before: null, after, config: cleanInputs(ctx.config) };
}
