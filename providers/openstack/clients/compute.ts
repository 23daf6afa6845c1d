/**
 * Nova client. Microversion 2.67: server tags in the create body (≥ 2.52), `tags` list
 * filter (≥ 2.26), `networks` with ports. Each call is one request unless its name says wait.
 */
import type { Session } from '../http/session.js';
import { waitFor, type WaitOptions } from './wait.js';

export const COMPUTE_MICROVERSION = '2.67';

export interface Flavor { id: string; name: string; vcpus: number; ram: number; disk: number; 'os-flavor-access:is_public'?: boolean }
export interface Server {
  id: string; name: string; status: string; 'OS-EXT-STS:task_state'?: string | null; 'OS-EXT-STS:vm_state'?: string;
  flavor: { original_name?: string; vcpus?: number; ram?: number; disk?: number; id?: string };
  image: { id: string } | '';
  addresses: Record<string, { addr: string; version: number }[]>;
  metadata: Record<string, string>; tags?: string[];
  fault?: { message: string; code: number; details?: string };
}
export interface VolumeAttachment { id: string; volumeId: string; serverId: string; device: string | null }

export interface CreateServerSpec {
  name: string;
  flavorRef: string;
  imageRef: string;
  networks: { port: string }[];
  /** Base64 of the cloud-init user data. */
  user_data?: string;
  /** dbstack_lineage, dbstack_address and the like: never secrets (every reader of the server sees them). */
  metadata?: Record<string, string>;
  /** At most 50 tags, each ≤ 60 characters without ',' or '/'. */
  tags?: string[];
  security_groups?: { name: string }[];
  availability_zone?: string;
}

export interface ComputeClient {
  /** Every flavor is read once per session (GET /flavors/detail), then looked up by ID or name. */
  findFlavor(nameOrId: string): Promise<Flavor | undefined>;
  createServer(spec: CreateServerSpec, what?: string): Promise<{ id: string }>;
  getServer(id: string): Promise<Server | undefined>;
  /** False when it was already gone. */
  deleteServer(id: string): Promise<boolean>;
  resize(id: string, flavorRef: string): Promise<void>;
  confirmResize(id: string): Promise<void>;
  attachVolume(serverId: string, volumeId: string): Promise<VolumeAttachment>;
  /** False when the attachment (or server) was already gone. */
  detachVolume(serverId: string, volumeId: string): Promise<boolean>;
  listAttachments(serverId: string): Promise<VolumeAttachment[]>;
  /** Servers carrying every one of `tags`, with details. */
  listServers(filter?: { tags?: string[]; name?: string }): Promise<Server[]>;
  /** Polls until the server has `status` (e.g. ACTIVE, VERIFY_RESIZE); ERROR gives Nova's fault message. */
  waitServer(id: string, status: string, options: WaitOptions<Server>): Promise<Server>;
  /** Polls until the server is gone (404). */
  waitServerDeleted(id: string, options: WaitOptions<Server>): Promise<void>;
}

const flavorCache = new WeakMap<Session, Promise<Flavor[]>>();

