import type { Diagnostic } from '../../../core/diagnostics.js';
import type { Expr } from '../ast.js';
import type { Value, ValueObject } from '../../../core/value.js';

/**
 * One function of the function table. `impl` receives evaluated arguments (after `f(x...)`
 * expansion) and either returns a value or throws a `FunctionError`; the evaluator turns that
 * into a diagnostic located at the offending argument.
 *
 * Unknowns: unless `acceptsUnknown`, a call with any argument containing an unknown returns
 * unknown without calling `impl`, so most functions never see one.
 *
 * Lazy functions (`try`, `can`): `impl` gets an empty `args` array and evaluates arguments on
 * demand through `call.evalArg(i)`.
 */
export interface FunctionDef {
  name: string;
  minArgs: number;
  /** `Infinity` for variadic functions. */
  maxArgs: number;
  acceptsUnknown?: boolean;
  lazy?: boolean;
  impl(args: Value[], call: CallContext): Value;
}

export interface CallContext {
  /** The name the function was called by. */
  readonly name: string;
  /** Number of arguments after expansion. */
  readonly argCount: number;
  /** Directory for relative paths (file(), templatefile()); undefined = none configured. */
  readonly baseDir: string | undefined;
  /**
   * Lazy functions only: evaluates argument `i` now, collecting its diagnostics instead of
   * reporting them. `catchable` is false when a diagnostic is one `try`/`can` must not hide
   * (a reference to something undeclared).
   */
  evalArg(i: number): { value: Value; diagnostics: Diagnostic[]; catchable: boolean };
  /**
   * Evaluates an expression (a parsed template file) in a fresh scope whose only roots are
   * `vars`, with the same function table.
   */
  evalIsolated(expr: Expr, vars: ValueObject): { value: Value; diagnostics: Diagnostic[] };
  /** Reports a diagnostic that has its own location (e.g. inside a template file). */
  report(d: Diagnostic): void;
}

/** Thrown by a function's impl for a bad argument; `argIndex` locates the diagnostic. */
export class FunctionError extends Error {
  constructor(
    message: string,
    readonly argIndex?: number,
  ) {
    super(message);
  }
}
