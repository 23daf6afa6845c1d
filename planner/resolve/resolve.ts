import { evaluate, type EvalContext } from '../expr/evaluate.js';
import { isUnknown, newObject, unknown, type Value, type ValueObject } from '../../core/value.js';
import { buildGraph, refTarget, type GraphOptions } from '../graph/build.js';
import type { DependencyGraph } from '../graph/graph.js';
import { error, hasErrors, type Diagnostic } from '../../core/diagnostics.js';
import type { StackDocument } from '../model/document.js';
import { validateResource } from '../../schemas/validate.js';
import { coerceToSchema } from './coerce.js';
import { locate } from './locate.js';
import { prepareResources, type PreparedResource } from './prepare.js';
import { attributeNames } from './schema-info.js';
import type { OutputConfig, ResourceConfig, ResourceInstance, StackConfig } from './stack-config.js';
import { resolveVariables, type VariableInput } from './variables.js';
import { expandInstances } from './expand.js';

export interface InstanceContext {
  resource: Omit<ResourceConfig, 'instances'>;
  graph: DependencyGraph;
  sensitiveVariables: Set<string>;
  address: string;
  key?: number | string;
  config: Value;
}

export interface ResolveOptions extends GraphOptions {
  variables?: Record<string, VariableInput>;
  /** `plan` needs a value for every variable; `validate` treats missing ones as unknown. */
  requireVariables?: boolean;
  stackName?: string;
  /**
   * Called for each resource instance in dependency order; returns what references to it see.
   * Default: its configuration with computed attributes unknown. The planner diffs here, so
   * a resource downstream of a replaced one sees `(known after apply)`.
   */
  instanceValue?: (instance: InstanceContext) => Value;
  baseDir?: string;
}

/**
 * Turns a loaded document into the evaluated stack: native types, decoded bodies, the
 * dependency graph, variables, locals, conditions, expanded and schema-checked resource
 * instances, and outputs. All user errors are returned as diagnostics.
 */
export function resolveStack(doc: StackDocument, options: ResolveOptions = {}): StackConfig {
  const diags: Diagnostic[] = [];
  const prepared = prepareResources(doc, diags);
  const graph = buildGraph(doc, prepared, diags, options);
  const vars = resolveVariables(doc, options.variables ?? {}, diags, options.requireVariables ?? false);

  const roots = new Map<string, Value>([
    ['var', newObject(Object.entries(vars.values))],
    ['local', newObject()],
    ['condition', newObject()],
    ['data', newObject()],
    ['stack', newObject([['name', options.stackName ?? 'default'], ['id', unknown], ['project_id', unknown]])],
    ['path', newObject([['module', options.baseDir ?? '.'], ['root', options.baseDir ?? '.'], ['cwd', process.cwd()]])],
    ['terraform', newObject([['workspace', 'default']])],
  ]);
  const ctx = (extra?: Map<string, Value>): EvalContext => ({
    root: (n) => extra?.get(n) ?? roots.get(n),
    rootNames: () => [...roots.keys(), ...(extra?.keys() ?? [])],
    baseDir: options.baseDir,
  });
  const evalIn = (expr: Parameters<typeof evaluate>[0], extra?: Map<string, Value>): Value => {
    const r = evaluate(expr, ctx(extra));
    diags.push(...r.diagnostics);
    return r.value;
  };

  const byAddress = new Map(prepared.map((p) => [p.address, p]));
  const locals = new Map(doc.locals.map((l) => [`local.${l.name}`, l]));
  const conditions = new Map(doc.conditions.map((c) => [`condition.${c.name}`, c]));
  const outputsByNode = new Map(doc.outputs.map((o) => [`output.${o.name}`, o]));
  const resources: ResourceConfig[] = [];
  const outputs: OutputConfig[] = [];
  const typeRoot = (type: string, data: boolean): ValueObject => {
    const holder = data ? (roots.get('data') as ValueObject) : undefined;
    const existing = data ? holder![type] : roots.get(type);
    if (existing) return existing as ValueObject;
    const fresh = newObject();
    if (data) holder![type] = fresh;
    else roots.set(type, fresh);
    return fresh;
  };
  // Every declared type is a root even before its resources are evaluated, so references
  // to a resource on a cycle report the cycle, not "unknown reference".
  for (const p of prepared) typeRoot(p.type, p.mode === 'data');
  // Undeclared resources were reported by the graph (or allowed in fragment mode): they
  // evaluate to unknown, so the evaluator does not report them a second time.
  for (const id of graph.missing) {
    const parts = id.split('.');
    if (parts[0] === 'data' && parts.length === 3) typeRoot(parts[1]!, true)[parts[2]!] = unknown;
    else if (parts.length === 2 && ['var', 'local', 'condition'].includes(parts[0]!)) (roots.get(parts[0]!) as ValueObject)[parts[1]!] = unknown;
    else if (parts.length === 2) typeRoot(parts[0]!, false)[parts[1]!] = unknown;
  }

  const resourceRoots = new Set(prepared.filter((p) => p.mode === 'managed').map((p) => p.type));
  for (const id of graph.topologicalOrder()) {
    const local = locals.get(id);
    if (local) {
      (roots.get('local') as ValueObject)[local.name] = evalIn(local.value);
      continue;
    }
    const cond = conditions.get(id);
    if (cond) {
      (roots.get('condition') as ValueObject)[cond.name] = evalIn(cond.expr);
      continue;
    }
    const out = outputsByNode.get(id);
    if (out) {
      const show = out.condition ? evalIn(out.condition) : true;
      if (show !== false) outputs.push({ name: out.name, value: evalIn(out.value), sensitive: out.sensitive, description: out.description, range: out.range });
      continue;
    }
    const p = byAddress.get(id);
    if (!p) continue;
    const holder = typeRoot(p.type, p.mode === 'data');
    if (!p.supported) {
      holder[p.name] = unknown;
      continue;
    }
    const config = resolveResource(p, evalIn, options, diags, resourceRoots, graph, vars.sensitive);
    holder[p.name] = config.referenceValue;
    resources.push(config.resource);
  }
  return {
    document: doc,
    graph,
    resources,
    outputs,
    variables: vars.values,
    sensitiveVariables: vars.sensitive,
    diagnostics: diags,
  };
}

