import test from 'ava';
import type { ErrorObject } from 'ajv';
import { createAjv } from '../../schemas/ajv.js';
import { ONE_OF_REQUIRED, collapse } from '../../schemas/collapse.js';

// collapse() on real ajv output for small schemas.
const ajv = createAjv();
const schema = {
  type: 'object',
  properties: {
    x: {
      anyOf: [
        { type: 'string', minLength: 3 },
        { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'string' } }, required: ['a'] },
      ],
    },
    y: {
      type: 'object',
      properties: { id: { type: 'string' }, name: { type: 'string' } },
      anyOf: [
        { type: 'object', properties: { id: true }, required: ['id'] },
        { type: 'object', properties: { name: true }, required: ['name'] },
      ],
    },
  },
};
const validate = ajv.compile(schema);
const errorsFor = (data: unknown): ErrorObject[] => (validate(data) ? [] : [...validate.errors!]);
const never = () => false;
const brief = (es: ErrorObject[]) => es.map((e) => `${e.instancePath} ${e.keyword}`);

test('keeps the branch that got furthest', (t) => {
  t.deepEqual(brief(collapse(errorsFor({ x: { a: 'one' } }), never)), ['/x/a type']);
  t.deepEqual(brief(collapse(errorsFor({ x: 'ab' }), never)), ['/x minLength']);
  t.deepEqual(brief(collapse(errorsFor({ x: 5 }), never)), ['/x type'], 'tie on depth: fewest errors, then first');
});

test('a branch failing only at ignorable places passes', (t) => {
  const ignorable = (e: ErrorObject) => e.instancePath === '/x/a';
  t.deepEqual(collapse(errorsFor({ x: { a: 'unknown placeholder' } }), ignorable), []);
});

test('required-only branches become one alternative list', (t) => {
  const out = collapse(errorsFor({ y: {} }), never);
  t.is(out.length, 1);
  t.is(out[0]!.keyword, ONE_OF_REQUIRED);
  t.is(out[0]!.instancePath, '/y');
  t.deepEqual(out[0]!.params, { alternatives: [['id'], ['name']] });
});

test('errors outside any group are kept in order', (t) => {
  const out = collapse(errorsFor({ x: { a: 1, b: 2 }, y: { id: 3 } }), never);
  t.deepEqual(brief(out), ['/x/b type', '/y/id type']);
});
