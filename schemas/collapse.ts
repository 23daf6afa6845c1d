import type { ErrorObject } from 'ajv';
import { isAtOrUnder } from './paths.js';

/**
 * Turns ajv's raw error list (allErrors) into the errors a user should see. An `anyOf` /
 * `oneOf` failure comes with every branch's errors; we keep one explanation:
 *  - a branch whose only errors are ignorable (at an unknown value) counts as passing, so the
 *    whole group goes;
 *  - if every branch only misses required attributes of the same object, one synthetic
 *    `x-one-of-required` error ("needs one of `name` or `id`");
 *  - otherwise the branch that got furthest (deepest error, then fewest errors).
 * Innermost groups are settled first, so nested combinators collapse too. A group inside a list
 * fails once per element, with the same schemaPath: branch errors belong to the group whose
 * instancePath they are at or under.
 */

export const ONE_OF_REQUIRED = 'x-one-of-required';

export function collapse(errors: readonly ErrorObject[], ignorable: (e: ErrorObject) => boolean): ErrorObject[] {
  const order = new Map<ErrorObject, number>();
  errors.forEach((e, i) => order.set(e, i));
  let working = [...errors];
  const groups = errors
    .filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')
    .sort((a, b) => b.schemaPath.length - a.schemaPath.length);

  for (const c of groups) {
    if (!working.includes(c)) continue;
    const prefix = `${c.schemaPath}/`;
    const branches = new Map<number, ErrorObject[]>();
    const members = new Set<ErrorObject>([c]);
    for (const e of working) {
      if (e === c || !e.schemaPath.startsWith(prefix) || !isAtOrUnder(e.instancePath, c.instancePath)) continue;
      const index = Number.parseInt(e.schemaPath.slice(prefix.length), 10);
      if (Number.isNaN(index)) continue;
      members.add(e);
      branches.set(index, [...(branches.get(index) ?? []), e]);
    }
    const passing = c.keyword === 'oneOf' && Array.isArray((c.params as { passingSchemas?: unknown }).passingSchemas);
    const replacement = passing ? [c] : settle(c, branches, ignorable);
    for (const r of replacement) if (!order.has(r)) order.set(r, order.get(c)!);
    working = working.filter((e) => !members.has(e)).concat(replacement);
  }
  return working.sort((a, b) => order.get(a)! - order.get(b)!);
}

function settle(c: ErrorObject, branches: Map<number, ErrorObject[]>, ignorable: (e: ErrorObject) => boolean): ErrorObject[] {
  const count = Math.max(-1, ...branches.keys()) + 1;
  // A branch with no errors of its own failed inside a $ref we cannot see into: keep the
  // group's own error rather than guess.
  if (count === 0 || branches.size !== count) return [c];
  const real = [...Array(count).keys()].map((i) => branches.get(i)!.filter((e) => !ignorable(e)));
  if (real.some((errs) => errs.length === 0)) return [];

  const onlyRequired = real.every((errs) => errs.every((e) => e.keyword === 'required' && e.instancePath === c.instancePath));
  if (onlyRequired) {
    const alternatives = real.map((errs) => errs.map((e) => String((e.params as { missingProperty: string }).missingProperty)));
    return [
      {
        keyword: ONE_OF_REQUIRED,
        instancePath: c.instancePath,
        schemaPath: c.schemaPath,
        params: { alternatives },
        message: 'must set one of the alternatives',
      },
    ];
  }

  const depth = (e: ErrorObject): number => (e.instancePath === '' ? 0 : e.instancePath.split('/').length);
  let best = real[0]!;
  for (const errs of real.slice(1)) {
    const d = Math.max(...errs.map(depth));
    const bestD = Math.max(...best.map(depth));
    if (d > bestD || (d === bestD && errs.length < best.length)) best = errs;
  }
  return best;
}
