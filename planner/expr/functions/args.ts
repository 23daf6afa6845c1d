import { describeValueType, parseNumber, primitiveToString, toBoolLoose } from '../../../core/primitives.js';
import { isObject, type Value, type ValueObject } from '../../../core/value.js';
import { FunctionError } from './def.js';

/**
 * Argument readers with HCL's automatic conversions (a number where a string is wanted, a
 * numeric string where a number is wanted). Each throws a `FunctionError` naming the argument.
 */

function ordinal(i: number): string {
  return `argument ${i + 1}`;
}

export function argString(v: Value, i: number): string {
  const s = primitiveToString(v);
  if (s === undefined) throw new FunctionError(`${ordinal(i)} must be a string, not ${describeValueType(v)}`, i);
  return s;
}

export function argNumber(v: Value, i: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseNumber(v);
    if (n !== undefined) return n;
    throw new FunctionError(`${ordinal(i)} must be a number; "${v}" is not a number`, i);
  }
  throw new FunctionError(`${ordinal(i)} must be a number, not ${describeValueType(v)}`, i);
}

export function argInt(v: Value, i: number): number {
  const n = argNumber(v, i);
  if (!Number.isInteger(n)) throw new FunctionError(`${ordinal(i)} must be a whole number, not ${n}`, i);
  return n;
}

export function argBool(v: Value, i: number): boolean {
  const b = toBoolLoose(v);
  if (b === undefined) throw new FunctionError(`${ordinal(i)} must be a bool, not ${describeValueType(v)}`, i);
  return b;
}

export function argList(v: Value, i: number): Value[] {
  if (Array.isArray(v)) return v;
  throw new FunctionError(`${ordinal(i)} must be a list, not ${describeValueType(v)}`, i);
}

export function argObject(v: Value, i: number): ValueObject {
  if (isObject(v)) return v;
  throw new FunctionError(`${ordinal(i)} must be a map or object, not ${describeValueType(v)}`, i);
}

export function argStringList(v: Value, i: number): string[] {
  const list = argList(v, i);
  const out: string[] = new Array(list.length);
  for (let k = 0; k < list.length; k++) {
    const s = primitiveToString(list[k]!);
    if (s === undefined) {
      throw new FunctionError(`${ordinal(i)}: element ${k} must be a string, not ${describeValueType(list[k]!)}`, i);
    }
    out[k] = s;
  }
  return out;
}

export function argNotNull(v: Value, i: number): Value {
  if (v === null) throw new FunctionError(`${ordinal(i)} must not be null`, i);
  return v;
}

/** Characters of a string as the user sees them (grapheme clusters), for length/substr/strrev. */
let segmenter: Intl.Segmenter | undefined;
export function graphemes(s: string): string[] {
  // ASCII fast path: one code unit per character.
  if (/^[\x00-\x7f]*$/.test(s)) return s.split('');
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const out: string[] = [];
  for (const seg of segmenter.segment(s)) out.push(seg.segment);
  return out;
}

export function graphemeCount(s: string): number {
  if (/^[\x00-\x7f]*$/.test(s)) return s.length;
  return graphemes(s).length;
}
