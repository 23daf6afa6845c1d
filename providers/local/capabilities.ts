/**
 * What the local cloud implements (see planner/plan/capabilities.ts for the meaning of each
 * entry). Everything runs on this machine, on loopback: placement and network attributes
 * (flavor, volume type, availability zone, networks, allowed CIDRs) are accepted and recorded
 * without effect, so a stack written for OpenStack plans and applies here unchanged; the
 * instance listens on 127.0.0.1 only, which admits less than any allowed_cidrs would.
 */
import type { ProviderCapabilities, Support } from '../../planner/plan/capabilities.js';
import { DATABASE_ENGINE_IGNORES, ENGINE_IGNORES, USER_ENGINE_IGNORES } from '../common/engine-support.js';

const placement = (what: string): Support => ({ noEffect: `the local cloud runs every instance on this machine, so ${what} has no effect` });

const NEEDS_CLOUD = 'it needs backups and replication, which the local cloud does not have';

export const LOCAL_CAPABILITIES: ProviderCapabilities = {
  name: 'local',
  resources: {
    database_instance: {
      attributes: {
        name: 'full',
        datastore: 'full',
        flavor: placement('a flavor'),
        'volume.size': 'full',
        'volume.type': placement('a volume type'),
        network: placement('a network'),
        networks: placement('a NIC'),
        availability_zone: placement('an availability zone'),
        allowed_cidrs: { noEffect: 'a local instance listens on 127.0.0.1 only, which admits less than any allowed_cidrs' },
        configuration: 'full',
        databases: 'full',
        users: 'full',
        deletion_protection: 'full',
      },
      notYet: {
        replica_of: NEEDS_CLOUD,
        replica_count: NEEDS_CLOUD,
        restore_from: NEEDS_CLOUD,
        backup: 'scheduled backups are not implemented by any provider yet',
        access: 'a local instance is reachable from this machine only',
        root_password: 'the guest keeps its administrative password to itself; declare a user instead',
      },
      engines: ENGINE_IGNORES,
      defaultEngine: 'postgresql',
    },
    database: { attributes: '*', engines: DATABASE_ENGINE_IGNORES, engineOf: 'instance' },
    database_user: { attributes: '*', engines: USER_ENGINE_IGNORES, engineOf: 'instance' },
    database_configuration: { attributes: '*' },
    random_password: { attributes: '*' },
    // Records only: the local network is this machine's loopback.
    network: { attributes: '*' },
    subnet: { attributes: '*' },
    security_group: { attributes: '*' },
    security_group_rule: { attributes: '*' },
  },
  dataSources: ['flavor', 'image', 'network', 'security_group', 'subnet'],
  deletionPolicies: ['Delete', 'Retain'],
  typesNotYet: {
    database_backup: 'backups are not implemented yet',
    database_cluster: 'clusters are not implemented yet',
  },
};