export function computeClient(s: Session): ComputeClient {
  const mv = { microversion: COMPUTE_MICROVERSION };
  const flavors = (): Promise<Flavor[]> => {
    let p = flavorCache.get(s);
    if (!p) {
      p = s.request<{ flavors: Flavor[] }>('compute', 'GET', '/flavors/detail', { ...mv, query: { is_public: 'None' }, what: 'list flavors' }).then((r) => r.body.flavors);
      // A failed read is not cached: the next lookup tries again.
      p.catch(() => flavorCache.delete(s));
      flavorCache.set(s, p);
    }
    return p;
  };
  const action = async (id: string, body: unknown, what: string): Promise<void> => {
    await s.request('compute', 'POST', `/servers/${enc(id)}/action`, { ...mv, json: body, what });
  };
  const client: ComputeClient = {
    async findFlavor(nameOrId) {
      const all = await flavors();
      return all.find((f) => f.id === nameOrId) ?? all.find((f) => f.name === nameOrId);
    },
    async createServer(spec, what) {
      const r = await s.request<{ server: { id: string } }>('compute', 'POST', '/servers', { ...mv, json: { server: spec }, what: what ?? `create server ${spec.name}` });
      return { id: r.body.server.id };
    },
    async getServer(id) {
      const r = await s.request<{ server: Server }>('compute', 'GET', `/servers/${enc(id)}`, { ...mv, allow: [404], what: `read server ${id}` });
      // Nova may still show a deleted server for a moment (status DELETED) before it answers 404.
      const server = r.status === 404 ? undefined : r.body.server;
      return server && server.status !== 'DELETED' && server['OS-EXT-STS:vm_state'] !== 'deleted' ? server : undefined;
    },
    async deleteServer(id) {
      const r = await s.request('compute', 'DELETE', `/servers/${enc(id)}`, { ...mv, allow: [404], what: `delete server ${id}` });
      return r.status !== 404;
    },
    resize: (id, flavorRef) => action(id, { resize: { flavorRef } }, `resize server ${id}`),
    confirmResize: (id) => action(id, { confirmResize: null }, `confirm resize of server ${id}`),
    async attachVolume(serverId, volumeId) {
      const r = await s.request<{ volumeAttachment: VolumeAttachment }>('compute', 'POST', `/servers/${enc(serverId)}/os-volume_attachments`, {
        ...mv, json: { volumeAttachment: { volumeId } }, what: `attach volume ${volumeId} to server ${serverId}`,
      });
      return r.body.volumeAttachment;
    },
    async detachVolume(serverId, volumeId) {
      const r = await s.request('compute', 'DELETE', `/servers/${enc(serverId)}/os-volume_attachments/${enc(volumeId)}`, {
        ...mv, allow: [404], what: `detach volume ${volumeId} from server ${serverId}`,
      });
      return r.status !== 404;
    },
    async listAttachments(serverId) {
      const r = await s.request<{ volumeAttachments: VolumeAttachment[] }>('compute', 'GET', `/servers/${enc(serverId)}/os-volume_attachments`, { ...mv, what: `list volumes of server ${serverId}` });
      return r.body.volumeAttachments;
    },
    listServers(filter = {}) {
      const query = { tags: filter.tags?.join(','), name: filter.name };
      // session.list sends no microversion, and the tags filter needs ≥ 2.26: one explicit request per page.
      return listPaged(s, query);
    },
    waitServer(id, status, options) {
      return waitFor(() => client.getServer(id), (v) => v.status === status, (v) => (v.status === 'ERROR' ? v.fault?.message ?? 'status ERROR' : undefined), {
        what: `server ${id} to become ${status}`, ...options,
      });
    },
    async waitServerDeleted(id, options) {
      await waitFor(async () => (await client.getServer(id)) ?? ({ status: 'DELETED' } as Server), (v) => v.status === 'DELETED', (v) => (v.status === 'ERROR' ? v.fault?.message ?? 'status ERROR' : undefined), {
        what: `server ${id} to be deleted`, ...options,
      });
    },
  };
  return client;
}

async function listPaged(s: Session, query: Record<string, string | undefined>): Promise<Server[]> {
  const out: Server[] = [];
  let path: string | undefined = '/servers/detail';
  let q: Record<string, string | undefined> | undefined = query;
  while (path) {
    const r: { body: { servers: Server[]; servers_links?: { rel: string; href: string }[] } } = await s.request('compute', 'GET', path, {
      microversion: COMPUTE_MICROVERSION, query: q, what: 'list servers',
    });
    out.push(...r.body.servers);
    path = r.body.servers_links?.find((l) => l.rel === 'next')?.href;
    q = undefined; // the next link carries the query
  }
  return out;
}

const enc = encodeURIComponent;
