import { compareStrings, describeValueType, hasKey, primitiveToString, sameValue, sortedKeys } from '../../../core/primitives.js';
import { isObject, newObject, Unknown, unknown, type Value } from '../../../core/value.js';
import { argList, argObject, argString, argStringList } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

/** Terraform's map functions. Keys are always returned in lexical order. */
export const mapFunctions: FunctionDef[] = [
  {
    name: 'keys',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([m]) => (m instanceof Unknown ? unknown : sortedKeys(argObject(m!, 0))),
  },
  {
    name: 'values',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([m]) => {
      if (m instanceof Unknown) return unknown;
      const o = argObject(m!, 0);
      return sortedKeys(o).map((k) => o[k]!);
    },
  },
  {
    name: 'lookup',
    minArgs: 2,
    maxArgs: 3,
    acceptsUnknown: true,
    impl: ([m, k, d]) => {
      if (m instanceof Unknown || k instanceof Unknown) return unknown;
      const o = argObject(m!, 0);
      const key = argString(k!, 1);
      if (hasKey(o, key)) return o[key]!;
      if (d !== undefined) return d;
      throw new FunctionError(`the given map has no key ${JSON.stringify(key)}`, 1);
    },
  },
  {
    name: 'merge',
    minArgs: 0,
    maxArgs: Infinity,
    acceptsUnknown: true,
    impl: (args) => {
      const out = newObject();
      for (let i = 0; i < args.length; i++) {
        const a = args[i]!;
        if (a instanceof Unknown) return unknown;
        if (a === null) continue;
        if (!isObject(a)) throw new FunctionError(`arguments must be maps or objects, not ${describeValueType(a)}`, i);
        for (const k of Object.keys(a)) out[k] = a[k]!;
      }
      return out;
    },
  },
  {
    name: 'transpose',
    minArgs: 1,
    maxArgs: 1,
    impl: ([m]) => {
      const o = argObject(m!, 0);
      const groups = new Map<string, string[]>();
      for (const k of sortedKeys(o)) {
        const v = o[k]!;
        if (v === null) throw new FunctionError(`the value for key ${JSON.stringify(k)} is null`, 0);
        for (const s of argStringList(v, 0)) {
          const g = groups.get(s);
          if (g) g.push(k);
          else groups.set(s, [k]);
        }
      }
      const out = newObject();
      for (const k of [...groups.keys()].sort(compareStrings)) out[k] = groups.get(k)!;
      return out;
    },
  },
  {
    name: 'zipmap',
    minArgs: 2,
    maxArgs: 2,
    impl: ([k, v]) => {
      const keys = argList(k!, 0);
      const values = argList(v!, 1);
      if (keys.length !== values.length) {
        throw new FunctionError(`number of keys (${keys.length}) does not match number of values (${values.length})`);
      }
      const out = newObject();
      for (let i = 0; i < keys.length; i++) {
        if (keys[i] === null) throw new FunctionError(`keys list has null value at index ${i}`, 0);
        const key = primitiveToString(keys[i]!);
        if (key === undefined) throw new FunctionError(`element ${i} of keys must be a string, not ${describeValueType(keys[i]!)}`, 0);
        out[key] = values[i]!;
      }
      return out;
    },
  },
  {
    name: 'matchkeys',
    minArgs: 3,
    maxArgs: 3,
    impl: ([v, k, s]) => {
      const values = argList(v!, 0);
      const keys = argList(k!, 1);
      const search = argList(s!, 2);
      if (values.length !== keys.length) throw new FunctionError('length of keys and values should be equal', 1);
      const out: Value[] = [];
      for (let i = 0; i < keys.length; i++) if (search.some((x) => sameValue(x, keys[i]!))) out.push(values[i]!);
      return out;
    },
  },
];
