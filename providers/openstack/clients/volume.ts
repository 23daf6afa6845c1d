/**
 * Cinder v3 client (catalog type `block-storage`). Microversion 3.42: extending an in-use
 * volume (the loopback's Zed allows up to 3.70). One request per call unless it waits.
 */
import type { Session } from '../http/session.js';
import { waitFor, WaitError, type WaitOptions } from './wait.js';

export const VOLUME_MICROVERSION = '3.42';

export interface Volume {
  id: string; name: string | null; size: number; status: string; volume_type: string | null;
  metadata: Record<string, string>; attachments: { server_id: string; attachment_id: string; device?: string }[];
  description?: string | null;
}

export interface CreateVolumeSpec {
  size: number;
  name: string;
  volume_type?: string;
  description?: string;
  /** dbstack_lineage, dbstack_address: never secrets. */
  metadata?: Record<string, string>;
  availability_zone?: string;
}

export interface VolumeClient {
  createVolume(spec: CreateVolumeSpec, what?: string): Promise<Volume>;
  getVolume(id: string): Promise<Volume | undefined>;
  /** False when it was already gone. */
  deleteVolume(id: string): Promise<boolean>;
  /** os-extend; works on in-use volumes at this microversion. */
  extendVolume(id: string, newSize: number): Promise<void>;
  /** Volumes whose metadata holds every given key/value. */
  listVolumes(filter?: { metadata?: Record<string, string>; name?: string }): Promise<Volume[]>;
  /** Polls until the volume's status is one of `statuses`; error statuses give Cinder's user message. */
  waitVolume(id: string, statuses: string[], options: WaitOptions<Volume>): Promise<Volume>;
}

export function volumeClient(s: Session): VolumeClient {
  const mv = { microversion: VOLUME_MICROVERSION };
  const client: VolumeClient = {
    async createVolume(spec, what) {
      const r = await s.request<{ volume: Volume }>('block-storage', 'POST', '/volumes', { ...mv, json: { volume: spec }, what: what ?? `create volume ${spec.name}` });
      return r.body.volume;
    },
    async getVolume(id) {
      const r = await s.request<{ volume: Volume }>('block-storage', 'GET', `/volumes/${enc(id)}`, { ...mv, allow: [404], what: `read volume ${id}` });
      return r.status === 404 ? undefined : r.body.volume;
    },
    async deleteVolume(id) {
      const r = await s.request('block-storage', 'DELETE', `/volumes/${enc(id)}`, { ...mv, allow: [404], what: `delete volume ${id}` });
      return r.status !== 404;
    },
    async extendVolume(id, newSize) {
      await s.request('block-storage', 'POST', `/volumes/${enc(id)}/action`, { ...mv, json: { 'os-extend': { new_size: newSize } }, what: `extend volume ${id} to ${newSize} GiB` });
    },
    async listVolumes(filter = {}) {
      // Cinder parses the metadata filter as a Python/JSON dict literal.
      const query = { metadata: filter.metadata ? JSON.stringify(filter.metadata) : undefined, name: filter.name };
      const out: Volume[] = [];
      let path: string | undefined = '/volumes/detail';
      let q: typeof query | undefined = query;
      while (path) {
        const r: { body: { volumes: Volume[]; volumes_links?: { rel: string; href: string }[] } } = await s.request('block-storage', 'GET', path, { ...mv, query: q, what: 'list volumes' });
        out.push(...r.body.volumes);
        path = r.body.volumes_links?.find((l) => l.rel === 'next')?.href;
        q = undefined;
      }
      return out;
    },
    async waitVolume(id, statuses, options) {
      try {
        return await waitFor(() => client.getVolume(id), (v) => statuses.includes(v.status), (v) => (v.status.startsWith('error') ? `status ${v.status}` : undefined), {
          what: `volume ${id} to become ${statuses.join(' or ')}`, ...options,
        });
      } catch (e) {
        // Cinder keeps the why of a failure in its user messages (≥ 3.3): one more request, only on failure.
        if (!(e instanceof WaitError) || e.reason !== 'failed') throw e;
        const m = await s.request<{ messages: { user_message: string }[] }>('block-storage', 'GET', '/messages', {
          ...mv, query: { resource_uuid: id, sort: 'created_at:desc' }, allow: [403, 404], what: `read messages of volume ${id}`,
        }).catch(() => undefined);
        const text = m?.status === 200 ? m.body.messages[0]?.user_message : undefined;
        throw text ? new WaitError(`${e.message}: ${text}`, 'failed') : e;
      }
    },
  };
  return client;
}

const enc = encodeURIComponent;
