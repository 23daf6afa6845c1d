/**
 * The one check of a stack against what its provider implements (providers/capabilities.ts):
 * a resource type or data source the provider lacks, an attribute it does not act on, an
 * attribute the datastore engine has no use for, and a change to an attribute the provider
 * uses only at create. Each refusal names the attribute where it is written, in any input
 * language (the body expressions keep their source ranges through the alias table).
 */
import { isObject, isUnknown, type Value, type ValueObject } from '../../core/value.js';
import { aliasFor } from '../model/aliases.js';
import { error, type Diagnostic } from '../../core/diagnostics.js';
import { locate } from '../resolve/locate.js';
import { itemKey } from '../resolve/expr-build.js';
import type { Expr } from '../expr/ast.js';
import type { ResourceConfig, StackConfig } from '../resolve/stack-config.js';
import type { ProviderCapabilities, Support, TypeSupport } from './capabilities.js';
import { showPath } from '../../schemas/paths.js';
import { changedPaths, concretePaths, getAt, matches, parsePath, type Pattern } from './paths.js';
import type { Path } from './types.js';

/** Attribute support as a tree of path segments (`*`: any list element). */
interface Node {
  support?: Support;
  children: Map<string, Node>;
}

function supportTree(attributes: Record<string, Support>): Node {
  const root: Node = { children: new Map() };
  for (const [path, support] of Object.entries(attributes)) {
    let n = root;
    for (const seg of parsePath(path)) {
      if (!n.children.has(seg)) n.children.set(seg, { children: new Map() });
      n = n.children.get(seg)!;
    }
    n.support = support;
  }
  return root;
}

/** `networks[0].port` → `networks.*.port`, the form capability tables are written in. */
const patternOf = (path: Path): string => path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');

