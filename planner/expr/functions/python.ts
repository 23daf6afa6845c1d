import { toJsonText } from '../../../core/json.js';
import { formatNumber, hasKey } from '../../../core/primitives.js';
import { isObject, type Value } from '../../../core/value.js';

/** Python behaviours Heat's intrinsics inherit: str(), ==, json.dumps, urllib quoting. */

/** Python's str() of a scalar (True → "True"); undefined for collections and null. */
export function pyStr(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return undefined;
}

/** Python's == on JSON-like values: True == 1, 1 == 1.0, deep on lists and dicts. */
export function pyEquals(a: Value, b: Value): boolean {
  if (a === b) return true;
  if ((typeof a === 'boolean' || typeof a === 'number') && (typeof b === 'boolean' || typeof b === 'number')) {
    return Number(a) === Number(b);
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEquals(x, b[i]!));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => hasKey(b, k) && pyEquals(a[k]!, b[k]!));
  }
  return false;
}

/** Heat's jsonutils.dumps(value, sort_keys=True). */
export function pyJson(v: Value): string {
  return toJsonText(v, { python: true });
}

const ALWAYS_SAFE = /[A-Za-z0-9_.\-~]/;

/** urllib.parse.quote(s, safe); with `plus`, quote_plus (space → "+"). */
export function pyQuote(s: string, safe = '/', plus = false): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (b < 0x80 && (ALWAYS_SAFE.test(c) || safe.includes(c))) out += c;
    else if (plus && b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
