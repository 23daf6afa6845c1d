import * as catalog from '../../schemas/catalog.js';
import type { BlockSpec, BlockSpecs } from './decode.js';

/** What the resolver needs from the resource schemas, in one place. */
export type ResourceMode = 'managed' | 'data';

const typeSets = new Map<ResourceMode, Set<string>>();

export function isNativeType(mode: ResourceMode, type: string): boolean {
  let set = typeSets.get(mode);
  if (!set) typeSets.set(mode, (set = new Set(catalog.resourceTypes(mode))));
  return set.has(type);
}

export function nativeTypes(mode: ResourceMode): string[] {
  return catalog.resourceTypes(mode);
}

const blockSpecCache = new Map<string, Record<string, BlockSpec>>();

/** Block specs by path, cached: every resource of a type decodes against the same schema. */
export function nativeBlockSpecs(mode: ResourceMode, type: string): BlockSpecs {
  return (path) => {
    const key = `${mode}\0${type}\0${path.join('\0')}`;
    let specs = blockSpecCache.get(key);
    if (!specs) blockSpecCache.set(key, (specs = catalog.blockAttributes(mode, type, path) as Record<string, BlockSpec>));
    return specs;
  };
}

const attributeCache = new Map<string, { all: string[]; computed: Set<string> }>();

/** Top-level attribute names and which of them the provider computes. */
export function attributeNames(mode: ResourceMode, type: string): { all: string[]; computed: Set<string> } {
  const key = `${mode}\0${type}`;
  const hit = attributeCache.get(key);
  if (hit) return hit;
  const schema = catalog.resourceSchema(mode, type) as { properties?: Record<string, unknown> };
  const names = { all: Object.keys(schema.properties ?? {}), computed: new Set(catalog.computedAttributes(mode, type)) };
  attributeCache.set(key, names);
  return names;
}
