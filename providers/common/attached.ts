/**
 * `database` and `database_user` declared on their own (Terraform's openstack_db_database_v1 /
 * openstack_db_user_v1): entries of the instance's desired spec owned by the resource's address,
 * so the instance's own inline databases and users are left alone.
 */
import { newObject, type ValueObject } from '../../core/value.js';
import type { JsonObject } from '../../guest/protocol/messages.js';
import { changeSpec, replaceOwned } from './guest-spec.js';
import type { GuestDirectory } from './guests.js';
import { ProviderError, str, type ProviderContext, type ResourceType } from '../provider.js';

type Kind = 'databases' | 'users';

function entry(kind: Kind, config: ValueObject): JsonObject {
  const keys = kind === 'databases' ? ['name', 'charset', 'collation'] : ['name', 'password', 'host', 'databases'];
  const out: JsonObject = {};
  for (const k of keys) if (config[k] !== undefined && config[k] !== null) out[k] = config[k] as JsonObject[string];
  return out;
}

/** MariaDB reports accounts as `name@host` (host `%` when none is given); the others by name. */
export function userPresent(observed: Set<string>, user: ValueObject): boolean {
  const host = typeof user.host === 'string' ? user.host : '%';
  return observed.has(String(user.name)) || observed.has(`${String(user.name)}@${host}`);
}

export function attachedResource(guests: GuestDirectory, kind: Kind): ResourceType {
  const guestOf = async (ctx: ProviderContext, config: ValueObject) => {
    const id = str(config, 'instance');
    const g = id ? await guests.guestOf(ctx, id) : undefined;
    if (!g) throw new ProviderError(`instance ${id ?? '(none)'} does not exist`);
    return { id: id!, g };
  };
  const set = async (ctx: ProviderContext, config: ValueObject, entries: JsonObject[]) => {
    const inst = await guestOf(ctx, config);
    await changeSpec(await guests.conductor(), inst.g, (spec) => ({
      ...spec,
      [kind]: replaceOwned(spec[kind], ctx.address, entries),
    }), { signal: ctx.signal, progress: ctx.progress });
    return inst;
  };
  const object = (config: ValueObject, instanceId: string) => {
    const id = `${instanceId}/${String(config.name)}`;
    return { id, attributes: newObject([...Object.entries(config), ['id', id]]) };
  };
  return {
    async create(ctx, config) {
      const inst = await set(ctx, config, [entry(kind, config)]);
      return object(config, inst.id);
    },
    async update(ctx, _prior, config) {
      const inst = await set(ctx, config, [entry(kind, config)]);
      return object(config, inst.id);
    },
    async delete(ctx, prior) {
      const id = str(prior.inputs, 'instance');
      if (!id || !(await guests.guestOf(ctx, id))) return; // the instance and everything in it are gone already
      await set(ctx, prior.inputs, []);
    },
    async read(ctx, prior) {
      const id = str(prior.inputs, 'instance');
      const g = id ? await guests.guestOf(ctx, id) : undefined;
      if (!g) return undefined;
      const status = await guests.observe(g);
      // a failed generation's status still lists what the engine holds (it was rolled back)
      const present = (status?.phase === 'ready' || status?.phase === 'failed') && Array.isArray(status[kind]) ? (status[kind] as unknown[]).map(String) : undefined;
      const found = kind === 'users' ? userPresent(new Set(present), prior.inputs) : present?.includes(String(prior.inputs.name));
      if (present && !found) return undefined;
      return { id: prior.id, attributes: prior.attributes };
    },
  };
}
