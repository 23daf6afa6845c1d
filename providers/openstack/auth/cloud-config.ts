/**
 * Resolves which cloud to talk to and how to log in, from three layers in this order of
 * precedence: the provider block's settings, the named clouds.yaml cloud (with secure.yaml
 * over it), then OS_* variables. Problems are returned as sentences, never thrown, so every
 * one of them can be reported at once.
 */
import { existsSync } from 'node:fs';
import { isRecord, mergeEntries, readCloudsFile, type CloudEntry, type ConfigDirs } from './clouds-yaml.js';

export type AuthType = 'password' | 'v3applicationcredential';
export type Interface = 'public' | 'internal' | 'admin';

export interface CloudConfig {
  /** The clouds.yaml entry's name, when one was named. */
  cloudName?: string;
  /** Keystone v3's URL, ending in /v3. */
  authUrl: string;
  authType: AuthType;
  username?: string;
  userId?: string;
  password?: string;
  projectName?: string;
  projectId?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret?: string;
  regionName?: string;
  interface: Interface;
  cacert?: string;
  cert?: string;
  key?: string;
  insecure: boolean;
}

export interface ResolveOptions extends ConfigDirs {}

type Flat = Record<string, string | boolean>;

/** OS_* variables and the clouds.yaml key each one sets. Earlier entries win (OS_PROJECT_NAME over OS_TENANT_NAME). */
const ENV_KEYS: [string, string][] = [
  ['OS_AUTH_URL', 'auth_url'], ['OS_AUTH_TYPE', 'auth_type'],
  ['OS_USERNAME', 'username'], ['OS_USER_ID', 'user_id'], ['OS_PASSWORD', 'password'],
  ['OS_PROJECT_NAME', 'project_name'], ['OS_PROJECT_ID', 'project_id'],
  ['OS_TENANT_NAME', 'project_name'], ['OS_TENANT_ID', 'project_id'],
  ['OS_USER_DOMAIN_NAME', 'user_domain_name'], ['OS_USER_DOMAIN_ID', 'user_domain_id'],
  ['OS_PROJECT_DOMAIN_NAME', 'project_domain_name'], ['OS_PROJECT_DOMAIN_ID', 'project_domain_id'],
  ['OS_DOMAIN_NAME', 'domain_name'], ['OS_DOMAIN_ID', 'domain_id'], ['OS_DEFAULT_DOMAIN', 'default_domain'],
  ['OS_APPLICATION_CREDENTIAL_ID', 'application_credential_id'],
  ['OS_APPLICATION_CREDENTIAL_NAME', 'application_credential_name'],
  ['OS_APPLICATION_CREDENTIAL_SECRET', 'application_credential_secret'],
  ['OS_REGION_NAME', 'region_name'], ['OS_INTERFACE', 'interface'], ['OS_ENDPOINT_TYPE', 'interface'],
  ['OS_CACERT', 'cacert'], ['OS_CERT', 'cert'], ['OS_KEY', 'key'], ['OS_INSECURE', 'insecure'],
];

const ENV_NAME: Record<string, string> = Object.fromEntries(ENV_KEYS.map(([e, k]) => [k, e]).reverse());
const CREDENTIAL_KEYS = ['auth_type', 'password', 'application_credential_secret', 'application_credential_id'];

function fromEnv(env: Record<string, string | undefined>): Flat {
  const out: Flat = {};
  for (const [name, key] of ENV_KEYS) {
    const v = env[name];
    if (v !== undefined && v !== '' && out[key] === undefined) out[key] = key === 'insecure' ? /^(1|true|yes|on)$/i.test(v) : v;
  }
  return out;
}

/** A clouds.yaml entry flattened: `auth:` keys and top-level keys in one map (auth wins). */
function fromEntry(entry: CloudEntry): Flat {
  const out: Flat = {};
  const put = (src: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(src)) {
      if (typeof v === 'string' || typeof v === 'boolean') out[k] = v;
      else if (typeof v === 'number') out[k] = String(v);
    }
  };
  put(entry);
  if (isRecord(entry.auth)) put(entry.auth);
  // clouds.yaml says `verify: false`; dbstack says `insecure: true`.
  if (out.verify === false && out.insecure === undefined) out.insecure = true;
  if (typeof out.tenant_name === 'string' && out.project_name === undefined) out.project_name = out.tenant_name;
  if (typeof out.tenant_id === 'string' && out.project_id === undefined) out.project_id = out.tenant_id;
  return out;
}

