import test from 'ava';
import { createAjv, loadAll } from '../../schemas/ajv.js';
import * as catalog from '../../schemas/catalog.js';
import { readSchemaFiles, schemaId, type JsonSchema } from '../../schemas/files.js';

const MANAGED = [
  'database', 'database_backup', 'database_cluster', 'database_configuration', 'database_instance',
  'database_user', 'network', 'random_password', 'security_group', 'security_group_rule', 'subnet',
];
const DATA = ['flavor', 'image', 'network', 'security_group', 'subnet'];

test('lists the native types of each mode', (t) => {
  t.deepEqual(catalog.resourceTypes('managed'), MANAGED);
  t.deepEqual(catalog.resourceTypes('data'), DATA);
  t.deepEqual(catalog.resourceTypes('provider'), ['local', 'openstack']);
});

test('every schema compiles in strict mode without a warning', (t) => {
  const warnings: unknown[] = [];
  const logger = { log: () => {}, warn: (...a: unknown[]) => warnings.push(a), error: (...a: unknown[]) => warnings.push(a) };
  const { ajv, keys } = loadAll({ logger });
  t.true(keys.includes('stack') && keys.includes('resources/database_instance') && keys.length >= 19, keys.join());
  for (const key of keys) t.is(typeof ajv.getSchema(schemaId(key)), 'function', key);
  t.deepEqual(warnings, []);
});

test('strict mode is on: an unregistered keyword or a malformed x-block is refused', (t) => {
  const ajv = createAjv();
  t.throws(() => ajv.compile({ type: 'object', properties: { a: { type: 'string', 'x-unheard-of': 1 } } }), {
    message: /unknown keyword/,
  });
  t.throws(() => ajv.compile({ type: 'array', 'x-block': { label: 'name' } }));
  t.notThrows(() => ajv.compile({ type: 'array', 'x-block': { name: 'user', label: 'name' }, 'x-force-new': true }));
});

/** Every node under `properties` in every schema file, with where it is. */
function everyProperty(): { where: string; name: string; node: JsonSchema; parent: JsonSchema }[] {
  const out: { where: string; name: string; node: JsonSchema; parent: JsonSchema }[] = [];
  const visit = (n: unknown, where: string): void => {
    if (typeof n !== 'object' || n === null || Array.isArray(n)) return;
    const o = n as JsonSchema;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'properties' || k === '$defs' || k === 'dependentSchemas') {
        for (const [name, sub] of Object.entries(v as object)) {
          if (typeof sub !== 'object' || sub === null) continue;
          if (k === 'properties') out.push({ where: `${where}/properties/${name}`, name, node: sub as JsonSchema, parent: o });
          visit(sub, `${where}/${k}/${name}`);
        }
      } else if (k === 'items' || k === 'additionalProperties' || k === 'not') {
        visit(v, `${where}/${k}`);
      } else if (k === 'anyOf' || k === 'allOf' || k === 'oneOf') {
        (v as unknown[]).forEach((x, i) => visit(x, `${where}/${k}/${i}`));
      }
    }
  };
  for (const f of readSchemaFiles()) if (/^(resources|data|providers)\//.test(f.key)) visit(f.schema, f.key);
  return out;
}

