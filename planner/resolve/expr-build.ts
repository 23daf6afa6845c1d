import type { Expr, LiteralExpr, ObjectExpr, ObjectItem, ScopeRefExpr } from '../expr/ast.js';
import { walk } from '../expr/ast.js';
import type { Range } from '../../core/source.js';

/** Small constructors and queries for synthesised expressions (decoding, aliasing). */
export function str(value: string, range: Range): LiteralExpr {
  return { kind: 'literal', value, range };
}

export function objectExpr(items: ObjectItem[], range: Range): ObjectExpr {
  return { kind: 'object', items, range };
}

/** The literal string key of an object item, or undefined for a computed key. */
export function itemKey(item: ObjectItem): string | undefined {
  const k = item.key;
  if (k.kind === 'literal' && typeof k.value === 'string') return k.value;
  if (k.kind === 'ref' && k.steps.length === 0) return k.root;
  if (k.kind === 'template' && k.parts.length === 1 && k.parts[0]!.kind === 'literal') return String(k.parts[0]!.value);
  return undefined;
}

export function findItem(obj: ObjectExpr, key: string): ObjectItem | undefined {
  return obj.items.find((i) => itemKey(i) === key);
}

/** Rewrites every reference in place (used for dynamic-block iterators and type aliases). */
export function forEachRef(expr: Expr, visit: (ref: ScopeRefExpr) => void): void {
  walk(expr, (e) => {
    if (e.kind === 'ref') visit(e);
  });
}
