/**
 * End to end on the real loopback OpenStack: a Nova server created by the demo user with
 * dbstack user data → (harness = cloud-init) the real agent starts → it converges a redis
 * desired state published through an embedded broker → deleting the server stops the agent.
 * Everything the test creates (server, network, image, flavor) is removed even on failure.
 */
import test from 'ava';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { newConductorCredential, newGuestCredential } from '../../../messaging/credentials.js';
import { startEmbeddedBroker } from '../../../messaging/embedded.js';
import { PasswordStore } from '../../../messaging/password-store.js';
import { Conductor } from '../../../guest/protocol/conductor.js';
import { newInstanceKey } from '../../../guest/protocol/seal.js';
import { buildUserData, userDataBase64 } from '../../../providers/openstack/user-data.js';
import { waitFor } from '../../support/guest-protocol-harness.js';
import { keystoneToken, loadCloudAuth, startNovaGuestHarness } from '../../support/nova-guest-harness.js';

type Session = { token: string; endpoint: string };

async function api<T = unknown>(s: Session, method: string, path: string, body?: unknown, allow: number[] = []): Promise<{ status: number; body: T }> {
  const raw = body instanceof Buffer;
  const res = await fetch(`${s.endpoint}${path}`, {
    method,
    headers: { 'x-auth-token': s.token, ...(body === undefined ? {} : { 'content-type': raw ? 'application/octet-stream' : 'application/json' }) },
    ...(body === undefined ? {} : { body: raw ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok && !allow.includes(res.status)) throw new Error(`${method} ${s.endpoint}${path}: HTTP ${res.status} ${text}`);
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function until(what: string, pred: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const pidAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

test('a Nova server with dbstack user data runs a real agent that converges; delete stops it', async (t) => {
  const tag = `dbstack-nova-${randomBytes(4).toString('hex')}`;
  const demo = loadCloudAuth('loopback-demo');
  const admin = loadCloudAuth('loopback');
  const [nova, glance, neutron, novaAdmin] = await Promise.all([
    keystoneToken(demo, 'compute'), keystoneToken(demo, 'image'), keystoneToken(demo, 'network'), keystoneToken(admin, 'compute'),
  ]);
  neutron.endpoint = neutron.endpoint.endsWith('/v2.0') ? neutron.endpoint : `${neutron.endpoint}/v2.0`;
  const cleanup: (() => Promise<unknown>)[] = [];

  const instanceId = `${tag}-redis`;
  const key = newInstanceKey();
  const guestCred = newGuestCredential(instanceId);
  const conductorCred = newConductorCredential();
  const store = new PasswordStore();
  await store.addAll([guestCred, conductorCred]);
  const broker = await startEmbeddedBroker({ store });
  cleanup.push(() => broker.close());

  const harness = await startNovaGuestHarness({
    adminCloud: 'loopback', pollMs: 500, match: (s) => s.name === tag, log: (l) => t.log(l),
  });
  cleanup.push(() => harness.stop());
  try {
    // Flavor: the smallest there is; the loopback cloud starts with none, then admin makes one.
    const flavors = (await api<{ flavors: { id: string; ram: number }[] }>(nova, 'GET', '/flavors/detail')).body.flavors;
    let flavorId = flavors.sort((a, b) => a.ram - b.ram)[0]?.id;
    if (!flavorId) {
      const f = await api<{ flavor: { id: string } }>(novaAdmin, 'POST', '/flavors', { flavor: { name: tag, ram: 64, vcpus: 1, disk: 1 } });
      flavorId = f.body.flavor.id;
      cleanup.push(() => api(novaAdmin, 'DELETE', `/flavors/${flavorId}`, undefined, [404]));
    }
    const image = (await api<{ id: string }>(glance, 'POST', '/v2/images', { name: tag, disk_format: 'raw', container_format: 'bare' })).body;
    cleanup.push(() => api(glance, 'DELETE', `/v2/images/${image.id}`, undefined, [404]));
    await api(glance, 'PUT', `/v2/images/${image.id}/file`, Buffer.alloc(4096));
    const net = (await api<{ network: { id: string } }>(neutron, 'POST', '/networks', { network: { name: tag } })).body.network;
    cleanup.push(() => api(neutron, 'DELETE', `/networks/${net.id}`, undefined, [404]));
    await api(neutron, 'POST', '/subnets', { subnet: { network_id: net.id, ip_version: 4, cidr: '10.213.7.0/24', name: tag } });

    const userData = buildUserData({
      instanceId, brokerUrl: broker.url, password: guestCred.password, key,
      datastore: 'redis', dataDir: '/var/lib/dbstack/redis', port: 6379,
    });
    const server = (await api<{ server: { id: string } }>(nova, 'POST', '/servers', {
      server: { name: tag, imageRef: image.id, flavorRef: flavorId, networks: [{ uuid: net.id }], user_data: userDataBase64(userData) },
    })).body.server;
    let serverGone = false;
    cleanup.push(async () => {
      if (serverGone) return;
      await api(nova, 'DELETE', `/servers/${server.id}`, undefined, [404]);
      await until('server deleted (cleanup)', async () => (await api(nova, 'GET', `/servers/${server.id}`, undefined, [404])).status === 404);
    });

    await until('the harness to start the agent', async () => harness.started().some((g) => g.serverId === server.id), 90_000);
    const guest = harness.started().find((g) => g.serverId === server.id)!;
    t.is(guest.instanceId, instanceId);
    t.not(guest.port, 6379, 'port remapped to a free local one');
    const pid = harness.process(server.id)!.pid!;

    const conductor = await Conductor.connect({ url: broker.url, ...conductorCred, reconnectPeriodMs: 0 });
    cleanup.push(() => conductor.close());
    await conductor.publishDesired(instanceId, key, 1, {
      datastore: 'redis', databases: [{ name: '0' }], users: [{ name: 'app', password: 'pw-nova', databases: ['0'] }],
    });
    const st = await conductor.waitConverged(instanceId, key, 1, { timeoutMs: 60_000 });
    t.is(st.phase, 'ready');
    const r = new Redis({ host: '127.0.0.1', port: guest.port, username: 'app', password: 'pw-nova', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    await r.connect();
    t.is(await r.ping(), 'PONG');
    r.disconnect();

    await api(nova, 'DELETE', `/servers/${server.id}`);
    await until('server deleted', async () => (await api(nova, 'GET', `/servers/${server.id}`, undefined, [404])).status === 404);
    serverGone = true;
    await until('the harness to stop the agent', async () => !harness.started().some((g) => g.serverId === server.id), 120_000);
    await waitFor(() => !pidAlive(pid), 5_000, `agent pid ${pid} to exit`);
    t.false(pidAlive(pid), 'agent process gone');
  } finally {
    while (cleanup.length > 0) await cleanup.pop()!().catch((e: Error) => t.log(`cleanup: ${e.message}`));
  }
});
