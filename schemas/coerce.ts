import { convertValue } from '../planner/expr/convert.js';
import { isObject, isUnknown, newObject, type Value } from '../planner/expr/value.js';
import { schemaAt } from './catalog.js';
import type { Mode } from './files.js';
import type { Step } from './schema-tree.js';

/**
 * Converts primitive values to the primitive type their schema asks for, with Terraform's
 * conversion rules (planner/expr/convert.ts): `admin_state_up = "true"` → true, `size = "8"`
 * → 8, `name = 5` → "5". Terraform converts configuration to the schema's types before
 * validating; call this before validateResource to do the same. Values that do not convert,
 * union-typed attributes, unknowns and attributes not in the schema are left as they are (and
 * validation then reports what is wrong in schema terms).
 */
export function coerceToSchema(mode: Mode, type: string, value: Value): Value {
  return coerce(mode, type, value, []);
}

const KINDS: Record<string, 'string' | 'number' | 'bool'> = { string: 'string', number: 'number', integer: 'number', boolean: 'bool' };

function coerce(mode: Mode, type: string, v: Value, path: Step[]): Value {
  if (v === null || isUnknown(v)) return v;
  if (Array.isArray(v)) return v.map((x, i) => coerce(mode, type, x, [...path, i]));
  if (isObject(v)) {
    const out = newObject();
    for (const k of Object.keys(v)) out[k] = coerce(mode, type, v[k]!, [...path, k]);
    return out;
  }
  const kind = kindAt(mode, type, path);
  if (kind === undefined || typeof v === (kind === 'bool' ? 'boolean' : kind)) return v;
  const converted = convertValue(v, { kind });
  return 'value' in converted ? converted.value : v;
}

const kinds = new Map<string, 'string' | 'number' | 'bool' | undefined>();

/** The primitive kind the schema asks for at a path; cached (list indices do not matter). */
function kindAt(mode: Mode, type: string, path: Step[]): 'string' | 'number' | 'bool' | undefined {
  if (!path.length) return undefined;
  const key = `${mode}\0${type}\0${path.map((s) => (typeof s === 'number' ? '#' : s)).join('\0')}`;
  if (kinds.has(key)) return kinds.get(key);
  const schemaType = schemaAt(mode, type, path)?.type;
  const kind = typeof schemaType === 'string' ? KINDS[schemaType] : undefined;
  kinds.set(key, kind);
  return kind;
}
