import { parseJsonValue } from '../../core/json.js';
import {
  describeValueType,
  formatNumber,
  hasKey,
  parseNumber,
  primitiveToString,
  toBoolLoose,
  toSetList,
  unknownBool,
  unknownNumber,
  unknownString,
} from '../../core/primitives.js';
import { describeType, type HotParameterType, type TypeSpec } from './type-spec.js';
import { isObject, newObject, Unknown, type Value } from '../../core/value.js';

/**
 * Converts a value to a type with Terraform's rules (number↔string, bool↔string, tuple→list,
 * object→map, set de-duplication, missing optional attributes → default or null, extra object
 * attributes dropped), or Heat's rules for HOT parameter types. Null converts to null; unknown
 * stays unknown.
 */
export function convertValue(value: Value, type: TypeSpec): { value: Value } | { error: string } {
  try {
    return { value: conv(value, type, '') };
  } catch (e) {
    if (e instanceof ConvError) return { error: e.message };
    throw e;
  }
}

class ConvError extends Error {}

function fail(path: string, msg: string): never {
  throw new ConvError(path ? `${path}: ${msg}` : msg);
}

function sub(path: string, step: string): string {
  return path ? `${path}: ${step}` : step;
}

function got(v: Value): string {
  return describeValueType(v);
}

function conv(v: Value, t: TypeSpec, path: string): Value {
  if (v instanceof Unknown) {
    if (t.kind === 'string') return unknownString;
    if (t.kind === 'number') return unknownNumber;
    if (t.kind === 'bool') return unknownBool;
    return v;
  }
  if (v === null || t.kind === 'any') return v;
  switch (t.kind) {
    case 'string': {
      const s = primitiveToString(v);
      return s !== undefined ? s : fail(path, `a string is required, got ${got(v)}`);
    }
    case 'number': {
      if (typeof v === 'number') return v;
      const n = typeof v === 'string' ? parseNumber(v) : undefined;
      if (n !== undefined) return n;
      return fail(path, typeof v === 'string' ? `a number is required, got ${JSON.stringify(v)}` : `a number is required, got ${got(v)}`);
    }
    case 'bool': {
      const b = toBoolLoose(v);
      if (b !== undefined) return b;
      if (typeof v === 'string' && /^(true|false)$/i.test(v)) {
        return fail(path, `a bool is required; to convert from string, use lowercase "${v.toLowerCase()}"`);
      }
      return fail(path, `a bool is required, got ${typeof v === 'string' ? JSON.stringify(v) : got(v)}`);
    }
    case 'list':
    case 'set': {
      if (!Array.isArray(v)) return fail(path, `a ${describeType(t)} is required, got ${got(v)}`);
      const out = v.map((x, i) => conv(x, t.element, sub(path, `element ${i}`)));
      return t.kind === 'set' ? toSetList(out) : out;
    }
    case 'map': {
      if (!isObject(v)) return fail(path, `a ${describeType(t)} is required, got ${got(v)}`);
      const out = newObject();
      for (const k of Object.keys(v)) out[k] = conv(v[k]!, t.element, sub(path, `element ${JSON.stringify(k)}`));
      return out;
    }
    case 'tuple': {
      if (!Array.isArray(v)) return fail(path, `a tuple is required, got ${got(v)}`);
      if (v.length !== t.elements.length) {
        return fail(path, `a tuple of ${t.elements.length} element${t.elements.length === 1 ? '' : 's'} is required, got ${v.length}`);
      }
      return v.map((x, i) => conv(x, t.elements[i]!, sub(path, `element ${i}`)));
    }
    case 'object': {
      if (!isObject(v)) return fail(path, `an object is required, got ${got(v)}`);
      const out = newObject();
      for (const name of Object.keys(t.attributes)) {
        const a = t.attributes[name]!;
        const p = sub(path, `attribute ${JSON.stringify(name)}`);
        const present = hasKey(v, name);
        if (!present && !a.optional) return fail(path, `attribute ${JSON.stringify(name)} is required`);
        const x = present ? v[name]! : null;
        out[name] = x === null && a.optional && a.default !== undefined ? a.default : conv(x, a.type, p);
      }
      return out;
    }
    case 'hot':
      return convHot(v, t.hot, path);
  }
}

const HEAT_TRUE = new Set(['1', 't', 'true', 'on', 'y', 'yes']);
const HEAT_FALSE = new Set(['0', 'f', 'false', 'off', 'n', 'no']);
const HEAT_NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** Python's str() of a scalar, as Heat applies it to parameter values. */
function pyStr(v: Value): string | undefined {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  return undefined;
}

function convHot(v: Value, hot: HotParameterType, path: string): Value {
  switch (hot) {
    case 'string': {
      const s = pyStr(v);
      return s !== undefined ? s : fail(path, `a string is required, got ${got(v)}`);
    }
    case 'number': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && HEAT_NUMBER.test(v.trim())) return Number(v.trim());
      return fail(path, `Value must be a number, got ${typeof v === 'string' ? JSON.stringify(v) : got(v)}`);
    }
    case 'boolean': {
      if (typeof v === 'boolean') return v;
      const s = pyStr(v);
      if (s !== undefined) {
        const w = s.trim().toLowerCase();
        if (HEAT_TRUE.has(w)) return true;
        if (HEAT_FALSE.has(w)) return false;
      }
      return fail(
        path,
        `Unrecognized value ${JSON.stringify(s ?? got(v))}, acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'`,
      );
    }
    case 'comma_delimited_list': {
      if (Array.isArray(v)) {
        return v.map((x, i) => {
          const s = pyStr(x);
          return s !== undefined ? s : fail(sub(path, `element ${i}`), `a string is required, got ${got(x)}`);
        });
      }
      if (typeof v === 'string') return v === '' ? [] : v.split(',');
      return fail(path, `Value must be a comma-delimited list string, got ${got(v)}`);
    }
    case 'json': {
      if (Array.isArray(v) || isObject(v)) return v;
      if (typeof v === 'string') {
        if (v === '') return newObject();
        let parsed: Value;
        try {
          parsed = parseJsonValue(v);
        } catch (e) {
          return fail(path, `Value must be valid JSON: ${(e as Error).message}`);
        }
        if (Array.isArray(parsed) || isObject(parsed)) return parsed;
        return fail(path, `Value must be a JSON map or list, got ${got(parsed)}`);
      }
      return fail(path, `Value must be valid JSON (a map or list), got ${got(v)}`);
    }
  }
}
