/**
 * The walk over an `Expr` tree, node by node (calls in eval-call.ts, `for` in eval-for.ts);
 * `evaluate()` in evaluate.ts is the entry point that starts one.
 */
import { didYouMean, error, type Diagnostic } from '../../core/diagnostics.js';
import type { Range } from '../../core/source.js';
import type { ConditionalExpr, Expr, ObjectExpr, ScopeRefExpr, SplatExpr, TemplateExpr } from './ast.js';
import { MAX_VALUE_DEPTH, valueDepth } from './depth.js';
import { evalCall } from './eval-call.js';
import type { EvalContext } from './evaluate.js';
import { evalFor } from './eval-for.js';
import { binaryOp, OperandError, unaryOp } from './operators.js';
import { describeValueType, OMITTED, primitiveToString, toBoolLoose, unknownList, unknownString } from '../../core/primitives.js';
import { describeExpr, Fail, getAttr, index, refPath } from './traverse.js';
import { newObject, Unknown, unknown, type Value } from '../../core/value.js';

/** Expression nesting deeper than this is reported instead of risking the JS stack. */
export const MAX_DEPTH = 1000;

/** Diagnostics that `try`/`can` must not hide (references to undeclared names). */
export const uncatchable = new WeakSet<Diagnostic>();

/** A variable bound by a `for` expression; a chain of these shadows the context's roots. */
export interface ScopeVar {
  name: string;
  value: Value;
  parent: ScopeVar | undefined;
}

/** One evaluation: collects diagnostics, tracks `for` scopes, splat items and depth. */
export class Evaluator {
  diags: Diagnostic[] = [];
  scope: ScopeVar | undefined;
  private readonly splatItems: Value[] = [];
  private tooDeep = false;

  constructor(
    readonly ctx: EvalContext,
    public depth = 0,
  ) {}

  run(expr: Expr): { value: Value; diagnostics: Diagnostic[] } {
    let value: Value;
    const depth = this.depth;
    try {
      value = this.eval(expr);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      this.depth = depth;
      this.error(`Expression could not be evaluated: ${err.message}`, expr.range);
      value = unknown;
    }
    if (value === OMITTED) value = null;
    // A value can grow deep without a deep expression (locals wrapping locals); refuse it here,
    // before a recursive walker (conversion, rendering, JSON) meets it.
    if (valueDepth(value) > MAX_VALUE_DEPTH) {
      this.error(`the value nests deeper than ${MAX_VALUE_DEPTH} levels`, expr.range, 'Flatten the structure, for example by splitting it into several values.');
      value = unknown;
    }
    return { value, diagnostics: dedupe(this.diags) };
  }

  /** The evaluator's position (depth, scope, splat items), to restore after a caught RangeError. */
  mark(): { depth: number; scope: ScopeVar | undefined; splat: number } {
    return { depth: this.depth, scope: this.scope, splat: this.splatItems.length };
  }

  restore(m: { depth: number; scope: ScopeVar | undefined; splat: number }): void {
    this.depth = m.depth;
    this.scope = m.scope;
    this.splatItems.length = m.splat;
  }

  error(summary: string, range: Range, detail?: string): Diagnostic {
    const d = error(summary, range, detail);
    this.diags.push(d);
    return d;
  }

  eval(e: Expr): Value {
    if (++this.depth > MAX_DEPTH) {
      this.depth--;
      if (!this.tooDeep) {
        this.tooDeep = true;
        this.error('Expression is nested too deeply', e.range, `dbstack evaluates expressions up to ${MAX_DEPTH} levels deep.`);
      }
      return unknown;
    }
    const v = this.dispatch(e);
    this.depth--;
    return v;
  }

