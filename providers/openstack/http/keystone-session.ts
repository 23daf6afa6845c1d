/**
 * The Session every OpenStack client uses: one Keystone token, re-issued shortly before it
 * expires and once when a service answers 401; endpoints from that token's catalog; service
 * errors turned into OpenStackErrors that carry the service's own message.
 */
import { findEndpoint } from '../auth/catalog.js';
import { describeCloud, type CloudConfig } from '../auth/cloud-config.js';
import { issueToken, type Token } from '../auth/keystone.js';
import { httpError, type RawResponse, type RequestContext } from './errors.js';
import { nextPage } from './pagination.js';
import { OpenStackError, type RequestOptions, type Response, type ServiceType, type Session } from './session.js';
import { Transport } from './transport.js';

export interface SessionOptions {
  /** The clock (ms since the epoch); tests move it to make the token look old. */
  now?: () => number;
  /** Re-issue the token when it expires within this long (default 60 s). */
  refreshMarginMs?: number;
  /** Tries per request for connection errors and 5xx (default 4). */
  maxTries?: number;
}

/** The name a service goes by in `OpenStack-API-Version`. */
const MICROVERSION_NAME: Partial<Record<ServiceType, string>> = {
  compute: 'compute', 'block-storage': 'volume', image: 'image', network: 'network', orchestration: 'orchestration', identity: 'identity',
};

export class KeystoneSession implements Session {
  readonly cloudName: string;
  readonly authUrl: string;
  readonly region: string | undefined;
  /** Tokens issued so far. */
  authCount = 0;
  private readonly transport: Transport;
  private readonly now: () => number;
  private readonly margin: number;
  private current: Token | undefined;
  /** When the current token expires by our clock: its lifetime counted from when we got it. */
  private expiresLocal = 0;
  private pending: Promise<Token> | undefined;

  constructor(private readonly config: CloudConfig, opts: SessionOptions = {}) {
    this.cloudName = config.cloudName ?? config.authUrl;
    this.authUrl = config.authUrl;
    this.region = config.regionName;
    this.transport = new Transport(config, opts.maxTries);
    this.now = opts.now ?? Date.now;
    this.margin = opts.refreshMarginMs ?? 60_000;
  }

  get requestCount(): number {
    return this.transport.requestCount;
  }

  get projectId(): string {
    return this.mustHaveToken().projectId;
  }

  get userId(): string {
    return this.mustHaveToken().userId;
  }

  /** When the current token expires (ms since the epoch), if one has been issued. */
  get tokenExpiresAt(): number | undefined {
    return this.current ? this.expiresLocal : undefined;
  }

  /** A valid token's value, issuing one if needed (for a client that must hand it on). */
  async token(): Promise<string> {
    return (await this.validToken()).value;
  }

  async endpoint(service: ServiceType): Promise<string> {
    const token = await this.validToken();
    const found = findEndpoint(token.catalog, service, this.config.interface, this.config.regionName);
    if ('url' in found) return found.url;
    throw new OpenStackError(`${describeCloud(this.config)}: ${found.problem}`, 0, service);
  }

  async request<T = unknown>(service: ServiceType, method: string, path: string, options: RequestOptions = {}): Promise<Response<T>> {
    const url = buildUrl(await this.endpoint(service), path, options.query);
    const ctx: RequestContext = { service, method: method.toUpperCase(), url, what: options.what, cloud: describeCloud(this.config) };
    const allow = options.allow ?? [];
    for (let reissued = false; ; reissued = true) {
      const token = await this.validToken();
      const headers: Record<string, string> = { 'x-auth-token': token.value, ...microversionHeaders(service, options.microversion), ...options.headers };
      if (options.body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/octet-stream';
      const res = await this.transport.send(ctx, {
        headers,
        ...(options.json !== undefined ? { json: options.json } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      });
      // A 401 means the token was revoked or expired early: log in again and repeat once.
      if (res.status === 401 && !reissued && !allow.includes(401)) {
        await this.reissue(token);
        continue;
      }
      if ((res.status < 200 || res.status > 299) && !allow.includes(res.status)) throw httpError(ctx, res);
      return { status: res.status, headers: res.headers, body: (options.raw ? res.body : parseBody(res)) as T };
    }
  }

  async list<T = unknown>(service: ServiceType, path: string, key: string, query?: RequestOptions['query']): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let page: { path: string; query: RequestOptions['query'] } | undefined = { path, query };
    while (page) {
      const res: Response<unknown> = await this.request(service, 'GET', page.path, { query: page.query });
      const found = nextPage(res.body, key, path, query);
      if (!found.items) {
        throw new OpenStackError(`${service} on ${describeCloud(this.config)} answered GET ${path} without a "${key}" list; the cloud's API version may differ from what dbstack expects`, res.status, service);
      }
      items.push(...(found.items as T[]));
      page = found.next;
      // A cloud that keeps answering with the same next link would loop for ever.
      const id = page ? `${page.path}?${JSON.stringify(page.query ?? {})}` : '';
      if (page && seen.has(id)) break;
      seen.add(id);
    }
    return items;
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private mustHaveToken(): Token {
    if (!this.current) throw new Error('KeystoneSession used before it logged in; create it with createSession()');
    return this.current;
  }

  private fresh(): boolean {
    return this.expiresLocal - this.now() > this.margin;
  }

  private async validToken(): Promise<Token> {
    const t = this.current;
    if (t && this.fresh()) return t;
    return this.reissue(t);
  }

  /** One login at a time; callers holding a token that was already replaced get the new one. */
  private reissue(stale: Token | undefined): Promise<Token> {
    if (this.pending) return this.pending;
    if (this.current && this.current !== stale && this.fresh()) return Promise.resolve(this.current);
    const asked = this.now();
    this.pending = issueToken(this.transport, this.config)
      .then((t) => {
        this.current = t;
        // expires_at minus issued_at, from when we asked: right even when our clock and Keystone's disagree.
        this.expiresLocal = asked + (t.expiresAt - t.issuedAt);
        this.authCount++;
        return t;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

export async function createSession(config: CloudConfig, opts: SessionOptions = {}): Promise<KeystoneSession> {
  const session = new KeystoneSession(config, opts);
  // Log in now: bad credentials fail here, and projectId/userId are known from the start.
  try {
    await session.token();
  } catch (e) {
    await session.close();
    throw e;
  }
  return session;
}

function microversionHeaders(service: ServiceType, v: string | undefined): Record<string, string> {
  const name = MICROVERSION_NAME[service];
  if (v === undefined || name === undefined) return {};
  const h: Record<string, string> = { 'openstack-api-version': `${name} ${v}` };
  if (service === 'compute') h['x-openstack-nova-api-version'] = v;
  return h;
}

/**
 * The URL for `path` under `base`. An absolute URL (a `next` link) keeps its path and query
 * but gets the catalog endpoint's scheme and host: some services put their internal address
 * or the wrong scheme in links.
 */
export function buildUrl(base: string, path: string, query?: RequestOptions['query']): string {
  let u: URL;
  if (/^https?:\/\//i.test(path)) {
    u = new URL(path);
    const b = new URL(base);
    u.protocol = b.protocol;
    u.host = b.host;
  } else {
    u = new URL(base + (path.startsWith('/') ? path : `/${path}`));
  }
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

function parseBody(res: RawResponse): unknown {
  if (res.body.length === 0) return undefined;
  const text = res.body.toString('utf8');
  const ct = res.headers['content-type'];
  if ((typeof ct === 'string' && /json/i.test(ct)) || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
