import { compareStrings, formatNumber } from './primitives.js';
import { isObject, newObject, Unknown, type Value } from './value.js';

/**
 * JSON text ↔ values. Parsed objects get null prototypes (so `__proto__` is an ordinary key);
 * encoding sorts object keys, as Terraform's jsonencode does.
 */
export function parseJsonValue(text: string): Value {
  return fromPlain(JSON.parse(text) as unknown);
}

/** A plain JS value (from JSON.parse or a YAML parser) as a `Value`; throws on other types. */
export function fromPlain(x: unknown): Value {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') return x;
  if (Array.isArray(x)) return x.map(fromPlain);
  if (typeof x === 'object') {
    const o = newObject();
    for (const k of Object.keys(x as object)) o[k] = fromPlain((x as Record<string, unknown>)[k]);
    return o;
  }
  throw new TypeError(`unsupported value of type ${typeof x}`);
}

export interface JsonStyle {
  /** Python json.dumps separators (", " and ": ") and ASCII escaping, as Heat's jsonutils. */
  python?: boolean;
}

/** Encodes a fully known value; throws `Error` on unknown or non-finite numbers. */
export function toJsonText(v: Value, style: JsonStyle = {}): string {
  const py = style.python === true;
  const out: string[] = [];
  const enc = (x: Value): void => {
    if (x === null) out.push('null');
    else if (typeof x === 'string') out.push(py ? pyQuote(x) : goQuote(x));
    else if (typeof x === 'number') {
      if (!Number.isFinite(x)) throw new Error(`cannot encode ${formatNumber(x)} as JSON`);
      out.push(py || Math.abs(x) < 1e21 ? String(x) : formatNumber(x));
    } else if (typeof x === 'boolean') out.push(x ? 'true' : 'false');
    else if (x instanceof Unknown) throw new Error('cannot encode a value that is not known until apply');
    else if (Array.isArray(x)) {
      out.push('[');
      for (let i = 0; i < x.length; i++) {
        if (i) out.push(py ? ', ' : ',');
        enc(x[i]!);
      }
      out.push(']');
    } else if (isObject(x)) {
      out.push('{');
      const keys = Object.keys(x).sort(compareStrings);
      for (let i = 0; i < keys.length; i++) {
        if (i) out.push(py ? ', ' : ',');
        out.push(py ? pyQuote(keys[i]!) : goQuote(keys[i]!), py ? ': ' : ':');
        enc(x[keys[i]!]!);
      }
      out.push('}');
    }
  };
  enc(v);
  return out.join('');
}

const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const HAS_GO_ESCAPE = /[<>&\u2028\u2029]/;

/** Go's encoding/json string quoting (HTML-safe), as Terraform's jsonencode produces. */
export function goQuote(s: string): string {
  const q = JSON.stringify(s);
  return HAS_GO_ESCAPE.test(q) ? q.replace(GO_ESCAPES, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) : q;
}

/** Python's json.dumps string quoting with ensure_ascii=True. */
function pyQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}
