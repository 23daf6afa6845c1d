/**
 * Neutron (v2.0) client: networks, subnets, ports, security groups and rules, tags. Every
 * call is exactly one HTTP request; reads of a missing object return undefined.
 */
import type { RequestOptions, Session } from '../http/session.js';

export interface Network {
  id: string; name: string; description: string; status: string; admin_state_up: boolean;
  mtu?: number; port_security_enabled?: boolean; tags: string[]; subnets: string[]; shared: boolean;
}
export interface Subnet {
  id: string; name: string; description: string; network_id: string; cidr: string; ip_version: 4 | 6;
  gateway_ip: string | null; enable_dhcp: boolean; dns_nameservers: string[];
  allocation_pools: { start: string; end: string }[]; tags: string[];
}
export interface Port {
  id: string; name: string; network_id: string; status: string; device_id: string; device_owner: string;
  fixed_ips: { subnet_id: string; ip_address: string }[]; security_groups: string[]; mac_address: string; tags: string[];
}
export interface SecurityGroupRule {
  id: string; security_group_id: string; direction: 'ingress' | 'egress'; ethertype: 'IPv4' | 'IPv6';
  protocol: string | null; port_range_min: number | null; port_range_max: number | null;
  remote_ip_prefix: string | null; remote_group_id: string | null; description: string;
}
export interface SecurityGroup {
  id: string; name: string; description: string; tags: string[]; security_group_rules: SecurityGroupRule[];
}

type Query = RequestOptions['query'];

/** One Neutron collection: `networks` / `network` and so on. */
export interface Collection<T> {
  create(body: Record<string, unknown>, what?: string): Promise<T>;
  get(id: string): Promise<T | undefined>;
  update(id: string, body: Record<string, unknown>, what?: string): Promise<T>;
  /** False when it was already gone. */
  delete(id: string, what?: string): Promise<boolean>;
  list(query?: Query): Promise<T[]>;
  /** Replaces all the object's tags (one PUT). */
  setTags(id: string, tags: string[]): Promise<void>;
  addTag(id: string, tag: string): Promise<void>;
  /** Objects carrying every one of `tags` (the `tags` filter is an AND). */
  findByTags(tags: string[], query?: Query): Promise<T[]>;
}

function collection<T>(s: Session, plural: string, singular: string): Collection<T> {
  const base = `/v2.0/${plural}`;
  const label = singular.replace(/_/g, ' ');
  const key = plural.replace(/-/g, '_'); // the URL says security-groups, the body security_groups
  return {
    async create(body, what) {
      const r = await s.request<Record<string, T>>('network', 'POST', base, { json: { [singular]: body }, what: what ?? `create ${label}` });
      return r.body[singular]!;
    },
    async get(id) {
      const r = await s.request<Record<string, T>>('network', 'GET', `${base}/${enc(id)}`, { allow: [404], what: `read ${label} ${id}` });
      return r.status === 404 ? undefined : r.body[singular];
    },
    async update(id, body, what) {
      const r = await s.request<Record<string, T>>('network', 'PUT', `${base}/${enc(id)}`, { json: { [singular]: body }, what: what ?? `update ${label} ${id}` });
      return r.body[singular]!;
    },
    async delete(id, what) {
      const r = await s.request('network', 'DELETE', `${base}/${enc(id)}`, { allow: [404], what: what ?? `delete ${label} ${id}` });
      return r.status !== 404;
    },
    list: (query) => s.list<T>('network', base, key, query),
    async setTags(id, tags) {
      await s.request('network', 'PUT', `${base}/${enc(id)}/tags`, { json: { tags }, what: `tag ${label} ${id}` });
    },
    async addTag(id, tag) {
      await s.request('network', 'PUT', `${base}/${enc(id)}/tags/${enc(tag)}`, { what: `tag ${label} ${id}` });
    },
    findByTags: (tags, query) => s.list<T>('network', base, key, { ...query, tags: tags.join(',') }),
  };
}

const enc = encodeURIComponent;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NetworkClient {
  networks: Collection<Network>;
  subnets: Collection<Subnet>;
  ports: Collection<Port>;
  securityGroups: Collection<SecurityGroup>;
  /** Rules have no tags and no update in Neutron; setTags/update are refused by the cloud. */
  securityGroupRules: Collection<SecurityGroupRule>;
  /** A network visible to the project by ID or unique name; undefined when none, an error when the name is ambiguous. */
  findNetwork(nameOrId: string): Promise<Network | undefined>;
}

export function networkClient(session: Session): NetworkClient {
  const networks = collection<Network>(session, 'networks', 'network');
  return {
    networks,
    subnets: collection<Subnet>(session, 'subnets', 'subnet'),
    ports: collection<Port>(session, 'ports', 'port'),
    securityGroups: collection<SecurityGroup>(session, 'security-groups', 'security_group'),
    securityGroupRules: collection<SecurityGroupRule>(session, 'security-group-rules', 'security_group_rule'),
    async findNetwork(nameOrId) {
      // An ID is one GET; a name is one filtered list (a UUID-looking name falls through to it).
      if (UUID.test(nameOrId)) {
        const n = await networks.get(nameOrId);
        if (n) return n;
      }
      const found = await networks.list({ name: nameOrId });
      if (found.length > 1) {
        throw new Error(`${found.length} networks are named "${nameOrId}" (${found.map((n) => n.id).join(', ')}): use the ID`);
      }
      return found[0];
    },
  };
}
