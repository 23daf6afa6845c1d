import * as catalog from '../../schemas/catalog.js';
import type { TypeMeta } from './diff.js';

/** The planner's view of a resource type, read from its schema (never a list in the planner). */
export function typeMeta(mode: 'managed' | 'data', type: string): TypeMeta {
  const schema = catalog.resourceSchema(mode, type);
  if (!schema) throw new Error(`no schema for ${mode} type ${type}`);
  const attributes = Object.keys((schema.properties as Record<string, unknown> | undefined) ?? {});
  const computedOnly = new Set(catalog.computedOnlyAttributes(mode, type));
  const optionalComputed = new Set(catalog.computedAttributes(mode, type).filter((a) => !computedOnly.has(a)));
  return {
    attributes,
    computed: computedOnly,
    optionalComputed,
    nestedComputed: catalog.nestedComputedPaths(mode, type),
    forceNew: catalog.forceNewPaths(mode, type),
    sensitive: catalog.sensitivePaths(mode, type),
    holdsData: schema['x-holds-data'] === true,
  };
}
