/**
 * The service clients against the real loopback OpenStack cloud as the demo user (admin only
 * for flavors and a quota-limited temporary project). No HTTP fakes; everything is cleaned up.
 */
import test from 'ava';
import { randomUUID } from 'node:crypto';
import { OpenStackError, type Session } from '../../../providers/openstack/http/session.js';
import { computeClient } from '../../../providers/openstack/clients/compute.js';
import { volumeClient } from '../../../providers/openstack/clients/volume.js';
import { networkClient } from '../../../providers/openstack/clients/network.js';
import { imageClient } from '../../../providers/openstack/clients/image.js';
import { objectStoreClient } from '../../../providers/openstack/clients/object-store.js';
import { waitFor } from '../../../providers/openstack/clients/wait.js';
import { loopbackSession } from '../../support/loopback-cloud.js';

// Needs the loopback OpenStack cloud (.ci/run starts it); without it these tests fail, saying why.
const cloudTest = test.serial;

const wait = { timeoutMs: 120_000 };
const quiet = (p: Promise<unknown>): Promise<unknown> => p.catch(() => undefined);

async function sessions(t: { teardown(f: () => Promise<void>): void }): Promise<{ admin: Session; demo: Session }> {
  const admin = await loopbackSession('loopback');
  const demo = await loopbackSession('loopback-demo');
  t.teardown(() => admin.close());
  t.teardown(() => demo.close());
  return { admin, demo };
}

cloudTest('compute: flavor cache, server on a port with user_data, volume attach + extend, resize + confirm', async (t) => {
  const { admin, demo } = await sessions(t);
  const id = randomUUID().slice(0, 8);
  // Flavors are admin-only: two temporary ones, made before demo's first (cached) look-up.
  const flavorIds: string[] = [];
  t.teardown(async () => { for (const f of flavorIds) await quiet(admin.request('compute', 'DELETE', `/flavors/${f}`)); });
  for (const [suffix, ram] of [['a', 128], ['b', 256]] as const) {
    const r = await admin.request<{ flavor: { id: string } }>('compute', 'POST', '/flavors', { json: { flavor: { name: `dbstack-test-${id}-${suffix}`, ram, vcpus: 1, disk: 1 } } });
    flavorIds.push(r.body.flavor.id);
  }

  const compute = computeClient(demo);
  const volumes = volumeClient(demo);
  const net = networkClient(demo);
  const images = imageClient(demo);

  let count = demo.requestCount;
  const fa = await compute.findFlavor(`dbstack-test-${id}-a`);
  t.is(demo.requestCount - count, 1, 'one GET /flavors/detail');
  count = demo.requestCount;
  const fb = await compute.findFlavor(`dbstack-test-${id}-b`);
  t.is(await compute.findFlavor(flavorIds[0]!).then((f) => f?.name), `dbstack-test-${id}-a`, 'by id too');
  t.is(demo.requestCount, count, 'second and third look-ups are cached');
  t.truthy(fa && fb);

  // A private 1 KiB raw image, found by name (cached as well).
  const image = await images.createImage({ name: `dbstack-test-${id}`, tags: [`dbstack-test-${id}`] });
  t.teardown(() => quiet(images.deleteImage(image.id)));
  await images.uploadImage(image.id, Buffer.alloc(1024, 1));
  t.is((await images.findImage(`dbstack-test-${id}`))?.id, image.id);
  count = demo.requestCount;
  t.is((await images.findImage(`dbstack-test-${id}`))?.status, 'active');
  t.is(demo.requestCount, count);

  // Network, subnet, port.
  const network = await net.networks.create({ name: `dbstack-test-${id}` });
  t.teardown(() => quiet(net.networks.delete(network.id)));
  const subnet = await net.subnets.create({ network_id: network.id, cidr: '10.78.0.0/24', ip_version: 4 });
  t.teardown(() => quiet(net.subnets.delete(subnet.id)));
  const port = await net.ports.create({ network_id: network.id, name: `dbstack-test-${id}` });
  t.teardown(() => quiet(net.ports.delete(port.id)));
  t.is((await net.findNetwork(`dbstack-test-${id}`))?.id, network.id);

  // Server: one POST, then polling.
  const tags = [`dbstack-lineage=${id}`, 'dbstack-address=database_instance.orders'];
  count = demo.requestCount;
  const { id: serverId } = await compute.createServer({
    name: `dbstack-test-${id}`, flavorRef: fa!.id, imageRef: image.id, networks: [{ port: port.id }],
    user_data: Buffer.from('#cloud-config\n{}\n').toString('base64'),
    metadata: { dbstack_lineage: id, dbstack_address: 'database_instance.orders' }, tags,
  });
  t.is(demo.requestCount - count, 1, 'create server is one request');
  t.teardown(async () => { if (await compute.deleteServer(serverId).catch(() => false)) await quiet(compute.waitServerDeleted(serverId, wait)); });
  const polls: string[] = [];
  const server = await compute.waitServer(serverId, 'ACTIVE', { ...wait, onPoll: (s) => polls.push(s?.status ?? '-') });
  t.is(server.status, 'ACTIVE');
  t.log(`ACTIVE after ${polls.length} polls`);
  t.deepEqual([...(server.tags ?? [])].sort(), [...tags].sort());
  t.is(server.metadata.dbstack_address, 'database_instance.orders');
  t.deepEqual((await compute.listServers({ tags })).map((s) => s.id), [serverId]);
  t.deepEqual(await compute.listServers({ tags: [`dbstack-lineage=${id}x`] }), []);

  // Volume: 1 GiB, attach, extend in use to 2 GiB.
  const volume = await volumes.createVolume({ size: 1, name: `dbstack-test-${id}`, metadata: { dbstack_lineage: id } });
  t.teardown(async () => {
    await quiet(compute.detachVolume(serverId, volume.id));
    await quiet(volumes.waitVolume(volume.id, ['available', 'error'], wait));
    await quiet(volumes.deleteVolume(volume.id));
  });
  await volumes.waitVolume(volume.id, ['available'], wait);
  t.deepEqual((await volumes.listVolumes({ metadata: { dbstack_lineage: id } })).map((v) => v.id), [volume.id]);
  const attachment = await compute.attachVolume(serverId, volume.id);
  t.is(attachment.volumeId, volume.id);
  await volumes.waitVolume(volume.id, ['in-use'], wait);
  await volumes.extendVolume(volume.id, 2);
  const extended = await waitFor(() => volumes.getVolume(volume.id), (v) => v.status === 'in-use' && v.size === 2,
    (v) => (v.status.startsWith('error') ? v.status : undefined), { ...wait, what: 'extend' });
  t.is(extended.size, 2);

  // Resize to flavor b and confirm.
  await compute.resize(serverId, fb!.id);
  await compute.waitServer(serverId, 'VERIFY_RESIZE', wait);
  await compute.confirmResize(serverId);
  const resized = await compute.waitServer(serverId, 'ACTIVE', wait);
  t.is(resized.flavor.original_name, `dbstack-test-${id}-b`);

  // Detach, delete everything (teardowns then find it gone).
  t.true(await compute.detachVolume(serverId, volume.id));
  await volumes.waitVolume(volume.id, ['available'], wait);
  t.true(await volumes.deleteVolume(volume.id));
  t.true(await compute.deleteServer(serverId));
  await compute.waitServerDeleted(serverId, wait);
  t.is(await compute.getServer(serverId), undefined);
  t.false(await compute.deleteServer(serverId), 'already gone');
});

