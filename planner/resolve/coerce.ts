import { convertValue } from '../expr/convert.js';
import { isObject, isUnknown, newObject, type Value, type ValueObject } from '../../core/value.js';
import { schemaAt } from '../../schemas/catalog.js';
import type { SchemaKind } from '../../schemas/files.js';
import type { Step } from '../../schemas/schema-tree.js';

/**
 * Converts primitive values to the primitive type their schema asks for, with Terraform's
 * conversion rules (planner/expr/convert.ts): `admin_state_up = "true"` → true, `size = "8"`
 * → 8, `name = 5` → "5". Terraform converts configuration to the schema's types before
 * validating; call this before validateResource to do the same. Values that do not convert,
 * union-typed attributes, unknowns and attributes not in the schema are left as they are (and
 * validation then reports what is wrong in schema terms).
 */
export function coerceToSchema(mode: SchemaKind, type: string, value: Value): Value {
  return coerce(value, rootNode(mode, type));
}

const KINDS: Record<string, Kind> = { string: 'string', number: 'number', integer: 'number', boolean: 'bool' };
type Kind = 'string' | 'number' | 'bool';

/**
 * The primitive kind the schema asks for at one attribute path, with its children built on
 * first use: every resource of a type walks the same small tree (list indices share a node).
 */
class KindNode {
  private readonly children = new Map<string, KindNode>();
  constructor(
    private readonly mode: SchemaKind,
    private readonly type: string,
    private readonly path: Step[],
    readonly kind: Kind | undefined,
  ) {}

  child(step: string | number): KindNode {
    const key = typeof step === 'number' ? '\0#' : step;
    let c = this.children.get(key);
    if (!c) {
      const path = [...this.path, typeof step === 'number' ? 0 : step];
      const t = schemaAt(this.mode, this.type, path)?.type;
      c = new KindNode(this.mode, this.type, path, typeof t === 'string' ? KINDS[t] : undefined);
      this.children.set(key, c);
    }
    return c;
  }
}

const roots = new Map<string, KindNode>();

function rootNode(mode: SchemaKind, type: string): KindNode {
  const key = `${mode}\0${type}`;
  let r = roots.get(key);
  if (!r) roots.set(key, (r = new KindNode(mode, type, [], undefined)));
  return r;
}

/** Returns `v` itself when nothing converts, so a typical configuration allocates nothing. */
function coerce(v: Value, node: KindNode): Value {
  if (v === null || isUnknown(v)) return v;
  if (Array.isArray(v)) {
    let out: Value[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const c = coerce(v[i]!, node.child(i));
      if (c !== v[i]) (out ??= v.slice())[i] = c;
    }
    return out ?? v;
  }
  if (isObject(v)) {
    let out: ValueObject | undefined;
    for (const k of Object.keys(v)) {
      const c = coerce(v[k]!, node.child(k));
      if (c !== v[k]) (out ??= newObject(Object.entries(v)))[k] = c;
    }
    return out ?? v;
  }
  const kind = node.kind;
  if (kind === undefined || typeof v === (kind === 'bool' ? 'boolean' : kind)) return v;
  const converted = convertValue(v, { kind });
  return 'value' in converted ? converted.value : v;
}
