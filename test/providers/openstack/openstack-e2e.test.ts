/**
 * The OpenStack provider against the real loopback cloud, as the non-admin demo user: apply →
 * the guest (started by the Nova harness from the server's own user data) converges → connect
 * through the guest's engine → resize the flavor in place → grow the volume in place → add a
 * user → destroy → nothing left, each step cross-checked with the OpenStack CLI.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { dbstackAsync } from '../../support/cli.js';
import { computeClient } from '../../../providers/openstack/clients/compute.js';
import type { OpenStackError } from '../../../providers/openstack/http/session.js';
import { startDynsecBroker, type DynsecBroker } from '../../support/dynsec-broker.js';
import { startNovaGuestHarness, type NovaGuestHarness } from '../../support/nova-guest-harness.js';
import { CLOUD_ENV, CLOUDS_FILE, ensureFlavors, loopbackSession, prepareDemoProject, type TestCloud } from '../../support/loopback-cloud.js';

let broker: DynsecBroker;
let harness: NovaGuestHarness;
let cloud: TestCloud;

test.before(async () => {
  const admin = await loopbackSession('loopback');
  await ensureFlavors(admin);
  await admin.close();
  const demo = await loopbackSession('loopback-demo');
  cloud = await prepareDemoProject(demo);
  await demo.close();
  broker = await startDynsecBroker();
  harness = await startNovaGuestHarness({ adminCloud: 'loopback', cloudsFile: CLOUDS_FILE, match: (s) => s.name.endsWith(cloud.suffix) });
});

test.after.always(async () => {
  await harness?.stop();
  await broker?.stop();
  if (cloud) {
    const demo = await loopbackSession('loopback-demo');
    await cloud.dispose();
    await demo.close();
  }
});

async function openstack(...args: string[]): Promise<unknown> {
  const { stdout } = await promisify(execFile)('openstack', ['--os-cloud', 'loopback-demo', ...args, '-f', 'json'], { env: { ...process.env, ...CLOUD_ENV }, timeout: 120_000 });
  return JSON.parse(stdout);
}

const stack = (flavor: string, size: number, users: string) => `
provider "openstack" {
  cloud           = "loopback-demo"
  broker          = "${broker.url}"
  broker_username = "${broker.admin.username}"
  broker_password = "${broker.admin.password}"
  datastore "redis" {
    version "7" {
      image = "${cloud.imageName}"
    }
  }
}

data "flavor" "size" {
  name = "${flavor}"
}

data "network" "app" {
  name = "dbstack-test-${cloud.suffix}"
}

resource "database_instance" "cache" {
  name          = "cache-${cloud.suffix}"
  datastore     = { type = "redis", version = "7" }
  flavor        = data.flavor.size.name
  network       = data.network.app.id
  volume        = { size = ${size} }
  allowed_cidrs = ["10.77.0.0/24"]
${users}
}

output "id" { value = database_instance.cache.id }
`;

const APP = '  user "app" {\n    password = "app-secret-1"\n  }';
const WORKER = '  user "worker" {\n    password = "worker-secret-1"\n  }';

test('database_instance on OpenStack: create, converge, resize, grow, add a user, destroy', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-os-'));
  chmodSync(dir, 0o711);
  const file = join(dir, 'stack.hcl');
  const run = (...args: string[]) => dbstackAsync(args, { cwd: dir, env: CLOUD_ENV, timeoutMs: 600_000 });
  writeFileSync(file, stack('dbstack.test.1', 1, APP));
  t.teardown(async () => {
    await run('destroy', file, '-auto-approve');
  });

  const created = await run('apply', file, '-auto-approve');
  t.is(created.code, 0, created.stdout + created.stderr);
  t.regex(created.stdout, /database_instance\.cache: Creation complete/);
  const id = (await run('output', '-raw', 'id')).stdout;
  const guest = harness.started().find((g) => g.instanceId === id);
  t.truthy(guest, 'the harness started the guest from the server\'s user data');
  const app = new Redis({ port: guest!.port, username: 'app', password: 'app-secret-1' });
  await app.set('k', 'v');
  app.disconnect();

  const servers = (await openstack('server', 'list', '--name', `^cache-${cloud.suffix}$`, '--long')) as { ID: string; 'Flavor Name': string; Status: string }[];
  t.is(servers.length, 1);
  t.is(servers[0]!.Status, 'ACTIVE');
  const serverId = servers[0]!.ID;
  const sgs = (await openstack('security', 'group', 'list')) as { ID: string; Name: string }[];
  const sg = sgs.find((g) => g.Name.startsWith(`dbstack-cache-${cloud.suffix}`));
  t.truthy(sg);
  const rules = (await openstack('security', 'group', 'rule', 'list', sg!.ID)) as { 'IP Range': string; 'Port Range': string; Direction: string }[];
  t.deepEqual(rules.filter((r) => r.Direction === 'ingress').map((r) => [r['IP Range'], r['Port Range']]), [['10.77.0.0/24', '6379:6379']]);

  // A request Nova refuses with 409 comes back with Nova's own words.
  const demo = await loopbackSession('loopback-demo');
  const conflict = await t.throwsAsync(computeClient(demo).confirmResize(serverId));
  t.is((conflict as OpenStackError).status, 409);
  t.regex(conflict!.message, /confirmResize|resize/i);
  await demo.close();

  writeFileSync(file, stack('dbstack.test.2', 2, `${APP}\n\n${WORKER}`));
  const plan = await run('plan', file, '-detailed-exitcode');
  t.is(plan.code, 2, plan.stderr);
  t.regex(plan.stdout, /Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy/);
  const updated = await run('apply', file, '-auto-approve');
  t.is(updated.code, 0, updated.stdout + updated.stderr);
  const server = (await openstack('server', 'show', serverId)) as { flavor: string | { name?: string; original_name?: string } };
  t.regex(JSON.stringify(server.flavor), /dbstack\.test\.2/);
  const volumes = (await openstack('volume', 'list', '--name', `dbstack-cache-${cloud.suffix}-data`)) as { ID: string; Size: number; Status: string }[];
  t.deepEqual(volumes.map((v) => [v.Size, v.Status]), [[2, 'in-use']]);
  const worker = new Redis({ port: guest!.port, username: 'worker', password: 'worker-secret-1' });
  t.is(await worker.get('k'), 'v');
  worker.disconnect();

  const settled = await run('plan', file, '-detailed-exitcode');
  t.is(settled.code, 0, `no drift after the update (volume size, flavor and users read back)\n${settled.stdout}${settled.stderr}`);

  const destroyed = await run('destroy', file, '-auto-approve');
  t.is(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
  t.deepEqual(await openstack('server', 'list', '--name', `^cache-${cloud.suffix}$`), []);
  t.deepEqual(await openstack('volume', 'list', '--name', `dbstack-cache-${cloud.suffix}-data`), []);
  t.deepEqual(((await openstack('security', 'group', 'list')) as { Name: string }[]).filter((g) => g.Name.startsWith(`dbstack-cache-${cloud.suffix}`)), []);
  t.deepEqual(((await openstack('port', 'list', '--network', cloud.networkId)) as { Name: string }[]).filter((p) => p.Name === `dbstack-cache-${cloud.suffix}`), []);
});

const HOT = (suffix: string) => `heat_template_version: 2018-08-31
description: A Trove instance on its own network, as a Heat user writes it.
resources:
  net:
    type: OS::Neutron::Net
    properties: { name: hot-net-${suffix} }
  subnet:
    type: OS::Neutron::Subnet
    properties:
      network: { get_resource: net }
      cidr: 10.78.0.0/24
  clients:
    type: OS::Neutron::SecurityGroup
    properties:
      name: hot-clients-${suffix}
      rules:
        - { direction: ingress, protocol: tcp, port_range_min: 6379, port_range_max: 6379, remote_ip_prefix: 10.78.0.0/24 }
  password:
    type: OS::Heat::RandomString
    properties: { length: 24 }
  cache:
    type: OS::Trove::Instance
    depends_on: subnet
    properties:
      name: hot-cache-${suffix}
      flavor: dbstack.test.1
      size: 1
      datastore_type: redis
      datastore_version: "7"
      networks: [{ network: { get_resource: net } }]
      users:
        - { name: app, password: { get_attr: [password, value] } }
outputs:
  uri:
    value: { get_attr: [cache, connection_uri] }
  id:
    value: { get_resource: cache }
`;

test('a HOT template (OS::Neutron::Net/Subnet/SecurityGroup + OS::Trove::Instance) on the same cloud', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-os-hot-'));
  chmodSync(dir, 0o711);
  const hot = join(dir, 'app.yaml');
  const provider = join(dir, 'cloud.hcl');
  writeFileSync(hot, HOT(cloud.suffix));
  // Heat templates have no provider block: it comes from a file of its own, given beside the template.
  writeFileSync(provider, stack('dbstack.test.1', 1, '').replace(/data "flavor"[\s\S]*$/, ''));
  const run = (...args: string[]) => dbstackAsync(args, { cwd: dir, env: CLOUD_ENV, timeoutMs: 600_000 });
  t.teardown(async () => {
    await run('destroy', hot, provider, '-auto-approve', '--stack', 'hot');
  });
  const created = await run('apply', hot, provider, '-auto-approve', '--stack', 'hot');
  t.is(created.code, 0, created.stdout + created.stderr);
  t.regex(created.stdout, /Resources: 5 added/);
  const uri = (await run('output', '-raw', 'uri', '--stack', 'hot')).stdout;
  const id = (await run('output', '-raw', 'id', '--stack', 'hot')).stdout;
  const guest = harness.started().find((g) => g.instanceId === id);
  t.truthy(guest);
  const password = decodeURIComponent(new URL(uri).password);
  const app = new Redis({ port: guest!.port, username: 'app', password });
  t.is(await app.ping(), 'PONG');
  app.disconnect();
  const nets = (await openstack('network', 'list', '--name', `hot-net-${cloud.suffix}`)) as unknown[];
  t.is(nets.length, 1);

  const destroyed = await run('destroy', hot, provider, '-auto-approve', '--stack', 'hot');
  t.is(destroyed.code, 0, destroyed.stdout + destroyed.stderr);
  t.deepEqual(await openstack('network', 'list', '--name', `hot-net-${cloud.suffix}`), []);
  t.deepEqual(await openstack('server', 'list', '--name', `^hot-cache-${cloud.suffix}$`), []);
  t.deepEqual(((await openstack('security', 'group', 'list')) as { Name: string }[]).filter((g) => g.Name.includes(cloud.suffix) && g.Name.startsWith('hot')), []);
});
