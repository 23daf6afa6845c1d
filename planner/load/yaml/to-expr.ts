import type { Expr, LiteralExpr, ObjectItem } from '../../expr/ast.js';
import { keyText, type LoadCtx } from './context.js';
import type { YMap, YNode, YScalar } from './tree.js';

/**
 * Hooks a language gives the generic YAML → Expr conversion: `fn` sees every map with exactly
 * one key (an intrinsic function candidate) and returns undefined to leave it as data; `str`
 * sees every string scalar (native YAML turns `${…}` strings into templates).
 */
export interface ExprHooks {
  fn?: (map: YMap, name: string, args: YNode) => Expr | undefined;
  str?: (node: YScalar, value: string) => Expr | undefined;
}

// See tree.ts: give the literal's `value` field its general representation up front.
for (const v of [true, 1, 0.5, 'x', null]) {
  const l: LiteralExpr = { kind: 'literal', value: null, range: { file: '', line: 1, col: 1, endLine: 1, endCol: 1 } };
  l.value = v;
}

const NUMBER_SOURCE = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/** A scalar as a literal; numbers keep their source text in `raw`. */
export function literalOf(ctx: LoadCtx, node: YScalar): LiteralExpr {
  const lit: LiteralExpr = { kind: 'literal', value: node.value, range: ctx.range(node) };
  if (typeof node.value === 'number' && node.style === 'plain') {
    const raw = ctx.text.slice(node.start, node.end);
    if (NUMBER_SOURCE.test(raw)) lit.raw = raw;
  }
  return lit;
}

/**
 * Converts a YAML node to an Expr: maps → `object` (keys literal strings), sequences →
 * `tuple`, scalars → `literal`, except where a hook takes over.
 */
export function toExpr(ctx: LoadCtx, node: YNode, hooks: ExprHooks): Expr {
  switch (node.kind) {
    case 'scalar':
      if (hooks.str && typeof node.value === 'string') {
        const e = hooks.str(node, node.value);
        if (e) return e;
      }
      return literalOf(ctx, node);
    case 'seq': {
      const items: Expr[] = new Array(node.items.length);
      for (let i = 0; i < node.items.length; i++) items[i] = toExpr(ctx, node.items[i]!, hooks);
      return { kind: 'tuple', items, range: ctx.range(node) };
    }
    case 'map': {
      if (hooks.fn && node.pairs.length === 1) {
        const p = node.pairs[0]!;
        if (p.key.kind === 'scalar' && typeof p.key.value === 'string') {
          const e = hooks.fn(node, p.key.value, p.value);
          if (e) return e;
        }
      }
      return objectOf(ctx, node, (v) => toExpr(ctx, v, hooks));
    }
  }
}

/** A map as an `object` expression with literal string keys; values converted by `value`. */
export function objectOf(ctx: LoadCtx, node: YMap, value: (v: YNode) => Expr): Expr {
  const pairs = node.pairs;
  let items: ObjectItem[] = new Array(pairs.length);
  let n = 0;
  for (let i = 0; i < pairs.length; i++) {
    const p = pairs[i]!;
    const k = p.key;
    if (k.kind !== 'scalar') {
      ctx.error('A key must be a plain string, not a list or mapping.', k);
      continue;
    }
    items[n++] = { key: { kind: 'literal', value: keyText(ctx.text, k), range: ctx.range(k) }, value: value(p.value) };
  }
  if (n < items.length) items = items.slice(0, n);
  return { kind: 'object', items, range: ctx.range(node) };
}

/** Pure data (no functions, no templates), e.g. a parameter default. */
export function dataExpr(ctx: LoadCtx, node: YNode): Expr {
  return toExpr(ctx, node, {});
}
