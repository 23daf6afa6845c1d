import * as catalog from '../../schemas/catalog.js';
import type { BlockSpec, BlockSpecs } from './decode.js';

/** What the resolver needs from the resource schemas, in one place. */
export type Mode = 'managed' | 'data';

export function isNativeType(mode: Mode, type: string): boolean {
  return catalog.resourceTypes(mode).includes(type);
}

export function nativeTypes(mode: Mode): string[] {
  return catalog.resourceTypes(mode);
}

export function nativeBlockSpecs(mode: Mode, type: string): BlockSpecs {
  return (path) => catalog.blockAttributes(mode, type, path) as Record<string, BlockSpec>;
}

/** Top-level attribute names and which of them the provider computes. */
export function attributeNames(mode: Mode, type: string): { all: string[]; computed: Set<string> } {
  const schema = catalog.resourceSchema(mode, type) as { properties?: Record<string, unknown> };
  return { all: Object.keys(schema.properties ?? {}), computed: new Set(catalog.computedAttributes(mode, type)) };
}
