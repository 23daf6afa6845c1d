/**
 * Turning a refused or failed request into an OpenStackError a user can act on: a lead-in
 * saying what kind of failure it is and what to do, the service's own message pulled out of
 * whichever body shape that service uses, and the request id to quote to the cloud's operators.
 */
import { STATUS_CODES } from 'node:http';
import { OpenStackError, type ServiceType } from './session.js';

export interface RequestContext {
  service: ServiceType | 'keystone';
  method: string;
  url: string;
  /** The user's words for the request, if the caller gave them. */
  what?: string | undefined;
  /** `cloud "x" (url)` or `the cloud at url`. */
  cloud: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface ServiceMessage {
  message?: string;
  /** Neutron's error type, e.g. OverQuota, NetworkNotFound. */
  type?: string;
}

function firstString(...vs: unknown[]): string | undefined {
  // Glance puts HTML inside its JSON messages ("…<br /><br />").
  for (const v of vs) if (typeof v === 'string' && cleanText(v) !== '') return cleanText(v);
  return undefined;
}

/** The message out of Nova/Cinder/Trove, Neutron, Keystone, Heat, Placement JSON, or text/HTML. */
export function extractServiceMessage(body: Buffer | string, contentType?: string): ServiceMessage {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') return {};
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[{[]/.test(text);
  if (looksJson) {
    try {
      const found = fromJson(JSON.parse(text) as unknown);
      if (found.message) return found;
    } catch {
      // Not JSON after all: fall through to text.
    }
  }
  const message = cleanText(text);
  return message ? { message } : {};
}

/** Text without HTML tags, entities, the leading status line, or runs of whitespace. */
export function cleanText(text: string): string {
  const plain = text
    .replace(/<head>[\s\S]*?<\/head>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
  // Glance and Swift start with the status line ("404 Not Found The resource could not be found.").
  const m = /^(\d{3}) /.exec(plain);
  const reason = m ? STATUS_CODES[Number(m[1])] : undefined;
  const withoutStatus = reason && plain.startsWith(`${m?.[1]} ${reason}`) ? plain.slice(`${m?.[1]} ${reason}`.length).trim() : plain;
  return (withoutStatus || plain).slice(0, 500);
}

function fromJson(doc: unknown): ServiceMessage {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return {};
  const d = doc as Record<string, unknown>;
  const obj = (v: unknown): Record<string, unknown> | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
  const neutron = obj(d.NeutronError);
  if (neutron) return { message: firstString(neutron.message, neutron.detail), ...(typeof neutron.type === 'string' ? { type: neutron.type } : {}) };
  // Keystone {"error":{"message"}}; Heat {"error":{"message","type"},"explanation"}.
  const err = obj(d.error);
  if (err) return { message: firstString(err.message, d.explanation, err.title), ...(typeof err.type === 'string' ? { type: err.type } : {}) };
  // Placement and newer APIs: {"errors":[{"detail","title"}]}.
  if (Array.isArray(d.errors) && d.errors.length > 0) {
    const e = obj(d.errors[0]);
    if (e) return { message: firstString(e.detail, e.title, e.message) };
  }
  const top = firstString(d.message, d.faultstring, d.description, d.detail);
  if (top) return { message: top };
  // Nova, Cinder, Trove: {"itemNotFound": {"message", "code"}} under one key naming the fault.
  for (const [key, v] of Object.entries(d)) {
    const inner = obj(v);
    const m = inner && firstString(inner.message, inner.explanation);
    if (m) return { message: m, type: key };
  }
  return {};
}

export function requestIdOf(headers: RawResponse['headers']): string | undefined {
  for (const h of ['x-openstack-request-id', 'x-compute-request-id', 'x-trans-id']) {
    const v = headers[h];
    if (typeof v === 'string') return v;
    if (Array.isArray(v) && v[0]) return v[0];
  }
  return undefined;
}

/** "compute: create servers" from POST /v2.1/servers — the action a policy would name. */
export function actionOf(method: string, url: string): string {
  const path = new URL(url).pathname.split('/').filter((s) => s !== '');
  const nouns = path.filter((s) => !/^v\d+(\.\d+)?$/.test(s) && !/^AUTH_/.test(s) && !/^[0-9a-f-]{32,36}$/i.test(s) && !/^\d+$/.test(s) && s !== 'detail');
  const noun = nouns.slice(-2).join(' ') || 'resource';
  const verb: Record<string, string> = { GET: 'read', HEAD: 'read', POST: 'create', PUT: 'update', PATCH: 'update', DELETE: 'delete' };
  return `${verb[method.toUpperCase()] ?? method.toLowerCase()} ${noun}`;
}

function isQuota(status: number, m: ServiceMessage): boolean {
  if (status === 413) return true;
  if (m.type && /OverQuota|overLimit|QuotaExceeded/i.test(m.type)) return true;
  return (status === 403 || status === 409 || status === 400) && /quota|limit exceeded|exceeded.*limit/i.test(m.message ?? '');
}

function leadIn(status: number, ctx: RequestContext, m: ServiceMessage): string {
  const action = `${ctx.service}: ${actionOf(ctx.method, ctx.url)}`;
  if (isQuota(status, m)) return `quota exceeded on ${ctx.cloud} (${action}): free some resources or ask the cloud's operators for a larger quota`;
  if (status === 400) return `${ctx.cloud} rejected the request as invalid (${action})`;
  if (status === 401) return `${ctx.cloud} did not accept the credentials (${action}); check the user, password or application credential`;
  if (status === 403) return `permission denied on ${ctx.cloud}: the user may not ${actionOf(ctx.method, ctx.url)} (${ctx.service}); ask for a role that allows it or use another project`;
  if (status === 404) return `not found on ${ctx.cloud} (${action}); it may have been deleted outside dbstack`;
  if (status === 409) return `conflict on ${ctx.cloud} (${action}): the object is busy or in a state that does not allow this; wait for it to settle and try again`;
  if (status === 429) return `${ctx.cloud} is rate-limiting requests (${action}); try again later`;
  if (status >= 500) return `${ctx.service} on ${ctx.cloud} failed with HTTP ${status} (${action}); this is the cloud's fault, try again or tell its operators`;
  return `${ctx.cloud} answered HTTP ${status} (${action})`;
}

export function httpError(ctx: RequestContext, res: RawResponse): OpenStackError {
  const ct = res.headers['content-type'];
  const m = extractServiceMessage(res.body, typeof ct === 'string' ? ct : undefined);
  const requestId = requestIdOf(res.headers);
  const parts = [ctx.what ? `${ctx.what}: ${leadIn(res.status, ctx, m)}` : leadIn(res.status, ctx, m)];
  if (m.message) parts.push(`${ctx.service} said: "${m.message}"`);
  parts.push(`(${ctx.method.toUpperCase()} ${ctx.url}${requestId ? `, request id ${requestId}` : ''})`);
  return new OpenStackError(parts.join(' — ').replace(/ — \(/, ' ('), res.status, ctx.service, m.message, requestId);
}

export function connectionError(ctx: RequestContext, code: string | undefined, detail: string, tries: number): OpenStackError {
  const what = ctx.what ? `${ctx.what}: ` : '';
  const msg =
    `${what}cannot reach ${ctx.service} of ${ctx.cloud} at ${new URL(ctx.url).origin} (${code ?? detail}` +
    `${tries > 1 ? `, ${tries} tries` : ''}); check that the cloud is up and that the catalog's endpoints are reachable from here (interface/OS_INTERFACE picks public, internal or admin ones)`;
  return new OpenStackError(msg, 0, ctx.service, detail);
}
