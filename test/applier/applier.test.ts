/**
 * The applier against a real SQLite state store: dependency order, values of resources created
 * earlier in the same apply, the parallelism bound, failure and interrupt draining, journal,
 * tainting, create_before_destroy and outputs.
 */
import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyPlan, type ApplyOptions } from '../../applier/apply.js';
import type { ApplyEvent } from '../../applier/events.js';
import { loadHclStack } from '../../planner/load/hcl/document.js';
import { loadStackText } from '../../planner/load/index.js';
import { makePlan } from '../../planner/plan/make-plan.js';
import { priorFromSnapshot } from '../../planner/plan/prior.js';
import { StaleStateError, StateStore } from '../../state/index.js';
import { RecordingProvider } from '../support/recording-provider.js';

const KEY = Buffer.alloc(32, 7);

function setup() {
  const store = StateStore.open(join(mkdtempSync(join(tmpdir(), 'dbstack-applier-')), 'state.db'), { key: KEY });
  const provider = new RecordingProvider();
  return { store, provider };
}

async function apply(store: StateStore, provider: RecordingProvider, text: string, extra: Partial<ApplyOptions> & { destroy?: boolean; replace?: string[]; file?: string } = {}) {
  const { document, diagnostics } = loadStackText(text, extra.file ?? 'stack.hcl');
  if (diagnostics.length) throw new Error(diagnostics.map((d) => d.summary).join('; '));
  const { plan } = makePlan(document, priorFromSnapshot(store.readState('s')), { stack: 's', destroy: extra.destroy ?? false, replace: extra.replace ?? [] });
  if (plan.diagnostics.some((d) => d.severity === 'error')) throw new Error(plan.diagnostics.map((d) => d.summary).join('; '));
  const lock = store.acquireLock('s', { command: 'apply' });
  const events: ApplyEvent[] = [];
  try {
    const result = await applyPlan({ plan, document, store, lock, provider, command: 'apply', onEvent: (e) => events.push(e), ...extra });
    return { result, events, plan };
  } finally {
    lock.release();
  }
}

const NET = `
resource "network" "net" { name = "n" }
resource "subnet" "sub" {
  network = network.net.id
  cidr    = "10.0.0.0/24"
}
resource "security_group" "sg" { description = "for \${subnet.sub.id}" }
output "subnet" { value = subnet.sub.id }
`;

test('creates in dependency order, each seeing the real ids of what it depends on; outputs recorded', async (t) => {
  const { store, provider } = setup();
  const { result } = await apply(store, provider, NET);
  t.deepEqual(result.failures, []);
  t.deepEqual(provider.order(), ['create network.net', 'create subnet.sub', 'create security_group.sg']);
  const netId = store.readState('s')!.resources.find((r) => r.address === 'network.net')!.providerId;
  t.is(provider.call('create', 'subnet.sub').config!.network, netId!);
  const subId = store.readState('s')!.resources.find((r) => r.address === 'subnet.sub')!.providerId;
  t.is(provider.call('create', 'security_group.sg').config!.description, `for ${subId}`);
  t.deepEqual(store.readState('s')!.outputs.map((o) => [o.name, o.value]), [['subnet', subId]]);
  t.deepEqual(result.counts, { added: 3, changed: 0, destroyed: 0, forgotten: 0 });
  t.deepEqual(store.openJournal('s'), [], 'every journal entry is closed');
  t.is(store.history('s').at(-1)!.status, 'applied');
});

test('destroy deletes in reverse dependency order', async (t) => {
  const { store, provider } = setup();
  await apply(store, provider, NET);
  provider.calls.length = 0;
  const { result } = await apply(store, provider, NET, { destroy: true, command: 'destroy' });
  t.deepEqual(result.failures, []);
  t.deepEqual(provider.order(), ['delete security_group.sg', 'delete subnet.sub', 'delete network.net']);
  t.deepEqual(store.readState('s')!.resources, []);
  t.is(provider.objects.size, 0);
});

test('at most `parallelism` operations run at once', async (t) => {
  const hcl = Array.from({ length: 12 }, (_, i) => `resource "network" "n${i}" { name = "n${i}" }`).join('\n');
  for (const parallelism of [1, 4]) {
    const { store, provider } = setup();
    provider.behaviour = () => ({ delayMs: 20 });
    const { result } = await apply(store, provider, hcl, { parallelism });
    t.is(result.counts.added, 12);
    t.is(provider.maxConcurrent, parallelism);
  }
});

