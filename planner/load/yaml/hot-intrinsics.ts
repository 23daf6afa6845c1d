/**
 * Heat HOT intrinsic functions → the one Expr AST.
 *
 * A YAML map with exactly one key that names a function of the template's version is a call;
 * any other map is data (as in Heat). Using a function before the version that introduced it,
 * or after the version that removed it, is an error.
 *
 * References (the dependency graph reads these):
 *   get_param: NAME | [NAME, p1, …]      → ref root `var`, steps [attr NAME, …path]
 *     pseudo parameters OS::stack_name | OS::stack_id | OS::project_id
 *                                         → ref root `stack`, steps [attr name|id|project_id, …path]
 *   get_resource: R                      → ref root <type of R as written>, steps [attr R, attr id]
 *   get_attr: [R, ATTR, p1, …]           → ref root <type of R>, steps [attr R, attr ATTR, …path]
 *   get_attr: [R]  (2015-10-15 and later) → ref root <type of R>, steps [attr R] (all attributes)
 *     Path items (and a computed ATTR): a string → `attr` step; a number or an expression →
 *     `index` step whose key is that literal/expression.
 *   Ref: NAME (2013-05-23 only)          → as get_param for a parameter, [attr R, attr id] for a resource
 *   get_file: PATH                       → string literal: the file's content, read at load time
 *                                           (PATH relative to the template's directory)
 *
 * Calls (`call` nodes, named exactly like the HOT function). Convention: a function whose
 * argument is a MAPPING receives ONE `object` argument with the mapping's keys; a function
 * whose argument is a LIST receives the list items as separate arguments. Where Heat allows
 * the whole list to come from another function (e.g. `map_merge: {get_param: maps}`), that one
 * expression is passed as the only argument with `expandFinal: true` (like `f(xs...)`).
 *   str_replace / str_replace_strict / str_replace_vstrict: {template, params}
 *                                         → call(name, [object{template, params}])
 *   list_join: [DELIM, L1, L2, …]          → call('list_join', [DELIM, L1, L2, …]) — each Li a list
 *   repeat: {for_each, template, permutations?} → call('repeat', [object{…}])
 *   digest: [ALGORITHM, VALUE]            → call('digest', [ALGORITHM, VALUE])
 *   str_split: [DELIM, STRING, INDEX?]    → call('str_split', [DELIM, STRING, INDEX?])
 *   map_merge: [M1, M2, …]                → call('map_merge', [M1, M2, …])
 *   map_replace: [MAP, {keys?, values?}]  → call('map_replace', [MAP, object{keys?, values?}])
 *   yaql: {expression, data}              → call('yaql', [object{expression, data}])
 *   filter: [VALUES, LIST]                → call('filter', [VALUES, LIST])
 *   make_url: {scheme, username, password, host, port, path, query, fragment}
 *                                         → call('make_url', [object{…}])
 *   list_concat: [L1, L2, …]              → call('list_concat', [L1, L2, …])
 *   list_concat_unique: [L1, L2, …]       → call('list_concat_unique', [L1, L2, …])
 *   contains: [VALUE, SEQUENCE]           → call('hot:contains', [VALUE, SEQUENCE]) (HCL's contains takes (list, value))
 *   resource_facade: metadata|deletion_policy|update_policy → call('resource_facade', [literal])
 *   Condition functions (only in conditions — the `conditions:` section, a resource's or an
 *   output's `condition:`, the first argument of `if`):
 *   equals: [A, B]                        → call('equals', [A, B])
 *   not: C                                → call('not', [C])
 *   and: [C1, C2, …] / or: [C1, C2, …]    → call('and'|'or', [C1, C2, …])
 *     where a condition C that is a string is a condition NAME → ref root `condition`, steps
 *     [attr NAME]; a boolean is a literal; a mapping is a condition function.
 *   if: [C, A, B]                         → conditional {cond: C, then: A, else: B}
 *   if: [C, A] (2021-04-16)               → conditional whose else is call('omitted', []): the
 *                                           enclosing item (property, list item, map entry) is
 *                                           dropped when C is false.
 * CloudFormation-style functions in HOT 2013-05-23 (removed in 2014-10-16; Fn::Select in
 * 2015-10-15):
 *   Fn::Join: [DELIM, LIST]               → call('list_join', [DELIM, LIST])
 *   Fn::Select: [INDEX, LIST]             → call('Fn::Select', [INDEX, LIST])
 *   Fn::Split: [DELIM, STRING]            → call('Fn::Split', [DELIM, STRING])
 *   Fn::Replace: [PARAMS, TEMPLATE]       → call('str_replace', [object{template, params}])
 *   Fn::Base64: VALUE                     → call('Fn::Base64', [VALUE]) (Heat returns the string unchanged)
 *   Fn::GetAZs: REGION                    → call('Fn::GetAZs', [REGION])
 *   Fn::MemberListToMap: [KEY, VALUE, LIST] → call('Fn::MemberListToMap', [KEY, VALUE, LIST])
 *   Fn::ResourceFacade: WHAT              → call('resource_facade', [WHAT])
 * Every node's range is the range of the YAML it came from (the whole `{fn: args}` mapping for
 * the call itself, the key for `nameRange`).
 */
