import test from 'ava';
import { unknown } from '../../core/value.js';
import type { SchemaKind } from '../../schemas/files.js';
import { validateProvider, validateResource, type Locate } from '../../schemas/validate.js';
import { designInstance, locate, run, toValue } from '../support/schema-samples.js';

const I = 'database_instance.orders';

test('the DESIGN example database_instance is valid', (t) => {
  t.deepEqual(run('managed', 'database_instance', designInstance(), I), []);
  const known = { ...designInstance(), network: 'app-net', configuration: '0b5f5e6e-9a1f-4f55-8f7e-0f0a4b8a4c11' };
  t.deepEqual(run('managed', 'database_instance', known, I), []);
});

test('a fuller valid database_instance passes (every settable attribute)', (t) => {
  const v = {
    ...designInstance(),
    network: undefined,
    networks: [{ network: 'app-net', fixed_ip: '10.0.0.10' }, { network: 'mgmt', port: 'p-1' }],
    access: { is_public: false },
    availability_zone: 'nova',
    root_password: 'r00t!',
    replica_of: 'i-1',
    replica_count: 2,
    users: [{ name: 'app', password: 'x', host: '%', databases: ['orders'] }, { name: 'ro', password: 'y', host: '10.0.0.%' }],
    datastore: { type: 'mariadb' },
  };
  delete v.network;
  t.deepEqual(run('managed', 'database_instance', v, I), []);
});

type Case = [title: string, mutate: (v: Record<string, any>) => void, expected: [string, string][]];

