import test from 'ava';
import fc from 'fast-check';
import { Unknown, unknown } from '../../core/value.js';
import { validateProvider, validateResource } from '../../schemas/validate.js';
import { SEEDS, allPaths, designInstance, locate, run, setAt, toValue } from '../support/schema-samples.js';

// Values not known until apply are valid for any schema at their path.

const I = 'database_instance.orders';

test('a wholly unknown configuration is valid', (t) => {
  t.deepEqual(validateResource('managed', 'database_instance', unknown, I, locate), []);
  t.deepEqual(validateProvider('openstack', unknown, locate), []);
});

for (const key of Object.keys(SEEDS).filter((k) => k !== 'stack')) {
  const [dir, type] = key.split('/') as [string, string];
  const mode = dir === 'resources' ? 'managed' : dir === 'data' ? 'data' : 'provider';
  test(`${key}: the seed is valid, and stays valid with any one node unknown`, (t) => {
    const seed = SEEDS[key];
    t.deepEqual(run(mode, type, seed, `${type}.x`), []);
    for (const path of allPaths(seed)) {
      t.deepEqual(run(mode, type, setAt(seed, path, unknown), `${type}.x`), [], JSON.stringify(path));
    }
  });
}

test('any set of unknowns in the DESIGN example is valid (property)', (t) => {
  const seed = SEEDS['resources/database_instance'];
  const paths = allPaths(seed);
  fc.assert(
    fc.property(fc.uniqueArray(fc.nat(paths.length - 1), { maxLength: 8 }), fc.constantFrom(undefined, 'string', 'number', 'list'), (picks, hint) => {
      let v = seed;
      for (const i of picks) v = setAt(v, paths[i]!, new Unknown(hint));
      return run('managed', 'database_instance', v, I).length === 0;
    }),
    { numRuns: 300 },
  );
  t.pass();
});

// Each bad value is reported; the same place unknown is not.
const badValues: [path: (string | number)[], bad: unknown][] = [
  [['volume', 'size'], 'twenty'],
  [['volume', 'size'], 0],
  [['volume'], [1]],
  [['datastore', 'type'], ''],
  [['datastore'], 'postgresql'],
  [['allowed_cidrs', 0], '10.0.0.0/33'],
  [['allowed_cidrs'], 'all'],
  [['users', 0, 'password'], 42],
  [['users', 0], { name: 'x' }],
  [['users'], {}],
  [['databases', 0, 'name'], ''],
  [['backup', 'schedule'], 'daily'],
  [['backup'], { retention_days: 0 }],
  [['deletion_protection'], 'yes'],
  [['flavor'], 7],
];

for (const [path, bad] of badValues) {
  test(`unknown hides only its own problem: ${JSON.stringify(path)} = ${JSON.stringify(bad)}`, (t) => {
    t.not(run('managed', 'database_instance', setAt(designInstance(), path, bad), I).length, 0);
    t.deepEqual(run('managed', 'database_instance', setAt(designInstance(), path, unknown), I), []);
  });
}

test('an unknown does not hide problems elsewhere', (t) => {
  const v = { ...designInstance(), volume: { size: 'big', type: unknown }, users: unknown };
  t.deepEqual(run('managed', 'database_instance', v, I), [['`volume.size` must be a whole number, got string "big"', 'value:["volume","size"]']]);
  // Keys are always known: a required attribute is missing even if others are unknown.
  t.deepEqual(run('data', 'subnet', { ip_version: unknown }, 'data.subnet.s'), [['data.subnet.s needs one of `name`, `id`, `network` or `cidr`', 'value:[]']]);
  // An unknown attribute name is still unknown to the schema.
  t.deepEqual(run('managed', 'database_instance', { ...designInstance(), flavour: unknown }, I), [
    ['unknown attribute `flavour` in database_instance.orders — did you mean `flavor`?', 'key:["flavour"]'],
  ]);
  // Two settings that exclude each other conflict whatever their values.
  t.deepEqual(run('managed', 'database_instance', { ...designInstance(), networks: unknown }, I), [
    ['`network` and `networks` cannot both be set in database_instance.orders; use one or the other', 'key:["networks"]'],
  ]);
});

test('unknowns satisfy anyOf, uniqueItems and list elements', (t) => {
  t.deepEqual(run('data', 'network', { name: unknown }, 'data.network.app'), []);
  t.deepEqual(run('data', 'network', { id: unknown }, 'data.network.app'), []);
  t.deepEqual(run('managed', 'database_instance', { ...designInstance(), allowed_cidrs: [unknown, unknown, '10.0.0.0/24'] }, I), []);
  t.deepEqual(run('managed', 'database_user', { instance: unknown, name: unknown, password: unknown, databases: [unknown, unknown] }, 'database_user.u'), []);
  t.deepEqual(run('managed', 'database_instance', { ...designInstance(), databases: [unknown, { name: unknown, charset: unknown }] }, I), []);
  t.deepEqual(run('managed', 'random_password', { length: unknown, keepers: unknown }, 'random_password.p'), []);
  t.deepEqual(validateProvider('openstack', toValue({ password: unknown, datastores: unknown }), locate), []);
});

test('an unknown computed attribute set by the user is still refused', (t) => {
  t.deepEqual(run('managed', 'database_instance', { ...designInstance(), host: unknown }, I), [
    ['`host` in database_instance.orders is computed by the provider and cannot be set', 'key:["host"]'],
  ]);
});
