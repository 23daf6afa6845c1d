import { listTypes, readSchemaFiles, schemaId, schemaKey, type JsonSchema, type SchemaKind } from './files.js';
import { SchemaTree, asSchema, isListSchema, type Step } from './schema-tree.js';

/**
 * What the schemas say about each resource type, for the planner: which attributes exist,
 * which the provider computes, which are sensitive, which force replacement, and how HCL
 * blocks map onto attributes. Reads the schema JSON files once, synchronously, on first use.
 *
 * Modes: 'managed' (resources/), 'data' (data/), 'provider' (providers/).
 * Paths are attribute paths in value coordinates: property names and list indices
 * (`['users', 0, 'password']`). In the path lists returned by sensitivePaths / forceNewPaths,
 * `'*'` stands for every element of a list or every value of a map.
 */

export type { SchemaKind } from './files.js';
export type AttrPath = Step[];
export type PathPattern = string[];

export interface BlockInfo {
  /** The HCL block type (`database`, `user`, `datastore`). */
  name: string;
  /** The attribute of each element that the block's one label fills (`database "orders"` → name). */
  label?: string;
  /** One nested object (`datastore { … }`) rather than a list of them. */
  single: boolean;
}

export interface AttributeInfo {
  /** Set by the provider (or inside an attribute that is). */
  computed: boolean;
  /** The user may leave it unset. For a computed attribute: the user may also set it. */
  optional: boolean;
  /** The user must set it (never true for a computed attribute). */
  required: boolean;
  /** Its value (or an enclosing attribute's) is secret: never shown in plans or messages. */
  sensitive: boolean;
  /** Changing it (or an enclosing attribute) replaces the resource. */
  forceNew: boolean;
  /** How HCL writes it as blocks, if it is written as blocks. */
  block?: BlockInfo;
  description?: string;
}

/** One entry of blockAttributes: block type → the attribute it fills. */
export interface BlockAttribute {
  property: string;
  label?: string;
  single: boolean;
}

let tree: SchemaTree | undefined;

function schemas(): SchemaTree {
  return (tree ??= new SchemaTree(readSchemaFiles()));
}

function root(mode: SchemaKind, type: string): JsonSchema | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(type)) return undefined;
  return schemas().root(schemaId(schemaKey(mode, type)));
}

const typeLists = new Map<SchemaKind, string[]>();

/** The native types of a mode (provider names for 'provider'), sorted. */
export function resourceTypes(mode: SchemaKind): string[] {
  let list = typeLists.get(mode);
  if (!list) typeLists.set(mode, (list = listTypes(mode)));
  return [...list];
}

/** The schema of a type with `$ref`s made absolute, or undefined for an unknown type. */
export function resourceSchema(mode: SchemaKind, type: string): JsonSchema | undefined {
  return root(mode, type);
}

/** True if destroying a resource of this type destroys user data (`x-holds-data` on the schema). */
export function holdsData(mode: SchemaKind, type: string): boolean {
  return root(mode, type)?.['x-holds-data'] === true;
}

export function providerSchema(name: string): JsonSchema | undefined {
  return root('provider', name);
}

/** The schema (with `$ref` merged in) at an attribute path. */
export function schemaAt(mode: SchemaKind, type: string, path: readonly Step[]): JsonSchema | undefined {
  const r = root(mode, type);
  const node = r && schemas().walk(r, path);
  return node && schemas().deref(node);
}

/** The schema node an ajv `schemaPath` points at, relative to a type's root schema. */
export function schemaAtSchemaPath(mode: SchemaKind, type: string, schemaPath: string): JsonSchema | undefined {
  const url = new URL(schemaPath, schemaId(schemaKey(mode, type))).href;
  const node = schemas().at(url);
  return node && schemas().deref(node);
}

const infoCache = new Map<string, AttributeInfo | undefined>();

export function attributeInfo(mode: SchemaKind, type: string, path: readonly Step[]): AttributeInfo | undefined {
  // List indices do not change the answer, so they share one cache entry.
  const key = `${mode}\u0000${type}\u0000${path.map((s) => (typeof s === 'number' ? '\u0001' : s)).join('\u0000')}`;
  if (infoCache.has(key)) {
    const hit = infoCache.get(key);
    return hit && { ...hit, ...(hit.block ? { block: { ...hit.block } } : {}) };
  }
  const info = computeInfo(mode, type, path);
  infoCache.set(key, info);
  return info && { ...info, ...(info.block ? { block: { ...info.block } } : {}) };
}

function computeInfo(mode: SchemaKind, type: string, path: readonly Step[]): AttributeInfo | undefined {
  const t = schemas();
  let node = root(mode, type);
  if (!node) return undefined;
  let required = false;
  let sensitive = false;
  let forceNew = false;
  let computedAt: JsonSchema | undefined;
  for (const step of path) {
    const parent: JsonSchema = t.objectFor(node);
    const next = t.child(node, step);
    if (!next) return undefined;
    node = next;
    const n = t.deref(node);
    required = typeof step === 'string' && Array.isArray(parent.required) && parent.required.includes(step);
    sensitive ||= n['x-sensitive'] === true;
    forceNew ||= n['x-force-new'] === true;
    if (!computedAt && n['x-computed'] === true) computedAt = n;
  }
  const n = t.deref(node);
  const info: AttributeInfo = {
    computed: computedAt !== undefined,
    optional: computedAt ? computedAt['x-optional'] === true : !required,
    required: computedAt ? false : required,
    sensitive,
    forceNew,
  };
  const block = blockInfo(n);
  if (block) info.block = block;
  if (typeof n.description === 'string') info.description = n.description;
  return info;
}

