import type { Expr } from '../expr/ast.js';
import type { Range } from '../../core/source.js';
import { itemKey } from './expr-build.js';

/**
 * The source range of the value (or key) at `path` inside a decoded body expression, or the
 * nearest enclosing expression when the path runs into something computed.
 */
export function locate(root: Expr, path: (string | number)[], kind: 'key' | 'value' = 'value'): Range {
  let cur: Expr = root;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i]!;
    const last = i === path.length - 1;
    while (cur.kind === 'paren' || (cur.kind === 'template' && cur.single)) cur = cur.kind === 'paren' ? cur.expr : cur.parts[0]!;
    if (cur.kind === 'object') {
      const item = cur.items.find((it) => itemKey(it) === String(seg));
      if (!item) return cur.range;
      if (last && kind === 'key') return item.key.range;
      cur = item.value;
    } else if (cur.kind === 'tuple' && typeof seg === 'number' && cur.items[seg]) {
      cur = cur.items[seg]!;
    } else if (cur.kind === 'for') {
      // Any element of a `for` result comes from its one body expression.
      cur = cur.value;
    } else {
      return cur.range;
    }
  }
  return cur.range;
}
