import { collectRefs, type Expr, type ScopeRefExpr } from '../../expr/ast.js';
import { didYouMean } from '../../../core/diagnostics.js';
import type { Body } from '../../model/body.js';
import type { ConditionDecl, ResourceDecl } from '../../model/document.js';
import { keyText, type Span } from './context.js';
import { attr, type TemplateEnv } from './hot-env.js';
import type { YMap, YNode } from './tree.js';

/** A resource's property map as a Body of attributes (values compiled by `value`). */
export function propertiesBody(env: TemplateEnv, node: YNode | undefined, fallback: Span, value: (n: YNode) => Expr, isFunction: (m: YMap) => boolean): Body {
  const ctx = env.ctx;
  const body: Body = { attributes: [], blocks: [], range: ctx.range(node && node.end > node.start ? node : fallback) };
  if (!node || (node.kind === 'scalar' && node.value === null)) return body;
  if (node.kind !== 'map') {
    ctx.error('The properties of a resource must be a mapping of property names to values.', node);
    return body;
  }
  if (isFunction(node)) {
    ctx.error('The properties of a resource must be a mapping of property names to values; dbstack does not accept a function in place of the whole mapping.', node);
    return body;
  }
  const pairs = node.pairs;
  const attrs: Body['attributes'] = (body.attributes = new Array(pairs.length));
  let n = 0;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    if (p.key.kind !== 'scalar') {
      ctx.error('A key must be a plain string, not a list or mapping.', p.key);
      continue;
    }
    attrs[n++] = { name: keyText(ctx.text, p.key), nameRange: ctx.range(p.key), value: value(p.value), range: ctx.pairRange(p) };
  }
  if (n < attrs.length) body.attributes = attrs.slice(0, n);
  return body;
}

/** `depends_on` / `DependsOn`: a resource name or a list of them → refs [type].NAME. */
export function dependsOn(env: TemplateEnv, node: YNode, self: string, key: string): ScopeRefExpr[] {
  const ctx = env.ctx;
  const out: ScopeRefExpr[] = [];
  if (node.kind === 'scalar' && node.value === null) return out;
  const items = node.kind === 'seq' ? node.items : [node];
  for (const item of items) {
    if (item.kind !== 'scalar' || item.value === null || typeof item.value === 'boolean') {
      ctx.error(`${key} takes a resource name or a list of resource names.`, item);
      continue;
    }
    const name = String(item.value);
    const range = ctx.range(item);
    if (name === self) {
      ctx.error(`Resource "${self}" cannot depend on itself.`, item);
      continue;
    }
    if (!env.resources.has(name)) {
      const hint = didYouMean(name, env.resources.keys());
      ctx.error(`${key} names "${name}", which is not a resource of this template.${hint ? ` Did you mean "${hint}"?` : ''}`, item);
      continue;
    }
    const type = env.resources.get(name);
    if (type === undefined) continue;
    out.push({ kind: 'ref', root: type, steps: [attr(name, range)], range });
  }
  return out;
}

/** Deletion policy as written; `lowercase` allows delete/retain/snapshot too. */
export function deletionPolicy(env: TemplateEnv, node: YNode, lowercase: boolean, key: string): ResourceDecl['deletionPolicy'] {
  const valid = ['Delete', 'Retain', 'Snapshot'];
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const v = node.value;
    const match = valid.find((p) => p === v || (lowercase && p.toLowerCase() === v));
    if (match) return { value: match as 'Delete' | 'Retain' | 'Snapshot', range: env.ctx.range(node) };
    const hint = valid.find((p) => p.toLowerCase() === v.toLowerCase());
    env.ctx.error(
      `"${v}" is not a valid ${key}.${hint ? ` Did you mean "${hint}"?` : ''}`,
      node,
      `Valid policies are ${valid.join(', ')}${lowercase ? ' (or in lower case)' : ''}.`,
    );
    return undefined;
  }
  env.ctx.error(`The ${key} must be written as one of ${valid.join(', ')}; dbstack does not compute it from a function.`, node);
  return undefined;
}

/** Reports conditions that refer to themselves, directly or through others. */
export function checkConditionCycles(env: TemplateEnv, conditions: ConditionDecl[]): void {
  const deps = new Map<string, string[]>();
  for (const c of conditions) {
    deps.set(
      c.name,
      collectRefs(c.expr)
        .filter((r) => r.root === 'condition' && r.steps[0]?.kind === 'attr')
        .map((r) => (r.steps[0] as { name: string }).name),
    );
  }
  const state = new Map<string, 1 | 2>();
  const reported = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    const s = state.get(name);
    if (s === 2) return;
    if (s === 1) {
      const cycle = path.slice(path.indexOf(name));
      const decl = conditions.find((c) => c.name === name);
      if (decl && !reported.has(name)) {
        cycle.forEach((n) => reported.add(n));
        env.ctx.error(`Condition "${name}" depends on itself (${[...cycle, name].join(' → ')}).`, decl.range);
      }
      return;
    }
    state.set(name, 1);
    for (const d of deps.get(name) ?? []) visit(d, [...path, name]);
    state.set(name, 2);
  };
  for (const c of conditions) visit(c.name, []);
}
