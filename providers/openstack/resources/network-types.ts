/** network, subnet, security_group and security_group_rule on OpenStack (Neutron). */
import type { ResourceType } from '../../provider.js';
import type { OpenStackCloud } from '../cloud.js';
import type { Session } from '../http/session.js';
import { networkResource } from './network.js';
import { securityGroupRuleResource } from './security-group-rule.js';
import { securityGroupResource } from './security-group.js';
import { subnetResource } from './subnet.js';

/** A type built on the session, which exists only once the cloud has been logged in to (on first use). */
function onSession(cloud: OpenStackCloud, make: (s: Session) => ResourceType): ResourceType {
  let type: Promise<ResourceType> | undefined;
  const get = () => (type ??= cloud.clients().then((c) => make(c.session)));
  return {
    create: async (ctx, config) => (await get()).create(ctx, config),
    read: async (ctx, prior) => (await get()).read(ctx, prior),
    update: async (ctx, prior, config) => (await get()).update(ctx, prior, config),
    delete: async (ctx, prior) => (await get()).delete(ctx, prior),
    adopt: async (ctx) => (await get()).adopt?.(ctx),
  };
}

export const OPENSTACK_NETWORK_TYPES: Record<string, (cloud: OpenStackCloud) => ResourceType> = {
  network: (cloud) => onSession(cloud, networkResource),
  subnet: (cloud) => onSession(cloud, subnetResource),
  security_group: (cloud) => onSession(cloud, securityGroupResource),
  security_group_rule: (cloud) => onSession(cloud, securityGroupRuleResource),
};
