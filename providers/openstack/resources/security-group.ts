/**
 * `security_group` with inline `rule` blocks. As in Heat: Neutron's default egress rules stay
 * unless the configuration has an egress rule of its own, and are then not shown as drift.
 * Updates add and delete rules in place, never replacing the group.
 */
import { ProviderError, str, type ResourceObject, type ResourceType } from '../../provider.js';
import { isObject, type ValueObject } from '../../../core/value.js';
import type { Session } from '../http/session.js';
import { networkClient, type SecurityGroup, type SecurityGroupRule } from '../clients/network.js';
import { attrs, defaultName, ownerTags } from './tags.js';
import { ruleAttributes, ruleBody, ruleKey, ruleKeyOf } from './security-group-rule.js';

const isDefaultEgress = (r: SecurityGroupRule): boolean =>
  r.direction === 'egress' && r.protocol === null && r.port_range_min === null && r.port_range_max === null &&
  r.remote_ip_prefix === null && r.remote_group_id === null;

function configuredRules(config: ValueObject | undefined): Record<string, unknown>[] {
  const rules = config?.rules;
  return Array.isArray(rules) ? rules.filter(isObject).map(ruleBody) : [];
}

export function securityGroupResource(session: Session): ResourceType {
  const net = networkClient(session);
  const groups = net.securityGroups;
  const toObject = (g: SecurityGroup, config: ValueObject | undefined): ResourceObject => {
    const keepDefaults = !configuredRules(config).some((r) => r.direction === 'egress');
    const rules = g.security_group_rules.filter((r) => !(keepDefaults && isDefaultEgress(r)));
    return {
      id: g.id,
      attributes: attrs({ id: g.id, name: g.name, description: g.description, rules: rules.map((r) => ruleAttributes(r)) }),
    };
  };
  /** Makes the group's rules the configured ones: deletes extra rules, creates missing ones. */
  const syncRules = async (g: SecurityGroup, config: ValueObject, address: string): Promise<void> => {
    const wanted = configuredRules(config);
    const keepDefaults = !wanted.some((r) => r.direction === 'egress');
    const wantedKeys = new Set(wanted.map(ruleKey));
    const have = new Set<string>();
    for (const r of g.security_group_rules) {
      const key = ruleKeyOf(r);
      if (wantedKeys.has(key) && !have.has(key)) have.add(key);
      else if (!(keepDefaults && isDefaultEgress(r))) await net.securityGroupRules.delete(r.id, `delete a rule of security group ${g.id} for ${address}`);
    }
    for (const body of wanted) {
      const key = ruleKey(body);
      if (have.has(key)) continue;
      have.add(key);
      await net.securityGroupRules.create({ ...body, security_group_id: g.id }, `add a rule to security group ${g.id} for ${address}`);
    }
  };
  const reread = async (id: string, config: ValueObject): Promise<ResourceObject> => {
    const g = await groups.get(id);
    if (!g) throw new ProviderError(`security group ${id} disappeared`);
    return toObject(g, config);
  };
  return {
    async create(ctx, config) {
      const g = await groups.create({ name: str(config, 'name') ?? defaultName(ctx.address), description: str(config, 'description') }, `create security group for ${ctx.address}`);
      try {
        // Tag first: the group is findable by adopt even if adding rules fails.
        await groups.setTags(g.id, ownerTags(ctx));
        await syncRules(g, config, ctx.address);
        return await reread(g.id, config);
      } catch (e) {
        throw new ProviderError(`security group ${g.id} was created but not completed: ${(e as Error).message}`, toObject(g, config));
      }
    },
    async read(_ctx, prior) {
      const g = await groups.get(prior.id);
      return g && toObject(g, prior.inputs);
    },
    async update(ctx, prior, config) {
      const g = await groups.update(prior.id, { name: str(config, 'name') ?? defaultName(ctx.address), description: str(config, 'description') ?? '' }, `update security group ${prior.id} for ${ctx.address}`);
      await syncRules(g, config, ctx.address);
      return reread(g.id, config);
    },
    async delete(ctx, prior) {
      await groups.delete(prior.id, `delete security group ${prior.id} of ${ctx.address}`);
    },
    async import(_ctx, id) {
      const g = await groups.get(id);
      if (!g) throw new ProviderError(`security group ${id} does not exist`);
      return toObject(g, undefined);
    },
    async adopt(ctx) {
      const [g] = await groups.findByTags(ownerTags(ctx));
      return g && toObject(g, undefined);
    },
  };
}