cloudTest('errors carry the service\'s own message: Nova 404, Cinder over quota (413)', async (t) => {
  const { admin, demo } = await sessions(t);
  const missing = randomUUID();
  const e404 = await t.throwsAsync(computeClient(demo).resize(missing, '1'), { instanceOf: OpenStackError });
  t.is(e404.status, 404);
  t.is(e404.serviceMessage, `Instance ${missing} could not be found.`);

  // A temporary project and user with a Cinder quota of one volume.
  const id = randomUUID().slice(0, 8);
  const project = (await admin.request<{ project: { id: string } }>('identity', 'POST', '/projects', { json: { project: { name: `dbstack-test-${id}`, domain_id: 'default' } } })).body.project;
  t.teardown(() => quiet(admin.request('identity', 'DELETE', `/projects/${project.id}`)));
  const password = randomUUID();
  const user = (await admin.request<{ user: { id: string } }>('identity', 'POST', '/users', { json: { user: { name: `dbstack-test-${id}`, password, domain_id: 'default', default_project_id: project.id } } })).body.user;
  t.teardown(() => quiet(admin.request('identity', 'DELETE', `/users/${user.id}`)));
  const roles = await admin.list<{ id: string }>('identity', '/roles', 'roles', { name: 'member' });
  await admin.request('identity', 'PUT', `/projects/${project.id}/users/${user.id}/roles/${roles[0]!.id}`);
  await admin.request('block-storage', 'PUT', `/os-quota-sets/${project.id}`, { json: { quota_set: { volumes: 1 } } });
  t.teardown(() => quiet(admin.request('block-storage', 'DELETE', `/os-quota-sets/${project.id}`)));

  const limited = await loopbackSession('loopback-demo', { username: `dbstack-test-${id}`, password, project_name: `dbstack-test-${id}` });
  t.teardown(() => limited.close());
  const volumes = volumeClient(limited);
  const first = await volumes.createVolume({ size: 1, name: `dbstack-test-${id}-1` });
  t.teardown(async () => {
    await quiet(volumes.waitVolume(first.id, ['available', 'error'], wait));
    await quiet(volumes.deleteVolume(first.id));
    await quiet(waitFor(async () => (await volumes.getVolume(first.id)) ?? { status: 'gone' }, (v) => v.status === 'gone', () => undefined, wait));
  });
  const e413 = await t.throwsAsync(volumes.createVolume({ size: 1, name: `dbstack-test-${id}-2` }), { instanceOf: OpenStackError });
  t.is(e413.status, 413);
  t.regex(e413.serviceMessage ?? '', /Maximum number of volumes allowed \(1\) exceeded/);
  t.regex(e413.message, /Maximum number of volumes allowed/);
});

cloudTest('object store: container and object round trip', async (t) => {
  const demo = await loopbackSession('loopback-demo');
  t.teardown(() => demo.close());
  const swift = objectStoreClient(demo);
  const c = `dbstack-test-${randomUUID().slice(0, 8)}`;
  t.teardown(async () => { await quiet(swift.deleteObject(c, 'dir/a.txt')); await quiet(swift.deleteContainer(c)); });
  await swift.createContainer(c);
  await swift.putObject(c, 'dir/a.txt', 'hello swift', 'text/plain');
  t.is(await swift.getObject(c, 'dir/a.txt'), 'hello swift');
  t.deepEqual((await swift.listObjects(c, 'dir/')).map((o) => [o.name, o.bytes]), [['dir/a.txt', 11]]);
  t.is(await swift.getObject(c, 'missing'), undefined);
  t.true(await swift.deleteObject(c, 'dir/a.txt'));
  t.false(await swift.deleteObject(c, 'dir/a.txt'));
  t.true(await swift.deleteContainer(c));
  t.false(await swift.deleteContainer(c));
});
