/**
 * What the OpenStack provider implements (see planner/plan/capabilities.ts for the meaning of
 * each entry). A `database_instance` is a server, a volume, a port and a security group
 * (resources/instance-parts.ts) with a guest; its update resizes the server, grows the volume
 * and converges the guest, and nothing else — so attributes used only at create say so.
 */
import type { ProviderCapabilities } from '../../planner/plan/capabilities.js';
import { DATABASE_ENGINE_IGNORES, ENGINE_IGNORES, USER_ENGINE_IGNORES } from '../common/engine-support.js';

const NOT_YET = 'this version of dbstack does not implement it on OpenStack';

export const OPENSTACK_CAPABILITIES: ProviderCapabilities = {
  name: 'openstack',
  resources: {
    database_instance: {
      attributes: {
        name: { update: 'refuse', reason: 'the server keeps the name it was created with (renaming is not implemented yet)' },
        'datastore.type': 'full',
        'datastore.version': { update: 'refuse', reason: 'another version needs the server rebuilt from that version\'s guest image, which is not implemented yet' },
        flavor: 'full',
        volume: 'full',
        network: 'full',
        'networks.*.network': 'full',
        availability_zone: 'full',
        allowed_cidrs: { update: 'refuse', reason: 'the security group rules are made at create; changing them in place is not implemented yet' },
        databases: 'full',
        users: 'full',
        deletion_protection: 'full',
      },
      notYet: {
        'networks.*.port': 'the instance gets a port of its own on the network',
        'networks.*.fixed_ip': 'the instance\'s port takes an address from the subnet\'s pool',
        configuration: 'configuration groups are not implemented on OpenStack yet',
        replica_of: NOT_YET,
        replica_count: NOT_YET,
        restore_from: `${NOT_YET} (an instance made from this stack would start empty)`,
        backup: 'scheduled backups are not implemented by any provider yet',
        access: 'a public address for an instance is not implemented yet',
        root_password: 'the guest keeps its administrative password to itself; declare a user instead',
      },
      maxItems: { networks: { max: 1, reason: 'the instance gets one port, on the first NIC\'s network' } },
      engines: ENGINE_IGNORES,
    },
    database: { attributes: '*', engines: DATABASE_ENGINE_IGNORES, engineOf: 'instance' },
    database_user: { attributes: '*', engines: USER_ENGINE_IGNORES, engineOf: 'instance' },
    random_password: { attributes: '*' },
    network: { attributes: '*' },
    subnet: { attributes: '*' },
    security_group: { attributes: '*' },
    security_group_rule: { attributes: '*' },
  },
  dataSources: ['flavor', 'image', 'network'],
  deletionPolicies: ['Delete', 'Retain'],
  typesNotYet: {
    database_configuration: 'configuration groups are not implemented on OpenStack yet',
    database_backup: 'backups are not implemented yet',
    database_cluster: 'clusters are not implemented yet',
  },
};
