/**
 * bench/openstack-parallel: N database-instance "units" created and deleted on the real loopback
 * OpenStack (Zed) as the demo user, by dbstack's applier at parallelism 1 and 10, and by Heat
 * from one HOT template with the same objects (issue 5).
 *
 * A unit = a security group with one ingress rule, a 1 GiB Cinder volume, a Neutron port on the
 * bench's network, a Nova server with user data, the volume attached. Guest convergence is
 * excluded: dbstack runs the real applier (makePlan → applyPlan, SQLite state, lock) over a
 * bench-local `database_instance` type whose create/delete are the product's own
 * createParts/deleteParts (providers/openstack/resources/instance-parts.ts) over a real
 * OpenStackCloud and a private Mosquitto with the dynamic-security plugin (guest identities are
 * really added and removed on the broker).
 *
 * Wall time is measured around applyPlan (dbstack) and from POST/DELETE to the stack reaching
 * CREATE_COMPLETE / gone (Heat, polled every 250 ms). Requests = the provider session's
 * requestCount (a new session per phase, so Keystone's token request is counted).
 *
 *   node dist/bench/openstack-parallel.js [--n 1,5,20] [--skip-heat]
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPlan, type ApplyResult } from '../applier/apply.js';
import type { ApplyEvent } from '../applier/events.js';
import { loadStackText } from '../planner/load/index.js';
import { makePlan } from '../planner/plan/make-plan.js';
import { priorFromSnapshot } from '../planner/plan/prior.js';
import { newObject, type ValueObject } from '../core/value.js';
import { StateStore } from '../state/index.js';
import { providerSettings } from '../providers/provider-config.js';
import { ProviderError, type Provider, type ResourceType } from '../providers/provider.js';
import { OpenStackCloud } from '../providers/openstack/cloud.js';
import { createParts, deleteParts, newParts, partsOf } from '../providers/openstack/resources/instance-parts.js';
import { buildUserData } from '../providers/openstack/user-data.js';
import { resolveCloudConfig } from '../providers/openstack/auth/cloud-config.js';
import { createSession } from '../providers/openstack/http/keystone-session.js';
import type { Session } from '../providers/openstack/http/session.js';
import { startDynsecBroker, type DynsecBroker } from '../test/support/dynsec-broker.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** dist/bench → the repository → its sibling shared/ */
const CLOUDS_FILE = process.env.OS_CLIENT_CONFIG_FILE ?? resolve(here, '../../../shared/openstack-loopback/clouds.yaml');
const ENV = { ...process.env, OS_CLIENT_CONFIG_FILE: CLOUDS_FILE };
const FLAVOR = { name: 'dbstack.bench.1', ram: 512, vcpus: 1, disk: 1 };
const CIDR = '10.78.0.0/22';
const REDIS_PORT = 6379;
const HEAT_POLL_MS = 250;
const TARGET_SPEEDUP = 3;
const TARGET_REQ_PER_UNIT = 20;
const QUOTAS = {
  network: { security_group: 200, security_group_rule: 1000, port: 300 },
  volume: { volumes: 200, gigabytes: 2000 },
};

// ---------------------------------------------------------------- arguments

