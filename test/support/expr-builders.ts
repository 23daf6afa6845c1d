import type { BinaryOp, Expr, ForExpr, ObjectItem, ScopeRefExpr, Step } from '../../planner/expr/ast.js';
import { evaluate, objectContext, type EvalContext, type EvalResult } from '../../planner/expr/evaluate.js';
import { newObject, Unknown, type Value, type ValueObject } from '../../core/value.js';
import type { Range } from '../../core/source.js';

/**
 * Hand-built expressions for evaluator tests (no parser needed). Every node gets its own
 * range (a fresh line in `test.hcl`), so a test can assert exactly where a diagnostic points.
 */
let line = 0;

export function range(): Range {
  line++;
  return { file: 'test.hcl', line, col: 1, endLine: line, endCol: 10 };
}

type Arg = Expr | string | number | boolean | null;

/** A plain JS value becomes a literal; an Expr passes through. */
export function x(v: Arg): Expr {
  if (v !== null && typeof v === 'object') return v;
  return { kind: 'literal', value: v, range: range() };
}

export const lit = (v: string | number | boolean | null): Expr => ({ kind: 'literal', value: v, range: range() });
export const tuple = (...items: Arg[]): Expr => ({ kind: 'tuple', items: items.map(x), range: range() });

/** `{ k = v, … }` with bare-identifier keys; pass entries as [keyExpr, value] for computed keys. */
export function obj(fields: Record<string, Arg> | [Arg, Arg][]): Expr {
  const items: ObjectItem[] = Array.isArray(fields)
    ? fields.map(([k, v]) => ({ key: x(k), value: x(v) }))
    : Object.entries(fields).map(([k, v]) => ({ key: lit(k), value: x(v), bareKey: true }));
  return { kind: 'object', items, range: range() };
}

/** A template; strings are literal parts. */
export const tpl = (...parts: Arg[]): Expr => ({ kind: 'template', parts: parts.map(x), range: range() });
/** `"${e}"`: a single-interpolation template. */
export const single = (e: Expr): Expr => ({ kind: 'template', parts: [e], single: true, range: range() });

/** A step: a name is `.name`, an `{ index }` is `[expr]`. */
export type StepArg = string | { index: Arg };

export function ref(root: string, ...steps: StepArg[]): ScopeRefExpr {
  const s: Step[] = steps.map((st) =>
    typeof st === 'string' ? { kind: 'attr', name: st, range: range() } : { kind: 'index', key: x(st.index), range: range() },
  );
  return { kind: 'ref', root, steps: s, range: range() };
}

/** `a.b.c` written as one string (attribute steps only). */
export const path = (p: string): ScopeRefExpr => {
  const [root, ...rest] = p.split('.');
  return ref(root!, ...rest);
};

export const index = (target: Arg, key: Arg): Expr => ({ kind: 'index', target: x(target), key: x(key), range: range() });
export const getattr = (target: Arg, name: string): Expr => ({ kind: 'getattr', target: x(target), name, range: range() });
export const splatItem = (): Expr => ({ kind: 'splatItem', range: range() });

/** `source[*]` + `each` built from the element: `splat(src, (it) => getattr(it, 'id'))`. */
export function splat(source: Arg, each: (item: Expr) => Expr = (i) => i, style: 'full' | 'attr' = 'full'): Expr {
  return { kind: 'splat', source: x(source), each: each(splatItem()), style, range: range() };
}

export function call(name: string, ...args: Arg[]): Expr & { kind: 'call' } {
  return { kind: 'call', name, args: args.map(x), nameRange: range(), range: range() };
}

export function callExpand(name: string, ...args: Arg[]): Expr & { kind: 'call' } {
  return { ...call(name, ...args), expandFinal: true };
}

export const bin = (op: BinaryOp, l: Arg, r: Arg): Expr => ({ kind: 'binary', op, left: x(l), right: x(r), range: range() });
export const not = (e: Arg): Expr => ({ kind: 'unary', op: '!', operand: x(e), range: range() });
export const neg = (e: Arg): Expr => ({ kind: 'unary', op: '-', operand: x(e), range: range() });
export const cond = (c: Arg, t: Arg, f: Arg): Expr => ({ kind: 'conditional', cond: x(c), then: x(t), else: x(f), range: range() });
export const paren = (e: Arg): Expr => ({ kind: 'paren', expr: x(e), range: range() });

export interface ForSpec {
  key?: string;
  value: string;
  in: Arg;
  /** Object result: the key expression. */
  k?: Arg;
  v: Arg;
  if?: Arg;
  group?: boolean;
  result?: 'tuple' | 'object' | 'string';
}

export function forExpr(s: ForSpec): ForExpr {
  const e: ForExpr = {
    kind: 'for',
    valueVar: s.value,
    collection: x(s.in),
    value: x(s.v),
    result: s.result ?? (s.k !== undefined ? 'object' : 'tuple'),
    range: range(),
  };
  if (s.key !== undefined) e.keyVar = s.key;
  if (s.k !== undefined) e.key = x(s.k);
  if (s.if !== undefined) e.cond = x(s.if);
  if (s.group) e.grouping = true;
  return e;
}

/** A plain JS value as a `Value` (null-prototype objects), keeping `unknown` markers. */
export function value(v: unknown): Value {
  if (v instanceof Unknown) return v;
  if (Array.isArray(v)) return v.map(value);
  if (v !== null && typeof v === 'object') {
    const o = newObject();
    for (const [k, e] of Object.entries(v)) o[k] = value(e);
    return o;
  }
  return v as Value;
}

/** A context whose roots are the given plain values. */
export function ctx(roots: Record<string, unknown>, baseDir?: string): EvalContext {
  return objectContext(value(roots) as ValueObject, baseDir);
}

/** Evaluates in a context built from plain roots. */
export function run(e: Expr, roots: Record<string, unknown> = {}, baseDir?: string): EvalResult {
  return evaluate(e, ctx(roots, baseDir));
}

/** A value as plain JSON-like data for deepEqual (unknown → the string "(unknown)"). */
export function plain(v: Value): unknown {
  if (v instanceof Unknown) return '(unknown)';
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: plain(v[k]!), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

/**
 * A plain JS value as an expression that builds it: literals, tuples, objects; `unknown`
 * becomes a reference to the root `u`, which `callFn` binds to unknown.
 */
export function vx(v: unknown): Expr {
  if (v instanceof Unknown) return ref('u');
  if (Array.isArray(v)) return tuple(...v.map(vx));
  if (v !== null && typeof v === 'object') return obj(Object.entries(v).map(([k, e]) => [lit(k), vx(e)] as [Arg, Arg]));
  return lit(v as string | number | boolean | null);
}

/** Calls a registered function with plain arguments. */
export function callFn(name: string, args: unknown[], roots: Record<string, unknown> = {}, baseDir?: string): EvalResult {
  return run(call(name, ...args.map(vx)), { u: new Unknown(), ...roots }, baseDir);
}
