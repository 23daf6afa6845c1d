/**
 * Setup on the loopback OpenStack for provider tests, done with dbstack's own session as a
 * real client would: flavors (admin; the loopback cloud has none), a guest image and a network
 * for the demo project. Everything created here is removed by `dispose()`.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { resolveCloudConfig } from '../../providers/openstack/auth/cloud-config.js';
import { createSession } from '../../providers/openstack/http/keystone-session.js';
import type { Session } from '../../providers/openstack/http/session.js';
import type { ProviderContext } from '../../providers/provider.js';
import { randomUUID } from 'node:crypto';
import { projectRoot } from './paths.js';

export const CLOUDS_FILE = resolve(projectRoot, '../shared/openstack-loopback/clouds.yaml');
export const CLOUD_ENV = { OS_CLIENT_CONFIG_FILE: CLOUDS_FILE };
/** Two flavors, so a test can resize between them; kept on the cloud (shared by every test run). */
export const FLAVORS = [
  { name: 'dbstack.test.1', ram: 512, vcpus: 1, disk: 1 },
  { name: 'dbstack.test.2', ram: 1024, vcpus: 2, disk: 1 },
];

/** A session as `cloud` (admin or demo); a cloud that is not running fails the test loudly. */
export async function loopbackSession(cloud: 'loopback' | 'loopback-demo', settings: Record<string, string> = {}): Promise<Session> {
  const { config, problems } = resolveCloudConfig({ cloud, ...settings }, { ...process.env, ...CLOUD_ENV });
  if (problems.length) throw new Error(problems.join('; '));
  return createSession(config);
}

export async function ensureFlavors(admin: Session): Promise<void> {
  const have = await admin.list<{ name: string }>('compute', '/flavors', 'flavors');
  for (const f of FLAVORS) {
    if (have.some((h) => h.name === f.name)) continue;
    await admin.request('compute', 'POST', '/flavors', { json: { flavor: { ...f, 'os-flavor-access:is_public': true } }, allow: [409] });
  }
}

export interface TestCloud {
  suffix: string;
  imageName: string;
  networkId: string;
  dispose(): Promise<void>;
}

/** A guest image (a few bytes: nothing boots) and a network + subnet in the demo project. */
export async function prepareDemoProject(demo: Session): Promise<TestCloud> {
  const suffix = randomBytes(4).toString('hex');
  const imageName = `dbstack-test-guest-${suffix}`;
  const image = (await demo.request<{ id: string }>('image', 'POST', '/v2/images', { json: { name: imageName, disk_format: 'raw', container_format: 'bare' } })).body;
  await demo.request('image', 'PUT', `/v2/images/${image.id}/file`, { body: Buffer.from('not a real disk'), headers: { 'content-type': 'application/octet-stream' } });
  const net = (await demo.request<{ network: { id: string } }>('network', 'POST', '/v2.0/networks', { json: { network: { name: `dbstack-test-${suffix}` } } })).body.network;
  await demo.request('network', 'POST', '/v2.0/subnets', { json: { subnet: { network_id: net.id, cidr: '10.77.0.0/24', ip_version: 4, name: `dbstack-test-${suffix}` } } });
  return {
    suffix,
    imageName,
    networkId: net.id,
    async dispose() {
      await demo.request('network', 'DELETE', `/v2.0/networks/${net.id}`, { allow: [404, 409] });
      await demo.request('image', 'DELETE', `/v2/images/${image.id}`, { allow: [404] });
    },
  };
}

/** A provider context for calling resource types directly (no conductor, no other resources). */
export function testContext(address: string, lineage = randomUUID()): ProviderContext & { lines: string[] } {
  const lines: string[] = [];
  return {
    address,
    stack: { name: 'test', lineage },
    signal: new AbortController().signal,
    lines,
    progress: (m) => lines.push(m),
    conductor: () => Promise.reject(new Error('no conductor in this test')),
    lookup: () => undefined,
  };
}
