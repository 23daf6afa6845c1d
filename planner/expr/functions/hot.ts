import { describeValueType, formatNumber, hasKey, OMITTED, unknownBool } from '../../../core/primitives.js';
import { isObject, newObject, Unknown, unknown, type Value, type ValueObject } from '../../../core/value.js';
import { FunctionError, type FunctionDef } from './def.js';
import { pyEquals } from './python.js';
import { repeat } from './hot-repeat.js';
import { yaql } from './hot-yaql.js';

/**
 * Heat HOT collection and condition intrinsics, per heat/engine/hot/functions.py. Mapping
 * arguments arrive as one object argument (`repeat`, `yaql`, `map_replace`'s replacements);
 * list arguments as separate arguments. HOT's `contains` is registered as `hot:contains`
 * because Terraform's `contains` (list, value) takes its arguments the other way round.
 */

function asMap(v: Value, i: number, what: string): ValueObject {
  if (v === null) return newObject();
  if (isObject(v)) return v;
  throw new FunctionError(`Incorrect arguments: ${what} must be maps, not ${describeValueType(v)}`, i);
}

function asList(v: Value, i: number, fn: string): Value[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  throw new FunctionError(`Incorrect arguments: Items to concat must be lists. Argument ${i + 1} of "${fn}" is a ${describeValueType(v)}`, i);
}

function mapReplace(input: Value, repl: Value): Value {
  const inMap = asMap(input, 0, '"map_replace" arguments');
  const r = asMap(repl, 1, '"map_replace" arguments');
  for (const k of Object.keys(r)) {
    if (k !== 'keys' && k !== 'values') {
      throw new FunctionError('Incorrect arguments to "map_replace" should be: "map_replace" : [ { "key1": "val1" }, {"keys": {"key1": "key2"}, "values": {"val1": "val2"}}]', 1);
    }
  }
  const keys = asMap(hasKey(r, 'keys') ? r.keys! : null, 1, '"keys" and "values" of "map_replace"');
  const values = asMap(hasKey(r, 'values') ? r.values! : null, 1, '"keys" and "values" of "map_replace"');
  const out = newObject();
  for (const k of Object.keys(inMap)) {
    const v = inMap[k]!;
    const mapped = hasKey(keys, k) ? keys[k]! : null;
    let key: string;
    if (mapped === null) key = k;
    else if (typeof mapped !== 'string') throw new FunctionError(`key replacement for ${k} must be a string`, 1);
    else key = mapped;
    if (key !== k && hasKey(inMap, key)) throw new FunctionError(`key replacement ${key} collides with a key in the input map`, 1);
    else if (hasKey(out, key)) throw new FunctionError(`key replacement ${key} collides with a key in the output map`, 1);
    const lookup = typeof v === 'string' ? v : typeof v === 'number' ? formatNumber(v) : undefined;
    out[key] = lookup !== undefined && hasKey(values, lookup) ? values[lookup]! : v;
  }
  return out;
}

function condition(v: Value, fn: string, i: number): boolean | undefined {
  if (v instanceof Unknown) return undefined;
  if (typeof v === 'boolean') return v;
  throw new FunctionError(`Arguments to "${fn}" must be conditions (true or false), not ${describeValueType(v)}`, i);
}

function andOr(args: Value[], fn: 'and' | 'or'): Value {
  let unk = false;
  const decisive = fn === 'or';
  for (let i = 0; i < args.length; i++) {
    const c = condition(args[i]!, fn, i);
    if (c === undefined) unk = true;
    else if (c === decisive) return decisive;
  }
  return unk ? unknownBool : !decisive;
}

function filter(values: Value, seq: Value): Value {
  if (seq === null || (Array.isArray(seq) && seq.length === 0) || seq === '' || seq === false || seq === 0) return seq;
  if (!Array.isArray(seq)) throw new FunctionError('"filter" only works with lists', 1);
  if (values === null || (Array.isArray(values) && values.length === 0)) return seq;
  if (!Array.isArray(values)) throw new FunctionError('"filter" filters a list of values', 0);
  return seq.filter((x) => !values.some((v) => pyEquals(v, x)));
}

function listConcat(args: Value[], unique: boolean, fn: string): Value {
  const out: Value[] = [];
  for (let i = 0; i < args.length; i++) {
    for (const v of asList(args[i]!, i, fn)) if (!unique || !out.some((o) => pyEquals(o, v))) out.push(v);
  }
  return out;
}

function hotContains(value: Value, seq: Value): Value {
  if (typeof seq === 'string') {
    if (typeof value !== 'string') throw new FunctionError(`'in <string>' requires string as left operand, not ${describeValueType(value)}`, 0);
    return seq.includes(value);
  }
  if (!Array.isArray(seq)) throw new FunctionError('Second argument to "contains" should be a sequence.', 1);
  return seq.some((x) => pyEquals(value, x));
}

export const hotFunctions: FunctionDef[] = [
  { name: 'repeat', minArgs: 1, maxArgs: 1, impl: ([a]) => repeat(a!) },
  {
    name: 'map_merge',
    minArgs: 1,
    maxArgs: Infinity,
    impl: (args) => {
      const out = newObject();
      args.forEach((a, i) => {
        const m = asMap(a, i, 'Items to merge');
        for (const k of Object.keys(m)) out[k] = m[k]!;
      });
      return out;
    },
  },
  { name: 'map_replace', minArgs: 2, maxArgs: 2, impl: ([m, r]) => mapReplace(m!, r!) },
  { name: 'equals', minArgs: 2, maxArgs: 2, impl: ([a, b]) => pyEquals(a!, b!) },
  {
    name: 'not',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([c]) => {
      const b = condition(c!, 'not', 0);
      return b === undefined ? unknownBool : !b;
    },
  },
  { name: 'and', minArgs: 2, maxArgs: Infinity, acceptsUnknown: true, impl: (args) => andOr(args, 'and') },
  { name: 'or', minArgs: 2, maxArgs: Infinity, acceptsUnknown: true, impl: (args) => andOr(args, 'or') },
  { name: 'filter', minArgs: 2, maxArgs: 2, impl: ([v, s]) => filter(v!, s!) },
  { name: 'list_concat', minArgs: 0, maxArgs: Infinity, impl: (args) => listConcat(args, false, 'list_concat') },
  { name: 'list_concat_unique', minArgs: 0, maxArgs: Infinity, impl: (args) => listConcat(args, true, 'list_concat_unique') },
  { name: 'hot:contains', minArgs: 2, maxArgs: 2, impl: ([v, s]) => hotContains(v!, s!) },
  { name: 'yaql', minArgs: 1, maxArgs: 1, impl: ([a]) => yaql(a!) },
  // `if: [cond, value]` with no false value: the enclosing item is dropped (see OMITTED).
  { name: 'omitted', minArgs: 0, maxArgs: 0, impl: () => OMITTED },
  // Stands where a loader already reported an error: unknown, so nothing downstream repeats it.
  { name: 'invalid', minArgs: 0, maxArgs: 0, impl: () => unknown },
  {
    name: 'resource_facade',
    minArgs: 1,
    maxArgs: 1,
    impl: ([a]) => {
      if (typeof a !== 'string' || !FACADE.includes(a)) {
        throw new FunctionError('Incorrect arguments to "resource_facade" should be one of: metadata, deletion_policy, update_policy', 0);
      }
      throw new FunctionError('resource_facade reads the resource that uses this template as a nested stack; dbstack stacks are not nested, so there is none', 0);
    },
  },
];

const FACADE = ['metadata', 'deletion_policy', 'update_policy', 'Metadata', 'DeletionPolicy', 'UpdatePolicy'];
