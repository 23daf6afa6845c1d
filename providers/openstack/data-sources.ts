/** Data sources on OpenStack: existing networks, subnets, security groups, flavors and images, by name or ID. */
import { newObject, type Value, type ValueObject } from '../../core/value.js';
import { ProviderError, str, type DataSource } from '../provider.js';
import type { OpenStackCloud } from './cloud.js';

const pick = (o: Record<string, unknown>, map: Record<string, string>): ValueObject =>
  newObject(Object.entries(map).map(([attr, key]) => [attr, (o[key] ?? null) as Value]));

function want(config: ValueObject, what: string): string {
  const v = str(config, 'id') ?? str(config, 'name');
  if (!v) throw new ProviderError(`give the ${what}'s name or id`);
  return v;
}

export function openstackDataSources(cloud: OpenStackCloud): Record<string, DataSource> {
  return {
    network: {
      async read(_ctx, config) {
        const n = await (await cloud.clients()).network.findNetwork(want(config, 'network'));
        if (!n) throw new ProviderError(`no network "${want(config, 'network')}" is visible to this project`);
        return pick(n as unknown as Record<string, unknown>, { id: 'id', name: 'name', external: 'router:external', status: 'status', mtu: 'mtu', admin_state_up: 'admin_state_up', shared: 'shared', subnets: 'subnets' });
      },
    },
    flavor: {
      async read(_ctx, config) {
        const c = await cloud.clients();
        const named = str(config, 'id') ?? str(config, 'name');
        let f = named ? await c.compute.findFlavor(named) : undefined;
        if (!named) {
          // By size: the smallest flavor with at least the vCPUs and RAM asked for.
          const all = await c.session.list<{ id: string; name: string; vcpus: number; ram: number; disk: number }>('compute', '/flavors/detail', 'flavors');
          const vcpus = typeof config.vcpus === 'number' ? config.vcpus : 0;
          const ram = typeof config.ram === 'number' ? config.ram : 0;
          const fit = all.filter((x) => x.vcpus >= vcpus && x.ram >= ram).sort((a, b) => a.vcpus - b.vcpus || a.ram - b.ram)[0];
          f = fit ? (await c.compute.findFlavor(fit.id)) : undefined;
        }
        if (!f) throw new ProviderError(`no flavor matches ${JSON.stringify(named ?? { vcpus: config.vcpus, ram: config.ram })}`);
        return pick(f as unknown as Record<string, unknown>, { id: 'id', name: 'name', vcpus: 'vcpus', ram: 'ram', disk: 'disk', is_public: 'os-flavor-access:is_public' });
      },
    },
    image: {
      async read(_ctx, config) {
        const i = await (await cloud.clients()).image.findImage(want(config, 'image'));
        if (!i) throw new ProviderError(`no active image "${want(config, 'image')}" in Glance`);
        const out = pick(i as unknown as Record<string, unknown>, { id: 'id', name: 'name', visibility: 'visibility', tags: 'tags', status: 'status', size: 'size', min_disk: 'min_disk', min_ram: 'min_ram', checksum: 'checksum', disk_format: 'disk_format', created_at: 'created_at' });
        out.most_recent = config.most_recent ?? null;
        out.properties = config.properties ?? null;
        return out;
      },
    },
  };
}