/** The paths a configuration sets that the tree does not cover (the first uncovered step of each). */
function uncovered(v: Value, node: Node, at: Path, out: Path[]): void {
  if (node.support || isUnknown(v) || v === null) return;
  if (Array.isArray(v)) {
    const item = node.children.get('*');
    v.forEach((x, i) => (item ? uncovered(x, item, [...at, i], out) : out.push([...at, i])));
    return;
  }
  if (!isObject(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    const child = node.children.get(k);
    if (child) uncovered(x, child, [...at, k], out);
    else out.push([...at, k]);
  }
}

/** The attribute as the user wrote it: Heat's `restore_point` for the native `restore_from`. */
function sourceName(r: ResourceConfig, path: Path): string {
  const shown = showPath(path);
  const alias = aliasFor(r.mode, r.prepared.decl.sourceType);
  if (!alias) return `\`${shown}\``;
  const renamedFrom = (to: string) => Object.entries(alias.rename ?? {}).find(([, t]) => t === to)?.[0];
  const top = renamedFrom(path.filter((s) => typeof s === 'string').join('.'));
  if (top) return `\`${top}\` (${shown})`;
  const [list, index, key] = path;
  if (typeof list !== 'string' || typeof index !== 'number' || typeof key !== 'string' || path.length !== 3) return `\`${shown}\``;
  const item = Object.entries(alias.items?.[list] ?? {}).find(([, to]) => to === key)?.[0] ?? key;
  const source = showPath([renamedFrom(list) ?? list, index, item]);
  return source === shown ? `\`${shown}\`` : `\`${source}\` (${shown})`;
}

const typeName = (r: ResourceConfig) => (r.prepared.decl.sourceType === r.type ? `\`${r.type}\`` : `\`${r.prepared.decl.sourceType}\` (${r.type})`);

/** Errors for everything the stack sets that the provider does not implement. */
export function checkSupport(config: StackConfig, caps: ProviderCapabilities): Diagnostic[] {
  const diags: Diagnostic[] = [];
  const seen = new Set<string>();
  const trees = new Map<string, Node>();
  const push = (d: Diagnostic) => {
    const key = `${d.summary}\u0000${JSON.stringify(d.range)}`;
    if (!seen.has(key)) diags.push(d), seen.add(key);
  };
  for (const r of config.resources) {
    if (!r.prepared.supported) continue;
    const declRange = r.prepared.decl.typeRange;
    if (r.mode === 'data') {
      if (!caps.dataSources.includes(r.type)) {
        push(error(`data source ${typeName(r)} is not supported by the ${caps.name} provider yet`, declRange,
          `It offers the data sources ${caps.dataSources.join(', ')}; look the object up by one of those, or give its id directly.`, r.address));
      }
      continue;
    }
    const policy = r.prepared.decl.deletionPolicy;
    if (policy && !caps.deletionPolicies.includes(policy.value)) {
      push(error(`deletion_policy ${policy.value} is not supported by the ${caps.name} provider yet`, policy.range,
        `It would delete ${r.address} without taking a snapshot first. Use Retain to keep the object when it leaves the stack, or Delete.`, r.address));
    }
    const support = caps.resources[r.type];
    if (!support) {
      const why = caps.typesNotYet?.[r.type];
      push(error(`${typeName(r)} is not supported by the ${caps.name} provider yet`, declRange,
        `${why ? `${capitalise(why)}. ` : ''}Remove ${r.address} from the stack; the ${caps.name} provider implements ${Object.keys(caps.resources).sort().join(', ')}.`, r.address));
      continue;
    }
    if (support.attributes === '*') {
      for (const inst of r.instances) if (isObject(inst.config)) for (const d of engineIgnores(r, inst.config, support, config, caps)) push(d);
      continue;
    }
    const tree = trees.get(r.type) ?? trees.set(r.type, supportTree(support.attributes)).get(r.type)!;
    for (const inst of r.instances) {
      if (!isObject(inst.config)) continue;
      const paths: Path[] = [];
      uncovered(inst.config, tree, [], paths);
      for (const p of paths) {
        const why = support.notYet?.[patternOf(p)] ?? support.notYet?.[String(p[0])];
        push(error(`${sourceName(r, p)} is not supported by the ${caps.name} provider yet`, locate(r.body, p, 'key'),
          `${why ? `${capitalise(why)}. ` : ''}Remove it from ${r.address}.`, r.address));
      }
      for (const [list, { max, reason }] of Object.entries(support.maxItems ?? {})) {
        const v = inst.config[list];
        if (!Array.isArray(v) || v.length <= max) continue;
        push(error(`more than ${max} of ${sourceName(r, [list])} is not supported by the ${caps.name} provider yet`, locate(r.body, [list, max], 'value'),
          `${capitalise(reason)}. Keep ${max === 1 ? 'one' : max} in ${r.address}.`, r.address));
      }
      for (const d of engineIgnores(r, inst.config, support, config, caps)) push(d);
    }
  }
  return diags;
}

/** The engine a configuration runs: its datastore type, the provider's default, or undefined when not known before apply. */
function engineOf(config: ValueObject, support: TypeSupport | undefined): string | undefined {
  const named = getAt(config, ['datastore', 'type']);
  if (isUnknown(named) || isUnknown(config.datastore)) return undefined;
  return typeof named === 'string' ? named : support?.defaultEngine;
}

/** For `database` / `database_user`: the instance of this stack its `instance` attribute references (`database_instance.db.id`). */
function referencedInstance(r: ResourceConfig, attribute: string, stack: StackConfig): ValueObject | undefined {
  let e: Expr | undefined = r.body.items.find((i) => itemKey(i) === attribute)?.value;
  while (e && (e.kind === 'paren' || (e.kind === 'template' && e.single))) e = e.kind === 'paren' ? e.expr : e.parts[0];
  const name = e?.kind === 'ref' && e.steps[0]?.kind === 'attr' ? e.steps[0].name : undefined;
  const target = name ? stack.resources.find((x) => x.mode === 'managed' && x.address === `${(e as { root: string }).root}.${name}`) : undefined;
  const configs = target?.instances.map((i) => i.config).filter(isObject) ?? [];
  return configs.length === 1 ? configs[0] : undefined;
}

/** Attributes the datastore engine (the resource's own, or its instance's) has no use for. */
function engineIgnores(r: ResourceConfig, config: ValueObject, support: TypeSupport, stack: StackConfig, caps?: ProviderCapabilities): Diagnostic[] {
  if (!support.engines) return [];
  let engine: string | undefined;
  if (support.engineOf) {
    const instance = referencedInstance(r, support.engineOf, stack);
    const target = stack.resources.find((x) => x.instances.some((i) => i.config === instance));
    engine = instance ? engineOf(instance, target ? caps?.resources[target.type] : undefined) : undefined;
  } else {
    engine = engineOf(config, support);
  }
  const ignores = engine ? support.engines[engine] : undefined;
  if (!ignores) return [];
  const out: Diagnostic[] = [];
  for (const [pattern, why] of Object.entries(ignores)) {
    for (const p of concretePaths(config, [parsePath(pattern)])) {
      if (isUnknown(getAt(config, p))) continue;
      out.push(error(`${sourceName(r, p)} has no effect on ${engine}`, locate(r.body, p, 'key'), `${capitalise(why)}. Remove it from ${r.address}.`, r.address));
    }
  }
  return out;
}

/** Attribute patterns of a type the provider uses at create only, with what a change to them does. */
export function createOnly(caps: ProviderCapabilities | undefined, type: string, kind: 'replace' | 'refuse'): { pattern: Pattern; reason: string }[] {
  const attrs = caps?.resources[type]?.attributes;
  if (!attrs || attrs === '*') return [];
  return Object.entries(attrs).flatMap(([p, s]) => (typeof s === 'object' && 'update' in s && s.update === kind ? [{ pattern: parsePath(p), reason: s.reason }] : []));
}

/**
 * A change to an attribute the provider cannot update in place and should not replace for
 * (`refuse`): an in-place update of it would silently do nothing.
 */
export function refusedChange(caps: ProviderCapabilities, r: ResourceConfig, address: string, inputs: ValueObject, config: ValueObject): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const { pattern, reason } of createOnly(caps, r.type, 'refuse')) {
    const changed = changedPaths(inputs, config).find((p) => matches(p, pattern) && !isUnknown(getAt(config, p)));
    if (!changed) continue;
    const p = changed.slice(0, pattern.length);
    out.push(error(`changing ${sourceName(r, p)} of ${address} is not supported by the ${caps.name} provider yet`, locate(r.body, p, 'value'),
      `${capitalise(reason)}. Set it back to the value it was applied with, or replace the resource with --replace ${address} (its data is lost).`, address));
  }
  return out;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
