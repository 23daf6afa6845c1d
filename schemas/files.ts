import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the schema JSON files live and how they are named. The JSON files stay in the
 * project's `schemas/` directory (they are published for editors); compiled code finds them
 * relative to itself: dist/schemas/*.js → ../../schemas/.
 */

/** A JSON Schema object as read from disk. */
export type JsonSchema = { [key: string]: unknown };

/** Which family a schema belongs to: managed resources, data sources, providers. */
export type SchemaKind = 'managed' | 'data' | 'provider';

export const SCHEMA_BASE = 'https://dbstack.dev/schemas/';

const MODE_DIRS: Record<SchemaKind, string> = { managed: 'resources', data: 'data', provider: 'providers' };

export function schemaDir(): string {
  return fileURLToPath(new URL('../../schemas/', import.meta.url));
}

/** The key of a schema: its path under schemas/ without `.json` ("resources/database_instance"). */
export function schemaKey(mode: SchemaKind, type: string): string {
  return `${MODE_DIRS[mode]}/${type}`;
}

/** The `$id` a schema file must declare. */
export function schemaId(key: string): string {
  return `${SCHEMA_BASE}${key}.json`;
}

/** The ESM export name of a schema's standalone validator ("resources_database_instance"). */
export function exportName(key: string): string {
  return key.replace(/[^A-Za-z0-9_]/g, '_');
}

export interface SchemaFile {
  key: string;
  schema: JsonSchema;
}

/** Types (file names without .json) of one mode, sorted. */
export function listTypes(mode: SchemaKind, dir: string = schemaDir()): string[] {
  return readdirSync(join(dir, MODE_DIRS[mode]))
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Every schema file: common.json (shared definitions), the other top-level documents
 * (stack.json, plan.json), then each mode's types. Throws if a file is not valid JSON or
 * declares the wrong `$id` (a bug in the schemas, not a user error).
 */
export function readSchemaFiles(dir: string = schemaDir()): SchemaFile[] {
  const documents = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'common.json')
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
  const keys = ['common', ...documents];
  for (const mode of ['managed', 'data', 'provider'] as const) {
    for (const type of listTypes(mode, dir)) keys.push(schemaKey(mode, type));
  }
  return keys.map((key) => {
    const schema = JSON.parse(readFileSync(join(dir, `${key}.json`), 'utf8')) as JsonSchema;
    if (schema.$id !== schemaId(key)) {
      throw new Error(`schemas/${key}.json: $id must be ${schemaId(key)}, found ${String(schema.$id)}`);
    }
    return { key, schema };
  });
}

/** Keys of schemas that validate a document (everything except the shared definitions). */
export function isDocumentSchema(key: string): boolean {
  return key !== 'common';
}