  private dispatch(e: Expr): Value {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'tuple': {
        const out: Value[] = [];
        for (const item of e.items) {
          const v = this.eval(item);
          if (v !== OMITTED) out.push(v);
        }
        return out;
      }
      case 'object':
        return this.evalObject(e);
      case 'template':
        return this.evalTemplate(e);
      case 'ref':
        return this.evalRef(e);
      case 'getattr': {
        const r = getAttr(this.eval(e.target), e.name);
        return r instanceof Fail ? this.fail(r, describeExpr(e.target), e.range) : r;
      }
      case 'index': {
        const target = this.eval(e.target);
        const r = index(target, this.eval(e.key));
        return r instanceof Fail ? this.fail(r, describeExpr(e.target), e.range) : r;
      }
      case 'splat':
        return this.evalSplat(e);
      case 'splatItem':
        if (this.splatItems.length === 0) {
          this.error('A splat item is used outside of a splat expression', e.range);
          return unknown;
        }
        return this.splatItems[this.splatItems.length - 1]!;
      case 'call':
        return evalCall(this, e);
      case 'unary': {
        const r = unaryOp(e.op, this.eval(e.operand));
        if (r instanceof OperandError) {
          this.error(r.summary, e.operand.range);
          return unknown;
        }
        return r;
      }
      case 'binary': {
        const l = this.eval(e.left);
        const r = binaryOp(e.op, l, this.eval(e.right));
        if (r instanceof OperandError) {
          this.error(r.summary, r.side === 'left' ? e.left.range : e.right.range);
          return unknown;
        }
        return r;
      }
      case 'conditional':
        return this.evalConditional(e);
      case 'for':
        return evalFor(this, e);
      case 'paren':
        return this.eval(e.expr);
      default:
        this.error(`Unsupported expression kind \`${String((e as { kind?: unknown }).kind)}\``, (e as Expr).range);
        return unknown;
    }
  }

  fail(f: Fail, what: string, range: Range): Value {
    let summary = f.summary(what);
    if (summary.startsWith('this value') || summary.startsWith('the element')) summary = summary[0]!.toUpperCase() + summary.slice(1);
    this.error(summary, range, f.detail?.(what));
    return unknown;
  }

  lookupRoot(name: string): Value | undefined {
    for (let s = this.scope; s; s = s.parent) if (s.name === name) return s.value;
    return this.ctx.root(name);
  }

  private evalRef(e: ScopeRefExpr): Value {
    let v = this.lookupRoot(e.root);
    if (v === undefined) {
      const names: string[] = [];
      for (let s = this.scope; s; s = s.parent) names.push(s.name);
      if (this.ctx.rootNames) for (const n of this.ctx.rootNames()) names.push(n);
      const hint = didYouMean(e.root, names);
      uncatchable.add(this.error(`Unknown reference \`${e.root}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`, e.range));
      for (const st of e.steps) if (st.kind === 'index') this.eval(st.key);
      return unknown;
    }
    const steps = e.steps;
    for (let i = 0; i < steps.length; i++) {
      const st = steps[i]!;
      const r: Value | Fail = st.kind === 'attr' ? getAttr(v!, st.name) : index(v!, this.eval(st.key));
      if (r instanceof Fail) {
        this.fail(r, refPath(e, i), st.range);
        for (let j = i + 1; j < steps.length; j++) {
          const rest = steps[j]!;
          if (rest.kind === 'index') this.eval(rest.key);
        }
        return unknown;
      }
      v = r;
    }
    return v!;
  }

  private evalObject(e: ObjectExpr): Value {
    const out = newObject();
    let unknownKey = false;
    for (const item of e.items) {
      let k: Value;
      if (item.bareKey && item.key.kind === 'ref' && item.key.steps.length === 0) k = item.key.root;
      else k = this.eval(item.key);
      const v = this.eval(item.value);
      if (v === OMITTED) continue;
      if (typeof k === 'string') {
        out[k] = v;
        continue;
      }
      if (k instanceof Unknown) {
        unknownKey = true;
        continue;
      }
      const s = primitiveToString(k);
      if (s !== undefined) out[s] = v;
      else this.error(`Invalid object key: a key must be a string, not ${describeValueType(k)}`, item.key.range);
    }
    return unknownKey ? unknown : out;
  }

  private evalTemplate(e: TemplateExpr): Value {
    if (e.single && e.parts.length === 1) return this.eval(e.parts[0]!);
    let s = '';
    let unk = false;
    for (const p of e.parts) {
      const v = this.eval(p);
      if (typeof v === 'string') s += v;
      else if (!this.appendable(v, p.range)) unk = true;
      else s += primitiveToString(v)!;
    }
    return unk ? unknownString : s;
  }

  /** True if `v` converts to a string for a template; reports null and collections. */
  appendable(v: Value, range: Range): boolean {
    if (v instanceof Unknown) return false;
    if (primitiveToString(v) !== undefined) return true;
    if (v === null) this.error('Invalid template interpolation value: the expression result is null', range, 'A null value cannot be included in a string template.');
    else this.error(`Invalid template interpolation value: a ${describeValueType(v)} cannot be included in a string template`, range, 'Only strings, numbers and bools can be interpolated; use jsonencode() or join() to turn a collection into a string.');
    return false;
  }

  private evalSplat(e: SplatExpr): Value {
    const src = this.eval(e.source);
    if (src instanceof Unknown) return unknownList;
    if (src === null) return [];
    const items = Array.isArray(src) ? src : [src];
    const out: Value[] = new Array(items.length);
    const top = this.splatItems.length;
    this.splatItems.push(null);
    for (let i = 0; i < items.length; i++) {
      this.splatItems[top] = items[i]!;
      out[i] = this.eval(e.each);
    }
    this.splatItems.length = top;
    return out;
  }

  private evalConditional(e: ConditionalExpr): Value {
    const c = this.eval(e.cond);
    let cond: boolean | undefined;
    let bad = false;
    if (!(c instanceof Unknown)) {
      cond = toBoolLoose(c);
      if (cond === undefined) {
        bad = true;
        this.error(
          c === null ? 'Invalid condition: the condition is null' : `Invalid condition: a bool is required, not ${describeValueType(c)}`,
          e.cond.range,
          'A condition must be either true or false.',
        );
      }
    }
    // Both branches are evaluated (for their types); only the chosen one's errors count.
    const mark = this.diags.length;
    const t = this.eval(e.then);
    const thenDiags = this.diags.splice(mark);
    const f = this.eval(e.else);
    const elseDiags = this.diags.splice(mark);
    if (bad) return unknown;
    if (cond === true) this.diags.push(...thenDiags);
    else if (cond === false) this.diags.push(...elseDiags);
    const unified = heatCondition(e) ? 'same' : unify(t, f);
    if (unified === 'conflict') {
      this.error(
        `Inconsistent conditional result types: the true result is a ${describeValueType(t)}, the false result a ${describeValueType(f)}`,
        e.range,
        'Both results of a conditional must have the same type (numbers and bools convert to strings).',
      );
      return unknown;
    }
    if (cond === undefined) return unified === 'string' ? unknownString : unknown;
    const r = cond ? t : f;
    return unified === 'string' && !(r instanceof Unknown) && r !== null ? primitiveToString(r)! : r;
  }
}

