/**
 * CloudFormation-format functions → the one Expr AST (the functions Heat's CfnTemplate knows).
 *
 *   Ref: NAME                 → parameter: ref `var` [NAME]; resource: ref <type> [NAME, id];
 *                               AWS::StackName | AWS::StackId | AWS::Region: ref `stack` [name|id|region]
 *   Fn::GetAtt: [R, ATTR]     → ref <type of R> [attr R, attr ATTR] (ATTR kept whole, e.g. "Endpoint.Address")
 *   Fn::FindInMap: [MAP, K1, K2] → index(index(<the mapping MAP as an object literal>, K1), K2)
 *                               (a computed MAP indexes the object of all Mappings first)
 *   Fn::Join: [DELIM, LIST]   → call('list_join', [DELIM, LIST])
 *   Fn::Base64: V             → call('Fn::Base64', [V]) (Heat returns the string unchanged)
 *   Fn::Select: [I, LIST]     → call('Fn::Select', [I, LIST])
 *   Fn::Split: [DELIM, STR]   → call('Fn::Split', [DELIM, STR])
 *   Fn::GetAZs: REGION        → call('Fn::GetAZs', [REGION])
 *   Fn::Replace: [PARAMS, TEMPLATE] → call('str_replace', [object{template, params}])
 *   Fn::MemberListToMap, Fn::ResourceFacade → as in HOT 2013-05-23 (see hot-intrinsics.ts)
 *   Fn::If: [COND, A, B]      → conditional (COND a condition name → ref `condition` [COND])
 *   In Conditions: Fn::Equals [A, B] → call('equals', [A, B]); Fn::Not [C] → call('not', [C]);
 *   Fn::And / Fn::Or [C1, …] → call('and'|'or', […]); {Condition: NAME} or a bare NAME →
 *   ref `condition` [NAME].
 */
import type { Expr } from '../../expr/ast.js';
import { didYouMean } from '../../../core/diagnostics.js';
import { call, invalid, stringValue, type TemplateEnv } from './hot-env.js';
import { callShape } from './hot-shapes.js';
import { cfnRef, resourceRef } from './refs.js';
import { dataExpr, type ExprHooks, objectOf, toExpr } from './to-expr.js';
import type { YMap, YNode } from './tree.js';

export interface CfnEnv extends TemplateEnv {
  mappings: Map<string, YMap>;
  mappingsNode?: YMap;
}

type IntrinsicPosition = 'value' | 'cond' | 'condArg';

const SHAPED = ['Fn::Join', 'Fn::Select', 'Fn::Split', 'Fn::Replace', 'Fn::Base64', 'Fn::GetAZs', 'Fn::MemberListToMap', 'Fn::ResourceFacade'];
const CONDITION_FNS = ['Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or'];
export const CFN_FUNCTIONS = ['Ref', 'Fn::GetAtt', 'Fn::FindInMap', 'Fn::If', ...SHAPED, ...CONDITION_FNS];

export function cfnValue(env: CfnEnv, node: YNode): Expr {
  return compile(env, node, 'value');
}

/** A condition: a name, {Condition: NAME}, a boolean or a condition function. */
export function cfnCondition(env: CfnEnv, node: YNode): Expr {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'boolean') return { kind: 'literal', value: node.value, range: env.ctx.range(node) };
    if (typeof node.value === 'string') return conditionRef(env, node);
  }
  if (node.kind === 'map' && node.pairs.length === 1) {
    const e = compile(env, node, 'cond');
    if (e.kind !== 'object') return e;
  }
  env.ctx.error('A condition must be a condition name, true, false, or one of Fn::Equals, Fn::Not, Fn::And, Fn::Or.', node);
  return invalid(env, node);
}

function conditionRef(env: CfnEnv, node: YNode): Expr {
  const name = stringValue(node);
  if (name === undefined) {
    env.ctx.error('A condition is named by a string.', node);
    return invalid(env, node);
  }
  if (!env.conditions.has(name)) {
    const hint = didYouMean(name, env.conditions);
    env.ctx.error(`"${name}" is not a condition declared in the Conditions section.${hint ? ` Did you mean "${hint}"?` : ''}`, node);
    return invalid(env, node);
  }
  const range = env.ctx.range(node);
  return { kind: 'ref', root: 'condition', steps: [{ kind: 'attr', name, range }], range };
}

function compile(env: CfnEnv, node: YNode, mode: IntrinsicPosition): Expr {
  let hooks = env.cfnHooks as Record<IntrinsicPosition, ExprHooks> | undefined;
  if (!hooks) {
    const make = (m: IntrinsicPosition): ExprHooks => ({ fn: (map, name, args) => intrinsic(env, map, name, args, m) });
    env.cfnHooks = hooks = { value: make('value'), cond: make('cond'), condArg: make('condArg') };
  }
  return toExpr(env.ctx, node, hooks[mode]);
}

