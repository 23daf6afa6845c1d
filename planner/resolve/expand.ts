import type { Expr } from '../expr/ast.js';
import { containsUnknown, isObject, isUnknown, type Value } from '../../core/value.js';
import { error, type Diagnostic } from '../../core/diagnostics.js';
import type { PreparedResource } from './prepare.js';

export interface Expansion {
  kind: 'single' | 'count' | 'for_each';
  /** `[undefined]` for a single instance, indexes for count, keys for for_each. */
  keys: (number | string | undefined)[];
  values?: Map<string, Value>;
}

/** Evaluates `count` / `for_each`, which must be known at plan time (as in Terraform). */
export function expandInstances(p: PreparedResource, evalIn: (e: Expr) => Value, diags: Diagnostic[]): Expansion {
  const { count, forEach } = p.decl;
  if (count && forEach) {
    diags.push(error(`${p.address} sets both \`count\` and \`for_each\`; use one`, forEach.range, undefined, p.address));
    return { kind: 'single', keys: [] };
  }
  if (count) {
    const n = evalIn(count);
    if (isUnknown(n)) {
      diags.push(error(`the \`count\` of ${p.address} is not known until apply`, count.range, 'count must be computable at plan time: use variables or literal values, not attributes of resources that do not exist yet.', p.address));
      return { kind: 'count', keys: [] };
    }
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      diags.push(error(`the \`count\` of ${p.address} must be a whole number ≥ 0, got ${JSON.stringify(n)}`, count.range, undefined, p.address));
      return { kind: 'count', keys: [] };
    }
    return { kind: 'count', keys: Array.from({ length: n }, (_, i) => i) };
  }
  if (forEach) {
    const v = evalIn(forEach);
    if (containsUnknown(v)) {
      diags.push(error(`the \`for_each\` of ${p.address} is not known until apply`, forEach.range, 'for_each keys must be computable at plan time.', p.address));
      return { kind: 'for_each', keys: [] };
    }
    const values = new Map<string, Value>();
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) for (const s of v as string[]) values.set(s, s);
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) values.set(k, x);
    else {
      diags.push(error(`the \`for_each\` of ${p.address} must be a map or a set of strings`, forEach.range, undefined, p.address));
      return { kind: 'for_each', keys: [] };
    }
    return { kind: 'for_each', keys: [...values.keys()], values };
  }
  return { kind: 'single', keys: [undefined] };
}
