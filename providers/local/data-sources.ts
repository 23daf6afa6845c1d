/**
 * Data sources on the local cloud: there is one loopback network and no flavors or images, so
 * a look-up succeeds with what it names (the id is the name) — a stack written for OpenStack
 * plans and applies locally unchanged.
 */
import * as catalog from '../../schemas/catalog.js';
import { newObject, type Value } from '../../core/value.js';
import type { DataSource } from '../provider.js';

export function localDataSource(type: string): DataSource | undefined {
  const schema = catalog.resourceSchema('data', type) as { properties?: Record<string, unknown> } | undefined;
  if (!schema) return undefined;
  return {
    async read(_ctx, config) {
      const out = newObject(Object.keys(schema.properties ?? {}).map((k): [string, Value] => [k, config[k] ?? null]));
      out.id = config.id ?? config.name ?? 'local';
      if ('status' in out) out.status = 'ACTIVE';
      return out;
    },
  };
}