test('a failure starts nothing new, lets running work finish and record it, and keeps the provider error text', async (t) => {
  const { store, provider } = setup();
  const hcl = `${NET}\nresource "network" "slow" { name = "slow" }`;
  provider.behaviour = (op, address) => (address === 'subnet.sub' ? { fail: 'Quota exceeded for subnets (limit 10)' } : address === 'network.slow' ? { delayMs: 150 } : { delayMs: 5 });
  const { result, events } = await apply(store, provider, hcl);
  t.deepEqual(result.failures.map((f) => [f.address, f.message]), [['subnet.sub', 'Quota exceeded for subnets (limit 10)']]);
  t.deepEqual(result.notStarted, ['create security_group.sg']);
  const recorded = store.readState('s')!.resources.map((r) => r.address).sort();
  t.deepEqual(recorded, ['network.net', 'network.slow'], 'the slow create that was running is recorded');
  t.true(events.some((e) => e.type === 'apply_interrupted' && e.reason === 'failure'));
  t.is(store.history('s').at(-1)!.status, 'failed');
  t.deepEqual(store.openJournal('s'), []);
});

test('a first interrupt drains (running work finishes), a second aborts it', async (t) => {
  const { store, provider } = setup();
  const hcl = `${NET}\nresource "network" "hang" { name = "h" }`;
  provider.behaviour = (_op, address) => (address === 'network.hang' ? { hang: true } : { delayMs: 30 });
  const drain = new AbortController();
  const abort = new AbortController();
  setTimeout(() => drain.abort(), 10);
  setTimeout(() => abort.abort(), 120);
  const { result } = await apply(store, provider, hcl, { drain: drain.signal, abort: abort.signal });
  t.true(provider.call('create', 'network.hang').aborted);
  t.true(result.notStarted.includes('create security_group.sg'));
  t.true(store.readState('s')!.resources.some((r) => r.address === 'network.net'), 'what finished is recorded');
});

test('an object created before the call failed is recorded tainted and replaced by the next apply', async (t) => {
  const { store, provider } = setup();
  const hcl = 'resource "network" "n" { name = "n" }';
  provider.behaviour = () => ({ failPartial: 'guest failed: invalid configuration' });
  await apply(store, provider, hcl);
  const r = store.readState('s')!.resources[0]!;
  t.is(r.status, 'tainted');
  provider.behaviour = () => ({});
  const { plan } = await apply(store, provider, hcl);
  t.deepEqual(plan.resourceChanges[0]!.actions, ['delete', 'create']);
  t.is(store.readState('s')!.resources[0]!.status, 'ready');
  t.deepEqual(provider.order().slice(-2), ['delete network.n', 'create network.n']);
});

test('create_before_destroy creates the replacement before deleting the old object', async (t) => {
  const { store, provider } = setup();
  const hcl = (cidr: string) => `
resource "network" "net" { name = "n" }
resource "subnet" "sub" {
  network = network.net.id
  cidr    = "${cidr}"
  lifecycle { create_before_destroy = true }
}`;
  await apply(store, provider, hcl('10.0.0.0/24'));
  const oldId = store.readState('s')!.resources.find((r) => r.address === 'subnet.sub')!.providerId;
  provider.calls.length = 0;
  await apply(store, provider, hcl('10.1.0.0/24'));
  t.deepEqual(provider.order(), ['create subnet.sub', 'delete subnet.sub']);
  t.is(provider.call('delete', 'subnet.sub').id, oldId!);
  t.not(store.readState('s')!.resources.find((r) => r.address === 'subnet.sub')!.providerId, oldId);
});

test('a plan made against an older serial is refused', async (t) => {
  const { store, provider } = setup();
  const hcl = 'resource "network" "n" { name = "n" }';
  const { document } = loadHclStack(hcl, 'stack.hcl');
  const { plan } = makePlan(document, undefined, { stack: 's' });
  await apply(store, provider, hcl);
  const lock = store.acquireLock('s', { command: 'apply' });
  await t.throwsAsync(applyPlan({ plan, document, store, lock, provider, command: 'apply' }), { instanceOf: StaleStateError });
  lock.release();
});

test('a HOT deletion_policy Retain is recorded, so removing the resource later only forgets it', async (t) => {
  const { store, provider } = setup();
  const hot = (withNet: boolean) => `heat_template_version: 2018-08-31
resources:
  keep:
    type: OS::Neutron::Net
    deletion_policy: Retain
    properties: { name: kept }
${withNet ? '' : '#'}  other:
${withNet ? '' : '#'}    type: OS::Neutron::Net
`;
  await apply(store, provider, hot(true), { file: 'stack.yaml' });
  t.deepEqual(store.readState('s')!.resources.map((r) => [r.address, r.lifecycle]), [['network.keep', { deletionPolicy: 'Retain' }], ['network.other', {}]]);
  provider.calls.length = 0;
  const { plan, result } = await apply(store, provider, 'heat_template_version: 2018-08-31\nresources: {}\n', { file: 'stack.yaml' });
  t.deepEqual(plan.resourceChanges.map((c) => [c.address, c.actions]), [['network.keep', ['forget']], ['network.other', ['delete']]]);
  t.deepEqual(provider.order(), ['delete network.other'], 'the retained network is never deleted');
  t.deepEqual(result.counts, { added: 0, changed: 0, destroyed: 1, forgotten: 1 });
  t.deepEqual(store.readState('s')!.resources, []);
});
