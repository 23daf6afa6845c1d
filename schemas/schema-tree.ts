import type { JsonSchema, SchemaFile } from './files.js';

/**
 * Navigation of the schema JSON as data (no ajv): `$ref` resolution across files, JSON
 * pointers, and stepping from a schema to the schema of a property or list element.
 */

export type Step = string | number;

export class SchemaTree {
  private readonly byId = new Map<string, JsonSchema>();
  private readonly derefCache = new WeakMap<JsonSchema, JsonSchema>();

  constructor(files: SchemaFile[]) {
    for (const f of files) {
      const id = String(f.schema.$id);
      this.byId.set(id, absolutize(f.schema, id) as JsonSchema);
    }
  }

  root(id: string): JsonSchema | undefined {
    return this.byId.get(id);
  }

  /** The node at an absolute URL with a JSON-pointer fragment (`…/common.json#/$defs/name`). */
  at(url: string): JsonSchema | undefined {
    const hash = url.indexOf('#');
    const doc = this.byId.get(hash < 0 ? url : url.slice(0, hash));
    if (!doc || hash < 0) return doc;
    return pointer(doc, url.slice(hash + 1));
  }

  /** A node with its `$ref` (recursively) merged in; the node's own keywords win. */
  deref(node: JsonSchema): JsonSchema {
    const cached = this.derefCache.get(node);
    if (cached) return cached;
    let out = node;
    if (typeof node.$ref === 'string') {
      const target = this.at(node.$ref);
      if (!target) throw new Error(`schema reference not found: ${node.$ref}`);
      const { $ref: _ref, ...own } = node;
      out = { ...this.deref(target), ...own };
    }
    this.derefCache.set(node, out);
    return out;
  }

  /**
   * The schema of a property (string step) or list element (number step). A string step on a
   * list schema steps into its elements first, so `['users', 'databases']` works as well as
   * `['users', 0, 'databases']`.
   */
  child(node: JsonSchema, step: Step): JsonSchema | undefined {
    const n = this.deref(node);
    if (isListSchema(n)) {
      const items = asSchema(n.items);
      if (!items) return undefined;
      return typeof step === 'number' ? items : this.child(items, step);
    }
    if (typeof step === 'number') return undefined;
    const props = asSchema(n.properties);
    if (props && Object.prototype.hasOwnProperty.call(props, step)) return asSchema(props[step]);
    return asSchema(n.additionalProperties);
  }

  /** The object schema whose `properties` a string step is looked up in (for `required`). */
  objectFor(node: JsonSchema): JsonSchema {
    const n = this.deref(node);
    if (isListSchema(n)) {
      const items = asSchema(n.items);
      return items ? this.objectFor(items) : n;
    }
    return n;
  }

  walk(root: JsonSchema, path: readonly Step[]): JsonSchema | undefined {
    let node: JsonSchema | undefined = root;
    for (const step of path) {
      node = this.child(node, step);
      if (!node) return undefined;
    }
    return node;
  }
}

export function isListSchema(n: JsonSchema): boolean {
  return n.type === 'array' || (Array.isArray(n.type) && n.type.length === 1 && n.type[0] === 'array');
}

export function asSchema(v: unknown): JsonSchema | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonSchema) : undefined;
}

/** RFC 6901 pointer lookup; `ptr` is the fragment without `#` ("/$defs/name" or ""). */
export function pointer(doc: unknown, ptr: string): JsonSchema | undefined {
  let cur: unknown = doc;
  for (const raw of ptr.split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return asSchema(cur);
}

/** A deep copy with every `$ref` made absolute against the file's `$id`. */
function absolutize(v: unknown, base: string): unknown {
  if (Array.isArray(v)) return v.map((x) => absolutize(x, base));
  if (typeof v !== 'object' || v === null) return v;
  const out: JsonSchema = {};
  for (const [k, x] of Object.entries(v)) {
    out[k] = k === '$ref' && typeof x === 'string' ? new URL(x, base).href : absolutize(x, base);
  }
  return out;
}
