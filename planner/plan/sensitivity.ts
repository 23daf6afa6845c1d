import { collectRefs, type Expr } from '../expr/ast.js';
import { itemKey } from '../resolve/expr-build.js';
import { matches, type Pattern } from './paths.js';
import type { Path } from './types.js';

/**
 * Attribute paths of a resource body whose value is derived from something sensitive: a
 * sensitive variable, or a sensitive attribute of another resource (`random_password.x.result`).
 * Such values are shown as `(sensitive)` and sealed in plan files, like schema-sensitive ones.
 */
export function sensitiveConfigPaths(
  body: Expr,
  sensitiveVariables: Set<string>,
  metaOf: (mode: 'managed' | 'data', type: string) => { sensitive: Pattern[] },
): Path[] {
  const out: Path[] = [];
  const isSensitive = (e: Expr): boolean =>
    collectRefs(e).some((ref) => {
      const names = ref.steps.map((s) => (s.kind === 'attr' ? s.name : '*'));
      if (ref.root === 'var') return names[0] !== undefined && sensitiveVariables.has(names[0]);
      if (ref.root === 'data') return sensitiveAttr('data', names[0], names.slice(2), metaOf);
      return sensitiveAttr('managed', ref.root, names.slice(1), metaOf);
    });
  const visit = (e: Expr, path: Path): void => {
    if (e.kind === 'object') {
      for (const item of e.items) {
        const k = itemKey(item);
        if (k === undefined) {
          if (isSensitive(item.value)) out.push(path);
        } else visit(item.value, [...path, k]);
      }
    } else if (e.kind === 'tuple') {
      e.items.forEach((x, i) => visit(x, [...path, i]));
    } else if (isSensitive(e)) {
      out.push(path);
    }
  };
  visit(body, []);
  return out;
}

function sensitiveAttr(
  mode: 'managed' | 'data',
  type: string | undefined,
  attrPath: string[],
  metaOf: (mode: 'managed' | 'data', type: string) => { sensitive: Pattern[] },
): boolean {
  if (!type) return false;
  // Skip a `[count]` / `["key"]` index after the name.
  const rest = attrPath[0] === '*' ? attrPath.slice(1) : attrPath;
  if (!rest.length) return true; // the whole object carries its sensitive attributes
  try {
    return metaOf(mode, type).sensitive.some((p) => matches(rest, p) || matches(p, rest.slice(0, p.length)));
  } catch {
    return false;
  }
}