/**
 * Heat's `if` (compiled from HOT/CFN) returns either value as it is; HCL unifies the two result
 * types. A condition that is a HOT condition name or condition function, or a missing false
 * value, marks a Heat conditional — HCL has neither a `condition` root nor these functions.
 */
const HEAT_CONDITION_FUNCTIONS = new Set(['equals', 'not', 'and', 'or', 'Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or']);

function heatCondition(e: ConditionalExpr): boolean {
  const c = e.cond;
  if (c.kind === 'ref' && c.root === 'condition') return true;
  if (c.kind === 'call' && HEAT_CONDITION_FUNCTIONS.has(c.name)) return true;
  return e.else.kind === 'call' && e.else.name === 'omitted';
}

type Kind = 'string' | 'number' | 'bool' | 'list' | 'object' | undefined;

function kindOf(v: Value): Kind {
  if (v === null || v instanceof Unknown) return undefined;
  if (Array.isArray(v)) return 'list';
  const t = typeof v;
  return t === 'object' ? 'object' : t === 'boolean' ? 'bool' : (t as 'string' | 'number');
}

/** HCL's unification of the two result types of a conditional, reduced to what matters here. */
function unify(a: Value, b: Value): 'same' | 'string' | 'conflict' {
  const ka = kindOf(a);
  const kb = kindOf(b);
  if (ka === undefined || kb === undefined || ka === kb) return 'same';
  const prim = (k: Kind): boolean => k === 'string' || k === 'number' || k === 'bool';
  if (prim(ka) && prim(kb) && (ka === 'string' || kb === 'string')) return 'string';
  return 'conflict';
}

function dedupe(diags: Diagnostic[]): Diagnostic[] {
  if (diags.length < 2) return diags;
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const r = d.range;
    const key = `${d.summary}\u0000${r ? `${r.file}:${r.line}:${r.col}:${r.endLine}:${r.endCol}` : ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(d);
  }
  return out;
}
