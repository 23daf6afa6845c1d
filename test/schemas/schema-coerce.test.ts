import test from 'ava';
import { unknown } from '../../core/value.js';
import { coerceToSchema } from '../../planner/resolve/coerce.js';
import { run, toValue } from '../support/schema-samples.js';

// Terraform converts configuration to the schema's primitive types before validating.

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

test('strings become booleans and numbers where the schema says so, and back', (t) => {
  const net = coerceToSchema('managed', 'network', toValue({ name: 5, admin_state_up: 'true', mtu: '1450' }));
  t.deepEqual(plain(net), { name: '5', admin_state_up: true, mtu: 1450 });
  const inst = coerceToSchema('managed', 'database_instance', toValue({ volume: { size: '8' }, users: [{ name: 'a', password: 1234 }], deletion_protection: 'false' }));
  t.deepEqual(plain(inst), { volume: { size: 8 }, users: [{ name: 'a', password: '1234' }], deletion_protection: false });
});

test('what does not convert is left for validation to report', (t) => {
  const v = toValue({ flavor: 'db.small', datastore: { type: 'mysql' }, volume: { size: 'twenty' }, deletion_protection: 'True', zzz: '1' });
  const c = coerceToSchema('managed', 'database_instance', v);
  t.deepEqual(plain(c), { flavor: 'db.small', datastore: { type: 'mysql' }, volume: { size: 'twenty' }, deletion_protection: 'True', zzz: '1' });
  t.deepEqual(run('managed', 'database_instance', c, 'database_instance.x').map((d) => d[0]).sort(), [
    '`deletion_protection` must be true or false, got string "True"',
    '`volume.size` must be a whole number, got string "twenty"',
    'unknown attribute `zzz` in database_instance.x',
  ]);
});

test('unions, maps of mixed values and unknowns are untouched', (t) => {
  const c = coerceToSchema('managed', 'database_configuration', toValue({ values: { a: '1', b: true }, name: unknown }));
  t.deepEqual(plain({ ...(c as object), name: null }), { values: { a: '1', b: true }, name: null });
  t.is((c as Record<string, unknown>).name, unknown);
});
