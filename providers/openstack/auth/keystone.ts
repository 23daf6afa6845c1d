/**
 * Keystone v3 login: POST /v3/auth/tokens with a password (user and project by name and domain,
 * or by id) or an application credential (already scoped to its project), giving a token, its
 * expiry and the service catalog.
 */
import { OpenStackError } from '../http/session.js';
import { extractServiceMessage, httpError, requestIdOf, type RequestContext } from '../http/errors.js';
import type { Transport } from '../http/transport.js';
import { parseCatalog, type CatalogEntry } from './catalog.js';
import { describeCloud, type CloudConfig } from './cloud-config.js';

export interface Token {
  value: string;
  /** ms since the epoch, from the token's expires_at (Keystone's clock). */
  expiresAt: number;
  /** ms since the epoch, from issued_at (Keystone's clock). */
  issuedAt: number;
  projectId: string;
  userId: string;
  catalog: CatalogEntry[];
}

type Json = Record<string, unknown>;

function domain(id: string | undefined, name: string | undefined): Json | undefined {
  if (id !== undefined) return { id };
  if (name !== undefined) return { name };
  return undefined;
}

function user(c: CloudConfig): Json {
  if (c.userId !== undefined) return { id: c.userId };
  const d = domain(c.userDomainId, c.userDomainName);
  return { name: c.username, ...(d ? { domain: d } : {}) };
}

/** The body of POST /v3/auth/tokens for this config. */
export function authRequestBody(c: CloudConfig): Json {
  if (c.authType === 'v3applicationcredential') {
    const cred: Json = c.applicationCredentialId !== undefined
      ? { id: c.applicationCredentialId, secret: c.applicationCredentialSecret }
      : { name: c.applicationCredentialName, secret: c.applicationCredentialSecret, user: user(c) };
    return { auth: { identity: { methods: ['application_credential'], application_credential: cred } } };
  }
  const identity = { methods: ['password'], password: { user: { ...user(c), password: c.password } } };
  let project: Json | undefined;
  if (c.projectId !== undefined) project = { id: c.projectId };
  else if (c.projectName !== undefined) {
    const d = domain(c.projectDomainId, c.projectDomainName);
    project = { name: c.projectName, ...(d ? { domain: d } : {}) };
  }
  return { auth: { identity, ...(project ? { scope: { project } } : {}) } };
}

function whatToCheck(c: CloudConfig): string {
  return c.authType === 'v3applicationcredential'
    ? 'check the application credential (id or name and user) and its secret, and that it has not expired or been deleted'
    : 'check the user name, password, user and project domain and the project';
}

export async function issueToken(transport: Transport, c: CloudConfig): Promise<Token> {
  const ctx: RequestContext = { service: 'keystone', method: 'POST', url: `${c.authUrl}/auth/tokens`, cloud: describeCloud(c), what: 'log in' };
  const res = await transport.send(ctx, { json: authRequestBody(c) });
  if (res.status === 401 || res.status === 403 || (res.status === 404 && c.authType === 'v3applicationcredential')) {
    const ct = res.headers['content-type'];
    const m = extractServiceMessage(res.body, typeof ct === 'string' ? ct : undefined);
    const requestId = requestIdOf(res.headers);
    const where = c.cloudName ? `cloud "${c.cloudName}" at ${c.authUrl}` : `the cloud at ${c.authUrl}`;
    const msg =
      `cannot log in to ${where}: Keystone answered ${res.status} "${m.message ?? 'Unauthorized'}"; ${whatToCheck(c)} ` +
      `(from ${c.cloudName ? 'clouds.yaml, ' : ''}OS_* variables or provider "openstack")${requestId ? ` [request id ${requestId}]` : ''}`;
    throw new OpenStackError(msg, res.status, 'keystone', m.message, requestId);
  }
  if (res.status !== 201 && res.status !== 200) throw httpError(ctx, res);
  const value = res.headers['x-subject-token'];
  const doc = JSON.parse(res.body.toString('utf8')) as { token?: Json };
  const t = doc.token ?? {};
  const project = t.project as Json | undefined;
  const userObj = t.user as Json | undefined;
  const expiresAt = Date.parse(String(t.expires_at));
  if (typeof value !== 'string' || !project || typeof project.id !== 'string' || Number.isNaN(expiresAt)) {
    throw new OpenStackError(
      `${describeCloud(c)} issued a token that is not scoped to a project; set project_name or project_id (OS_PROJECT_NAME / OS_PROJECT_ID), or use an application credential made for a project`,
      res.status,
      'keystone',
    );
  }
  const issuedAt = Date.parse(String(t.issued_at));
  return { value, expiresAt, issuedAt: Number.isNaN(issuedAt) ? Date.now() : issuedAt, projectId: project.id, userId: String(userObj?.id ?? ''), catalog: parseCatalog(t.catalog) };
}
