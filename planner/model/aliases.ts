/**
 * The one table that maps foreign resource types (Heat HOT / CFN, Terraform's OpenStack
 * provider) onto dbstack's native types. Loaders keep types as written; `resolve/` reads this
 * table to rename attributes, decode Terraform blocks, and rewrite references. Nothing else in
 * the code base knows a foreign type name.
 */
export interface AliasEntry {
  /** The native type this source type becomes. */
  native: string;
  mode: 'managed' | 'data';
  /** Terraform: how the source's nested blocks decode (one object, or a list of objects). */
  blocks?: Record<string, 'single' | 'list'>;
  /** Source attribute → native attribute path (dotted for nested: `size` → `volume.size`). */
  rename?: Record<string, string>;
  /** For list-of-object attributes (by native name): item key renames. */
  items?: Record<string, Record<string, string>>;
  /** Attributes accepted for compatibility but without effect in dbstack, with the reason. */
  ignored?: Record<string, string>;
  /**
   * Special reshaping, named so the table stays data: `nameValueListToMap` turns
   * `configuration { name = "x" value = 1 }` blocks into a `values = { x = 1 }` map.
   */
  reshape?: { kind: 'nameValueListToMap'; from: string; to: string; keyField: string; valueField: string }[];
  /** Attribute names in references (`get_attr [db, hostname]`, `.value`) → native names. */
  attributes?: Record<string, string>;
}

const troveInstanceHot: AliasEntry = {
  native: 'database_instance',
  mode: 'managed',
  rename: {
    size: 'volume.size',
    volume_type: 'volume.type',
    datastore_type: 'datastore.type',
    datastore_version: 'datastore.version',
    restore_point: 'restore_from',
  },
  items: { databases: { character_set: 'charset', collate: 'collation' } },
  attributes: { show: 'id' },
};

const trove = {
  'OS::Trove::Instance': troveInstanceHot,
  'OS::Trove::Cluster': {
    native: 'database_cluster',
    mode: 'managed',
    rename: { datastore_type: 'datastore.type', datastore_version: 'datastore.version' },
    items: { instances: { volume_size: 'volume.size', volume_type: 'volume.type' } },
    attributes: { ip: 'ips', show: 'id' },
  },
} satisfies Record<string, AliasEntry>;

const heat = {
  'OS::Heat::RandomString': {
    native: 'random_password',
    mode: 'managed',
    rename: { sequence: 'character_set' },
    ignored: { salt: 'dbstack keeps the generated value in its encrypted state; a salt has no effect' },
    attributes: { value: 'result' },
  },
  'OS::Neutron::Net': {
    native: 'network',
    mode: 'managed',
    ignored: { tenant_id: 'the project comes from the provider credentials' },
  },
  'OS::Neutron::Subnet': {
    native: 'subnet',
    mode: 'managed',
    rename: { network_id: 'network' },
    ignored: { tenant_id: 'the project comes from the provider credentials' },
  },
  'OS::Neutron::SecurityGroup': { native: 'security_group', mode: 'managed' },
} satisfies Record<string, AliasEntry>;

const terraformIgnored = {
  region: 'dbstack uses the region of the provider configuration',
};

const terraform = {
  openstack_db_instance_v1: {
    native: 'database_instance',
    mode: 'managed',
    blocks: { datastore: 'single', network: 'list', database: 'list', user: 'list' },
    rename: {
      flavor_id: 'flavor',
      size: 'volume.size',
      volume_type: 'volume.type',
      configuration_id: 'configuration',
      network: 'networks',
      database: 'databases',
      user: 'users',
    },
    items: {
      networks: { uuid: 'network', fixed_ip_v4: 'fixed_ip' },
      databases: { collate: 'collation' },
    },
    ignored: terraformIgnored,
  },
  openstack_db_database_v1: {
    native: 'database',
    mode: 'managed',
    rename: { instance_id: 'instance', collate: 'collation' },
    ignored: terraformIgnored,
  },
  openstack_db_user_v1: {
    native: 'database_user',
    mode: 'managed',
    rename: { instance_id: 'instance' },
    ignored: terraformIgnored,
  },
  openstack_db_configuration_v1: {
    native: 'database_configuration',
    mode: 'managed',
    blocks: { datastore: 'single', configuration: 'list' },
    reshape: [{ kind: 'nameValueListToMap', from: 'configuration', to: 'values', keyField: 'name', valueField: 'value' }],
    ignored: terraformIgnored,
  },
  openstack_networking_network_v2: {
    native: 'network',
    mode: 'managed',
    blocks: { segments: 'list' },
    ignored: { ...terraformIgnored, tenant_id: 'the project comes from the provider credentials' },
  },
  openstack_networking_subnet_v2: {
    native: 'subnet',
    mode: 'managed',
    blocks: { allocation_pool: 'list' },
    rename: { network_id: 'network', allocation_pool: 'allocation_pools' },
    ignored: { ...terraformIgnored, tenant_id: 'the project comes from the provider credentials' },
  },
  openstack_networking_secgroup_v2: {
    native: 'security_group',
    mode: 'managed',
    ignored: { ...terraformIgnored, tenant_id: 'the project comes from the provider credentials' },
  },
  openstack_networking_secgroup_rule_v2: {
    native: 'security_group_rule',
    mode: 'managed',
    rename: { security_group_id: 'security_group' },
    ignored: { ...terraformIgnored, tenant_id: 'the project comes from the provider credentials' },
  },
  // Data sources: look-ups of things that already exist.
  'data:openstack_networking_network_v2': { native: 'network', mode: 'data', ignored: terraformIgnored },
  'data:openstack_networking_subnet_v2': {
    native: 'subnet',
    mode: 'data',
    rename: { network_id: 'network' },
    ignored: terraformIgnored,
  },
  'data:openstack_networking_secgroup_v2': { native: 'security_group', mode: 'data', ignored: terraformIgnored },
  'data:openstack_images_image_v2': { native: 'image', mode: 'data', ignored: terraformIgnored },
  'data:openstack_compute_flavor_v2': { native: 'flavor', mode: 'data', ignored: terraformIgnored },
} satisfies Record<string, AliasEntry>;

const table: Record<string, AliasEntry> = { ...trove, ...heat, ...terraform };

/** The alias for a source type, or undefined for a native (or unsupported) type. */
export function aliasFor(mode: 'managed' | 'data', sourceType: string): AliasEntry | undefined {
  return table[mode === 'data' ? `data:${sourceType}` : sourceType];
}

/** Every foreign type name that maps onto a native type, for "supported types" messages. */
export function aliasedTypes(mode: 'managed' | 'data'): string[] {
  return Object.keys(table)
    .filter((k) => (mode === 'data') === k.startsWith('data:'))
    .map((k) => k.replace(/^data:/, ''));
}
