/**
 * The contract between the OpenStack clients (compute, volume, network, image, object) and the
 * authenticated HTTP session that serves them. One session per provider: one Keystone token,
 * re-issued before it expires and once on a 401; endpoints from the token's catalog.
 */
import { ProviderError } from '../../provider.js';

/** Catalog service types dbstack uses. Cinder is looked up as `block-storage`, then `volumev3`. */
export type ServiceType = 'identity' | 'compute' | 'block-storage' | 'network' | 'image' | 'object-store' | 'orchestration';

export interface RequestOptions {
  /** A JSON body (sets content-type). */
  json?: unknown;
  /** A raw body (Swift objects, Glance image data). */
  body?: Buffer | string;
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  /** `OpenStack-API-Version: compute 2.67` and the service's legacy header. */
  microversion?: string;
  /** Statuses that are not errors (default: 2xx). E.g. [404] to read "gone" as an answer. */
  allow?: number[];
  /** What the request is for, in the user's words, for error messages ("create volume for database_instance.orders"). */
  what?: string;
  /** Return the body as a Buffer, unparsed (Glance image data, Swift objects). */
  raw?: boolean;
}

export interface Response<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON (undefined for an empty body), or the raw text for non-JSON answers. */
  body: T;
}

export interface Session {
  /** The cloud's name (clouds.yaml entry) or auth URL, for messages. */
  readonly cloudName: string;
  readonly authUrl: string;
  readonly region: string | undefined;
  readonly projectId: string;
  readonly userId: string;
  /** The endpoint URL the session uses for a service (no trailing slash), e.g. http://127.0.0.1:8774/v2.1. */
  endpoint(service: ServiceType): Promise<string>;
  /** `path` is relative to the service endpoint ("/servers/detail") or absolute (a `next` link). */
  request<T = unknown>(service: ServiceType, method: string, path: string, options?: RequestOptions): Promise<Response<T>>;
  /** Every item of a paginated list: follows `<key>_links` rel=next (Nova, Cinder, Neutron) or `next` (Glance). */
  list<T = unknown>(service: ServiceType, path: string, key: string, query?: RequestOptions['query']): Promise<T[]>;
  /** Requests sent so far (for `bench/openstack-parallel`'s requests-per-instance figure). */
  readonly requestCount: number;
  close(): Promise<void>;
}

/**
 * A request the cloud refused or failed, with the service's own message. `status` is the HTTP
 * status (0 for a connection failure). A ProviderError: the user acts on it, it is never a bug.
 */
export class OpenStackError extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
    readonly service: ServiceType | 'keystone',
    /** The service's own message, as it sent it. */
    readonly serviceMessage?: string,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'OpenStackError';
  }
}
