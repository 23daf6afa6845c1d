import { isObject, isUnknown, Unknown, type Value, type ValueObject } from './value.js';

/**
 * Small value helpers shared by the evaluator, the type conversions and the functions:
 * HCL's number↔string rules, deep equality with unknowns, stable key order.
 */

/** Typed unknowns, allocated once (the type is only for messages; test with `isUnknown`). */
export const unknownString = new Unknown('string');
export const unknownNumber = new Unknown('number');
export const unknownBool = new Unknown('bool');
export const unknownList = new Unknown('list');
export const unknownObject = new Unknown('object');

/**
 * HOT `if: [cond, value]` without a false value (2021-04-16): the loader compiles the missing
 * branch to `omitted()`, which evaluates to this marker. Tuple and object constructors and
 * call argument lists drop an item whose value is this marker, as Heat drops the enclosing
 * item; a whole expression that is omitted evaluates to null. Anything else that meets it
 * treats it as unknown.
 */
export const OMITTED = new Unknown('omitted');

const hasOwn = Object.prototype.hasOwnProperty;

/** Own-key test that works for null-prototype and plain objects alike. */
export function hasKey(o: ValueObject, key: string): boolean {
  return hasOwn.call(o, key);
}

/** The keys of an object in HCL's iteration order (lexical). */
export function sortedKeys(o: ValueObject): string[] {
  return Object.keys(o).sort(compareStrings);
}

/** Lexical order by code point (cty sorts strings by their UTF-8 bytes, which is the same). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

const NUMBER_RE = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** HCL's string → number conversion: decimal notation only, no spaces, no hex. */
export function parseNumber(s: string): number | undefined {
  if (!NUMBER_RE.test(s)) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

/** HCL's number → string conversion: plain decimal notation, never exponent form. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return '+Inf';
  if (n === -Infinity) return '-Inf';
  if (Object.is(n, -0)) return '0';
  const s = String(n);
  const e = s.indexOf('e');
  if (e < 0) return s;
  return expandExponent(s.slice(0, e), Number(s.slice(e + 1)));
}

function expandExponent(mantissa: string, exp: number): string {
  let sign = '';
  if (mantissa.startsWith('-')) {
    sign = '-';
    mantissa = mantissa.slice(1);
  }
  const dot = mantissa.indexOf('.');
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  const pointAt = (dot < 0 ? mantissa.length : dot) + exp;
  if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
  if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
  return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/** A primitive as HCL converts it to a string; undefined for null, collections and unknown. */
export function primitiveToString(v: Value): string | undefined {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return formatNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** A value as cty converts it to bool: true/false, or the strings "true"/"false"/"1"/"0". */
export function toBoolLoose(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
  }
  return undefined;
}

/** A value as cty converts it to number: numbers, and strings in decimal notation. */
export function toNumberLoose(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return parseNumber(v);
  return undefined;
}

/**
 * Deep equality as HCL's `==`: no type conversion (1 != "1"). Returns undefined when the
 * answer depends on an unknown value.
 */
export function valueEquals(a: Value, b: Value): boolean | undefined {
  if (a === b) return a instanceof Unknown ? undefined : true;
  if (isUnknown(a) || isUnknown(b)) return undefined;
  if (a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    let unsure = false;
    for (let i = 0; i < a.length; i++) {
      const r = valueEquals(a[i]!, b[i]!);
      if (r === false) return false;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : true;
  }
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    let unsure = false;
    for (const k of ka) {
      if (!hasKey(b, k)) return false;
      const r = valueEquals(a[k]!, b[k]!);
      if (r === false) return false;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : true;
  }
  return false;
}

/** Strict known deep equality (unknown compares false); for de-duplication. */
export function sameValue(a: Value, b: Value): boolean {
  return valueEquals(a, b) === true;
}

/** Type words for messages: "string", "number", "bool", "list", "object", "null". */
export function describeValueType(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return v.type ?? 'unknown value';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** Values of an object in lexical key order. */
export function sortedValues(o: ValueObject): Value[] {
  return sortedKeys(o).map((k) => o[k]!);
}

/**
 * Set semantics for lists: duplicates removed; primitives of one kind sorted as cty orders
 * sets (strings lexically, numbers ascending, false before true).
 */
export function toSetList(items: readonly Value[]): Value[] {
  const out: Value[] = [];
  const seen = new Set<string | number | boolean>();
  let allStrings = true;
  let allNumbers = true;
  let allBools = true;
  for (const v of items) {
    if (v !== null && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) {
      if (seen.has(v)) continue;
      seen.add(v);
    } else if (!isUnknown(v) && out.some((o) => sameValue(o, v))) {
      continue;
    }
    if (typeof v !== 'string') allStrings = false;
    if (typeof v !== 'number') allNumbers = false;
    if (typeof v !== 'boolean') allBools = false;
    out.push(v);
  }
  if (allStrings) (out as string[]).sort(compareStrings);
  else if (allNumbers) (out as number[]).sort((a, b) => a - b);
  else if (allBools) (out as boolean[]).sort((a, b) => Number(a) - Number(b));
  return out;
}