test('every property has a description; every object with properties rejects unknown keys', (t) => {
  const props = everyProperty();
  t.true(props.length > 200);
  // `true` schemas inside anyOf/dependentSchemas branches only name a property for strictRequired.
  const real = props.filter((p) => !/\/(anyOf|dependentSchemas|not)\//.test(p.where));
  for (const p of real) {
    t.is(typeof p.node.description, 'string', `${p.where} has no description`);
    t.is(p.parent.additionalProperties, false, `${p.where}: its object must set additionalProperties: false`);
  }
});

test('annotations are consistent: x-optional only with x-computed; x-block on the right shapes', (t) => {
  for (const p of everyProperty()) {
    if (p.node['x-optional'] === true) t.true(p.node['x-computed'] === true, `${p.where}: x-optional without x-computed`);
    const block = p.node['x-block'] as { name: string; label?: string; single?: boolean } | undefined;
    if (!block) continue;
    if (block.single) {
      t.is(p.node.type, 'object', `${p.where}: a single block must be an object`);
    } else {
      t.is(p.node.type, 'array', `${p.where}: a repeated block must be a list`);
      const items = p.node.items as JsonSchema;
      t.is(items.type, 'object', `${p.where}: a repeated block must be a list of objects`);
      if (block.label) t.true((items.required as string[]).includes(block.label), `${p.where}: label must be required`);
    }
  }
});

test('attributeInfo reads back computed, optional, sensitive and force-new', (t) => {
  const info = (path: (string | number)[]) => catalog.attributeInfo('managed', 'database_instance', path);
  t.like(info(['host']), { computed: true, optional: false, required: false, sensitive: false, forceNew: false });
  t.like(info(['name']), { computed: true, optional: true, required: false });
  // Optional with a provider default, as Trove's default datastore and Terraform's OS_FLAVOR_ID.
  t.like(info(['flavor']), { computed: true, optional: true, required: false, forceNew: false });
  t.like(info(['root_password']), { computed: true, optional: true, sensitive: true });
  t.like(info(['connection_uri']), { computed: true, optional: false, sensitive: true });
  t.like(info(['users', 0, 'password']), { sensitive: true, required: true, computed: false });
  t.like(info(['users', 'password']), { sensitive: true }, 'a string step steps into list elements');
  t.like(info(['users', 0, 'host']), { sensitive: false, optional: true });
  t.like(info(['datastore', 'type']), { forceNew: true }); // required only when `datastore` is given
  t.like(info(['datastore', 'version']), { forceNew: false, computed: true, optional: true });
  t.like(info(['datastore']), { forceNew: false, required: false, computed: true, block: { name: 'datastore', single: true } });
  t.like(info(['volume', 'size']), { forceNew: false });
  t.like(info(['volume', 'type']), { forceNew: true });
  t.like(info(['networks', 0, 'network']), { forceNew: true }, 'inherited from `networks`');
  for (const a of ['availability_zone', 'replica_of', 'network', 'restore_from']) t.like(info([a]), { forceNew: true }, a);
  for (const a of ['flavor', 'configuration', 'allowed_cidrs', 'databases', 'users', 'backup', 'access']) t.like(info([a]), { forceNew: false }, a);
  t.deepEqual(info(['databases'])?.block, { name: 'database', label: 'name', single: false });
  t.is(typeof info(['flavor'])?.description, 'string');
  t.is(info(['flavour']), undefined);
  t.is(info(['volume', 'size', 'x']), undefined);
  t.is(catalog.attributeInfo('managed', 'no_such_type', ['x']), undefined);
  t.like(catalog.attributeInfo('managed', 'database_configuration', ['values', 'max_connections']), { computed: false, optional: true });
  t.like(catalog.attributeInfo('data', 'network', ['id']), { computed: true, optional: true });
  t.like(catalog.attributeInfo('provider', 'openstack', ['password']), { sensitive: true });
});

test('blockAttributes maps HCL block types to attributes', (t) => {
  t.deepEqual(
    { ...catalog.blockAttributes('managed', 'database_instance', []) },
    {
      datastore: { property: 'datastore', single: true },
      volume: { property: 'volume', single: true },
      nic: { property: 'networks', single: false },
      database: { property: 'databases', label: 'name', single: false },
      user: { property: 'users', label: 'name', single: false },
      backup: { property: 'backup', single: true },
      access: { property: 'access', single: true },
    },
  );
  t.deepEqual({ ...catalog.blockAttributes('managed', 'database_instance', ['users']) }, {});
  const member = { volume: { property: 'volume', single: true }, nic: { property: 'networks', single: false } };
  t.deepEqual({ ...catalog.blockAttributes('managed', 'database_cluster', ['instances', 0]) }, member);
  t.deepEqual({ ...catalog.blockAttributes('managed', 'database_cluster', ['instances']) }, member);
  t.deepEqual({ ...catalog.blockAttributes('managed', 'security_group', []) }, { rule: { property: 'rules', single: false } });
  t.deepEqual({ ...catalog.blockAttributes('managed', 'subnet', []) }, { allocation_pool: { property: 'allocation_pools', single: false } });
  t.deepEqual({ ...catalog.blockAttributes('provider', 'openstack', []) }, {
    datastore: { property: 'datastores', label: 'type', single: false },
    timeouts: { property: 'timeouts', single: true },
  });
  t.deepEqual({ ...catalog.blockAttributes('provider', 'openstack', ['datastores']) }, {
    version: { property: 'versions', label: 'name', single: false },
  });
  t.deepEqual({ ...catalog.blockAttributes('managed', 'nope', []) }, {});
  t.is(Object.getPrototypeOf(catalog.blockAttributes('managed', 'database_instance', [])), null);
});

test('sensitive, force-new and computed attribute lists', (t) => {
  t.deepEqual(catalog.sensitivePaths('managed', 'database_instance'), [['users', '*', 'password'], ['root_password'], ['connection_uri']]);
  t.deepEqual(catalog.forceNewPaths('managed', 'database_instance'), [
    ['datastore', 'type'], ['volume', 'type'], ['network'], ['networks'], ['replica_of'], ['restore_from'], ['availability_zone'],
  ]);
  t.deepEqual(catalog.computedAttributes('managed', 'database_instance'), [
    'id', 'name', 'datastore', 'flavor', 'root_password', 'host', 'hostname', 'href', 'port', 'connection_uri', 'status', 'datastore_version',
  ]);
  t.deepEqual(catalog.computedOnlyAttributes('managed', 'database_instance'), [
    'id', 'host', 'hostname', 'href', 'port', 'connection_uri', 'status', 'datastore_version',
  ]);
  t.deepEqual(catalog.sensitivePaths('managed', 'random_password'), [['result']]);
  t.deepEqual(catalog.sensitivePaths('managed', 'database_user'), [['password']]);
  t.deepEqual(catalog.sensitivePaths('provider', 'openstack'), [['password'], ['application_credential_secret'], ['broker_password']]);
  t.deepEqual(catalog.forceNewPaths('managed', 'database_user'), [['instance']]);
  t.deepEqual(catalog.forceNewPaths('managed', 'database'), [['instance'], ['name'], ['charset'], ['collation']]);
  t.deepEqual(catalog.forceNewPaths('managed', 'database_configuration'), [['datastore', 'type'], ['datastore', 'version']]);
  t.deepEqual(catalog.forceNewPaths('managed', 'network'), []);
  t.deepEqual(catalog.forceNewPaths('managed', 'subnet'), [['network'], ['cidr'], ['ip_version']]);
  // Every argument of a random_password and a backup forces replacement.
  for (const type of ['random_password', 'database_backup', 'database', 'security_group_rule']) {
    const args = Object.keys(catalog.resourceSchema('managed', type)!.properties as object).filter(
      (p) => catalog.attributeInfo('managed', type, [p])!.computed === false || catalog.attributeInfo('managed', type, [p])!.optional,
    );
    t.deepEqual(catalog.forceNewPaths('managed', type).map((p) => p[0]), args, type);
  }
  // A returned list is the caller's to keep.
  catalog.sensitivePaths('managed', 'database_instance').pop();
  t.is(catalog.sensitivePaths('managed', 'database_instance').length, 3);
});

test('every force-new and in-place decision carries its reason on database_instance', (t) => {
  const schema = catalog.resourceSchema('managed', 'database_instance')!;
  const props = schema.properties as Record<string, JsonSchema>;
  for (const p of ['name', 'flavor', 'network', 'networks', 'allowed_cidrs', 'configuration', 'replica_of', 'restore_from', 'availability_zone', 'root_password']) {
    t.is(typeof props[p]!.$comment, 'string', p);
  }
  const nested = (a: string, b: string) => ((props[a]!.properties as Record<string, JsonSchema>)[b]!.$comment as string);
  t.regex(nested('datastore', 'version'), /in place/i);
  t.regex(nested('datastore', 'type'), /replacement/i);
  t.regex(nested('volume', 'size'), /in place/i);
  t.regex(nested('volume', 'type'), /replacement/i);
});

test('x-holds-data marks the types whose destruction loses data', (t) => {
  const holding = catalog.resourceTypes('managed').filter((type) => catalog.holdsData('managed', type));
  t.deepEqual(holding, ['database', 'database_backup', 'database_cluster', 'database_instance']);
  t.false(catalog.holdsData('data', 'network'));
  t.false(catalog.holdsData('managed', 'nope'));
});

test('providerSchema and resourceSchema return the files, or undefined', (t) => {
  const os = catalog.providerSchema('openstack')!;
  t.is(os.$id, 'https://dbstack.dev/schemas/providers/openstack.json');
  t.true((os.properties as Record<string, JsonSchema>).password!['x-sensitive'] === true);
  t.is(catalog.providerSchema('aws'), undefined);
  t.is(catalog.resourceSchema('managed', '../stack'), undefined);
  t.is(catalog.resourceSchema('data', 'image')!.title, 'data image');
});