function resolveResource(
  p: PreparedResource,
  evalIn: (e: Parameters<typeof evaluate>[0], extra?: Map<string, Value>) => Value,
  options: ResolveOptions,
  diags: Diagnostic[],
  resourceRoots: Set<string>,
  graph: DependencyGraph,
  sensitiveVariables: Set<string>,
): { resource: ResourceConfig; referenceValue: Value } {
  const decl = p.decl;
  const enabled = decl.condition ? evalIn(decl.condition) : true;
  if (decl.condition && typeof enabled !== 'boolean' && !isUnknown(enabled)) {
    diags.push(error(`the condition of ${p.address} must be true or false`, decl.condition.range, undefined, p.address));
  }
  const expansion = enabled === false ? { kind: 'single' as const, keys: [] } : expandInstances(p, evalIn, diags);
  const { all, computed } = attributeNames(p.mode, p.type);
  const lifecycle = {
    preventDestroy: boolMeta(decl.lifecycle.preventDestroy, 'prevent_destroy', evalIn, diags),
    createBeforeDestroy: boolMeta(decl.lifecycle.createBeforeDestroy, 'create_before_destroy', evalIn, diags),
    ignoreChanges: decl.lifecycle.ignoreChanges === 'all' ? ('all' as const) : (decl.lifecycle.ignoreChanges?.paths.map((x) => x.path) ?? []),
  };
  const dependsOn = decl.dependsOn.map((r) => refTarget(r, resourceRoots)).filter((x): x is string => x !== undefined);
  const resource: ResourceConfig = {
    prepared: p,
    mode: p.mode,
    type: p.type,
    name: p.name,
    address: p.address,
    body: p.body,
    instances: [],
    dependsOn,
    lifecycle,
    deletionPolicy: decl.deletionPolicy?.value ?? 'Delete',
    range: decl.range,
  };
  const instances = resource.instances;
  const refValues: [number | string | undefined, Value][] = [];
  for (const key of expansion.keys) {
    const extra = new Map<string, Value>();
    if (expansion.kind === 'count') extra.set('count', newObject([['index', key as number]]));
    if (expansion.kind === 'for_each') extra.set('each', newObject([['key', key as string], ['value', expansion.values!.get(key as string)!]]));
    const address = key === undefined ? p.address : `${p.address}[${typeof key === 'number' ? key : JSON.stringify(key)}]`;
    const before = diags.length;
    // Terraform-style conversion to the schema's types ("true" → true, "8" → 8).
    const config = coerceToSchema(p.mode, p.type, evalIn(p.body, extra));
    if (diags.length === before || !hasErrors(diags.slice(before))) {
      diags.push(...validateResource(p.mode, p.type, config, address, (path, kind) => locate(p.body, path, kind)));
    }
    instances.push({ address, key, config });
    const seen = options.instanceValue ? options.instanceValue({ resource, graph, sensitiveVariables, address, key, config }) : referenceValue(config, all, computed);
    refValues.push([key, seen]);
  }
  let ref: Value;
  if (expansion.kind === 'count') ref = refValues.map(([, v]) => v);
  else if (expansion.kind === 'for_each') ref = newObject(refValues.map(([k, v]) => [String(k), v]));
  else ref = refValues[0]?.[1] ?? null;
  return { resource, referenceValue: ref };
}

/**
 * What `TYPE.NAME` evaluates to for other resources: every schema attribute, set from the
 * configuration, else unknown if the provider computes it, else null.
 */
function referenceValue(config: Value, all: string[], computed: Set<string>): Value {
  if (isUnknown(config) || typeof config !== 'object' || config === null || Array.isArray(config)) return unknown;
  const obj = newObject();
  for (const name of all) {
    const set = (config as ValueObject)[name];
    if (set !== undefined && set !== null) obj[name] = set;
    else obj[name] = computed.has(name) ? unknown : null;
  }
  return obj;
}

function boolMeta(
  expr: Parameters<typeof evaluate>[0] | undefined,
  name: string,
  evalIn: (e: Parameters<typeof evaluate>[0]) => Value,
  diags: Diagnostic[],
): boolean {
  if (!expr) return false;
  const v = evalIn(expr);
  if (typeof v === 'boolean') return v;
  diags.push(error(`\`${name}\` must be true or false, known before apply`, expr.range));
  return false;
}
