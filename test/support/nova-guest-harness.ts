/**
 * Stand-in for a VM boot on the loopback cloud. Nova's fake driver marks servers ACTIVE but
 * runs nothing, so this harness plays cloud-init: it polls Nova as admin for ACTIVE servers,
 * reads each one's user data (`OS-EXT-SRV-ATTR:user_data`, microversion >= 2.3), extracts
 * the agent config with parseUserData and starts the REAL agent as a child process, as the
 * systemd unit would in the VM. A server that disappears gets its agent stopped (SIGTERM).
 *
 * Only what cannot be equal on one machine is rewritten: dataDir (a private temp dir,
 * 0711 so an engine's system user can traverse it), port (a free one) and fast: true.
 *
 * Test support: plain fetch + Keystone password auth, independent of the product's session.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseUserData, type AgentConfigJson } from '../../providers/openstack/user-data.js';
import { freePort } from './guest-protocol-harness.js';
import { CLOUDS_FILE } from './loopback-cloud.js';

export const LOOPBACK_CLOUDS = CLOUDS_FILE;
const AGENT_MAIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'guest', 'agent', 'main.js');

export interface PasswordAuth {
  auth_url: string; username: string; password: string; project_name: string;
  user_domain_name?: string; project_domain_name?: string;
}

export interface NovaServer { id: string; name: string; status: string; [k: string]: unknown }

export interface StartedGuest { serverId: string; instanceId: string; port: number; dataDir: string }

export interface NovaGuestHarnessOptions {
  /** A cloud name in clouds.yaml (default file: the loopback one), or auth settings. */
  adminCloud: string | PasswordAuth;
  cloudsFile?: string;
  match: (server: NovaServer) => boolean;
  pollMs?: number;
  /** Applied after the harness's own rewrite (dataDir, port, fast). */
  remap?: (config: AgentConfigJson) => AgentConfigJson;
  log?: (line: string) => void;
}

export interface NovaGuestHarness {
  started(): StartedGuest[];
  /** The agent process of a server (for assertions), while it runs. */
  process(serverId: string): ChildProcess | undefined;
  stop(): Promise<void>;
}

export function loadCloudAuth(cloud: string, file = LOOPBACK_CLOUDS): PasswordAuth {
  const doc = parse(readFileSync(file, 'utf8')) as { clouds?: Record<string, { auth?: PasswordAuth }> };
  const auth = doc.clouds?.[cloud]?.auth;
  if (!auth) throw new Error(`cloud '${cloud}' not found in ${file}`);
  return auth;
}

/** Keystone v3 password auth, project-scoped: the token and the public endpoint of `type`. */
export async function keystoneToken(auth: PasswordAuth, type: string): Promise<{ token: string; endpoint: string }> {
  const res = await fetch(`${auth.auth_url.replace(/\/$/, '')}/auth/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: {
      identity: { methods: ['password'], password: { user: { name: auth.username, password: auth.password, domain: { name: auth.user_domain_name ?? 'Default' } } } },
      scope: { project: { name: auth.project_name, domain: { name: auth.project_domain_name ?? 'Default' } } },
    } }),
  });
  if (res.status !== 201) throw new Error(`Keystone auth as ${auth.username}: HTTP ${res.status} ${await res.text()}`);
  const body = await res.json() as { token: { catalog: { type: string; endpoints: { interface: string; url: string }[] }[] } };
  const endpoint = body.token.catalog.find((s) => s.type === type)?.endpoints.find((e) => e.interface === 'public')?.url;
  if (!endpoint) throw new Error(`no public ${type} endpoint in the catalog`);
  return { token: res.headers.get('x-subject-token')!, endpoint: endpoint.replace(/\/$/, '') };
}

interface Running extends StartedGuest { child: ChildProcess; root: string; exited: Promise<void> }

export async function startNovaGuestHarness(opts: NovaGuestHarnessOptions): Promise<NovaGuestHarness> {
  const auth = typeof opts.adminCloud === 'string' ? loadCloudAuth(opts.adminCloud, opts.cloudsFile) : opts.adminCloud;
  const log = opts.log ?? (() => {});
  let session = await keystoneToken(auth, 'compute');
  const running = new Map<string, Running>();
  const handled = new Set<string>(); // started once: a server is "booted" only once
  let stopped = false;

  async function listServers(): Promise<NovaServer[]> {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${session.endpoint}/servers/detail?all_tenants=1`, {
        headers: { 'x-auth-token': session.token, 'x-openstack-nova-api-version': '2.3', 'openstack-api-version': 'compute 2.3' },
      });
      if (res.status === 401 && attempt === 0) { session = await keystoneToken(auth, 'compute'); continue; }
      if (!res.ok) throw new Error(`Nova GET /servers/detail: HTTP ${res.status} ${await res.text()}`);
      return ((await res.json()) as { servers: NovaServer[] }).servers;
    }
  }

  async function boot(server: NovaServer): Promise<void> {
    const userData = server['OS-EXT-SRV-ATTR:user_data'];
    if (typeof userData !== 'string') throw new Error(`server ${server.id} has no user data visible to the admin (microversion >= 2.3?)`);
    const root = mkdtempSync(join(tmpdir(), 'dbstack-nova-guest-'));
    chmodSync(root, 0o711);
    let config: AgentConfigJson = { ...parseUserData(userData), dataDir: join(root, 'data'), port: await freePort(), fast: true };
    delete config.stateFile; // it would point into the VM's paths; default is <dataDir>/…
    if (opts.remap) config = opts.remap(config);
    const file = join(root, 'agent.json');
    writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
    const child = spawn(process.execPath, [AGENT_MAIN, '--config', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => { for (const l of d.toString().split('\n')) if (l) log(`[${server.name}] ${l}`); });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    running.set(server.id, { serverId: server.id, instanceId: config.instanceId, port: config.port, dataDir: config.dataDir, child, root, exited });
    log(`started agent pid ${child.pid} for server ${server.id} (instance ${config.instanceId}, port ${config.port})`);
  }

  async function halt(r: Running): Promise<void> {
    running.delete(r.serverId);
    if (r.child.exitCode === null && r.child.signalCode === null) {
      r.child.kill('SIGTERM');
      const kill = setTimeout(() => r.child.kill('SIGKILL'), 90_000);
      await r.exited;
      clearTimeout(kill);
    }
    rmSync(r.root, { recursive: true, force: true });
    log(`stopped agent for server ${r.serverId}`);
  }

  async function poll(): Promise<void> {
    const servers = (await listServers()).filter((s) => opts.match(s));
    for (const s of servers) {
      if (s.status === 'ACTIVE' && !handled.has(s.id) && !stopped) {
        handled.add(s.id);
        await boot(s).catch((e: Error) => log(`cannot start agent for server ${s.id}: ${e.message}`));
      }
    }
    const present = new Set(servers.filter((s) => s.status !== 'DELETED').map((s) => s.id));
    for (const r of [...running.values()]) if (!present.has(r.serverId)) await halt(r);
  }

  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  const loop = () => {
    current = poll().catch((e: Error) => log(`poll failed: ${e.message}`)).finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.pollMs ?? 1000);
    });
  };
  loop();

  return {
    started: () => [...running.values()].map(({ serverId, instanceId, port, dataDir }) => ({ serverId, instanceId, port, dataDir })),
    process: (id) => running.get(id)?.child,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
      await Promise.all([...running.values()].map(halt));
    },
  };
}
