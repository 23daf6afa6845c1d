import type { Diagnostic } from '../../../core/diagnostics.js';
import { formatRange } from '../../../core/source.js';
import { convertValue } from '../convert.js';
import { describeValueType, primitiveToString, toSetList, unknownBool } from '../../../core/primitives.js';
import type { TypeSpec } from '../type-spec.js';
import { containsUnknown, isObject, newObject, Unknown, unknown, type Value } from '../../../core/value.js';
import { FunctionError, type CallContext, type FunctionDef } from './def.js';

/** Type conversion functions, and the lazy `try` / `can`. */

function convertTo(v: Value, type: TypeSpec, what: string): Value {
  const r = convertValue(v, type);
  if ('error' in r) throw new FunctionError(`cannot convert ${describeValueType(v)} to ${what}: ${r.error}`, 0);
  return r.value;
}

/**
 * Unifies collection elements as Terraform does for tolist/toset/tomap: mixed primitives that
 * include a string become strings; other mixtures are an error.
 */
function unifyElements(items: Value[]): Value[] {
  const kinds = new Set<string>();
  for (const v of items) if (v !== null && !(v instanceof Unknown)) kinds.add(Array.isArray(v) ? 'list' : isObject(v) ? 'object' : typeof v);
  if (kinds.size <= 1) return items;
  const prims = [...kinds].every((k) => k === 'string' || k === 'number' || k === 'boolean');
  if (prims && kinds.has('string')) return items.map((v) => (v === null || v instanceof Unknown ? v : primitiveToString(v)!));
  throw new FunctionError(`all elements must have the same type, found ${[...kinds].sort().join(' and ')}`, 0);
}

function toList(v: Value, set: boolean): Value {
  if (v instanceof Unknown || v === null) return v;
  if (!Array.isArray(v)) throw new FunctionError(`cannot convert ${describeValueType(v)} to ${set ? 'set' : 'list'}`, 0);
  const items = unifyElements(v);
  return set ? toSetList(items) : items;
}

function toMap(v: Value): Value {
  if (v instanceof Unknown || v === null) return v;
  if (!isObject(v)) throw new FunctionError(`cannot convert ${describeValueType(v)} to map`, 0);
  const keys = Object.keys(v);
  const vals = unifyElements(keys.map((k) => v[k]!));
  return newObject(keys.map((k, i) => [k, vals[i]!]));
}

function describeErrors(diags: Diagnostic[]): string {
  return diags.map((d) => `${d.summary}${d.range ? ` (at ${formatRange(d.range)})` : ''}`).join('; ');
}

function tryFn(call: CallContext): Value {
  const failures: Diagnostic[] = [];
  for (let i = 0; i < call.argCount; i++) {
    const r = call.evalArg(i);
    if (!r.catchable) {
      for (const d of r.diagnostics) call.report(d);
      return unknown;
    }
    if (r.diagnostics.length === 0) return containsUnknown(r.value) ? unknown : r.value;
    failures.push(...r.diagnostics);
  }
  throw new FunctionError(`no expression succeeded: ${describeErrors(failures)}`);
}

function canFn(call: CallContext): Value {
  const r = call.evalArg(0);
  if (!r.catchable) {
    for (const d of r.diagnostics) call.report(d);
    return unknown;
  }
  if (r.diagnostics.length > 0) return false;
  return containsUnknown(r.value) ? unknownBool : true;
}

export const typeFunctions: FunctionDef[] = [
  { name: 'tostring', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => convertTo(v!, { kind: 'string' }, 'string') },
  { name: 'tonumber', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => convertTo(v!, { kind: 'number' }, 'number') },
  { name: 'tobool', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => convertTo(v!, { kind: 'bool' }, 'bool') },
  { name: 'tolist', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => toList(v!, false) },
  {
    name: 'toset',
    minArgs: 1,
    maxArgs: 1,
    acceptsUnknown: true,
    impl: ([v]) => (Array.isArray(v) && v.some((x) => x instanceof Unknown) ? unknown : toList(v!, true)),
  },
  { name: 'tomap', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => toMap(v!) },
  { name: 'try', minArgs: 1, maxArgs: Infinity, lazy: true, impl: (_args, call) => tryFn(call) },
  { name: 'can', minArgs: 1, maxArgs: 1, lazy: true, impl: (_args, call) => canFn(call) },
  // dbstack tracks sensitivity in schemas, not in values: these only pass the value through.
  { name: 'sensitive', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => v! },
  { name: 'nonsensitive', minArgs: 1, maxArgs: 1, acceptsUnknown: true, impl: ([v]) => v! },
];
