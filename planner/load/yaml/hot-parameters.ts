import { didYouMean } from '../../../core/diagnostics.js';
import type { ParamConstraint, VariableDecl } from '../../model/document.js';
import { findEntry, type LoadCtx } from './context.js';
import { atLeast, HOT_PARAM_KEYS, HOT_PARAM_TYPES, type HotVersion, MODULO_SINCE, PARAM_TAGS_SINCE } from './hot-versions.js';
import { checkParameterValue, patternToRegExp, toNumber } from './param-check.js';

export { checkParameterValue };
import { dataExpr } from './to-expr.js';
import { toPlain, type YNode, type YPair } from './tree.js';

const CONSTRAINT_KINDS = ['allowed_values', 'allowed_pattern', 'length', 'range', 'modulo', 'custom_constraint'] as const;
type Kind = (typeof CONSTRAINT_KINDS)[number];

/** Which parameter types each constraint applies to (Heat's `valid_types`). */
const APPLIES_TO: Record<Kind, readonly string[] | undefined> = {
  allowed_values: ['string', 'number', 'boolean', 'comma_delimited_list'],
  allowed_pattern: ['string'],
  length: ['string', 'comma_delimited_list', 'json'],
  range: ['number'],
  modulo: ['number'],
  custom_constraint: undefined,
};

/** A scalar as text for descriptions and labels. */
export function scalarText(ctx: LoadCtx, node: YNode, what: string): string | undefined {
  if (node.kind === 'scalar') return node.value === null ? undefined : String(node.value);
  ctx.error(`The ${what} must be text.`, node);
  return undefined;
}

/** Heat's boolean spellings for `hidden`/`NoEcho`/`immutable`. */
export function booleanOf(ctx: LoadCtx, node: YNode, what: string): boolean | undefined {
  if (node.kind === 'scalar') {
    if (typeof node.value === 'boolean') return node.value;
    if (typeof node.value === 'string' && /^(true|false)$/i.test(node.value)) return node.value.toLowerCase() === 'true';
  }
  ctx.error(`The ${what} must be true or false.`, node);
  return undefined;
}

/** One entry of a HOT `parameters:` section. */
export function hotParameter(ctx: LoadCtx, name: string, pair: YPair, version: HotVersion): VariableDecl {
  const decl: VariableDecl = { name, range: ctx.pairRange(pair), sensitive: false, constraints: [], validations: [] };
  const body = pair.value;
  if (body.kind !== 'map') {
    ctx.error(`Parameter "${name}" must be a mapping with at least a type.`, body.kind === 'scalar' && body.start === body.end ? pair.key : body);
    return decl;
  }
  const entries = ctx.entries(body);
  for (const e of entries) {
    switch (e.name) {
      case 'type': {
        const t = e.value.kind === 'scalar' && typeof e.value.value === 'string' ? e.value.value : undefined;
        if (t !== undefined && HOT_PARAM_TYPES.includes(t)) decl.type = { kind: 'literal', value: t, range: ctx.range(e.value) };
        else {
          const hint = t === undefined ? undefined : didYouMean(t, HOT_PARAM_TYPES);
          ctx.error(
            `Parameter "${name}" has type ${JSON.stringify(toPlain(e.value))}, which is not a HOT parameter type.${hint ? ` Did you mean "${hint}"?` : ''}`,
            e.value,
            `Valid types are: ${HOT_PARAM_TYPES.join(', ')}.`,
          );
        }
        break;
      }
      case 'description':
        decl.description = scalarText(ctx, e.value, `description of parameter "${name}"`);
        break;
      case 'label':
        decl.label = scalarText(ctx, e.value, `label of parameter "${name}"`);
        break;
      case 'default':
        if (!(e.value.kind === 'scalar' && e.value.value === null)) decl.default = dataExpr(ctx, e.value);
        break;
      case 'hidden':
        decl.sensitive = booleanOf(ctx, e.value, `"hidden" setting of parameter "${name}"`) ?? false;
        break;
      case 'immutable':
        booleanOf(ctx, e.value, `"immutable" setting of parameter "${name}"`);
        break;
      case 'tags':
        if (!atLeast(version, PARAM_TAGS_SINCE))
          ctx.error(`Parameter tags need heat_template_version ${PARAM_TAGS_SINCE} or later; this template is ${version}.`, e.key);
        else if (e.value.kind !== 'seq') ctx.error(`The tags of parameter "${name}" must be a list.`, e.value);
        break;
      case 'constraints':
        decl.constraints = hotConstraints(ctx, name, e.value, version, decl);
        break;
      default:
        ctx.unknownKey(e.name, e.key, `parameter "${name}"`, HOT_PARAM_KEYS);
    }
  }
  if (!findEntry(entries, 'type')) ctx.error(`Parameter "${name}" has no type.`, pair.key, `Add "type:" with one of: ${HOT_PARAM_TYPES.join(', ')}.`);
  checkDefault(ctx, decl, body);
  return decl;
}

/** Checks a declared default against the type and constraints (at the default's range). */
export function checkDefault(ctx: LoadCtx, decl: VariableDecl, body: YNode): void {
  if (!decl.default || body.kind !== 'map') return;
  for (const p of body.pairs) {
    if (p.key.kind !== 'scalar' || (p.key.value !== 'default' && p.key.value !== 'Default')) continue;
    ctx.diags.push(...checkParameterValue(decl, toPlain(p.value), ctx.range(p.value)));
  }
}

