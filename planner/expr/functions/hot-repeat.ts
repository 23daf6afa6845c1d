import { describeValueType, hasKey } from '../../../core/primitives.js';
import { isObject, newObject, type Value } from '../../../core/value.js';
import { FunctionError } from './def.js';

/**
 * HOT `repeat: {template, for_each: {<var>: <list or map>}, permutations}`: a copy of the
 * template per combination (itertools.product, or zip when permutations is false), with every
 * occurrence of each var replaced in strings and map keys.
 */
const SYNTAX = '"repeat" syntax should be repeat: {template: "This is %var%", for_each: {"%var%": ["a", "b", "c"]}}';
const MAX_RESULTS = 100_000;

export function repeat(a: Value): Value {
  if (!isObject(a)) throw new FunctionError('Arguments to "repeat" must be a map', 0);
  if (!hasKey(a, 'for_each') || !hasKey(a, 'template')) throw new FunctionError(SYNTAX, 0);
  const forEach = a.for_each!;
  if (!isObject(forEach)) throw new FunctionError('The "for_each" argument to "repeat" must contain a map', 0);
  let nested = true;
  if (hasKey(a, 'permutations')) {
    const p = a.permutations!;
    if (typeof p !== 'boolean') throw new FunctionError('"permutations" should be boolean type for repeat function.', 0);
    nested = p;
  }
  const keys = Object.keys(forEach);
  if (keys.length === 0) throw new FunctionError('The "for_each" argument to "repeat" must not be empty', 0);
  const lists: Value[][] = keys.map((k) => {
    const v = forEach[k]!;
    if (v === null) return [];
    if (Array.isArray(v)) return v;
    if (nested && isObject(v)) return Object.keys(v);
    throw new FunctionError(
      `The values of the "for_each" argument to "repeat" must be lists${nested ? ' or maps' : ''}, not ${describeValueType(v)}`,
      0,
    );
  });
  let combos: Value[][];
  if (nested) {
    combos = [[]];
    for (const l of lists) {
      const next: Value[][] = [];
      for (const c of combos) for (const v of l) next.push([...c, v]);
      combos = next;
      if (combos.length > MAX_RESULTS) throw new FunctionError(`"repeat" would produce more than ${MAX_RESULTS} items`, 0);
    }
  } else {
    const len = lists[0]!.length;
    if (lists.some((l) => l.length !== len)) {
      throw new FunctionError('For repeat, the length of for_each values should be equal if no nested loop.', 0);
    }
    combos = Array.from({ length: len }, (_, i) => lists.map((l) => l[i]!));
  }
  const template = a.template!;
  return combos.map((values) => substitute(keys, values, template, 0));
}

function substitute(keys: string[], values: Value[], t: Value, depth: number): Value {
  if (depth > 500) throw new FunctionError('the "repeat" template is nested too deeply', 0);
  if (typeof t === 'string') {
    let s = t;
    for (let i = 0; i < keys.length; i++) {
      const v = values[i]!;
      if (typeof v !== 'string') {
        throw new FunctionError(`"repeat" can only substitute strings into the template; the value for ${keys[i]} is a ${describeValueType(v)}`, 0);
      }
      s = s.replaceAll(keys[i]!, () => v);
    }
    return s;
  }
  if (Array.isArray(t)) return t.map((x) => substitute(keys, values, x, depth + 1));
  if (isObject(t)) {
    const out = newObject();
    for (const k of Object.keys(t)) out[substitute(keys, values, k, depth + 1) as string] = substitute(keys, values, t[k]!, depth + 1);
    return out;
  }
  return t;
}