/**
 * The blocks a body at `objectPath` may contain: block type → the attribute it fills, its
 * label attribute, and whether it is a single block. `[]` is the resource body;
 * `['users']` (or `['users', 0]`) the body of a `user` block. Empty for an unknown path.
 */
export function blockAttributes(mode: SchemaKind, type: string, objectPath: readonly Step[]): Record<string, BlockAttribute> {
  const out = Object.create(null) as Record<string, BlockAttribute>;
  const node = schemaAt(mode, type, objectPath);
  if (!node) return out;
  const obj = schemas().objectFor(node);
  const props = asSchema(obj.properties) ?? {};
  for (const [property, sub] of Object.entries(props)) {
    const block = blockInfo(schemas().deref(asSchema(sub) ?? {}));
    if (!block) continue;
    const entry: BlockAttribute = { property, single: block.single };
    if (block.label !== undefined) entry.label = block.label;
    out[block.name] = entry;
  }
  return out;
}

/**
 * Attributes a user may write in the object at `objectPath` (everything but computed-only
 * attributes), for "did you mean" hints.
 */
export function settableAttributes(mode: SchemaKind, type: string, objectPath: readonly Step[]): string[] {
  const node = schemaAt(mode, type, objectPath);
  if (!node) return [];
  const props = asSchema(schemas().objectFor(node).properties) ?? {};
  return Object.keys(props).filter((p) => {
    const info = attributeInfo(mode, type, [...objectPath, p]);
    return info !== undefined && (!info.computed || info.optional);
  });
}

const computedOnlyCache = new Map<string, ReadonlySet<string>>();

/**
 * Names of the computed-only attributes of the object at `objectPath` (list indices may be
 * given or left out). Cached: validation asks this for every object in a configuration.
 */
export function computedOnlyIn(mode: SchemaKind, type: string, objectPath: readonly Step[]): ReadonlySet<string> {
  const key = `${mode}\u0000${type}\u0000${objectPath.filter((s) => typeof s === 'string').join('\u0000')}`;
  let set = computedOnlyCache.get(key);
  if (!set) {
    const node = schemaAt(mode, type, objectPath);
    const props = node ? Object.keys(asSchema(schemas().objectFor(node).properties) ?? {}) : [];
    set = new Set(props.filter((p) => {
      const info = attributeInfo(mode, type, [...objectPath, p]);
      return info !== undefined && info.computed && !info.optional;
    }));
    computedOnlyCache.set(key, set);
  }
  return set;
}

/** Paths of attributes marked sensitive (not repeated below a sensitive attribute). */
export function sensitivePaths(mode: SchemaKind, type: string): PathPattern[] {
  return collect(mode, type, (n) => n['x-sensitive'] === true);
}

/** Paths of attributes whose change forces replacement (not repeated below one). */
export function forceNewPaths(mode: SchemaKind, type: string): PathPattern[] {
  return collect(mode, type, (n) => n['x-force-new'] === true);
}

/** Top-level attributes the provider computes, including those a user may also set. */
export function computedAttributes(mode: SchemaKind, type: string): string[] {
  const props = asSchema(root(mode, type)?.properties) ?? {};
  return Object.keys(props).filter((p) => schemas().deref(asSchema(props[p]) ?? {})['x-computed'] === true);
}

/**
 * Paths below the top level that the provider fills when the configuration leaves them out
 * (`datastore.version`): a configuration without them keeps the recorded value, as Terraform
 * does for optional+computed attributes.
 */
export function nestedComputedPaths(mode: SchemaKind, type: string): PathPattern[] {
  return collect(mode, type, (n) => n['x-computed'] === true, true).filter((p) => p.length > 1);
}

/** Top-level attributes the provider computes and a user may not set. */
export function computedOnlyAttributes(mode: SchemaKind, type: string): string[] {
  return computedAttributes(mode, type).filter((p) => attributeInfo(mode, type, [p])?.optional !== true);
}

function blockInfo(n: JsonSchema): BlockInfo | undefined {
  const b = asSchema(n['x-block']);
  if (!b || typeof b.name !== 'string') return undefined;
  const info: BlockInfo = { name: b.name, single: b.single === true };
  if (typeof b.label === 'string') info.label = b.label;
  return info;
}

const collected = new Map<string, PathPattern[]>();

/** Paths whose schema node matches; `descend`: also look below a match (else a match ends its branch). */
function collect(mode: SchemaKind, type: string, match: (n: JsonSchema) => boolean, descend = false): PathPattern[] {
  const cacheKey = `${mode}/${type}/${descend}/${match.toString()}`;
  const hit = collected.get(cacheKey);
  if (hit) return hit.map((p) => [...p]);
  const out: PathPattern[] = [];
  const r = root(mode, type);
  const t = schemas();
  const visit = (node: JsonSchema, path: string[], depth: number): void => {
    const n = t.deref(node);
    if (path.length > 0 && match(n)) {
      out.push(path);
      if (!descend) return;
    }
    if (depth > 16) return;
    if (isListSchema(n)) {
      const items = asSchema(n.items);
      if (items) visit(items, [...path, '*'], depth + 1);
      return;
    }
    for (const [k, sub] of Object.entries(asSchema(n.properties) ?? {})) {
      const s = asSchema(sub);
      if (s) visit(s, [...path, k], depth + 1);
    }
    const extra = asSchema(n.additionalProperties);
    if (extra) visit(extra, [...path, '*'], depth + 1);
  };
  if (r) visit(r, [], 0);
  collected.set(cacheKey, out);
  return out.map((p) => [...p]);
}
