import type { JsonSchema } from './files.js';

/**
 * A copy of a schema without annotations (description, title, $comment, examples, default,
 * x-*). They never change what validates, but ajv embeds whole schema objects in standalone
 * code where it needs one value of them (a union `type`, an `errorMessage`), so leaving them
 * in makes the generated module several times larger and slower to load.
 */

const ANNOTATION = new Set(['description', 'title', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
/** Keywords whose value is a map from names to subschemas. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
/** Keywords whose value is one subschema. */
const SCHEMA_ONE = new Set([
  'items', 'additionalProperties', 'not', 'propertyNames', 'contains', 'if', 'then', 'else',
  'unevaluatedProperties', 'unevaluatedItems', 'contentSchema',
]);
/** Keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

export function stripAnnotations(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema as JsonSchema)) {
    if (ANNOTATION.has(key) || key.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(key) && isMap(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripAnnotations(v)]));
    } else if (SCHEMA_ONE.has(key)) {
      out[key] = stripAnnotations(value);
    } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
      out[key] = value.map(stripAnnotations);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function isMap(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
