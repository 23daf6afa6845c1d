import type { Range } from '../../core/source.js';

/**
 * The one expression AST every input language compiles to (HCL native syntax, YAML, Heat HOT
 * intrinsics, CloudFormation functions). One evaluator (`evaluate.ts`) runs it.
 * Every node carries the range of the source text it came from.
 */
export type Expr =
  | LiteralExpr
  | TupleExpr
  | ObjectExpr
  | TemplateExpr
  | ScopeRefExpr
  | IndexExpr
  | GetAttrExpr
  | SplatExpr
  | SplatItemExpr
  | CallExpr
  | UnaryExpr
  | BinaryExpr
  | ConditionalExpr
  | ForExpr
  | ParenExpr;

export interface LiteralExpr {
  kind: 'literal';
  /** null | boolean | number | string. */
  value: null | boolean | number | string;
  /** Source text of a number literal, kept so integers beyond 2^53 are not lost. */
  raw?: string;
  range: Range;
}

export interface TupleExpr {
  kind: 'tuple';
  items: Expr[];
  range: Range;
}

export interface ObjectItem {
  /** A bare identifier key in HCL (`{ a = 1 }`) is a literal string key. */
  key: Expr;
  value: Expr;
  /** True when the key was written as a bare identifier. */
  bareKey?: boolean;
}

export interface ObjectExpr {
  kind: 'object';
  items: ObjectItem[];
  range: Range;
}

/**
 * A string template: literal parts are `literal` string nodes, `${…}` parts any expression,
 * `%{if}` a `conditional` whose branches are templates, `%{for}` a `for` with result `string`.
 * A template that is exactly one interpolation (`"${x}"`) has `single: true` and evaluates to
 * the value of `x` unconverted, as HCL does.
 */
export interface TemplateExpr {
  kind: 'template';
  parts: Expr[];
  single?: boolean;
  /** True for heredocs. */
  heredoc?: boolean;
  range: Range;
}

/** A traversal step: `.name`, `[expr]`, or a legacy index `.0`. */
export type Step =
  | { kind: 'attr'; name: string; range: Range }
  | { kind: 'index'; key: Expr; range: Range };

/**
 * A reference into the evaluation scope: `var.x`, `local.y`, `count.index`, `each.value`,
 * `data.network.app.id`, `database_instance.orders.host`, `self.x`, a `for` iterator, …
 * HOT `get_param`/`get_resource`/`get_attr` and CFN `Ref`/`Fn::GetAtt` compile to this too,
 * so the dependency graph reads references from one node kind.
 */
export interface ScopeRefExpr {
  kind: 'ref';
  root: string;
  steps: Step[];
  range: Range;
}

export interface IndexExpr {
  kind: 'index';
  target: Expr;
  key: Expr;
  range: Range;
}

export interface GetAttrExpr {
  kind: 'getattr';
  target: Expr;
  name: string;
  range: Range;
}

/**
 * `source[*].a.b` (full splat) or `source.*.a.b` (attribute-only splat). `each` is evaluated
 * once per element with the element bound to the `splatItem` node inside it.
 */
export interface SplatExpr {
  kind: 'splat';
  source: Expr;
  each: Expr;
  style: 'full' | 'attr';
  range: Range;
}

export interface SplatItemExpr {
  kind: 'splatItem';
  range: Range;
}

export interface CallExpr {
  kind: 'call';
  /** Function name in the one registry (`functions.ts`): `join`, `str_replace`, `Fn::Join`, … */
  name: string;
  args: Expr[];
  /** `f(a, b...)`: the last argument is expanded. */
  expandFinal?: boolean;
  nameRange: Range;
  range: Range;
}

export interface UnaryExpr {
  kind: 'unary';
  op: '!' | '-';
  operand: Expr;
  range: Range;
}

export type BinaryOp = '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export interface BinaryExpr {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  range: Range;
}

export interface ConditionalExpr {
  kind: 'conditional';
  cond: Expr;
  then: Expr;
  else: Expr;
  range: Range;
}

/**
 * `[for k, v in coll : value if cond]` (result `tuple`), `{for k, v in coll : key => value... if
 * cond}` (result `object`, `grouping` for `...`), or a template `%{for}` directive (result
 * `string`, the bodies concatenated).
 */
export interface ForExpr {
  kind: 'for';
  keyVar?: string;
  valueVar: string;
  collection: Expr;
  key?: Expr;
  value: Expr;
  cond?: Expr;
  grouping?: boolean;
  result: 'tuple' | 'object' | 'string';
  range: Range;
}

export interface ParenExpr {
  kind: 'paren';
  expr: Expr;
  range: Range;
}

/** Every `ref` in an expression, in source order (for the dependency graph and validation). */
export function collectRefs(expr: Expr, out: ScopeRefExpr[] = []): ScopeRefExpr[] {
  walk(expr, (e) => {
    if (e.kind === 'ref') out.push(e);
  });
  return out;
}

/** Visits every node, parents before children. */
export function walk(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'literal':
    case 'splatItem':
      return;
    case 'tuple':
      for (const i of expr.items) walk(i, visit);
      return;
    case 'object':
      for (const i of expr.items) {
        walk(i.key, visit);
        walk(i.value, visit);
      }
      return;
    case 'template':
      for (const p of expr.parts) walk(p, visit);
      return;
    case 'ref':
      for (const s of expr.steps) if (s.kind === 'index') walk(s.key, visit);
      return;
    case 'index':
      walk(expr.target, visit);
      walk(expr.key, visit);
      return;
    case 'getattr':
      walk(expr.target, visit);
      return;
    case 'splat':
      walk(expr.source, visit);
      walk(expr.each, visit);
      return;
    case 'call':
      for (const a of expr.args) walk(a, visit);
      return;
    case 'unary':
      walk(expr.operand, visit);
      return;
    case 'binary':
      walk(expr.left, visit);
      walk(expr.right, visit);
      return;
    case 'conditional':
      walk(expr.cond, visit);
      walk(expr.then, visit);
      walk(expr.else, visit);
      return;
    case 'for':
      walk(expr.collection, visit);
      if (expr.key) walk(expr.key, visit);
      walk(expr.value, visit);
      if (expr.cond) walk(expr.cond, visit);
      return;
    case 'paren':
      walk(expr.expr, visit);
      return;
  }
}

/** The direct sub-expressions of a node, in source order. */
export function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'literal':
    case 'splatItem':
      return [];
    case 'tuple':
      return expr.items;
    case 'object':
      return expr.items.flatMap((i) => [i.key, i.value]);
    case 'template':
      return expr.parts;
    case 'ref':
      return expr.steps.flatMap((s) => (s.kind === 'index' ? [s.key] : []));
    case 'index':
      return [expr.target, expr.key];
    case 'getattr':
      return [expr.target];
    case 'splat':
      return [expr.source, expr.each];
    case 'call':
      return expr.args;
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'conditional':
      return [expr.cond, expr.then, expr.else];
    case 'for':
      return [expr.collection, ...(expr.key ? [expr.key] : []), expr.value, ...(expr.cond ? [expr.cond] : [])];
    case 'paren':
      return [expr.expr];
  }
}

/**
 * The first node (in source order) lying more than `max` levels below `expr`, found without
 * recursion — so a tree too deep for the recursive walkers (5,000 chained `+`, 20,000 `[0]`) is
 * caught before any of them runs.
 */
export function nodeBeyondDepth(expr: Expr, max: number): Expr | undefined {
  const stack: [Expr, number][] = [[expr, 0]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    if (d > max) return e;
    const kids = children(e);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, d + 1]);
  }
  return undefined;
}
