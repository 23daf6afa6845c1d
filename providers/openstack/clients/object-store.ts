/** Swift v1 client: containers and objects under the project's account (the catalog URL). */
import type { Session } from '../http/session.js';

export interface ObjectInfo { name: string; bytes: number; hash: string; content_type: string; last_modified: string }

export interface ObjectStoreClient {
  createContainer(container: string, headers?: Record<string, string>): Promise<void>;
  /** False when it was already gone; Swift refuses (409) to delete a container that still holds objects. */
  deleteContainer(container: string): Promise<boolean>;
  putObject(container: string, name: string, body: Buffer | string, contentType?: string): Promise<void>;
  /** The object's content as text (the session decodes bodies), or undefined when missing. */
  getObject(container: string, name: string): Promise<string | undefined>;
  deleteObject(container: string, name: string): Promise<boolean>;
  /** Every object (follows Swift's marker paging), optionally under a prefix. */
  listObjects(container: string, prefix?: string): Promise<ObjectInfo[]>;
}

export function objectStoreClient(s: Session): ObjectStoreClient {
  const path = (c: string, o?: string): string => `/${enc(c)}${o === undefined ? '' : `/${o.split('/').map(enc).join('/')}`}`;
  return {
    async createContainer(container, headers) {
      await s.request('object-store', 'PUT', path(container), { headers, what: `create container ${container}` });
    },
    async deleteContainer(container) {
      const r = await s.request('object-store', 'DELETE', path(container), { allow: [404], what: `delete container ${container}` });
      return r.status !== 404;
    },
    async putObject(container, name, body, contentType = 'application/octet-stream') {
      await s.request('object-store', 'PUT', path(container, name), { body, headers: { 'content-type': contentType }, what: `store object ${container}/${name}` });
    },
    async getObject(container, name) {
      const r = await s.request<unknown>('object-store', 'GET', path(container, name), { allow: [404], what: `read object ${container}/${name}` });
      if (r.status === 404) return undefined;
      return typeof r.body === 'string' ? r.body : r.body === undefined ? '' : JSON.stringify(r.body);
    },
    async deleteObject(container, name) {
      const r = await s.request('object-store', 'DELETE', path(container, name), { allow: [404], what: `delete object ${container}/${name}` });
      return r.status !== 404;
    },
    async listObjects(container, prefix) {
      const out: ObjectInfo[] = [];
      for (let marker: string | undefined; ;) {
        const r = await s.request<ObjectInfo[] | undefined>('object-store', 'GET', path(container), {
          query: { format: 'json', prefix, marker }, what: `list objects of ${container}`,
        });
        const page = r.body ?? [];
        out.push(...page);
        if (page.length === 0 || page.length < 10000) return out; // Swift's default page size
        marker = page[page.length - 1]!.name;
      }
    },
  };
}

const enc = encodeURIComponent;
