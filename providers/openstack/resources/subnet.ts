/** `subnet`: a Neutron subnet on a network, tagged like every dbstack object. */
import { ProviderError, str, type ResourceObject, type ResourceType } from '../../provider.js';
import { isObject, type Value, type ValueObject } from '../../../core/value.js';
import type { Session } from '../http/session.js';
import { networkClient, type Subnet } from '../clients/network.js';
import { attrs, bool, defaultName, num, ownerTags } from './tags.js';

export function subnetResource(session: Session): ResourceType {
  const sub = networkClient(session).subnets;
  const toObject = (s: Subnet): ResourceObject => ({
    id: s.id,
    attributes: attrs({
      id: s.id, network: s.network_id, name: s.name, description: s.description, cidr: s.cidr,
      ip_version: s.ip_version, gateway_ip: s.gateway_ip ?? undefined, enable_dhcp: s.enable_dhcp,
      dns_nameservers: [...s.dns_nameservers],
      allocation_pools: s.allocation_pools.map((p) => attrs({ start: p.start, end: p.end })),
    }),
  });
  // The arguments Neutron updates in place (the others force replacement).
  const mutable = (config: ValueObject, address: string): Record<string, unknown> => ({
    name: str(config, 'name') ?? defaultName(address),
    description: str(config, 'description'),
    gateway_ip: str(config, 'gateway_ip'),
    enable_dhcp: bool(config, 'enable_dhcp'),
    dns_nameservers: strings(config.dns_nameservers),
    allocation_pools: pools(config.allocation_pools),
  });
  return {
    async create(ctx, config) {
      const cidr = str(config, 'cidr') ?? '';
      const s = await sub.create({
        ...mutable(config, ctx.address),
        network_id: str(config, 'network'), cidr,
        ip_version: num(config, 'ip_version') ?? (cidr.includes(':') ? 6 : 4),
      }, `create subnet for ${ctx.address}`);
      try {
        await sub.setTags(s.id, ownerTags(ctx));
      } catch (e) {
        throw new ProviderError(`subnet ${s.id} was created but not tagged: ${(e as Error).message}`, toObject(s));
      }
      return toObject(s);
    },
    async read(_ctx, prior) {
      const s = await sub.get(prior.id);
      return s && toObject(s);
    },
    async update(ctx, prior, config) {
      const b = { ...mutable(config, ctx.address), description: str(config, 'description') ?? '' };
      return toObject(await sub.update(prior.id, b, `update subnet ${prior.id} for ${ctx.address}`));
    },
    async delete(ctx, prior) {
      await sub.delete(prior.id, `delete subnet ${prior.id} of ${ctx.address}`);
    },
    async import(_ctx, id) {
      const s = await sub.get(id);
      if (!s) throw new ProviderError(`subnet ${id} does not exist`);
      return toObject(s);
    },
    async adopt(ctx) {
      const [s] = await sub.findByTags(ownerTags(ctx));
      return s && toObject(s);
    },
  };
}

function strings(v: Value | undefined): string[] | undefined {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

function pools(v: Value | undefined): { start: string; end: string }[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return v.filter(isObject).map((p) => ({ start: str(p, 'start') ?? '', end: str(p, 'end') ?? '' }));
}