const instanceCases: Case[] = [
  ['typo in an attribute name', (v) => ((v.flavour = v.flavor), delete v.flavor), [
    ['unknown attribute `flavour` in database_instance.orders — did you mean `flavor`?', 'key:["flavour"]'],
  ]],
  ['unset (null) required attribute', (v) => (v.volume = null), [['database_instance.orders is missing required attribute `volume`', 'value:[]']]],
  ['a word where a number belongs', (v) => (v.volume.size = 'twenty'), [['`volume.size` must be a whole number, got string "twenty"', 'value:["volume","size"]']]],
  ['a fraction where a whole number belongs', (v) => (v.volume.size = 2.5), [['`volume.size` must be a whole number, got 2.5', 'value:["volume","size"]']]],
  ['below the minimum', (v) => (v.volume.size = 0), [['`volume.size` must be at least 1, got 0', 'value:["volume","size"]']]],
  ['an empty datastore type', (v) => (v.datastore.type = ''), [['`datastore.type` must not be empty', 'value:["datastore","type"]']]],
  ['a computed attribute set by the user', (v) => (v.host = '10.0.0.5'), [
    ['`host` in database_instance.orders is computed by the provider and cannot be set', 'key:["host"]'],
  ]],
  ['a computed attribute set to a wrong type is reported once', (v) => (v.port = 'x'), [
    ['`port` in database_instance.orders is computed by the provider and cannot be set', 'key:["port"]'],
  ]],
  ['bad CIDR', (v) => (v.allowed_cidrs = ['10.0.0.0/33']), [
    ['`allowed_cidrs[0]` must be a CIDR block such as 10.0.0.0/24, got "10.0.0.0/33"', 'value:["allowed_cidrs",0]'],
  ]],
  ['duplicate CIDR', (v) => (v.allowed_cidrs = ['10.0.0.0/24', 'fd00::/64', '10.0.0.0/24']), [
    ['`allowed_cidrs` lists "10.0.0.0/24" more than once', 'value:["allowed_cidrs",2]'],
  ]],
  ['a sensitive value is never echoed', (v) => (v.users[0].password = 42), [
    ['`users[0].password` must be a string, got a number', 'value:["users",0,"password"]'],
  ]],
  ['empty sensitive value', (v) => (v.users[0].password = ''), [['`users[0].password` must not be empty', 'value:["users",0,"password"]']]],
  ['typo inside a block', (v) => ((v.users[0].pasword = v.users[0].password), delete v.users[0].password), [
    ['unknown attribute `users[0].pasword` in database_instance.orders — did you mean `users[0].password`?', 'key:["users",0,"pasword"]'],
    ['database_instance.orders is missing required attribute `users[0].password`', 'value:["users",0]'],
  ]],
  ['bad cron schedule', (v) => (v.backup.schedule = 'daily at 2'), [
    ['`backup.schedule` must be a five-field cron expression such as "0 2 * * *", got "daily at 2"', 'value:["backup","schedule"]'],
  ]],
  ['network and networks together', (v) => (v.networks = [{ network: 'a' }]), [
    ['`network` and `networks` cannot both be set in database_instance.orders; use one or the other', 'key:["networks"]'],
  ]],
  ['replica_count without replica_of', (v) => (v.replica_count = 2), [
    ['`replica_count` requires `replica_of` to be set as well', 'key:["replica_count"]'],
  ]],
  ['replica_of with restore_from', (v) => ((v.replica_of = 'i-1'), (v.restore_from = 'b-1')), [
    ['`replica_of` and `restore_from` cannot both be set in database_instance.orders; use one or the other', 'key:["restore_from"]'],
  ]],
  ['empty name: one message, not three', (v) => (v.databases[0].name = ''), [['`databases[0].name` must not be empty', 'value:["databases",0,"name"]']]],
  ['name without a letter or digit', (v) => (v.databases[0].name = '---'), [
    ['`databases[0].name` must contain at least one letter or digit, got "---"', 'value:["databases",0,"name"]'],
  ]],
  ['too long', (v) => (v.databases[0].name = 'd'.repeat(65)), [
    ['`databases[0].name` must be at most 64 characters long, got 65', 'value:["databases",0,"name"]'],
  ]],
  ['bad host pattern', (v) => (v.users[0].host = 'a b'), [
    ['`users[0].host` must be a host name, an IP address or a pattern such as %, got "a b"', 'value:["users",0,"host"]'],
  ]],
  ['boolean', (v) => (v.deletion_protection = 'yes'), [['`deletion_protection` must be true or false, got string "yes"', 'value:["deletion_protection"]']]],
  ['list where an object belongs', (v) => (v.volume = [20]), [['`volume` must be an object, got a list', 'value:["volume"]']]],
  ['missing block attribute', (v) => delete v.volume, [['database_instance.orders is missing required attribute `volume`', 'value:[]']]],
  ['empty networks list', (v) => ((v.networks = []), delete v.network), [['`networks` must have at least 1 element, got 0', 'value:["networks"]']]],
  ['a NIC needs a network or a port', (v) => ((v.networks = [{ port: 'p-1', fixed_ip: '1.2.3.4' }, { fixed_ip: '1.2.3.5' }]), delete v.network), [
    ['`networks[1]` needs one of `network` or `port`', 'value:["networks",1]'],
  ]],
  ['each NIC is judged on its own', (v) => {
    v.networks = [{}, { port: 'p' }, ...Array.from({ length: 9 }, () => ({ network: 'n' })), { fixed_ip: '1.2.3.4' }];
    delete v.network;
  }, [
    ['`networks[0]` needs one of `network` or `port`', 'value:["networks",0]'],
    ['`networks[11]` needs one of `network` or `port`', 'value:["networks",11]'],
  ]],
  ['a key named __proto__ is an ordinary unknown attribute', (v) => Object.defineProperty(v, '__proto__', { value: 1, enumerable: true }), [
    ['unknown attribute `__proto__` in database_instance.orders', 'key:["__proto__"]'],
  ]],
];

for (const [title, mutate, expected] of instanceCases) {
  test(`database_instance: ${title}`, (t) => {
    const v = designInstance();
    mutate(v);
    t.deepEqual(run('managed', 'database_instance', v, I).sort(), [...expected].sort());
  });
}

