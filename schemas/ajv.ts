import { Ajv2020, type Options } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';
import errorsPlugin from 'ajv-errors';
import { customFormats } from './formats.js';
import { isDocumentSchema, readSchemaFiles, schemaId, type SchemaFile } from './files.js';

/**
 * The one ajv configuration every schema is compiled with: by the build step (standalone
 * code) and by tests (a fresh compile to compare against). Compile-time only — the runtime
 * loads the standalone module and never imports ajv.
 */

// ajv-formats and ajv-errors are CommonJS; under NodeNext their default import is
// `module.exports`, whose `.default` is the plugin.
const addFormats = formatsPlugin.default;
const addErrors = errorsPlugin.default;

/** Annotation keywords (see schemas/README.md). They never fail validation. */
export const ANNOTATIONS = {
  'x-computed': { type: 'boolean' },
  'x-optional': { type: 'boolean' },
  'x-sensitive': { type: 'boolean' },
  'x-force-new': { type: 'boolean' },
  'x-holds-data': { type: 'boolean' },
  'x-block': {
    type: 'object',
    additionalProperties: false,
    required: ['name'],
    properties: {
      name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
      label: { type: 'string', minLength: 1 },
      single: { type: 'boolean' },
    },
  },
} as const;

export function createAjv(extra: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true, ...extra });
  addFormats(ajv);
  addErrors(ajv);
  for (const [name, format] of Object.entries(customFormats)) ajv.addFormat(name, format);
  for (const [keyword, metaSchema] of Object.entries(ANNOTATIONS)) {
    ajv.addKeyword({ keyword, metaSchema, schemaType: metaSchema.type });
  }
  return ajv;
}

/** An ajv instance holding every schema file, and the ids of the document schemas. */
export function loadAll(extra: Options = {}, files: SchemaFile[] = readSchemaFiles()): { ajv: Ajv2020; keys: string[] } {
  const ajv = createAjv(extra);
  for (const f of files) ajv.addSchema(f.schema);
  const keys = files.map((f) => f.key).filter(isDocumentSchema);
  // Compile each now so a strict-mode violation fails here with the schema's name.
  for (const key of keys) {
    try {
      ajv.getSchema(schemaId(key));
    } catch (e) {
      throw new Error(`schemas/${key}.json: ${(e as Error).message}`);
    }
  }
  return { ajv, keys };
}
