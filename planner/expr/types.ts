import { didYouMean, error, type Diagnostic } from '../../core/diagnostics.js';
import type { Expr } from './ast.js';
import { convertValue } from './convert.js';
import { evaluate } from './evaluate.js';
import type { HotParameterType, ObjectAttribute, TypeSpec } from './type-spec.js';
import type { Value } from '../../core/value.js';

export { convertValue } from './convert.js';
export { describeType, type HotParameterType, type ObjectAttribute, type TypeSpec } from './type-spec.js';

/**
 * Type constraints as written. HCL: `string`, `number`, `bool`, `any`, `list(T)`, `set(T)`,
 * `map(T)`, `tuple([…])`, `object({k = T, …})` and, as an object attribute's type only,
 * `optional(T[, default])` — arriving as `ref`/`call`/`tuple`/`object` nodes.
 */
export function parseTypeConstraint(expr: Expr): { type: TypeSpec } | { diagnostic: Diagnostic } {
  try {
    return { type: parse(expr) };
  } catch (e) {
    if (e instanceof TypeSyntaxError) return { diagnostic: e.diagnostic };
    throw e;
  }
}

class TypeSyntaxError extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.summary);
  }
}

const KEYWORDS = ['string', 'number', 'bool', 'any', 'list', 'set', 'map', 'tuple', 'object'];
const INVALID = 'Invalid type specification';

function bad(e: Expr, detail: string, summary = INVALID): never {
  throw new TypeSyntaxError(error(summary, e.range, detail));
}

function literalString(e: Expr): string | undefined {
  if (e.kind === 'literal' && typeof e.value === 'string') return e.value;
  if (e.kind === 'template' && e.parts.length === 1 && e.parts[0]!.kind === 'literal' && typeof e.parts[0]!.value === 'string') {
    return e.parts[0]!.value;
  }
  return undefined;
}

function parse(e: Expr, depth = 0): TypeSpec {
  if (depth > 100) bad(e, 'The type specification is nested too deeply.');
  if (e.kind === 'paren') return parse(e.expr, depth + 1);
  const quoted = literalString(e);
  if (quoted !== undefined) {
    const fix = quoted === 'list' || quoted === 'map' ? `${quoted}(string)` : quoted;
    bad(e, `Write the type without quotes: \`${fix}\`. Quoted type constraints are not supported.`, 'Invalid quoted type constraint');
  }
  if (e.kind === 'ref') {
    if (e.steps.length > 0) bad(e, 'A type is a keyword (string, number, bool, any) or a type constructor call such as list(string).');
    switch (e.root) {
      case 'string':
      case 'number':
      case 'bool':
      case 'any':
        return { kind: e.root };
      case 'list':
      case 'set':
      case 'map':
        return bad(e, `The ${e.root} type constructor requires one argument specifying the element type: ${e.root}(string).`);
      case 'tuple':
        return bad(e, 'The tuple type constructor requires one argument specifying the element types as a list: tuple([string, number]).');
      case 'object':
        return bad(e, 'The object type constructor requires one argument specifying the attribute types as a map: object({name = string}).');
      case 'optional':
        return bad(e, 'optional(T) marks an object attribute as optional and needs the attribute type as its argument.');
      default: {
        const hint = didYouMean(e.root, KEYWORDS);
        return bad(e, `\`${e.root}\` is not a type keyword${hint ? `; did you mean \`${hint}\`?` : '.'} Types are string, number, bool, any, list(T), set(T), map(T), tuple([…]) and object({…}).`);
      }
    }
  }
  if (e.kind === 'call') {
    const name = e.name;
    const arity = (n: number, shape: string): void => {
      if (e.args.length !== n || e.expandFinal) bad(e, `The ${name} type constructor takes exactly ${n} argument${n === 1 ? '' : 's'}: ${shape}.`);
    };
    switch (name) {
      case 'list':
      case 'set':
      case 'map':
        arity(1, `${name}(string)`);
        return { kind: name, element: parse(e.args[0]!, depth + 1) };
      case 'tuple': {
        arity(1, 'tuple([string, number])');
        const a = e.args[0]!;
        if (a.kind !== 'tuple') bad(a, 'The tuple type constructor takes a list of element types: tuple([string, number]).');
        return { kind: 'tuple', elements: a.items.map((i) => parse(i, depth + 1)) };
      }
      case 'object':
        arity(1, 'object({name = string})');
        return parseObject(e.args[0]!, depth);
      case 'optional':
        return bad(e, 'optional(T) is only valid as the type of an object attribute: object({name = optional(string)}).', 'Invalid use of optional');
      default: {
        const hint = didYouMean(name, KEYWORDS);
        return bad(e, `\`${name}\` is not a type constructor${hint ? `; did you mean \`${hint}\`?` : '.'}`);
      }
    }
  }
  return bad(e, 'A type is a keyword (string, number, bool, any) or a type constructor call such as list(string) or object({name = string}).');
}

function parseObject(a: Expr, depth: number): TypeSpec {
  if (a.kind !== 'object') return bad(a, 'The object type constructor takes a map of attribute types: object({name = string}).');
  const attributes = Object.create(null) as { [name: string]: ObjectAttribute };
  for (const item of a.items) {
    const k = item.key;
    const name = k.kind === 'ref' && k.steps.length === 0 ? k.root : literalString(k);
    if (name === undefined) bad(k, 'Object attribute names must be identifiers or quoted strings.');
    if (name in attributes) bad(k, `The attribute \`${name}\` is declared twice.`);
    attributes[name] = parseAttribute(item.value, depth);
  }
  return { kind: 'object', attributes };
}

function parseAttribute(v: Expr, depth: number): ObjectAttribute {
  if (v.kind !== 'call' || v.name !== 'optional') return { type: parse(v, depth + 1), optional: false };
  if (v.args.length < 1 || v.args.length > 2 || v.expandFinal) {
    bad(v, 'optional takes the attribute type and, optionally, a default: optional(string, "x").');
  }
  const type = parse(v.args[0]!, depth + 1);
  if (v.args.length === 1) return { type, optional: true };
  const defExpr = v.args[1]!;
  const r = evaluate(defExpr, { root: () => undefined });
  if (r.diagnostics.length > 0) {
    throw new TypeSyntaxError(error('Invalid default value for optional attribute', defExpr.range, `${r.diagnostics[0]!.summary}. A default must be a constant value.`));
  }
  const c = convertValue(r.value, type);
  if ('error' in c) throw new TypeSyntaxError(error('Invalid default value for optional attribute', defExpr.range, `${c.error}.`));
  const attr: ObjectAttribute = { type, optional: true };
  if (c.value !== null) attr.default = c.value as Value;
  return attr;
}

const HOT_TYPES: Record<string, HotParameterType> = {
  string: 'string',
  number: 'number',
  json: 'json',
  comma_delimited_list: 'comma_delimited_list',
  boolean: 'boolean',
  // CloudFormation-compatible spellings Heat also accepts.
  String: 'string',
  Number: 'number',
  Json: 'json',
  CommaDelimitedList: 'comma_delimited_list',
  Boolean: 'boolean',
};

/** A Heat HOT parameter type (`string`, `number`, `json`, `comma_delimited_list`, `boolean`). */
export function hotParameterType(name: string): TypeSpec | undefined {
  const hot = Object.prototype.hasOwnProperty.call(HOT_TYPES, name) ? HOT_TYPES[name] : undefined;
  return hot ? { kind: 'hot', hot } : undefined;
}
