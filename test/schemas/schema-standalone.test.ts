import test from 'ava';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject } from 'ajv';
import { loadAll } from '../../schemas/ajv.js';
import { schemaId } from '../../schemas/files.js';
import { validators } from '../../schemas/validators.js';
import { SEEDS, allPaths, setAt } from '../support/schema-samples.js';

// The standalone module (built by schemas/compile.ts from annotation-stripped schemas) must
// validate exactly as a fresh ajv compile of the schema files as written.

const modulePath = fileURLToPath(new URL('../../schemas/validators.js', import.meta.url));
const fresh = loadAll();

function outcome(validate: { (d: unknown): boolean; errors?: ErrorObject[] | null }, data: unknown) {
  const valid = validate(data);
  const errors = (validate.errors ?? []).map((e) => ({
    instancePath: e.instancePath,
    schemaPath: e.schemaPath,
    keyword: e.keyword,
    params: JSON.stringify(e.params),
    message: e.message,
  }));
  return { valid, errors: valid ? [] : errors };
}

function same(key: string, data: unknown): boolean {
  const a = outcome(validators[key]!, data);
  const b = outcome(fresh.ajv.getSchema(schemaId(key))!, data);
  return JSON.stringify(a) === JSON.stringify(b);
}

test('the module exports one validator per document schema', (t) => {
  t.deepEqual(Object.keys(validators).sort(), [...fresh.keys].sort());
  // Every document schema has a seed here, except plan.json (the planner's tests own plan samples).
  t.deepEqual(Object.keys(validators).filter((k) => k !== 'plan').sort(), Object.keys(SEEDS).sort());
});

test('the module is self-contained ESM: no require, no imports', (t) => {
  const src = readFileSync(modulePath, 'utf8');
  t.false(/\brequire\(/.test(src));
  t.false(/^import /m.test(src));
  t.regex(src, /export const resources_database_instance = /);
});

test('seeds are valid under both', (t) => {
  for (const [key, seed] of Object.entries(SEEDS)) {
    t.true(validators[key]!(seed), key);
    t.true(same(key, seed), key);
  }
});

/** Values likely to hit formats, patterns, bounds and types. */
const interesting = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    '', ' ', '---', '%', 'a b', '0 2 * * *', '@daily', '61 * * *', '10.0.0.0/24', '10.0.0.0/33', '::1', 'fd00::/64', '10.0.0.256',
    'mqtt://h:1883', 'http://x', 'https://k:5000/v3', '30m', '1h30m', 'half', 'postgresql', 'redis', 'oracle', 'tcp', 'icmpv6', '999',
    0, -1, 1, 1.5, 255, 256, 65535, 65536, 2 ** 53, true, false, null, [], {}, ['a', 'a'], [{}], { name: 'x' }, 'x'.repeat(300), '😀'.repeat(64),
  ),
);

test('standalone and fresh compile agree on mutated values (property)', (t) => {
  const keys = Object.keys(SEEDS);
  fc.assert(
    fc.property(fc.constantFrom(...keys), fc.nat(), interesting, fc.nat(), interesting, (key, i, v1, j, v2) => {
      const seed = SEEDS[key];
      const paths = allPaths(seed);
      let data = setAt(seed, paths[i % paths.length]!, v1);
      const paths2 = allPaths(data);
      if (paths2.length) data = setAt(data, paths2[j % paths2.length]!, v2);
      return same(key, data);
    }),
    { numRuns: 3000 },
  );
  t.pass();
});

test('standalone and fresh compile agree on extra keys, missing keys and wrong roots', (t) => {
  for (const [key, seed] of Object.entries(SEEDS)) {
    for (const data of [null, 1, 'x', [], {}, { ...(seed as object), flavour: 1 }]) t.true(same(key, data), `${key} ${JSON.stringify(data)}`);
    for (const k of Object.keys(seed as object)) {
      const { [k]: _gone, ...rest } = seed as Record<string, unknown>;
      t.true(same(key, rest), `${key} without ${k}`);
    }
  }
});

test('the standalone module imports on its own in a fresh process (its speed: npm run bench:schema)', (t) => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(modulePath)}); console.log(Object.keys(m).length);`], { encoding: 'utf8' });
  t.true(Number(out) > 0, `exports: ${out}`);
});
