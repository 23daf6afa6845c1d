import { compareStrings, describeValueType, primitiveToString, sameValue, toBoolLoose, toNumberLoose } from '../../../core/primitives.js';
import { isObject, Unknown, unknown, type Value } from '../../../core/value.js';
import { argInt, argList, argNumber, graphemeCount } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';
import { mapFunctions } from './maps.js';

/** Terraform's list functions (cty stdlib semantics). */

function allAny(list: Value[], want: boolean): Value {
  let unk = false;
  for (let i = 0; i < list.length; i++) {
    const v = list[i]!;
    if (v instanceof Unknown) {
      unk = true;
      continue;
    }
    const b = toBoolLoose(v);
    if (b === undefined) throw new FunctionError(`element ${i} must be a bool, not ${describeValueType(v)}`, 0);
    if (b === !want) return !want;
  }
  return unk ? unknown : want;
}

/** HCL-style coalesce: first argument that is not null or "", with number/bool → string unification. */
function coalesce(args: Value[]): Value {
  const kinds = new Set<string>();
  for (const a of args) if (a !== null && !(a instanceof Unknown)) kinds.add(Array.isArray(a) ? 'list' : typeof a);
  const toString = kinds.has('string') && [...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean');
  if (kinds.size > 1 && !toString) throw new FunctionError('all arguments must have the same type');
  for (const a of args) {
    if (a instanceof Unknown) return unknown;
    if (a === null || a === '') continue;
    return toString ? primitiveToString(a)! : a;
  }
  throw new FunctionError('no non-null, non-empty-string arguments');
}

function flattenInto(list: Value[], out: Value[], depth: number): boolean {
  if (depth > 1000) throw new FunctionError('the list is nested too deeply', 0);
  for (const v of list) {
    if (v instanceof Unknown) {
      // An unknown scalar stays an element; one that may be a list makes the length unknown.
      if (v.type === 'string' || v.type === 'number' || v.type === 'bool' || v.type === 'object') out.push(v);
      else return false;
      continue;
    }
    if (Array.isArray(v)) {
      if (!flattenInto(v, out, depth + 1)) return false;
    } else out.push(v);
  }
  return true;
}

function rangeFn(args: Value[]): Value {
  const n = args.map((a, i) => argNumber(a, i));
  let start = 0;
  let end: number;
  let step: number;
  if (n.length === 1) {
    end = n[0]!;
    step = end < 0 ? -1 : 1;
  } else {
    start = n[0]!;
    end = n[1]!;
    step = n.length === 3 ? n[2]! : end < start ? -1 : 1;
  }
  if (step === 0) throw new FunctionError('step must not be zero', 2);
  const down = step < 0;
  if (down && end > start) throw new FunctionError('end must be less than start when step is negative', 1);
  if (!down && end < start) throw new FunctionError('end must be greater than start when step is positive', 1);
  const out: number[] = [];
  for (let x = start; down ? x > end : x < end; x += step) {
    if (out.length >= 1024) {
      throw new FunctionError('more than 1024 values were generated; either decrease the difference between start and end or use a smaller step');
    }
    out.push(x);
  }
  return out;
}

function sliceFn(list: Value[], start: number, end: number): Value {
  if (start < 0) throw new FunctionError('start index must not be less than zero', 1);
  if (start > list.length) throw new FunctionError('start index must not be greater than the length of the list', 1);
  if (end < 0) throw new FunctionError('end index must not be less than zero', 2);
  if (end > list.length) throw new FunctionError('end index must not be greater than the length of the list', 2);
  if (start > end) throw new FunctionError('start index must not be greater than end index', 1);
  return list.slice(start, end);
}

export const collectionFunctions: FunctionDef[] = [
  { name: 'alltrue', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([l]) => (l instanceof Unknown ? unknown : allAny(argList(l!, 0), true)) },
  { name: 'anytrue', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([l]) => (l instanceof Unknown ? unknown : allAny(argList(l!, 0), false)) },
  {
    name: 'chunklist',
    minArgs: 2,
    maxArgs: 2,
    impl: ([l, s]) => {
      const list = argList(l!, 0);
      const size = argInt(s!, 1);
      if (size < 0) throw new FunctionError('the size argument must be positive', 1);
      if (size === 0) return [list];
      const out: Value[] = [];
      for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
      return out;
    },
  },
  { name: 'coalesce', minArgs: 1, maxArgs: Infinity, acceptsUnknown: true, impl: (args) => coalesce(args) },
  {
    name: 'coalescelist',
    minArgs: 1,
    maxArgs: Infinity,
    acceptsUnknown: true,
    impl: (args) => {
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a instanceof Unknown) return unknown;
        if (a === null) continue;
        if (!Array.isArray(a)) throw new FunctionError('coalescelist arguments must be lists or tuples', i);
        if (a.length > 0) return a;
      }
      throw new FunctionError('no non-null arguments');
    },
  },
  {
    name: 'compact',
    minArgs: 1,
    maxArgs: 1,
    impl: ([l]) => argList(l!, 0).filter((v, i) => {
      if (v === null || v === '') return false;
      if (primitiveToString(v) === undefined) throw new FunctionError(`element ${i} must be a string, not ${describeValueType(v)}`, 0);
      return true;
    }).map((v) => primitiveToString(v)!),
  },
  {
    name: 'concat',
    minArgs: 1,
    maxArgs: Infinity,
    acceptsUnknown: true,
    impl: (args) => {
      const out: Value[] = [];
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a instanceof Unknown) return unknown;
        for (const v of argList(a, i)) out.push(v);
      }
      return out;
    },
  },
  {
    name: 'contains',
    minArgs: 2,
    maxArgs: 2,
    impl: ([l, v]) => argList(l!, 0).some((x) => sameValue(x, v!)),
  },
  {
    name: 'distinct',
    minArgs: 1,
    maxArgs: 1,
    impl: ([l]) => {
      const out: Value[] = [];
      for (const v of argList(l!, 0)) if (!out.some((o) => sameValue(o, v))) out.push(v);
      return out;
    },
  },
  {
    name: 'element',
    minArgs: 2,
    maxArgs: 2,
    acceptsUnknown: true,
    impl: ([l, i]) => {
      if (l instanceof Unknown || i instanceof Unknown) return unknown;
      const list = argList(l!, 0);
      const idx = argInt(i!, 1);
      if (idx < 0) throw new FunctionError('cannot use element function with a negative index', 1);
      if (list.length === 0) throw new FunctionError('cannot use element function with an empty list', 0);
      return list[idx % list.length]!;
    },
  },
  {
    name: 'flatten',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([l]) => {
      if (l instanceof Unknown) return unknown;
      const out: Value[] = [];
      return flattenInto(argList(l!, 0), out, 0) ? out : unknown;
    },
  },
  {
    name: 'index',
    minArgs: 2,
    maxArgs: 2,
    impl: ([l, v]) => {
      const i = argList(l!, 0).findIndex((x) => sameValue(x, v!));
      if (i < 0) throw new FunctionError('item not found', 1);
      return i;
    },
  },
  {
    name: 'length',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([v]) => {
      if (v instanceof Unknown) return unknown;
      if (Array.isArray(v)) return v.length;
      if (isObject(v)) return Object.keys(v).length;
      if (typeof v === 'string') return graphemeCount(v);
      if (v === null) throw new FunctionError('argument must not be null', 0);
      throw new FunctionError(`argument must be a string, a list or a map, not ${describeValueType(v!)}`, 0);
    },
  },
  {
    name: 'one',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([l]) => {
      if (l instanceof Unknown) return unknown;
      if (l === null) return null;
      const list = argList(l!, 0);
      if (list.length > 1) throw new FunctionError(`must be a list, set, or tuple value with either zero or one elements, not ${list.length}`, 0);
      return list.length === 0 ? null : list[0]!;
    },
  },
  { name: 'range', minArgs: 1, maxArgs: 3, impl: (args) => rangeFn(args) },
  {
    name: 'reverse',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([l]) => (l instanceof Unknown ? unknown : [...argList(l!, 0)].reverse()),
  },
  {
    name: 'slice',
    minArgs: 3,
    maxArgs: 3,
    acceptsUnknown: true,
    impl: ([l, s, e]) => {
      if (l instanceof Unknown || s instanceof Unknown || e instanceof Unknown) return unknown;
      return sliceFn(argList(l!, 0), argInt(s!, 1), argInt(e!, 2));
    },
  },
  {
    name: 'sort',
    minArgs: 1,
    maxArgs: 1,
    impl: ([l]) =>
      argList(l!, 0)
        .map((v, i) => {
          const s = primitiveToString(v);
          if (s === undefined) throw new FunctionError(`element ${i} must be a string, not ${describeValueType(v)}`, 0);
          return s;
        })
        .sort(compareStrings),
  },
  {
    name: 'sum',
    minArgs: 1,
    maxArgs: 1,
    impl: ([l]) => {
      const list = argList(l!, 0);
      if (list.length === 0) throw new FunctionError('cannot sum an empty list', 0);
      let total = 0;
      for (let i = 0; i < list.length; i++) {
        const n = toNumberLoose(list[i]!);
        if (n === undefined) throw new FunctionError(`element ${i} must be a number, not ${describeValueType(list[i]!)}`, 0);
        total += n;
      }
      return total;
    },
  },
  ...mapFunctions,
];
