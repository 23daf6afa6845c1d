/** The OpenStack provider: databases on Keystone, Nova, Cinder, Neutron, Glance and Swift. */
import type { ValueObject } from '../../core/value.js';
import { attachedResource } from '../common/attached.js';
import { randomPassword } from '../common/random-password.js';
import type { Provider, ResourceType } from '../provider.js';
import { OpenStackCloud } from './cloud.js';
import { openstackInstance } from './resources/instance.js';
import { openstackDataSources } from './data-sources.js';

export function createOpenStackProvider(settings: ValueObject, env: NodeJS.ProcessEnv, extra: Record<string, (cloud: OpenStackCloud) => ResourceType> = {}): Provider {
  const cloud = new OpenStackCloud(settings, env);
  const types: Record<string, ResourceType> = {
    database_instance: openstackInstance(cloud),
    database: attachedResource(cloud, 'databases'),
    database_user: attachedResource(cloud, 'users'),
    random_password: randomPassword,
    ...Object.fromEntries(Object.entries(extra).map(([k, f]) => [k, f(cloud)])),
  };
  const dataSources = openstackDataSources(cloud);
  return {
    name: 'openstack',
    resourceType: (type) => types[type],
    dataSource: (type) => dataSources[type],
    conductor: () => cloud.conductor(),
    close: () => cloud.close(),
  };
}