const argv = process.argv.slice(2);
function arg(name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i]!.includes('=') ? argv[i]!.slice(argv[i]!.indexOf('=') + 1) : argv[i + 1];
}
const SIZES = (arg('n') ?? '1,5,20').split(',').map((s) => {
  const n = Number(s.trim());
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n takes positive integers separated by commas, got ${JSON.stringify(s)}`);
  return n;
});
const SKIP_HEAT = argv.includes('--skip-heat');

const log = (m: string) => process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => (ms / 1000).toFixed(1);

// ---------------------------------------------------------------- sessions

async function session(cloud: 'loopback' | 'loopback-demo'): Promise<Session> {
  const { config, problems } = resolveCloudConfig({ cloud }, ENV);
  if (problems.length) throw new Error(problems.join('; '));
  const s = await createSession(config);
  await s.endpoint('identity'); // a token now: projectId is known
  return s;
}

// ---------------------------------------------------------------- the cloud setup (admin + demo)

interface Setup {
  suffix: string;
  demoProjectId: string;
  networkId: string;
  imageId: string;
  imageName: string;
  flavorId: string;
  createdFlavor: boolean;
  broker: DynsecBroker;
}

async function raiseQuotas(admin: Session, projectId: string): Promise<void> {
  await admin.request('network', 'PUT', `/v2.0/quotas/${projectId}`, { json: { quota: QUOTAS.network } });
  await admin.request('block-storage', 'PUT', `/os-quota-sets/${projectId}`, { json: { quota_set: QUOTAS.volume } });
}

async function ensureFlavor(admin: Session): Promise<{ id: string; created: boolean }> {
  const have = await admin.list<{ id: string; name: string }>('compute', '/flavors', 'flavors');
  const f = have.find((h) => h.name === FLAVOR.name);
  if (f) return { id: f.id, created: false };
  const r = await admin.request<{ flavor: { id: string } }>('compute', 'POST', '/flavors', { json: { flavor: { ...FLAVOR, 'os-flavor-access:is_public': true } } });
  return { id: r.body.flavor.id, created: true };
}

// ---------------------------------------------------------------- dbstack: the applier over createParts/deleteParts

/** database_instance whose create/delete are the product's parts, without guest convergence. */
function partsOnlyInstance(cloud: OpenStackCloud): ResourceType {
  return {
    async create(ctx, config) {
      const ds = cloud.registry.resolve('redis', '7');
      if (typeof ds === 'string') throw new ProviderError(ds);
      const parts = newParts();
      const priv = () => newObject(Object.entries(parts));
      try {
        const { server, address } = await createParts(ctx, cloud, config, ds, parts);
        const a = newObject(Object.entries(config));
        a.id = parts.guestId;
        a.host = address;
        a.port = ds.port;
        a.href = `server ${server}`;
        a.status = 'ACTIVE';
        return { id: parts.guestId, attributes: a, private: priv() };
      } catch (e) {
        throw new ProviderError(e instanceof Error ? e.message : String(e), { id: parts.guestId, attributes: newObject([['id', parts.guestId]]), private: priv() });
      }
    },
    async read(_ctx, prior) {
      return { id: prior.id, attributes: prior.attributes, ...(prior.private ? { private: prior.private } : {}) };
    },
    async update() {
      throw new ProviderError('bench: update is not measured');
    },
    async delete(ctx, prior) {
      const parts = partsOf(prior.private);
      if (!parts) throw new ProviderError(`${ctx.address} has no recorded parts`);
      await deleteParts(ctx, cloud, parts);
    },
  };
}

function stackText(s: Setup, n: number): string {
  return `
provider "openstack" {
  cloud           = "loopback-demo"
  broker          = "${s.broker.url}"
  broker_username = "${s.broker.admin.username}"
  broker_password = "${s.broker.admin.password}"
  network         = "${s.networkId}"
  flavor          = "${FLAVOR.name}"
  datastore "redis" {
    version "7" {
      image = "${s.imageName}"
    }
  }
}

resource "database_instance" "unit" {
  count         = ${n}
  name          = "b${s.suffix}-\${count.index}"
  datastore     = { type = "redis", version = "7" }
  flavor        = "${FLAVOR.name}"
  volume        = { size = 1 }
  allowed_cidrs = ["${CIDR}"]
}
`;
}

interface Phase { ms: number; requests: number; result: ApplyResult; unitMs: number[]; cpuBusy: number }

/** Jiffies of the whole machine (the cloud runs here): busy and total, from /proc/stat. */
function cpuTimes(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  return { busy: total - (f[3] ?? 0) - (f[4] ?? 0), total };
}

class DbstackRun {
  private readonly dir = mkdtempSync(join(tmpdir(), 'dbstack-bench-os-'));
  readonly store = StateStore.open(join(this.dir, 'state.db'), { key: randomBytes(32) });
  readonly stack: string;
  private readonly document;
  private readonly settings: ValueObject;

  constructor(setup: Setup, n: number, readonly parallelism: number) {
    this.stack = `bench-${n}-p${parallelism}`;
    const { document, diagnostics } = loadStackText(stackText(setup, n), 'bench.hcl');
    const errs = diagnostics.filter((d) => d.severity === 'error');
    if (errs.length) throw new Error(errs.map((d) => d.summary).join('; '));
    this.document = document;
    const diags: typeof diagnostics = [];
    this.settings = providerSettings(document, document.providers.find((p) => p.name === 'openstack'), {}, diags);
    if (diags.some((d) => d.severity === 'error')) throw new Error(diags.map((d) => d.summary).join('; '));
  }

  /** One apply (or destroy) with a fresh cloud (new session: the token request is counted). */
  async phase(destroy: boolean): Promise<Phase> {
    const { plan } = makePlan(this.document, priorFromSnapshot(this.store.readState(this.stack)), { stack: this.stack, destroy });
    const perr = plan.diagnostics.filter((d) => d.severity === 'error');
    if (perr.length) throw new Error(perr.map((d) => d.summary).join('; '));
    const cloud = new OpenStackCloud(this.settings, ENV);
    const type = partsOnlyInstance(cloud);
    const provider: Provider = { name: 'openstack', resourceType: (t) => (t === 'database_instance' ? type : undefined), conductor: () => cloud.conductor(), close: () => cloud.close() };
    const lock = this.store.acquireLock(this.stack, { command: destroy ? 'destroy' : 'apply' });
    try {
      const started = new Map<string, number>();
      const unitMs: number[] = [];
      const onEvent = (e: ApplyEvent) => {
        if (e.type === 'apply_start') started.set(e.address, performance.now());
        else if (e.type === 'apply_complete' && started.has(e.address)) unitMs.push(performance.now() - started.get(e.address)!);
      };
      const cpu0 = cpuTimes();
      const t0 = performance.now();
      const result = await applyPlan({ plan, document: this.document, store: this.store, lock, provider, command: destroy ? 'destroy' : 'apply', parallelism: this.parallelism, progressEveryMs: 3_600_000, onEvent });
      const ms = performance.now() - t0;
      const cpu1 = cpuTimes();
      const cpuBusy = (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total);
      const requests = (await cloud.clients()).session.requestCount; // a new session: 0 before the apply
      if (result.failures.length) throw new Error(`${this.stack} ${destroy ? 'destroy' : 'apply'} failed: ${result.failures.map((f) => `${f.address}: ${f.message}`).join(' | ')}`);
      return { ms, requests, result, unitMs, cpuBusy };
    } finally {
      lock.release();
      await provider.close();
    }
  }

  remaining(): number {
    return this.store.readState(this.stack)?.resources.length ?? 0;
  }

  dispose(): void {
    this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- Heat: the same units from one HOT template

function hotTemplate(n: number, userData: string, suffix: string): ValueObject {
  const resources: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    resources[`sg${i}`] = {
      type: 'OS::Neutron::SecurityGroup',
      properties: {
        name: `h${suffix}-${i}`, description: `redis port of unit ${i}`,
        rules: [{ direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: REDIS_PORT, port_range_max: REDIS_PORT, remote_ip_prefix: CIDR }],
      },
    };
    resources[`vol${i}`] = { type: 'OS::Cinder::Volume', properties: { size: 1, name: `h${suffix}-${i}-data` } };
    resources[`port${i}`] = { type: 'OS::Neutron::Port', properties: { name: `h${suffix}-${i}`, network: { get_param: 'network' }, security_groups: [{ get_resource: `sg${i}` }] } };
    resources[`server${i}`] = {
      type: 'OS::Nova::Server',
      properties: {
        name: `h${suffix}-${i}`, image: { get_param: 'image' }, flavor: { get_param: 'flavor' },
        networks: [{ port: { get_resource: `port${i}` } }], user_data_format: 'RAW', user_data: userData,
      },
    };
    resources[`att${i}`] = { type: 'OS::Cinder::VolumeAttachment', properties: { instance_uuid: { get_resource: `server${i}` }, volume_id: { get_resource: `vol${i}` } } };
  }
  return {
    heat_template_version: '2021-04-16',
    description: `dbstack bench: ${n} database-instance units`,
    parameters: { image: { type: 'string' }, flavor: { type: 'string' }, network: { type: 'string' } },
    resources,
  } as unknown as ValueObject;
}

interface HeatStack { name: string; id?: string }

async function heatStatus(demo: Session, st: HeatStack): Promise<{ status: string; reason: string } | undefined> {
  const r = await demo.request<{ stack: { stack_status: string; stack_status_reason: string } }>('orchestration', 'GET', `/stacks/${st.name}/${st.id}`, { allow: [404] });
  if (r.status === 404) return undefined;
  return { status: r.body.stack.stack_status, reason: r.body.stack.stack_status_reason };
}

async function heatCreate(demo: Session, s: Setup, n: number, st: HeatStack): Promise<number> {
  const userData = buildUserData({
    instanceId: '00000000-0000-4000-8000-000000000000', brokerUrl: s.broker.url, password: randomBytes(18).toString('base64url'),
    key: randomBytes(32).toString('base64url'), datastore: 'redis', dataDir: '/var/lib/dbstack/data', port: REDIS_PORT,
  } as Parameters<typeof buildUserData>[0]);
  const body = { stack_name: st.name, template: hotTemplate(n, userData, s.suffix), parameters: { image: s.imageId, flavor: FLAVOR.name, network: s.networkId }, timeout_mins: 30, disable_rollback: true };
  const t0 = performance.now();
  const r = await demo.request<{ stack: { id: string } }>('orchestration', 'POST', '/stacks', { json: body });
  st.id = r.body.stack.id;
  for (;;) {
    const x = await heatStatus(demo, st);
    if (x?.status === 'CREATE_COMPLETE') return performance.now() - t0;
    if (!x || x.status.endsWith('FAILED')) throw new Error(`Heat stack ${st.name}: ${x?.status ?? 'gone'} ${x?.reason ?? ''}`);
    await sleep(HEAT_POLL_MS);
  }
}

async function heatDelete(demo: Session, st: HeatStack): Promise<number> {
  const t0 = performance.now();
  await demo.request('orchestration', 'DELETE', `/stacks/${st.name}/${st.id}`, { allow: [404] });
  for (;;) {
    const x = await heatStatus(demo, st);
    if (!x || x.status === 'DELETE_COMPLETE') return performance.now() - t0;
    if (x.status === 'DELETE_FAILED') throw new Error(`Heat stack ${st.name}: DELETE_FAILED ${x.reason}`);
    await sleep(HEAT_POLL_MS);
  }
}

// ---------------------------------------------------------------- cleanup of anything left (failure paths)

async function sweep(demo: Session, s: Setup): Promise<string[]> {
  const left: string[] = [];
  const mine = (name: string | undefined) => !!name && name.includes(s.suffix);
  const servers = (await demo.list<{ id: string; name: string }>('compute', '/servers', 'servers')).filter((x) => mine(x.name));
  for (const x of servers) await demo.request('compute', 'DELETE', `/servers/${x.id}`, { allow: [404] });
  for (const x of servers) {
    for (let i = 0; i < 240; i++) {
      if ((await demo.request('compute', 'GET', `/servers/${x.id}`, { allow: [404] })).status === 404) break;
      await sleep(500);
    }
  }
  const volumes = (await demo.list<{ id: string; name: string }>('block-storage', '/volumes', 'volumes')).filter((x) => mine(x.name));
  for (const v of volumes) {
    for (let i = 0; i < 240; i++) {
      const r = await demo.request<{ volume: { status: string } }>('block-storage', 'GET', `/volumes/${v.id}`, { allow: [404] });
      if (r.status === 404 || ['available', 'error'].includes(r.body.volume.status)) break;
      await sleep(500);
    }
    await demo.request('block-storage', 'DELETE', `/volumes/${v.id}`, { allow: [404, 400] });
  }
  const ports = await demo.list<{ id: string; name: string }>('network', '/v2.0/ports', 'ports', { network_id: s.networkId });
  for (const p of ports.filter((x) => mine(x.name))) await demo.request('network', 'DELETE', `/v2.0/ports/${p.id}`, { allow: [404] });
  const sgs = (await demo.list<{ id: string; name: string }>('network', '/v2.0/security-groups', 'security_groups')).filter((x) => mine(x.name));
  for (const g of sgs) await demo.request('network', 'DELETE', `/v2.0/security-groups/${g.id}`, { allow: [404, 409] });
  if (servers.length + volumes.length + sgs.length) left.push(`swept ${servers.length} servers, ${volumes.length} volumes, ${sgs.length} security groups`);
  return left;
}

// ---------------------------------------------------------------- main

interface Row { who: string; create?: number; del?: number; reqCreate?: number; reqDelete?: number; unitCreate?: number[]; unitDelete?: number[]; cpuCreate?: number; cpuDelete?: number; error?: string }

async function main(): Promise<void> {
  const admin = await session('loopback');
  const demo = await session('loopback-demo');
  const suffix = randomBytes(3).toString('hex');
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  const results = new Map<number, Row[]>();
  const heatStacks: HeatStack[] = [];
  let setup: Setup | undefined;
  try {
    const demoProjectId = demo.projectId;
    log(`raising quotas of project demo (${demoProjectId})`);
    await raiseQuotas(admin, demoProjectId);

    const flavor = await ensureFlavor(admin);
    if (flavor.created) cleanups.push({ what: `flavor ${FLAVOR.name}`, run: () => admin.request('compute', 'DELETE', `/flavors/${flavor.id}`, { allow: [404] }) });

    const imageName = `dbstack-bench-guest-${suffix}`;
    const image = (await demo.request<{ id: string }>('image', 'POST', '/v2/images', { json: { name: imageName, disk_format: 'raw', container_format: 'bare' } })).body;
    cleanups.push({ what: `image ${imageName}`, run: () => demo.request('image', 'DELETE', `/v2/images/${image.id}`, { allow: [404] }) });
    await demo.request('image', 'PUT', `/v2/images/${image.id}/file`, { body: Buffer.from('not a real disk'), headers: { 'content-type': 'application/octet-stream' } });

    // Shared, owned by demo (so the demo user's ports and Heat's see it either way).
    const net = (await admin.request<{ network: { id: string } }>('network', 'POST', '/v2.0/networks', { json: { network: { name: `dbstack-bench-${suffix}`, shared: true, project_id: demoProjectId } } })).body.network;
    cleanups.push({ what: `network ${net.id}`, run: () => admin.request('network', 'DELETE', `/v2.0/networks/${net.id}`, { allow: [404] }) });
    await admin.request('network', 'POST', '/v2.0/subnets', { json: { subnet: { network_id: net.id, cidr: CIDR, ip_version: 4, name: `dbstack-bench-${suffix}`, project_id: demoProjectId } } });

    const broker = await startDynsecBroker();
    cleanups.push({ what: 'broker', run: () => broker.stop() });
    setup = { suffix, demoProjectId, networkId: net.id, imageId: image.id, imageName, flavorId: flavor.id, createdFlavor: flavor.created, broker };
    const s = setup;

    for (const n of SIZES) {
      const rows: Row[] = [];
      results.set(n, rows);
      for (const p of [1, 10]) {
        const row: Row = { who: `dbstack parallelism ${p}` };
        rows.push(row);
        const run = new DbstackRun(s, n, p);
        try {
          log(`N=${n} dbstack p=${p}: create`);
          const c = await run.phase(false);
          row.create = c.ms;
          row.reqCreate = c.requests / n;
          row.unitCreate = c.unitMs;
          row.cpuCreate = c.cpuBusy;
          log(`N=${n} dbstack p=${p}: created in ${secs(c.ms)} s, ${c.requests} requests; delete`);
          const d = await run.phase(true);
          row.del = d.ms;
          row.reqDelete = d.requests / n;
          row.unitDelete = d.unitMs;
          row.cpuDelete = d.cpuBusy;
          log(`N=${n} dbstack p=${p}: deleted in ${secs(d.ms)} s, ${d.requests} requests`);
        } catch (e) {
          row.error = e instanceof Error ? e.message : String(e);
          log(`N=${n} dbstack p=${p}: ${row.error}`);
          if (run.remaining()) await run.phase(true).catch((x) => log(`cleanup destroy failed: ${x}`));
        } finally {
          run.dispose();
        }
      }
      if (!SKIP_HEAT) {
        const row: Row = { who: 'Heat (one HOT stack)' };
        rows.push(row);
        const st: HeatStack = { name: `dbstack-bench-${suffix}-${n}` };
        heatStacks.push(st);
        try {
          log(`N=${n} Heat: create`);
          row.create = await heatCreate(demo, s, n, st);
          log(`N=${n} Heat: CREATE_COMPLETE in ${secs(row.create)} s; delete`);
          row.del = await heatDelete(demo, st);
          log(`N=${n} Heat: deleted in ${secs(row.del)} s`);
          heatStacks.pop();
        } catch (e) {
          row.error = e instanceof Error ? e.message : String(e);
          log(`N=${n} Heat: ${row.error}`);
        }
      }
    }
  } finally {
    for (const st of heatStacks) {
      if (!st.id) continue;
      await heatDelete(demo, st).catch((e) => log(`cleanup: Heat stack ${st.name}: ${e}`));
    }
    if (setup) await sweep(demo, setup).then((l) => l.forEach((x) => log(`cleanup: ${x}`)), (e) => log(`cleanup sweep: ${e}`));
    for (const c of cleanups.reverse()) await c.run().catch((e) => log(`cleanup: ${c.what}: ${e}`));
    await demo.close();
    await admin.close();
  }
  report(results);
}

function report(results: Map<number, Row[]>): void {
  const fmt = (ms: number | undefined) => (ms === undefined ? '—' : `${secs(ms)} s`);
  const req = (x: number | undefined) => (x === undefined ? '—' : x.toFixed(1));
  console.log(`openstack-parallel: units of (security group + 1 rule, 1 GiB volume, port, server with user data, volume attached), as demo; guest convergence excluded`);
  for (const [n, rows] of results) {
    console.log(`\nN = ${n}`);
    console.log(`| ${'who'.padEnd(24)} | ${'create'.padStart(9)} | ${'delete'.padStart(9)} | req/unit create | req/unit delete |`);
    console.log(`|${'-'.repeat(26)}|${'-'.repeat(11)}|${'-'.repeat(11)}|-----------------|-----------------|`);
    for (const r of rows) {
      console.log(`| ${r.who.padEnd(24)} | ${fmt(r.create).padStart(9)} | ${fmt(r.del).padStart(9)} | ${req(r.reqCreate).padStart(15)} | ${req(r.reqDelete).padStart(15)} |${r.error ? `  ERROR: ${r.error}` : ''}`);
    }
  }
  const pct = (x: number | undefined) => (x === undefined ? '—' : `${Math.round(x * 100)} %`);
  const stat = (xs: number[] | undefined) => (xs?.length ? `mean ${secs(xs.reduce((a, b) => a + b, 0) / xs.length)} s, max ${secs(Math.max(...xs))} s` : '—');
  console.log('\none unit\'s create/delete call inside the applier (start → complete):');
  for (const [n, rows] of results) {
    for (const r of rows.filter((x) => x.unitCreate)) console.log(`  N = ${String(n).padEnd(3)} ${r.who.padEnd(24)} create ${stat(r.unitCreate)} (machine CPU ${pct(r.cpuCreate)} busy); delete ${stat(r.unitDelete)} (CPU ${pct(r.cpuDelete)} busy)`);
  }
  const nT = results.has(20) ? 20 : Math.max(...results.keys());
  const rows = results.get(nT) ?? [];
  const p1 = rows.find((r) => r.who.endsWith('parallelism 1'));
  const p10 = rows.find((r) => r.who.endsWith('parallelism 10'));
  const heat = rows.find((r) => r.who.startsWith('Heat'));
  const mark = (ok: boolean | undefined) => (ok === undefined ? 'not measured' : ok ? 'met' : 'NOT met');
  const le = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : a <= b);
  const speed = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : b / a);
  const sc = speed(p10?.create, p1?.create);
  const sd = speed(p10?.del, p1?.del);
  console.log(`\ntargets (N = ${nT}${nT !== 20 ? ', 20 not run' : ''}):`);
  console.log(`  dbstack p10 create ≤ Heat create: ${fmt(p10?.create)} vs ${fmt(heat?.create)} — ${mark(le(p10?.create, heat?.create))}`);
  console.log(`  dbstack p10 delete ≤ Heat delete: ${fmt(p10?.del)} vs ${fmt(heat?.del)} — ${mark(le(p10?.del, heat?.del))}`);
  console.log(`  dbstack p10 ≥ ${TARGET_SPEEDUP}× faster than p1, create: ${sc === undefined ? '—' : `${sc.toFixed(2)}×`} — ${mark(sc === undefined ? undefined : sc >= TARGET_SPEEDUP)}`);
  console.log(`  dbstack p10 ≥ ${TARGET_SPEEDUP}× faster than p1, delete: ${sd === undefined ? '—' : `${sd.toFixed(2)}×`} — ${mark(sd === undefined ? undefined : sd >= TARGET_SPEEDUP)}`);
  const all = [...results.values()].flat().filter((r) => r.who.startsWith('dbstack'));
  const worst = (k: 'reqCreate' | 'reqDelete') => all.reduce<number | undefined>((m, r) => (r[k] === undefined ? m : Math.max(m ?? 0, r[k]!)), undefined);
  for (const [k, label] of [['reqCreate', 'create'], ['reqDelete', 'delete']] as const) {
    const w = worst(k);
    console.log(`  ≤ ${TARGET_REQ_PER_UNIT} requests per unit, ${label} (worst over all dbstack runs): ${req(w)} — ${mark(w === undefined ? undefined : w <= TARGET_REQ_PER_UNIT)}`);
  }
  console.log(`\nproject demo's quotas were raised (Neutron ${JSON.stringify(QUOTAS.network)}, Cinder ${JSON.stringify(QUOTAS.volume)}) and are left raised.`);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack ?? e.message : e);
  process.exitCode = 1;
});
