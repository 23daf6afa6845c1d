/**
 * The service catalog from a Keystone v3 token, and endpoint lookup by service type,
 * interface and region. Keystone has already substituted %(project_id)s in the URLs.
 */
import type { ServiceType } from '../http/session.js';

export interface CatalogEndpoint {
  interface: string;
  region?: string;
  region_id?: string;
  url: string;
}

export interface CatalogEntry {
  type: string;
  name?: string;
  endpoints: CatalogEndpoint[];
}

/** Types tried for each service, best first (Cinder has had three names). */
const ALIASES: Record<ServiceType, string[]> = {
  identity: ['identity'],
  compute: ['compute'],
  'block-storage': ['block-storage', 'volumev3', 'volumev2', 'volume'],
  network: ['network'],
  image: ['image'],
  'object-store': ['object-store'],
  orchestration: ['orchestration'],
};

/**
 * Version suffixes stripped so every cloud looks the same to clients: Neutron's and Glance's
 * catalog URLs are usually unversioned, and clients always put /v2.0 or /v2 in their paths.
 */
const STRIP: Partial<Record<ServiceType, RegExp>> = {
  network: /\/v2\.0$/,
  image: /\/v2$/,
};

export function parseCatalog(raw: unknown): CatalogEntry[] {
  if (!Array.isArray(raw)) return [];
  const out: CatalogEntry[] = [];
  for (const e of raw) {
    if (typeof e !== 'object' || e === null) continue;
    const r = e as Record<string, unknown>;
    if (typeof r.type !== 'string' || !Array.isArray(r.endpoints)) continue;
    const endpoints = (r.endpoints as unknown[]).filter(
      (p): p is CatalogEndpoint => typeof p === 'object' && p !== null && typeof (p as CatalogEndpoint).url === 'string' && typeof (p as CatalogEndpoint).interface === 'string',
    );
    out.push({ type: r.type, ...(typeof r.name === 'string' ? { name: r.name } : {}), endpoints });
  }
  return out;
}

export type EndpointResult = { url: string } | { problem: string };

export function findEndpoint(catalog: CatalogEntry[], service: ServiceType, iface: string, region: string | undefined): EndpointResult {
  for (const type of ALIASES[service]) {
    const entry = catalog.find((e) => e.type === type);
    if (!entry) continue;
    const match = entry.endpoints.find((p) => p.interface === iface && (region === undefined || p.region_id === region || p.region === region));
    if (match) {
      let url = match.url.replace(/\/+$/, '');
      const strip = STRIP[service];
      if (strip) url = url.replace(strip, '');
      return { url };
    }
  }
  const types = ALIASES[service].map((t) => `"${t}"`).join(' or ');
  const present = catalog.filter((e) => ALIASES[service].includes(e.type));
  if (present.length === 0) {
    const all = [...new Set(catalog.map((e) => e.type))].sort().join(', ') || 'nothing';
    return { problem: `the catalog has no ${types} service (it has ${all}); this cloud does not offer ${service}, or the user's project cannot see it` };
  }
  const offered = present.flatMap((e) => e.endpoints.map((p) => `${p.interface}@${p.region_id ?? p.region ?? '?'}`));
  return {
    problem: `the catalog's ${service} service has no ${iface} endpoint${region ? ` in region "${region}"` : ''} (it has ${[...new Set(offered)].join(', ')}); set interface/OS_INTERFACE or region_name/OS_REGION_NAME to one of those`,
  };
}