import type { ConditionalExpr, Expr } from '../../expr/ast.js';
import { didYouMean } from '../../../core/diagnostics.js';
import { listWords } from './context.js';
import { call, invalid, type TemplateEnv } from './hot-env.js';
import { callShape } from './hot-shapes.js';
import { atLeast, GET_ATTR_ALL_ATTRIBUTES, HOT_FUNCTIONS, IF_NULLABLE } from './hot-versions.js';
import { cfnRef, getAttr, getFile, getParam, getResource } from './refs.js';
import { type ExprHooks, toExpr } from './to-expr.js';
import type { YMap, YNode } from './tree.js';

/** Where an expression appears: a value, a condition, or a value inside a condition function. */
export type IntrinsicPosition = 'value' | 'cond' | 'condArg';

const REMOVED_HINT: Record<string, string> = {
  Ref: 'Use get_param or get_resource.',
  'Fn::Join': 'Use list_join.',
  'Fn::Split': 'Use str_split.',
  'Fn::Replace': 'Use str_replace.',
  'Fn::Select': 'Use get_attr or get_param with a path, or yaql.',
  'Fn::ResourceFacade': 'Use resource_facade.',
};

/** Compiles a HOT value (properties, outputs, metadata). */
export function hotValue(env: TemplateEnv, node: YNode): Expr {
  return compile(env, node, 'value');
}

/**
 * Compiles a HOT condition: a condition name (→ ref `condition.NAME`), a boolean, or a
 * condition function. `definition` is true in the conditions section, where Heat does not
 * accept a bare name.
 */
export function hotCondition(env: TemplateEnv, node: YNode, definition = false): Expr {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'boolean') return { kind: 'literal', value: node.value, range: env.ctx.range(node) };
    if (typeof node.value === 'string' && !definition) return conditionName(env, node);
    env.ctx.error(
      definition
        ? 'A condition must be true, false, or a condition function (equals, not, and, or, …).'
        : 'A condition must be the name of a condition, true, false, or a condition function.',
      node,
    );
    return invalid(env, node);
  }
  if (node.kind === 'map' && node.pairs.length === 1) {
    const e = compile(env, node, 'cond');
    if (e.kind !== 'object') return e;
  }
  env.ctx.error('A condition must be the name of a condition, true, false, or a condition function such as {equals: [a, b]}.', node);
  return invalid(env, node);
}

function conditionName(env: TemplateEnv, node: YNode & { kind: 'scalar' }): Expr {
  const name = String(node.value);
  const range = env.ctx.range(node);
  if (!env.conditions.has(name)) {
    const hint = didYouMean(name, env.conditions);
    env.ctx.error(`"${name}" is not a condition declared in the conditions section.${hint ? ` Did you mean "${hint}"?` : ''}`, node);
    return invalid(env, node);
  }
  return { kind: 'ref', root: 'condition', steps: [{ kind: 'attr', name, range }], range };
}

