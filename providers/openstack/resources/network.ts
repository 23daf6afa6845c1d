/** `network`: a Neutron network, tagged with the stack's lineage and the resource's address. */
import { ProviderError, str, type PriorObject, type ProviderContext, type ResourceObject, type ResourceType } from '../../provider.js';
import type { ValueObject } from '../../../core/value.js';
import type { Session } from '../http/session.js';
import { networkClient, type Network } from '../clients/network.js';
import { attrs, bool, defaultName, num, ownerTags } from './tags.js';

export function networkResource(session: Session): ResourceType {
  const net = networkClient(session).networks;
  const toObject = (n: Network): ResourceObject => ({
    id: n.id,
    attributes: attrs({
      id: n.id, name: n.name, description: n.description, admin_state_up: n.admin_state_up,
      mtu: n.mtu, port_security_enabled: n.port_security_enabled, status: n.status,
    }),
  });
  const body = (config: ValueObject, address: string): Record<string, unknown> => ({
    name: str(config, 'name') ?? defaultName(address),
    description: str(config, 'description'),
    admin_state_up: bool(config, 'admin_state_up'),
    mtu: num(config, 'mtu'),
    port_security_enabled: bool(config, 'port_security_enabled'),
  });
  return {
    async create(ctx, config) {
      const n = await net.create(body(config, ctx.address), `create network for ${ctx.address}`);
      // Neutron here has no tags-on-create: tag right after, and keep the object if tagging fails.
      try {
        await net.setTags(n.id, ownerTags(ctx));
      } catch (e) {
        throw new ProviderError(`network ${n.id} was created but not tagged: ${(e as Error).message}`, toObject(n));
      }
      return toObject({ ...n });
    },
    async read(_ctx, prior) {
      const n = await net.get(prior.id);
      return n && toObject(n);
    },
    async update(ctx, prior, config) {
      // A removed description is cleared, not kept.
      const b = { ...body(config, ctx.address), description: str(config, 'description') ?? '' };
      return toObject(await net.update(prior.id, b, `update network ${prior.id} for ${ctx.address}`));
    },
    async delete(ctx: ProviderContext, prior: PriorObject) {
      await net.delete(prior.id, `delete network ${prior.id} of ${ctx.address}`);
    },
    async import(_ctx, id) {
      const n = await net.get(id);
      if (!n) throw new ProviderError(`network ${id} does not exist`);
      return toObject(n);
    },
    async adopt(ctx) {
      const [n] = await net.findByTags(ownerTags(ctx));
      return n && toObject(n);
    },
  };
}