function intrinsic(env: CfnEnv, map: YMap, name: string, args: YNode, mode: IntrinsicPosition): Expr | undefined {
  const key = map.pairs[0]!.key;
  const sub = (n: YNode): Expr => compile(env, n, mode === 'value' ? 'value' : 'condArg');
  if (mode === 'cond') {
    switch (name) {
      case 'Condition':
        return conditionRef(env, args);
      case 'Fn::Not':
        if (args.kind !== 'seq' || args.items.length !== 1) return shapeError(env, map, args, 'Fn::Not takes a list of one condition: [CONDITION].');
        return call(env, map, 'not', [cfnCondition(env, args.items[0]!)]);
      case 'Fn::And':
      case 'Fn::Or':
        if (args.kind !== 'seq' || args.items.length < 2) return shapeError(env, map, args, `${name} takes a list of at least two conditions.`);
        return call(env, map, name === 'Fn::And' ? 'and' : 'or', args.items.map((c) => cfnCondition(env, c)));
      case 'Fn::Equals':
        if (args.kind !== 'seq' || args.items.length !== 2) return shapeError(env, map, args, 'Fn::Equals takes a list of two values: [A, B].');
        return call(env, map, 'equals', args.items.map(sub));
    }
  }
  if (mode !== 'value' && name !== 'Ref' && name !== 'Fn::FindInMap') {
    if (!name.startsWith('Fn::')) return undefined;
    env.ctx.error(`${name} cannot be used in a condition; conditions may use Fn::Equals, Fn::Not, Fn::And, Fn::Or, Ref and Fn::FindInMap.`, key);
    return invalid(env, map);
  }
  switch (name) {
    case 'Ref':
      return cfnRef(env, map, args);
    case 'Fn::GetAtt': {
      if (args.kind !== 'seq' || args.items.length !== 2 || stringValue(args.items[1]!) === undefined)
        return shapeError(env, map, args, 'Fn::GetAtt takes a list of the form [RESOURCE, ATTRIBUTE].');
      const attrNode = args.items[1]!;
      return resourceRef(env, 'Fn::GetAtt', args.items[0]!, () => [{ kind: 'attr', name: stringValue(attrNode)!, range: env.ctx.range(attrNode) }], map);
    }
    case 'Fn::FindInMap':
      return findInMap(env, map, args, sub);
    case 'Fn::If': {
      if (args.kind !== 'seq' || args.items.length !== 3) return shapeError(env, map, args, 'Fn::If takes a list of the form [CONDITION_NAME, VALUE_IF_TRUE, VALUE_IF_FALSE].');
      const [c, a, b] = args.items as [YNode, YNode, YNode];
      return { kind: 'conditional', cond: cfnCondition(env, c), then: sub(a), else: sub(b), range: env.ctx.range(map) };
    }
  }
  if (SHAPED.includes(name)) return callShape(env, map, name, args, sub) ?? invalid(env, map);
  if (CONDITION_FNS.includes(name)) {
    env.ctx.error(`${name} can only be used in the Conditions section (and in a Condition of a resource or output).`, key);
    return invalid(env, map);
  }
  if (name.startsWith('Fn::')) {
    const hint = didYouMean(name, CFN_FUNCTIONS);
    env.ctx.error(
      `${name} is not supported in CloudFormation-format templates.${hint ? ` Did you mean "${hint}"?` : ''}`,
      key,
      `dbstack supports ${CFN_FUNCTIONS.join(', ')}.`,
    );
    return invalid(env, map);
  }
  return undefined;
}

function shapeError(env: CfnEnv, map: YMap, args: YNode, message: string): Expr {
  env.ctx.error(message, args);
  return invalid(env, map);
}

/** Fn::FindInMap [MAP, K1, K2] → index(index(mapping, K1), K2), checking literal keys now. */
function findInMap(env: CfnEnv, map: YMap, args: YNode, sub: (n: YNode) => Expr): Expr {
  const ctx = env.ctx;
  if (args.kind !== 'seq' || args.items.length !== 3) return shapeError(env, map, args, 'Fn::FindInMap takes a list of the form [MAP_NAME, TOP_LEVEL_KEY, SECOND_LEVEL_KEY].');
  const [mapNode, k1, k2] = args.items as [YNode, YNode, YNode];
  const range = ctx.range(map);
  let base: Expr;
  let mapping: YMap | undefined;
  const mapName = stringValue(mapNode);
  if (mapName !== undefined) {
    mapping = env.mappings.get(mapName);
    if (!mapping) {
      const hint = didYouMean(mapName, env.mappings.keys());
      ctx.error(`Fn::FindInMap refers to mapping "${mapName}", which is not in the Mappings section.${hint ? ` Did you mean "${hint}"?` : ''}`, mapNode);
      return invalid(env, map);
    }
    base = dataExpr(ctx, mapping);
  } else {
    const all: Expr = env.mappingsNode ? objectOf(ctx, env.mappingsNode, (n) => dataExpr(ctx, n)) : { kind: 'object', items: [], range };
    base = { kind: 'index', target: all, key: sub(mapNode), range };
  }
  const key1 = stringValue(k1);
  let level2: YNode | undefined;
  if (mapping && key1 !== undefined) {
    const entry = mapping.pairs.find((p) => p.key.kind === 'scalar' && String(p.key.value) === key1);
    if (!entry) {
      const hint = didYouMean(key1, mapping.pairs.map((p) => (p.key.kind === 'scalar' ? String(p.key.value) : '')));
      ctx.error(`Mapping "${mapName}" has no key "${key1}".${hint ? ` Did you mean "${hint}"?` : ''}`, k1);
    } else level2 = entry.value;
  }
  const key2 = stringValue(k2);
  if (level2 && level2.kind === 'map' && key2 !== undefined) {
    if (!level2.pairs.some((p) => p.key.kind === 'scalar' && String(p.key.value) === key2)) {
      const hint = didYouMean(key2, level2.pairs.map((p) => (p.key.kind === 'scalar' ? String(p.key.value) : '')));
      ctx.error(`Mapping "${mapName}" has no key "${key2}" under "${key1}".${hint ? ` Did you mean "${hint}"?` : ''}`, k2);
    }
  }
  const first: Expr = { kind: 'index', target: base, key: sub(k1), range };
  return { kind: 'index', target: first, key: sub(k2), range };
}