function compile(env: TemplateEnv, node: YNode, mode: IntrinsicPosition): Expr {
  let hooks = env.hotHooks as Record<IntrinsicPosition, ExprHooks> | undefined;
  if (!hooks) {
    const make = (m: IntrinsicPosition): ExprHooks => ({ fn: (map, name, args) => intrinsic(env, map, name, args, m) });
    env.hotHooks = hooks = { value: make('value'), cond: make('cond'), condArg: make('condArg') };
  }
  return toExpr(env.ctx, node, hooks[mode]);
}

function conditionFunctions(env: TemplateEnv): string[] {
  return Object.entries(HOT_FUNCTIONS)
    .filter(([, i]) => i.condition !== undefined && atLeast(env.version, i.condition))
    .map(([n]) => n);
}

/** A single-key map `{name: args}`: a call, or undefined to keep it as data. */
function intrinsic(env: TemplateEnv, map: YMap, name: string, args: YNode, mode: IntrinsicPosition): Expr | undefined {
  const info = HOT_FUNCTIONS[name];
  const key = map.pairs[0]!.key;
  const v = env.version;
  if (!info) {
    if (mode === 'value' && (name.startsWith('Fn::') || name === 'Ref'))
      env.ctx.warn(`${name} is not a function in HOT templates, so this mapping is kept as data.`, key);
    return undefined;
  }
  if (info.removed && atLeast(v, info.removed)) {
    env.ctx.error(`${name} is not available in heat_template_version ${v}; it was removed in ${info.removed}. ${REMOVED_HINT[name] ?? ''}`.trim(), key);
    return invalid(env, map);
  }
  if (!atLeast(v, info.since)) {
    env.ctx.error(`${name} needs heat_template_version ${info.since} or later; this template is ${v}.`, key);
    return invalid(env, map);
  }
  if (mode !== 'value') {
    if (!info.condition || !atLeast(v, info.condition)) {
      const later = info.condition ? ` before heat_template_version ${info.condition} (this template is ${v})` : '';
      env.ctx.error(`${name} cannot be used in a condition${later}. Conditions may use ${listWords(conditionFunctions(env))}.`, key);
      return invalid(env, map);
    }
  } else if (info.conditionOnly) {
    env.ctx.warn(`${name} is a condition function; outside a condition this mapping is kept as data.`, key);
    return undefined;
  }
  const argMode: IntrinsicPosition = mode === 'value' ? 'value' : 'condArg';
  const sub = (n: YNode): Expr => compile(env, n, argMode);
  switch (name) {
    case 'get_param':
      return getParam(env, map, args, sub);
    case 'get_resource':
      return getResource(env, map, args);
    case 'get_attr':
      return getAttr(env, map, args, atLeast(v, GET_ATTR_ALL_ATTRIBUTES) ? 1 : 2, sub);
    case 'get_file':
      return getFile(env, map, args);
    case 'Ref':
      return cfnRef(env, map, args);
    case 'if':
      return ifExpr(env, map, args, sub);
    case 'not':
      return call(env, map, 'not', [hotCondition(env, args)]);
    case 'and':
    case 'or': {
      if (args.kind !== 'seq' || args.items.length < 2) {
        env.ctx.error(`${name} takes a list of at least two conditions.`, args);
        return invalid(env, map);
      }
      return call(env, map, name, args.items.map((c) => hotCondition(env, c)));
    }
    default: {
      const shaped = callShape(env, map, name, args, sub);
      return shaped ?? invalid(env, map);
    }
  }
}

function ifExpr(env: TemplateEnv, map: YMap, args: YNode, sub: (n: YNode) => Expr): Expr {
  const nullable = atLeast(env.version, IF_NULLABLE);
  if (args.kind !== 'seq' || args.items.length > 3 || args.items.length < (nullable ? 2 : 3)) {
    env.ctx.error(`if takes a list of the form [condition, value_if_true${nullable ? ', value_if_false?' : ', value_if_false'}].`, args);
    return invalid(env, map);
  }
  const [c, a, b] = args.items;
  const range = env.ctx.range(map);
  const otherwise: Expr = b ? sub(b) : { kind: 'call', name: 'omitted', args: [], nameRange: env.ctx.range(map.pairs[0]!.key), range };
  const e: ConditionalExpr = { kind: 'conditional', cond: hotCondition(env, c!), then: sub(a!), else: otherwise, range };
  return e;
}

