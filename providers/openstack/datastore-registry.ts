/**
 * The datastore registry of an OpenStack cloud, from the provider block: which engines and
 * versions it offers, the guest image of each version, the port. An instance naming something
 * else fails at plan time with what is offered.
 */
import { isObject, type Value, type ValueObject } from '../../core/value.js';

export interface DatastoreChoice {
  type: string;
  version: string;
  image: string;
  port: number;
  /** A minimum flavor for this version, when the registry names one. */
  flavor?: string;
}

const DEFAULT_PORTS: Record<string, number> = { postgresql: 5432, mysql: 3306, mariadb: 3306, redis: 6379 };

interface Entry { type: string; versions: { name: string; image: string; flavor?: string }[]; defaultVersion?: string; port?: number }

const list = (v: Value | undefined): ValueObject[] => (Array.isArray(v) ? v.filter(isObject) : []);
const text = (v: Value | undefined) => (typeof v === 'string' ? v : undefined);

export class DatastoreRegistry {
  private readonly entries: Entry[];

  constructor(settings: ValueObject) {
    this.entries = list(settings.datastores).map((d) => ({
      type: String(d.type),
      versions: list(d.versions).map((v) => ({ name: String(v.name), image: String(v.image), ...(text(v.flavor) ? { flavor: text(v.flavor)! } : {}) })),
      ...(text(d.default_version) ? { defaultVersion: text(d.default_version)! } : {}),
      ...(typeof d.port === 'number' ? { port: d.port } : {}),
    }));
  }

  /** The one offered datastore when the instance names none (Trove's default datastore). */
  defaultType(): string | undefined {
    return this.entries.length === 1 ? this.entries[0]!.type : undefined;
  }

  /** The datastore and version to boot, or an error sentence listing what the cloud offers. */
  resolve(type: string | undefined, version: string | undefined): DatastoreChoice | string {
    const t = type ?? this.defaultType();
    if (!this.entries.length) return 'the provider "openstack" block declares no datastore: add `datastore "postgresql" { version "15" { image = "…" } }` with the guest image of each version';
    if (!t) return `name the datastore (this cloud offers ${this.entries.map((e) => e.type).join(', ')})`;
    const e = this.entries.find((x) => x.type === t);
    if (!e) return `datastore "${t}" is not offered by this cloud (it offers ${this.entries.map((x) => x.type).join(', ')})`;
    const name = version ?? e.defaultVersion ?? (e.versions.length === 1 ? e.versions[0]!.name : undefined);
    if (!name) return `name the ${t} version (offered: ${e.versions.map((v) => v.name).join(', ')}), or set default_version in the provider's datastore "${t}" block`;
    const v = e.versions.find((x) => x.name === name);
    if (!v) return `${t} version "${name}" is not offered by this cloud (offered: ${e.versions.map((x) => x.name).join(', ')})`;
    return { type: t, version: v.name, image: v.image, port: e.port ?? DEFAULT_PORTS[t] ?? 5432, ...(v.flavor ? { flavor: v.flavor } : {}) };
  }
}

/** "30m", "1h30m", "45s" → milliseconds. */
export function parseTimeout(text: string | undefined, fallbackMs: number): number {
  if (!text) return fallbackMs;
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)\s*(h|m|s)/g)) ms += Number(n) * (unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000);
  return ms || fallbackMs;
}
