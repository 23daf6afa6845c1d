import type { Diagnostic } from '../../core/diagnostics.js';
import type { Expr } from './ast.js';
import { Evaluator } from './eval-node.js';
import { hasKey } from '../../core/primitives.js';
import type { Value, ValueObject } from '../../core/value.js';

/**
 * The one evaluator: runs an `Expr` from any input language against a context of named roots.
 * Never throws for bad input: every problem is a diagnostic at the offending node's range, the
 * node evaluates to `unknown`, and evaluation continues so one run reports every error.
 */
export interface EvalContext {
  /** Value of a reference root (`var`, `local`, `each`, `count`, `self`, `data`, `stack`, `condition`, a resource type name like `database_instance`, …); undefined = no such root. */
  root(name: string): Value | undefined;
  /** Root names for did-you-mean in "unknown reference" errors. */
  rootNames?(): Iterable<string>;
  /** Directory for file()/templatefile() relative paths; absent = those functions error. */
  baseDir?: string;
}

export interface EvalResult {
  value: Value;
  diagnostics: Diagnostic[];
}

export function evaluate(expr: Expr, ctx: EvalContext): EvalResult {
  return new Evaluator(ctx).run(expr);
}

/**
 * A context whose roots are `vars` first, then `parent`'s — for `count`/`each`/`self` scopes
 * around one resource instance. `vars` is read live, not copied.
 */
export function childContext(parent: EvalContext, vars: ValueObject): EvalContext {
  return {
    root: (name) => (hasKey(vars, name) ? vars[name] : parent.root(name)),
    rootNames: () => {
      const names = new Set(Object.keys(vars));
      if (parent.rootNames) for (const n of parent.rootNames()) names.add(n);
      return names;
    },
    baseDir: parent.baseDir,
  };
}

/** A context with exactly the roots in `vars` (templatefile's scope; tests). */
export function objectContext(vars: ValueObject, baseDir?: string): EvalContext {
  const ctx: EvalContext = {
    root: (name) => (hasKey(vars, name) ? vars[name] : undefined),
    rootNames: () => Object.keys(vars),
  };
  if (baseDir !== undefined) ctx.baseDir = baseDir;
  return ctx;
}