function str(v: string | boolean | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** What to tell the user to set for a key. */
export function hint(key: string): string {
  const env = ENV_NAME[key];
  return `set ${env ? `${env}, ` : ''}${key} in a clouds.yaml cloud, or ${key} in provider "openstack"`;
}

/** Keystone v3's URL from whatever the user wrote (with or without /v3, or with /v2.0). */
export function normalizeAuthUrl(url: string): string {
  const u = url.replace(/\/+$/, '');
  if (/\/v3$/.test(u)) return u;
  if (/\/v2\.0$/.test(u)) return u.replace(/\/v2\.0$/, '/v3');
  return `${u}/v3`;
}

export function resolveCloudConfig(
  settings: Record<string, string | boolean>,
  env: Record<string, string | undefined>,
  opts: ResolveOptions = {},
): { config: CloudConfig; problems: string[] } {
  const problems: string[] = [];
  const layers: Flat[] = [fromEnv(env)];
  const cloudName = str(settings.cloud) ?? str(env.OS_CLOUD);
  if (cloudName) {
    const clouds = readCloudsFile('clouds', env, opts);
    const secure = readCloudsFile('secure', env, opts);
    for (const f of [clouds, secure]) if (f.problem) problems.push(f.problem);
    const base = clouds.clouds[cloudName];
    const extra = secure.clouds[cloudName];
    if (!base && !clouds.problem) {
      const where = clouds.file ? `${clouds.file}, which has ${Object.keys(clouds.clouds).map((n) => `"${n}"`).join(', ') || 'no clouds'}` : `looked in ${clouds.looked.join(', ')}`;
      problems.push(`cloud "${cloudName}" is not in any clouds.yaml (${where}); add it there, point OS_CLIENT_CONFIG_FILE at the right file, or fix the name`);
    }
    if (base || extra) layers.push(fromEntry(mergeEntries(base ?? {}, extra ?? {})));
  }
  const settingsLayer: Flat = {};
  for (const [k, v] of Object.entries(settings)) if (k !== 'cloud' && (typeof v === 'string' || typeof v === 'boolean')) settingsLayer[k] = v;
  layers.push(settingsLayer);

  const m: Flat = Object.assign({}, ...layers);
  const authType = chooseAuthType(layers, problems);
  const config: CloudConfig = {
    authUrl: str(m.auth_url) ? normalizeAuthUrl(m.auth_url as string) : '',
    authType,
    interface: 'public',
    insecure: m.insecure === true || (typeof m.insecure === 'string' && /^(1|true|yes|on)$/i.test(m.insecure)),
  };
  if (cloudName) config.cloudName = cloudName;
  const copy: [keyof CloudConfig, string][] = [
    ['username', 'username'], ['userId', 'user_id'], ['password', 'password'],
    ['projectName', 'project_name'], ['projectId', 'project_id'],
    ['userDomainName', 'user_domain_name'], ['userDomainId', 'user_domain_id'],
    ['projectDomainName', 'project_domain_name'], ['projectDomainId', 'project_domain_id'],
    ['applicationCredentialId', 'application_credential_id'], ['applicationCredentialName', 'application_credential_name'],
    ['applicationCredentialSecret', 'application_credential_secret'],
    ['regionName', 'region_name'], ['cacert', 'cacert'], ['cert', 'cert'], ['key', 'key'],
  ];
  for (const [field, key] of copy) {
    const v = str(m[key]);
    if (v !== undefined) (config as unknown as Record<string, unknown>)[field] = v;
  }
  applyDomainDefaults(config, m);

  const iface = str(m.interface)?.replace(/URL$/, '');
  if (iface === 'public' || iface === 'internal' || iface === 'admin') config.interface = iface;
  else if (iface !== undefined) problems.push(`interface "${m.interface}" is not one of public, internal, admin; fix OS_INTERFACE, the clouds.yaml cloud or interface in provider "openstack"`);

  if (!config.authUrl) problems.push(`no auth_url: ${hint('auth_url')}`);
  checkCredentials(config, problems);
  for (const k of ['cacert', 'cert', 'key'] as const) {
    const p = config[k];
    if (p !== undefined && !existsSync(p)) problems.push(`${k} file ${p} does not exist; fix the path (${ENV_NAME[k]}, the clouds.yaml cloud or ${k} in provider "openstack")`);
  }
  if ((config.cert === undefined) !== (config.key === undefined)) problems.push(`a client certificate needs both cert and key; set ${config.cert ? 'OS_KEY or key' : 'OS_CERT or cert'} too`);
  return { config, problems };
}

/** The highest layer that says anything about credentials decides the auth type. */
function chooseAuthType(layers: Flat[], problems: string[]): AuthType {
  for (const layer of [...layers].reverse()) {
    if (!CREDENTIAL_KEYS.some((k) => layer[k] !== undefined)) continue;
    const explicit = str(layer.auth_type);
    if (explicit === undefined) return layer.application_credential_secret !== undefined || layer.application_credential_id !== undefined ? 'v3applicationcredential' : 'password';
    if (['password', 'v3password'].includes(explicit)) return 'password';
    if (['v3applicationcredential', 'application_credential', 'applicationcredential'].includes(explicit)) return 'v3applicationcredential';
    problems.push(`auth_type "${explicit}" is not supported; dbstack logs in with "password" or "v3applicationcredential"`);
    return 'password';
  }
  return 'password';
}

/**
 * As openstacksdk and the CLI do: `domain_id`/`domain_name` stand for both the user's and the
 * project's domain when those are not given, and names with no domain at all mean the default
 * domain (id `default`, or OS_DEFAULT_DOMAIN).
 */
function applyDomainDefaults(c: CloudConfig, m: Flat): void {
  const domainId = str(m.domain_id);
  const domainName = str(m.domain_name);
  const fallbackId = domainId ?? (domainName ? undefined : str(m.default_domain) ?? 'default');
  const fill = (idField: 'userDomainId' | 'projectDomainId', nameField: 'userDomainName' | 'projectDomainName') => {
    if (c[idField] !== undefined || c[nameField] !== undefined) return;
    if (domainName !== undefined && domainId === undefined) c[nameField] = domainName;
    else if (fallbackId !== undefined) c[idField] = fallbackId;
  };
  if (c.authType === 'password' && c.username !== undefined && c.userId === undefined) fill('userDomainId', 'userDomainName');
  if (c.authType === 'v3applicationcredential' && c.applicationCredentialId === undefined && c.username !== undefined) fill('userDomainId', 'userDomainName');
  if (c.projectName !== undefined && c.projectId === undefined) fill('projectDomainId', 'projectDomainName');
}

function checkCredentials(c: CloudConfig, problems: string[]): void {
  if (c.authType === 'v3applicationcredential') {
    if (!c.applicationCredentialSecret) problems.push(`no application_credential_secret: ${hint('application_credential_secret')}`);
    if (!c.applicationCredentialId && !c.applicationCredentialName) problems.push(`no application_credential_id or application_credential_name: ${hint('application_credential_id')}`);
    if (!c.applicationCredentialId && c.applicationCredentialName && !c.username && !c.userId) {
      problems.push(`application credential "${c.applicationCredentialName}" is given by name, so its user is needed too: ${hint('username')} (or user_id)`);
    }
    return;
  }
  if (!c.username && !c.userId) problems.push(`no user: ${hint('username')} (or user_id)`);
  if (!c.password) problems.push(`no password: ${hint('password')}`);
  if (!c.projectName && !c.projectId) problems.push(`no project: ${hint('project_name')} (or project_id); dbstack needs a project-scoped login`);
}

/** Where the config came from, for messages: the cloud's name, else its auth URL. */
export function describeCloud(c: CloudConfig): string {
  return c.cloudName ? `cloud "${c.cloudName}" (${c.authUrl})` : `the cloud at ${c.authUrl}`;
}
