import { didYouMean, type Diagnostic } from '../../core/diagnostics.js';
import type { CallExpr, Expr } from './ast.js';
import { objectContext } from './evaluate.js';
import { Evaluator, uncatchable } from './eval-node.js';
import { FunctionError, type CallContext, type FunctionDef } from './functions/def.js';
import { functionNames, lookupFunction } from './functions/function-table.js';
import { describeValueType, OMITTED } from '../../core/primitives.js';
import { containsUnknown, Unknown, unknown, type Value, type ValueObject } from '../../core/value.js';

/**
 * Function calls: look the name up in the one registry, check the argument count, expand
 * `f(xs...)`, short-circuit unknowns, and turn a `FunctionError` into a diagnostic at the
 * argument it names.
 */
export function evalCall(ev: Evaluator, e: CallExpr): Value {
  const def = lookupFunction(e.name);
  if (!def) {
    const hint = didYouMean(e.name, functionNames());
    uncatchable.add(ev.error(`Call to unknown function \`${e.name}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`, e.nameRange));
    for (const a of e.args) ev.eval(a);
    return unknown;
  }
  if (def.lazy) {
    if (e.expandFinal) {
      ev.error(`${e.name}() does not accept an expanded (...) argument`, e.args[e.args.length - 1]?.range ?? e.range);
      return unknown;
    }
    if (!arityOk(ev, def, e, e.args.length)) return unknown;
    return invoke(ev, def, e, [], e.args.length);
  }

  // An argument that is HOT's omitted() is dropped, as Heat drops the list item.
  const args: Value[] = [];
  let lastOmitted = false;
  for (const a of e.args) {
    const v = ev.eval(a);
    lastOmitted = v === OMITTED;
    if (!lastOmitted) args.push(v);
  }
  if (e.expandFinal && args.length > 0 && !lastOmitted) {
    const last = args.pop()!;
    if (last instanceof Unknown) return unknown;
    if (!Array.isArray(last)) {
      ev.error(
        `Invalid expanding argument: a list is required, not ${describeValueType(last)}`,
        e.args[e.args.length - 1]!.range,
        'The argument followed by ... must be a list, set or tuple.',
      );
      return unknown;
    }
    for (const v of last) args.push(v);
  }
  if (!arityOk(ev, def, e, args.length)) return unknown;
  if (!def.acceptsUnknown) {
    for (const a of args) if (containsUnknown(a)) return unknown;
  }
  return invoke(ev, def, e, args, args.length);
}

function arityOk(ev: Evaluator, def: FunctionDef, e: CallExpr, n: number): boolean {
  if (n >= def.minArgs && n <= def.maxArgs) return true;
  const want =
    def.minArgs === def.maxArgs
      ? `exactly ${def.minArgs}`
      : def.maxArgs === Infinity
        ? `at least ${def.minArgs}`
        : `${def.minArgs} to ${def.maxArgs}`;
  const plural = def.maxArgs === 1 && def.minArgs === 1 ? 'argument' : 'arguments';
  const where = n > def.maxArgs && !e.expandFinal && e.args[def.maxArgs] ? e.args[def.maxArgs]!.range : e.range;
  ev.error(`${e.name}() takes ${want} ${plural}, got ${n}`, where);
  return false;
}

function invoke(ev: Evaluator, def: FunctionDef, e: CallExpr, args: Value[], argCount: number): Value {
  const mark = ev.mark();
  try {
    return def.impl(args, new CallSite(ev, e, argCount));
  } catch (err) {
    ev.restore(mark);
    if (err instanceof FunctionError) {
      const i = err.argIndex;
      const argExpr = i === undefined ? undefined : (e.args[Math.min(i, e.args.length - 1)] as Expr | undefined);
      ev.error(`${e.name}(): ${err.message}`, argExpr?.range ?? e.range);
      return unknown;
    }
    // Resource exhaustion caused by the input (huge strings, very deep values).
    if (err instanceof RangeError) {
      uncatchable.add(ev.error(`${e.name}(): ${err.message}`, e.range));
      return unknown;
    }
    throw err;
  }
}

class CallSite implements CallContext {
  constructor(
    private readonly ev: Evaluator,
    private readonly expr: CallExpr,
    readonly argCount: number,
  ) {}

  get name(): string {
    return this.expr.name;
  }

  get baseDir(): string | undefined {
    return this.ev.ctx.baseDir;
  }

  evalArg(i: number): { value: Value; diagnostics: Diagnostic[]; catchable: boolean } {
    const ev = this.ev;
    const mark = ev.diags.length;
    const value = ev.eval(this.expr.args[i]!);
    const diagnostics = ev.diags.splice(mark);
    return { value, diagnostics, catchable: !diagnostics.some((d) => uncatchable.has(d)) };
  }

  evalIsolated(expr: Expr, vars: ValueObject): { value: Value; diagnostics: Diagnostic[] } {
    return new Evaluator(objectContext(vars, this.ev.ctx.baseDir), this.ev.depth + 1).run(expr);
  }

  report(d: Diagnostic): void {
    this.ev.diags.push(d);
  }
}
