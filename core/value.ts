/**
 * Runtime values of the evaluator. Plain JSON shapes plus one marker, `unknown`: a value not
 * known until apply (a server's address, a generated password). Unknown propagates through
 * every operation that reads it and prints as `(known after apply)`.
 * Objects are created with a null prototype, so keys like `__proto__` are ordinary keys.
 */
export type Value = null | boolean | number | string | Value[] | ValueObject | Unknown;
export interface ValueObject {
  [key: string]: Value;
}

export class Unknown {
  /** The type, where known ("string", "number", …); only for messages. */
  constructor(readonly type?: string) {}
  toString(): string {
    return '(known after apply)';
  }
}

export const unknown = new Unknown();

export function isUnknown(v: unknown): v is Unknown {
  return v instanceof Unknown;
}

export function isObject(v: Value): v is ValueObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

/** True if the value or anything inside it is unknown. */
export function containsUnknown(v: Value): boolean {
  if (v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.some(containsUnknown);
  if (isObject(v)) return Object.values(v).some(containsUnknown);
  return false;
}

export function newObject(entries?: Iterable<[string, Value]>): ValueObject {
  const o = Object.create(null) as ValueObject;
  if (entries) for (const [k, v] of entries) o[k] = v;
  return o;
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return v.type ?? 'unknown';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  return typeof v;
}