function hotConstraints(ctx: LoadCtx, name: string, node: YNode, version: HotVersion, decl: VariableDecl): ParamConstraint[] {
  const out: ParamConstraint[] = [];
  if (node.kind === 'scalar' && node.value === null) return out;
  if (node.kind !== 'seq') {
    ctx.error(`The constraints of parameter "${name}" must be a list.`, node);
    return out;
  }
  const type = decl.type?.kind === 'literal' ? String(decl.type.value) : undefined;
  for (const item of node.items) {
    if (item.kind !== 'map') {
      ctx.error(`Each constraint of parameter "${name}" must be a mapping such as {allowed_values: [...]}.`, item);
      continue;
    }
    let description: string | undefined;
    let found: { kind: Kind; value: YNode; key: YNode } | undefined;
    for (const e of ctx.entries(item)) {
      if (e.name === 'description') description = scalarText(ctx, e.value, 'constraint description');
      else if ((CONSTRAINT_KINDS as readonly string[]).includes(e.name)) {
        if (found) ctx.error(`A constraint may hold only one kind of check; put "${e.name}" in its own list item.`, e.key);
        else found = { kind: e.name as Kind, value: e.value, key: e.key };
      } else ctx.unknownKey(e.name, e.key, `a constraint of parameter "${name}"`, [...CONSTRAINT_KINDS, 'description']);
    }
    if (!found) {
      ctx.error(`The constraint has no check; use one of ${CONSTRAINT_KINDS.join(', ')}.`, item);
      continue;
    }
    if (found.kind === 'modulo' && !atLeast(version, MODULO_SINCE)) {
      ctx.error(`The modulo constraint needs heat_template_version ${MODULO_SINCE} or later; this template is ${version}.`, found.key);
      continue;
    }
    const applies = APPLIES_TO[found.kind];
    if (type && applies && !applies.includes(type)) {
      ctx.error(`A ${found.kind} constraint does not apply to a ${type} parameter ("${name}").`, found.key);
      continue;
    }
    const spec = constraintSpec(ctx, found.kind, found.value);
    if (spec === undefined) continue;
    const c: ParamConstraint = { kind: found.kind, spec, range: ctx.range(item) };
    if (description !== undefined) c.description = description;
    out.push(c);
  }
  return out;
}

/** Validates and returns the spec of one constraint, as Heat's Schema does. */
export function constraintSpec(ctx: LoadCtx, kind: Kind, node: YNode): unknown {
  const plain = toPlain(node);
  switch (kind) {
    case 'allowed_values':
      if (!Array.isArray(plain)) return void ctx.error('allowed_values must be a list.', node);
      return plain;
    case 'allowed_pattern':
      if (typeof plain !== 'string') return void ctx.error('allowed_pattern must be a string.', node);
      if (!patternToRegExp(plain)) ctx.warn(`The pattern ${JSON.stringify(plain)} is not a regular expression dbstack can check.`, node);
      return plain;
    case 'custom_constraint':
      if (typeof plain !== 'string') return void ctx.error('custom_constraint must be the name of a constraint.', node);
      return plain;
    case 'length':
    case 'range': {
      const keys = ['min', 'max'];
      const spec = numericMap(ctx, kind, node, keys);
      if (!spec) return undefined;
      if (spec['min'] === undefined && spec['max'] === undefined) return void ctx.error(`A ${kind} constraint needs a min, a max, or both.`, node);
      if (kind === 'length' && [spec['min'], spec['max']].some((n) => n !== undefined && !Number.isInteger(n)))
        return void ctx.error('The min and max of a length constraint must be whole numbers.', node);
      return spec;
    }
    case 'modulo': {
      const spec = numericMap(ctx, kind, node, ['step', 'offset']);
      if (!spec) return undefined;
      const { step, offset } = spec;
      if (step === undefined || offset === undefined) return void ctx.error('A modulo constraint needs both a step and an offset.', node);
      if (!Number.isInteger(step) || !Number.isInteger(offset)) return void ctx.error('The step and offset of a modulo constraint must be whole numbers.', node);
      if (step === 0) return void ctx.error('The step of a modulo constraint cannot be 0.', node);
      if (Math.abs(offset) >= Math.abs(step)) return void ctx.error('The offset of a modulo constraint must be smaller (by absolute value) than its step.', node);
      if (step * offset < 0) return void ctx.error('The step and offset of a modulo constraint must both be positive or both negative.', node);
      return spec;
    }
  }
}

function numericMap(ctx: LoadCtx, kind: string, node: YNode, keys: string[]): Record<string, number | undefined> | undefined {
  if (node.kind !== 'map') return void ctx.error(`A ${kind} constraint must be a mapping of ${keys.join(' and ')}.`, node);
  const spec: Record<string, number | undefined> = {};
  for (const e of ctx.entries(node)) {
    if (!keys.includes(e.name)) {
      ctx.unknownKey(e.name, e.key, `a ${kind} constraint`, keys);
      continue;
    }
    const n = toNumber(toPlain(e.value));
    if (n === undefined) ctx.error(`The ${e.name} of a ${kind} constraint must be a number.`, e.value);
    else spec[e.name] = n;
  }
  return spec;
}
