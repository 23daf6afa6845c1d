/** Glance v2 client. Look-ups are cached per session: images are chosen once per run. */
import type { Session } from '../http/session.js';

export interface Image {
  id: string; name: string | null; status: string; visibility: string; tags: string[];
  disk_format?: string; container_format?: string; size?: number | null; checksum?: string | null; created_at: string;
}

export interface CreateImageSpec {
  name: string;
  disk_format?: string;
  container_format?: string;
  visibility?: 'private' | 'shared' | 'community' | 'public';
  tags?: string[];
  min_disk?: number;
  min_ram?: number;
}

export interface ImageClient {
  /** An active image by ID, then name, then tag (the newest when several match). Cached per session. */
  findImage(nameOrIdOrTag: string): Promise<Image | undefined>;
  getImage(id: string): Promise<Image | undefined>;
  createImage(spec: CreateImageSpec): Promise<Image>;
  /** Uploads the image data (PUT /file); the image becomes active. */
  uploadImage(id: string, data: Buffer): Promise<void>;
  deleteImage(id: string): Promise<boolean>;
}

const caches = new WeakMap<Session, Map<string, Promise<Image | undefined>>>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function imageClient(s: Session): ImageClient {
  let cache = caches.get(s);
  if (!cache) caches.set(s, (cache = new Map()));
  const c = cache;
  const newest = (images: Image[]): Image | undefined =>
    images.filter((i) => i.status === 'active').sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  const client: ImageClient = {
    findImage(key) {
      let p = c.get(key);
      if (!p) {
        p = (async () => {
          if (UUID.test(key)) {
            const byId = await client.getImage(key);
            if (byId) return byId;
          }
          return newest(await s.list<Image>('image', '/v2/images', 'images', { name: key })) ??
            newest(await s.list<Image>('image', '/v2/images', 'images', { tag: key }));
        })();
        // Only answers are cached, not failures or misses (an image may be uploaded later).
        p.then((i) => { if (!i) c.delete(key); }, () => c.delete(key));
        c.set(key, p);
      }
      return p;
    },
    async getImage(id) {
      const r = await s.request<Image>('image', 'GET', `/v2/images/${enc(id)}`, { allow: [404], what: `read image ${id}` });
      return r.status === 404 ? undefined : r.body;
    },
    async createImage(spec) {
      const r = await s.request<Image>('image', 'POST', '/v2/images', {
        json: { disk_format: 'raw', container_format: 'bare', ...spec }, what: `create image ${spec.name}`,
      });
      return r.body;
    },
    async uploadImage(id, data) {
      await s.request('image', 'PUT', `/v2/images/${enc(id)}/file`, {
        body: data, headers: { 'content-type': 'application/octet-stream' }, what: `upload image ${id}`,
      });
    },
    async deleteImage(id) {
      const r = await s.request('image', 'DELETE', `/v2/images/${enc(id)}`, { allow: [404], what: `delete image ${id}` });
      return r.status !== 404;
    },
  };
  return client;
}

const enc = encodeURIComponent;
