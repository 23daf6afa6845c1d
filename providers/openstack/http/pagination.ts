/**
 * Where the next page of a list is: `<key>_links` rel=next (Nova, Cinder, Neutron, Trove),
 * `next` (Glance), `links` rel=next or `links.next` (Heat, Keystone), or for Swift's bare
 * arrays a `marker` after the last name when the page was full.
 */
import type { RequestOptions } from './session.js';

type Query = RequestOptions['query'];

export interface Page {
  items: unknown[] | undefined;
  next: { path: string; query: Query } | undefined;
}

/** Swift's page size when no limit is asked for. */
const SWIFT_DEFAULT_LIMIT = 10_000;

function relNext(links: unknown): string | undefined {
  if (Array.isArray(links)) {
    for (const l of links) {
      if (typeof l === 'object' && l !== null && (l as { rel?: unknown }).rel === 'next') {
        const href = (l as { href?: unknown }).href;
        if (typeof href === 'string' && href) return href;
      }
    }
  } else if (typeof links === 'object' && links !== null) {
    const next = (links as { next?: unknown }).next;
    if (typeof next === 'string' && next) return next;
  }
  return undefined;
}

export function nextPage(body: unknown, key: string, path: string, query: Query): Page {
  if (Array.isArray(body)) {
    const limit = Number(query?.limit ?? SWIFT_DEFAULT_LIMIT);
    const last = body.at(-1) as { name?: unknown; subdir?: unknown } | undefined;
    const marker = last && (typeof last.name === 'string' ? last.name : typeof last.subdir === 'string' ? last.subdir : undefined);
    const full = body.length > 0 && body.length >= limit && marker !== undefined;
    return { items: body, next: full ? { path, query: { ...query, marker } } : undefined };
  }
  if (typeof body !== 'object' || body === null) return { items: undefined, next: undefined };
  const b = body as Record<string, unknown>;
  const items = Array.isArray(b[key]) ? (b[key] as unknown[]) : undefined;
  const href = relNext(b[`${key}_links`]) ?? (typeof b.next === 'string' && b.next ? b.next : undefined) ?? relNext(b.links);
  // A next link carries the whole query already; adding ours again would reset the marker.
  return { items, next: href ? { path: href, query: undefined } : undefined };
}
