/**
 * `security_group_rule`: one rule of an existing group. Neutron rules have neither tags nor an
 * update: every argument forces replacement, and a rule without a user description carries a
 * marker description (lineage + address) so adopt can find it after a crash.
 */
import { ProviderError, str, type ResourceObject, type ResourceType } from '../../provider.js';
import type { ValueObject } from '../../../core/value.js';
import type { Session } from '../http/session.js';
import { networkClient, type SecurityGroupRule } from '../clients/network.js';
import { addressTag, attrs, lineageTag, num } from './tags.js';

/** The Neutron body of a rule from its configuration (`rule` block or resource arguments). */
export function ruleBody(config: ValueObject): Record<string, unknown> {
  const p = config.protocol;
  const protocol = typeof p === 'number' ? String(p) : typeof p === 'string' && p !== 'any' ? p.toLowerCase() : undefined;
  return {
    direction: str(config, 'direction') ?? 'ingress',
    ethertype: str(config, 'ethertype') ?? 'IPv4',
    protocol,
    port_range_min: num(config, 'port_range_min'),
    port_range_max: num(config, 'port_range_max'),
    remote_ip_prefix: str(config, 'remote_ip_prefix'),
    remote_group_id: str(config, 'remote_group'),
    description: str(config, 'description'),
  };
}

/** A rule's configuration-shaped attributes (without the group and id). */
export function ruleAttributes(r: SecurityGroupRule, hideDescription?: string): ValueObject {
  return attrs({
    direction: r.direction, ethertype: r.ethertype, protocol: r.protocol ?? undefined,
    port_range_min: r.port_range_min ?? undefined, port_range_max: r.port_range_max ?? undefined,
    remote_ip_prefix: r.remote_ip_prefix ?? undefined, remote_group: r.remote_group_id ?? undefined,
    description: r.description && r.description !== hideDescription ? r.description : undefined,
  });
}

/** Identity of a rule for comparing configured and actual rules (Neutron refuses duplicates too). */
export function ruleKey(b: Record<string, unknown>): string {
  const n = (v: unknown): string => (v === undefined || v === null || v === '' ? '-' : String(v));
  return [b.direction, b.ethertype, b.protocol, b.port_range_min, b.port_range_max, b.remote_ip_prefix, b.remote_group_id, b.description].map(n).join('|');
}

export function ruleKeyOf(r: SecurityGroupRule): string {
  return ruleKey({ ...r });
}

export function marker(ctx: { address: string; stack: { lineage: string } }): string {
  return `${lineageTag(ctx.stack.lineage)} ${addressTag(ctx.address)}`;
}

export function securityGroupRuleResource(session: Session): ResourceType {
  const rules = networkClient(session).securityGroupRules;
  const toObject = (r: SecurityGroupRule, mark: string): ResourceObject => ({
    id: r.id,
    attributes: attrs({ id: r.id, security_group: r.security_group_id, ...ruleAttributes(r, mark) }),
  });
  return {
    async create(ctx, config) {
      const body = ruleBody(config);
      const mark = marker(ctx);
      if (body.description === undefined) body.description = mark;
      const r = await rules.create({ ...body, security_group_id: str(config, 'security_group') }, `create security group rule for ${ctx.address}`);
      return toObject(r, mark);
    },
    async read(ctx, prior) {
      const r = await rules.get(prior.id);
      return r && toObject(r, marker(ctx));
    },
    update() {
      // The schema marks every argument force-new, so the planner replaces instead.
      return Promise.reject(new ProviderError('security group rules cannot be updated in place: Neutron has no such operation'));
    },
    async delete(ctx, prior) {
      await rules.delete(prior.id, `delete security group rule ${prior.id} of ${ctx.address}`);
    },
    async import(ctx, id) {
      const r = await rules.get(id);
      if (!r) throw new ProviderError(`security group rule ${id} does not exist`);
      return toObject(r, marker(ctx));
    },
    async adopt(ctx) {
      const mark = marker(ctx);
      const [r] = await rules.list({ description: mark });
      return r && toObject(r, mark);
    },
  };
}
