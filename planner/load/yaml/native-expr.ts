import { type Expr, type ScopeRefExpr, walk } from '../../expr/ast.js';
import type { Diagnostic } from '../../../core/diagnostics.js';
import type { Range } from '../../../core/source.js';
import { parseHclExpression, parseHclTemplate } from '../hcl/parse.js';
import type { LoadCtx } from './context.js';
import { toExpr } from './to-expr.js';
import type { YNode, YScalar } from './tree.js';

/**
 * Expressions in the native YAML format: YAML data, where a string holding `${` or `%{` is an
 * HCL template (`"${data.network.app.id}"` is a reference, `"db-${var.env}"` a template).
 */
export function nativeExpr(ctx: LoadCtx, node: YNode): Expr {
  return toExpr(ctx, node, { str: (s, value) => (value.includes('${') || value.includes('%{') ? template(ctx, s, value) : undefined) });
}

/** Where the scalar's text starts in the file (inside the quotes; on the first content line). */
export function contentOrigin(ctx: LoadCtx, s: YScalar): { line: number; col: number } {
  let offset = s.start;
  if (s.style === 'double' || s.style === 'single') offset += 1;
  else if (s.style === 'literal' || s.style === 'folded') {
    const nl = ctx.text.indexOf('\n', s.start);
    if (nl >= 0) {
      offset = nl + 1;
      while (ctx.text[offset] === ' ') offset++;
    }
  }
  return ctx.position(Math.min(offset, ctx.text.length));
}

function template(ctx: LoadCtx, s: YScalar, value: string): Expr {
  const { expr, diagnostics } = parseHclTemplate(value, ctx.file, contentOrigin(ctx, s));
  return placed(ctx, s, value, expr, diagnostics);
}

/**
 * Positions inside a scalar map 1:1 onto the file only when the scalar is written on one line
 * without escapes; otherwise (escapes, folded or block text) any range that falls outside the
 * scalar is replaced by the scalar's own range, so every range stays inside the file.
 */
function placed(ctx: LoadCtx, s: YScalar, value: string, expr: Expr, diagnostics: Diagnostic[]): Expr {
  const inner = s.style === 'plain' ? ctx.text.slice(s.start, s.end) : s.style === 'literal' || s.style === 'folded' ? undefined : ctx.text.slice(s.start + 1, s.end - 1);
  const whole = ctx.range(s);
  const fix = (r: Range): Range => (inside(r, whole) ? r : whole);
  for (const d of diagnostics) ctx.diags.push(d.range ? { ...d, range: fix(d.range) } : d);
  if (inner !== value) {
    walk(expr, (e) => {
      e.range = fix(e.range);
      if (e.kind === 'call') e.nameRange = fix(e.nameRange);
      if (e.kind === 'ref') for (const st of e.steps) st.range = fix(st.range);
    });
  }
  return expr;
}

function before(a: { line: number; col: number }, b: { line: number; col: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.col <= b.col);
}

function inside(r: Range, outer: Range): boolean {
  return (
    r.file === outer.file &&
    before({ line: outer.line, col: outer.col }, { line: r.line, col: r.col }) &&
    before({ line: r.endLine, col: r.endCol }, { line: outer.endLine, col: outer.endCol }) &&
    before({ line: r.line, col: r.col }, { line: r.endLine, col: r.endCol })
  );
}

/** A type constraint written as text (`string`, `list(string)`, `object({a = number})`). */
export function typeExpr(ctx: LoadCtx, s: YScalar): Expr | undefined {
  if (typeof s.value !== 'string' || !s.value.trim()) {
    ctx.error('A variable type must be a type constraint such as string, number, bool, list(string) or map(number).', s);
    return undefined;
  }
  const { expr, diagnostics } = parseHclExpression(s.value, ctx.file, contentOrigin(ctx, s));
  const e = placed(ctx, s, s.value, expr, diagnostics);
  return diagnostics.some((d) => d.severity === 'error') ? undefined : e;
}

const DOTTED = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*$/;

/**
 * One `depends_on` entry: `TYPE.NAME`, `data.TYPE.NAME`, `"${TYPE.NAME}"`, or the bare NAME of
 * a resource of this file (looked up in `types`).
 */
export function dependencyRef(ctx: LoadCtx, node: YNode, types: Map<string, string | undefined>): ScopeRefExpr | undefined {
  if (node.kind !== 'scalar' || typeof node.value !== 'string') {
    ctx.error('depends_on lists resources as TYPE.NAME (or data.TYPE.NAME).', node);
    return undefined;
  }
  const range = ctx.range(node);
  const m = /^\$\{\s*([^}]*?)\s*\}$/.exec(node.value);
  const text = m ? m[1]! : node.value.trim();
  if (!DOTTED.test(text)) {
    ctx.error(`"${node.value}" is not a resource address; depends_on lists resources as TYPE.NAME (or data.TYPE.NAME).`, node);
    return undefined;
  }
  const parts = text.split('.');
  const steps = (names: string[]) => names.map((name) => ({ kind: 'attr' as const, name, range }));
  if (parts.length === 1) {
    const name = parts[0]!;
    if (!types.has(name)) {
      ctx.error(`depends_on names "${name}", which is not a resource of this file; write TYPE.NAME for a resource declared elsewhere.`, node);
      return undefined;
    }
    const type = types.get(name);
    return type === undefined ? undefined : { kind: 'ref', root: type, steps: steps([name]), range };
  }
  if (parts[0] === 'data') {
    if (parts.length !== 3) {
      ctx.error(`"${node.value}" is not a data source address; write data.TYPE.NAME.`, node);
      return undefined;
    }
    return { kind: 'ref', root: 'data', steps: steps(parts.slice(1)), range };
  }
  if (parts.length !== 2) {
    ctx.error(`"${node.value}" is not a resource address; write TYPE.NAME.`, node);
    return undefined;
  }
  return { kind: 'ref', root: parts[0]!, steps: steps([parts[1]!]), range };
}
