import { Unknown, newObject, unknown, type Value } from '../../core/value.js';
import type { Range } from '../../core/source.js';
import type { SchemaKind } from '../../schemas/files.js';
import { validateResource, type Locate } from '../../schemas/validate.js';

// Shared by the schema-*.test.ts files (not a test file itself).

/** Plain JS → evaluator values (null-prototype objects, as the evaluator makes them). */
export function toValue(x: unknown): Value {
  if (x instanceof Unknown) return x;
  if (Array.isArray(x)) return x.map(toValue);
  if (x !== null && typeof x === 'object') return newObject(Object.entries(x).map(([k, v]) => [k, toValue(v)]));
  return x as Value;
}

/** A locate that encodes what it was asked for in the range's file name. */
export const locate: Locate = (path, kind): Range => ({ file: `${kind}:${JSON.stringify(path)}`, line: 1, col: 1, endLine: 1, endCol: 2 });

export function run(mode: SchemaKind, type: string, value: unknown, address: string): [string, string][] {
  return validateResource(mode, type, toValue(value), address, locate).map((d) => [d.summary, d.range!.file]);
}

/** The DESIGN example's database_instance, as the evaluator would produce it at plan time. */
export function designInstance(): Record<string, any> {
  return {
    name: 'orders',
    datastore: { type: 'postgresql', version: '15' },
    flavor: 'db.small',
    volume: { size: 20, type: 'ssd' },
    network: unknown, // data.network.app.id
    allowed_cidrs: ['10.0.0.0/24'],
    configuration: unknown, // database_configuration.tuned.id
    databases: [{ name: 'orders', charset: 'UTF8' }],
    users: [{ name: 'app', password: 'correct horse battery staple', databases: ['orders'] }],
    backup: { schedule: '0 2 * * *', retention_days: 7 },
    deletion_protection: true,
  };
}


/** One valid value per schema key: seeds for mutation tests. */
export const SEEDS: Record<string, unknown> = {
  stack: {
    description: 'orders',
    variables: { app_password: { type: 'string', sensitive: true } },
    providers: { openstack: { cloud: 'mycloud' } },
    data: { app: { type: 'network', properties: { name: 'app-net' } } },
    resources: {
      orders: { type: 'database_instance', properties: { flavor: 'db.small' }, depends_on: ['tuned'], lifecycle: { prevent_destroy: true } },
    },
    outputs: { orders_uri: { value: '${database_instance.orders.connection_uri}', sensitive: true } },
  },
  'resources/database': { instance: 'i-1', name: 'orders', charset: 'UTF8', collation: 'en_US.UTF-8' },
  'resources/database_backup': { instance: 'i-1', name: 'nightly', description: 'n', incremental: true, parent: 'b-0' },
  'resources/database_cluster': {
    name: 'c', datastore: { type: 'mariadb', version: '10.11' },
    instances: [
      { flavor: 'db.small', volume: { size: 10, type: 'ssd' }, network: 'n', availability_zone: 'nova', type: 'member' },
      { flavor: 'db.small', volume: { size: 10 }, networks: [{ port: 'p-2', fixed_ip: '10.0.0.7' }] },
    ],
  },
  'resources/database_configuration': { name: 't', description: 'tuned', datastore: { type: 'postgresql', version: '15' }, values: { max_connections: 200, work_mem: '16MB', fsync: true } },
  'resources/database_instance': {
    name: 'orders', datastore: { type: 'postgresql', version: '15' }, flavor: 'db.small', volume: { size: 20, type: 'ssd' },
    network: 'app-net', allowed_cidrs: ['10.0.0.0/24', 'fd00::/64'], configuration: 'c-1',
    databases: [{ name: 'orders', charset: 'UTF8', collation: 'C' }], users: [{ name: 'app', password: 'pw', host: '%', databases: ['orders'] }],
    availability_zone: 'nova', backup: { schedule: '0 2 * * *', retention_days: 7 }, deletion_protection: true, access: { is_public: false },
    root_password: 'r', replica_of: 'i-0', replica_count: 1,
  },
  'resources/database_user': { instance: 'i-1', name: 'app', password: 'pw', host: '%', databases: ['orders'] },
  'resources/network': { name: 'app', description: 'd', admin_state_up: true, mtu: 1450, port_security_enabled: true },
  'resources/random_password': { length: 24, character_set: 'hexdigits', special: true, upper: true, lower: true, numeric: true, min_special: 1, override_special: '!@', keepers: { k: 'v' } },
  'resources/security_group': {
    name: 'web', description: 'd',
    rules: [{ direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '10.0.0.0/24', description: 'pg' }],
  },
  'resources/security_group_rule': {
    security_group: 'sg-1', direction: 'ingress', ethertype: 'IPv6', protocol: 'tcp', port_range_min: 3306, port_range_max: 3306,
    remote_group: 'sg-2', description: 'mysql from app',
  },
  'resources/subnet': {
    network: 'n', name: 's', cidr: '10.0.0.0/24', ip_version: 4, gateway_ip: '10.0.0.1', enable_dhcp: true,
    dns_nameservers: ['8.8.8.8'], allocation_pools: [{ start: '10.0.0.10', end: '10.0.0.99' }],
  },
  'data/flavor': { name: 'db.small', vcpus: 2, ram: 4096, disk: 20 },
  'data/image': { name: 'dbstack-guest-pg15', most_recent: true, visibility: 'public', tags: ['pg'], properties: { os: 'debian' } },
  'data/network': { name: 'app-net', external: false },
  'data/security_group': { name: 'default' },
  'data/subnet': { network: 'n', cidr: '10.0.0.0/24', ip_version: 4 },
  'providers/local': { state_dir: '.dbstack/local', broker: 'mosquitto' },
  'providers/openstack': {
    cloud: 'c', auth_url: 'https://k.example:5000/v3', username: 'u', password: 'p', project_name: 'p', user_domain_name: 'Default',
    project_domain_name: 'Default', region_name: 'RegionOne', interface: 'public', cacert: '/ca.pem', insecure: false,
    broker: 'mqtts://mq:8883', datastores: [{ type: 'redis', versions: [{ name: '7.2', image: 'img' }], default_version: '7.2', port: 6379 }],
    timeouts: { create: '30m', update: '30m', delete: '10m', converge: '15m' },
  },
};

/** Every path to a node inside a JSON value (the root excluded). */
export function allPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push([...prefix, i], ...allPaths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) out.push([...prefix, k], ...allPaths(x, [...prefix, k]));
  }
  return out;
}

/** A deep copy of `v` with the node at `path` replaced. */
export function setAt(v: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  if (v instanceof Unknown || typeof v !== 'object' || v === null) return v; // nothing to descend into
  const [head, ...rest] = path;
  if (Array.isArray(v)) return v.map((x, i) => (i === head ? setAt(x, rest, replacement) : x));
  const o = v as Record<string, unknown>;
  return { ...o, [head!]: setAt(o[head!], rest, replacement) };
}