test('details: valid attributes, block hints', (t) => {
  const diag = (v: unknown) => validateResource('managed', 'database_instance', toValue(v), I, locate);
  const noHint = diag({ ...designInstance(), zzzzzzzzzz: 1 })[0]!;
  t.is(noHint.summary, 'unknown attribute `zzzzzzzzzz` in database_instance.orders');
  t.regex(noHint.detail!, /^Attributes here: name, datastore, flavor, volume, network, networks, .*, root_password\.$/);
  t.false(noHint.detail!.includes('host,'), 'computed-only attributes are not offered');
  const v = designInstance();
  delete v.volume;
  t.is(diag(v)[0]!.detail, 'Set it as `volume = …` or write a `volume { … }` block.');
  t.is(diag(v)[0]!.address, I);
  t.is(diag(v)[0]!.severity, 'error');
  const cluster = validateResource('managed', 'database_cluster', toValue({ datastore: { type: 'mariadb' }, instances: [] }), 'database_cluster.c', locate);
  t.is(cluster[0]!.detail, 'Write at least one `instance { … }` block.');
});

const otherCases: [SchemaKind, string, string, unknown, [string, string][]][] = [
  ['managed', 'database_configuration', 'database_configuration.tuned', { datastore: { type: 'postgresql', version: '15' }, values: { max_connections: 200, work_mem: '16MB', fsync: true } }, []],
  ['managed', 'database_configuration', 'database_configuration.tuned', { datastore: { type: 'mysql' }, values: { max_connections: [1] } }, [
    ['`values.max_connections` must be a string, number or boolean, got a list', 'value:["values","max_connections"]'],
  ]],
  ['managed', 'database_configuration', 'database_configuration.tuned', { datastore: { type: 'mysql' }, values: { 'max conn': {} } }, [
    ['`values["max conn"]` must be a string, number or boolean, got an object', 'value:["values","max conn"]'],
  ]],
  ['data', 'network', 'data.network.app', { name: 'app-net' }, []],
  ['data', 'network', 'data.network.app', {}, [['data.network.app needs one of `name` or `id`', 'value:[]']]],
  ['data', 'network', 'data.network.app', { nam: 'app-net' }, [
    ['data.network.app needs one of `name` or `id`', 'value:[]'],
    ['unknown attribute `nam` in data.network.app — did you mean `name`?', 'key:["nam"]'],
  ]],
  ['data', 'network', 'data.network.app', { name: 'x', status: 'ACTIVE' }, [
    ['`status` in data.network.app is computed by the provider and cannot be set', 'key:["status"]'],
  ]],
  ['data', 'subnet', 'data.subnet.s', { ip_version: 4 }, [['data.subnet.s needs one of `name`, `id`, `network` or `cidr`', 'value:[]']]],
  ['data', 'flavor', 'data.flavor.f', { vcpus: 2, ram: 4096 }, []],
  ['data', 'image', 'data.image.pg', { name: 'dbstack-guest-pg15', most_recent: true, properties: { dbstack_datastore: 'postgresql' } }, []],
  ['managed', 'database_cluster', 'database_cluster.c', { datastore: { type: 'mariadb' }, instances: [] }, [
    ['`instances` must have at least 1 element, got 0', 'value:["instances"]'],
  ]],
  ['managed', 'database_cluster', 'database_cluster.c', { datastore: { type: 'mariadb' }, instances: [{ flavor: 'db.small', volume: { size: 10 } }, { volume: { size: 10 } }] }, [
    ['database_cluster.c is missing required attribute `instances[1].flavor`', 'value:["instances",1]'],
  ]],
  ['managed', 'security_group', 'security_group.web', { rules: [{ direction: 'ingress', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '10.0.0.0/24' }, { direction: 'egress', protocol: 6 }] }, []],
  ['managed', 'security_group', 'security_group.web', { rules: [{ direction: 'in', protocol: 'tcpp' }, { protocol: 300, remote_ip_prefix: '0.0.0.0/0', remote_group: 'g' }] }, [
    ['`rules[0].direction` must be one of ingress, egress, got "in"', 'value:["rules",0,"direction"]'],
    ['`rules[0].protocol` must be a protocol name such as tcp, udp or icmp, or a protocol number, got "tcpp"', 'value:["rules",0,"protocol"]'],
    ['`rules[1].protocol` must be at most 255, got 300', 'value:["rules",1,"protocol"]'],
    ['`rules[1].remote_ip_prefix` and `rules[1].remote_group` cannot both be set in security_group.web; use one or the other', 'key:["rules",1,"remote_group"]'],
  ]],
  ['managed', 'security_group', 'security_group.heat', { rules: [{ protocol: 'icmp' }, { protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '0.0.0.0/0' }] }, []],
  ['managed', 'security_group_rule', 'security_group_rule.r', { direction: 'egress', ethertype: 'IPv4' }, [
    ['security_group_rule.r is missing required attribute `security_group`', 'value:[]'],
  ]],
  ['managed', 'random_password', 'random_password.heat', { character_set: 'hex' }, [
    ['`character_set` must be one of lettersdigits, letters, lowercase, uppercase, digits, hexdigits, octdigits, got "hex"', 'value:["character_set"]'],
  ]],
  ['managed', 'database_cluster', 'database_cluster.heat', { datastore: { type: 'redis', version: '7.2' }, instances: [{ flavor: 'm1.heat', volume: { size: 1 }, networks: [{ port: 'port1' }] }] }, []],
  ['managed', 'subnet', 'subnet.s', { network: 'n', cidr: '10.0.0.0/24', gateway_ip: '10.0.0.1', dns_nameservers: ['8.8.8.8', '2001:4860:4860::8888'], allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.200' }] }, []],
  ['managed', 'subnet', 'subnet.s', { network: 'n', cidr: '10.0.0.0', ip_version: 5, gateway_ip: '10.0.0.256' }, [
    ['`cidr` must be a CIDR block such as 10.0.0.0/24, got "10.0.0.0"', 'value:["cidr"]'],
    ['`ip_version` must be one of 4, 6, got 5', 'value:["ip_version"]'],
    ['`gateway_ip` must be an IP address such as 10.0.0.5, got "10.0.0.256"', 'value:["gateway_ip"]'],
  ]],
  ['managed', 'random_password', 'random_password.pw', { length: 'sixteen', result: 'x' }, [
    ['`result` in random_password.pw is computed by the provider and cannot be set', 'key:["result"]'],
    ['`length` must be a whole number, got string "sixteen"', 'value:["length"]'],
  ]],
  ['managed', 'random_password', 'random_password.pw', { length: 24, special: false, min_upper: 2, keepers: { rotate: '2024-01' } }, []],
  ['managed', 'database_user', 'database_user.app', { instance: unknown, name: 'app', password: unknown, databases: ['orders', 'orders'] }, [
    ['`databases` lists "orders" more than once', 'value:["databases",1]'],
  ]],
  ['managed', 'database', 'database.orders', { instance: 'i', name: 'orders', charset: 'UTF8', collation: 'en_US.UTF-8' }, []],
  ['managed', 'database_backup', 'database_backup.nightly', { instance: 'i', incremental: 1 }, [
    ['`incremental` must be true or false, got number 1', 'value:["incremental"]'],
  ]],
  ['managed', 'network', 'network.app', { name: 'app', mtu: 1450, port_security_enabled: true }, []],
  ['managed', 'database_instanse', 'database_instanse.x', {}, [['unknown resource type `database_instanse` — did you mean `database_instance`?', 'value:[]']]],
  ['data', 'imag', 'data.imag.x', {}, [['unknown data source type `imag` — did you mean `image`?', 'value:[]']]],
];

for (const [mode, type, address, value, expected] of otherCases) {
  test(`${address}: ${expected.length ? expected.map((e) => e[0].slice(0, 40)).join(' / ') : 'valid'}`, (t) => {
    t.deepEqual(run(mode, type, value, address).sort(), [...expected].sort());
  });
}

test('provider openstack: the DESIGN example and clouds.yaml-style settings are valid', (t) => {
  const v = {
    cloud: 'mycloud',
    broker: 'mqtts://mq.mgmt.example:8883',
    datastores: [{ type: 'postgresql', versions: [{ name: '15', image: 'dbstack-guest-pg15' }], default_version: '15' }],
  };
  t.deepEqual(validateProvider('openstack', toValue(v), locate), []);
  const full = {
    auth_url: 'https://keystone.example:5000/v3', username: 'demo', password: unknown, project_name: 'demo',
    user_domain_name: 'Default', project_domain_name: 'Default', region_name: 'RegionOne', interface: 'internal',
    cacert: '/etc/ssl/ca.pem', insecure: false, timeouts: { create: '30m', converge: '1h30m' },
  };
  t.deepEqual(validateProvider('openstack', toValue(full), locate), []);
  t.deepEqual(validateProvider('local', toValue({ state_dir: '.dbstack/local', broker: 'embedded' }), locate), []);
});

test('provider openstack: bad settings', (t) => {
  const v = {
    interface: 'private', application_credential_id: 'x', password: 5, broker: 'http://x', regoin_name: 'r',
    datastores: [{ type: 'postgresql', versions: [{ name: '15' }] }], timeouts: { create: 'half an hour' },
  };
  const got = validateProvider('openstack', toValue(v), locate).map((d) => [d.summary, d.range!.file, d.address]);
  t.deepEqual(got.sort(), [
    ['unknown attribute `regoin_name` in provider.openstack — did you mean `region_name`?', 'key:["regoin_name"]', 'provider.openstack'],
    ['`password` must be a string, got a number', 'value:["password"]', 'provider.openstack'],
    ['`interface` must be one of public, internal, admin, got "private"', 'value:["interface"]', 'provider.openstack'],
    ['`broker` must be an MQTT broker URL such as mqtts://mq.example:8883, got "http://x"', 'value:["broker"]', 'provider.openstack'],
    ['provider.openstack is missing required attribute `datastores[0].versions[0].image`', 'value:["datastores",0,"versions",0]', 'provider.openstack'],
    ['`application_credential_id` requires `application_credential_secret` to be set as well', 'key:["application_credential_id"]', 'provider.openstack'],
    ['`timeouts.create` must be a duration such as "30m" or "1h30m", got "half an hour"', 'value:["timeouts","create"]', 'provider.openstack'],
  ].sort());
});

test('locate falls back to the value, then to enclosing values, when it has no range', (t) => {
  const asked: string[] = [];
  const partial: Locate = (path, kind) => {
    asked.push(`${kind}:${JSON.stringify(path)}`);
    return path.length <= 1 && kind === 'value' ? locate(path, kind) : undefined;
  };
  const v = designInstance();
  v.users[0].pasword = 'x';
  const diags = validateResource('managed', 'database_instance', toValue(v), I, partial);
  const typo = diags.find((d) => d.summary.startsWith('unknown attribute'))!;
  t.is(typo.range!.file, 'value:["users"]');
  t.deepEqual(asked.slice(0, 4), ['key:["users",0,"pasword"]', 'value:["users",0,"pasword"]', 'value:["users",0]', 'value:["users"]']);
});

test('diagnostics come out in source order', (t) => {
  const lines: Record<string, number> = { '["volume"]': 9, '["flavour"]': 3, '[]': 1 };
  const byLine: Locate = (path) => {
    const line = lines[JSON.stringify(path)] ?? 50;
    return { file: 'stack.tf', line, col: 3, endLine: line, endCol: 9 };
  };
  const v = designInstance();
  v.volume.size = 'big';
  v.flavour = 'x';
  delete v.volume.size;
  const got = validateResource('managed', 'database_instance', toValue(v), I, byLine).map((d) => d.range!.line);
  t.deepEqual(got, [3, 9]);
});
