import test from 'ava';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Value } from '../../../core/value.js';
import { loadStackText } from '../../../planner/load/index.js';
import { makePlan } from '../../../planner/plan/make-plan.js';
import type { PriorState } from '../../../planner/plan/types.js';
import { KEY_ENV } from '../../../state/keys.js';
import { StateStore } from '../../../state/index.js';
import { dbstackAsync } from '../../support/cli.js';
import { snapshotState } from '../../support/bad-input.js';
import { KEY_HEX, LINEAGE } from '../../support/state.js';

// deletion_protection = true: a plan that would destroy or replace the resource is refused,
// naming it and how to proceed; an update in place (turning the protection off included) is not.

const INPUTS = { name: 'orders', datastore: { type: 'postgresql', version: '15' }, volume: { size: 1 }, deletion_protection: true };

function prior(inputs: Record<string, Value> = INPUTS, status: 'ready' | 'tainted' = 'ready'): PriorState {
  return {
    lineage: LINEAGE, serial: 1, outputs: [],
    resources: [{ address: 'database_instance.orders', mode: 'managed', type: 'database_instance', name: 'orders', inputs, attributes: { ...inputs, id: 'i-1' }, dependencies: [], status }],
  };
}

const stack = (o: { type?: string; protect?: boolean | null } = {}) => `resource "database_instance" "orders" {
  name      = "orders"
  datastore = { type = "${o.type ?? 'postgresql'}", version = "15" }
  volume    = { size = 1 }
${o.protect === null ? '' : `  deletion_protection = ${o.protect ?? true}\n`}}
`;

function plan(text: string, p: PriorState | undefined, options: { destroy?: boolean; replace?: string[] } = {}) {
  const { document } = loadStackText(text, 'main.hcl');
  return makePlan(document, p, { stack: 'test', ...options }).plan;
}

const errors = (p: ReturnType<typeof plan>) => p.diagnostics.filter((d) => d.severity === 'error');

test('a change that forces replacement is refused, naming the attribute and the way out', (t) => {
  const [e, ...rest] = errors(plan(stack({ type: 'mariadb' }), prior()));
  t.deepEqual(rest, []);
  t.is(e!.summary, 'database_instance.orders has deletion_protection = true, but the plan would replace it (the change to datastore.type forces replacement)');
  t.is(e!.detail, 'To replace it, set deletion_protection = false and apply that change on its own first; then plan again.');
  t.is(e!.address, 'database_instance.orders');
  t.like(e!.range, { file: 'main.hcl', line: 5, col: 3 });
});

test('--destroy is refused', (t) => {
  const [e] = errors(plan(stack(), prior(), { destroy: true }));
  t.regex(e!.summary, /^database_instance\.orders has deletion_protection = true, but the plan would destroy it$/);
  t.regex(e!.detail!, /set deletion_protection = false and apply that change on its own first/);
});

test('removing the resource from the stack is refused', (t) => {
  const [e] = errors(plan('', prior()));
  t.is(e!.summary, 'database_instance.orders has deletion_protection = true, but the plan would destroy it');
  t.is(e!.detail, 'To destroy it, put it back in the stack with deletion_protection = false and apply that first; then remove it.');
});

test('--replace and a tainted object are refused too', (t) => {
  t.regex(errors(plan(stack(), prior(), { replace: ['database_instance.orders'] }))[0]!.summary, /would replace it \(--replace\)$/);
  t.regex(errors(plan(stack(), prior(INPUTS, 'tainted')))[0]!.summary, /would replace it \(it is tainted\)$/);
});

test('turning protection off is an update; once applied, destroy and replace go ahead', (t) => {
  const off = plan(stack({ protect: false }), prior());
  t.deepEqual(errors(off), []);
  t.deepEqual(off.resourceChanges[0]!.actions, ['update']);
  // Off in the configuration but still recorded on: the replacement waits for that apply.
  t.is(errors(plan(stack({ type: 'mariadb', protect: false }), prior())).length, 1);
  const recordedOff = prior({ ...INPUTS, deletion_protection: false });
  t.deepEqual(errors(plan(stack({ protect: false }), recordedOff, { destroy: true })), []);
  t.deepEqual(errors(plan(stack({ type: 'mariadb', protect: null }), recordedOff)), []);
});

test('protection set in the configuration holds before it was ever applied', (t) => {
  const recordedOff = prior({ ...INPUTS, deletion_protection: false });
  t.regex(errors(plan(stack({ type: 'mariadb' }), recordedOff))[0]!.summary, /would replace it/);
  // A new resource is created as usual.
  t.deepEqual(errors(plan(stack(), undefined)), []);
});

test('cli: plan --destroy of a protected instance exits 1 with the sentence, the state untouched', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-protect-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'main.hcl'), stack());
  const store = StateStore.open(join(dir, '.dbstack', 'state.db'), { key: Buffer.from(KEY_HEX, 'hex') });
  const run = store.beginRun('default', { command: 'apply', lineage: LINEAGE, expectedSerial: 0 });
  run.commitResource({ address: 'database_instance.orders', provider: 'local', providerId: 'i-1', inputs: INPUTS, attributes: { ...INPUTS, id: 'i-1' }, dependencies: [], status: 'ready' });
  run.finish('applied');
  store.close();
  const before = snapshotState(dir);
  const r = await dbstackAsync(['plan', '--destroy', '--refresh', 'false', '--stack', 'default', 'main.hcl'], { cwd: dir, env: { [KEY_ENV]: KEY_HEX } });
  t.is(r.code, 1, r.stdout + r.stderr);
  t.regex(r.stderr, /error: database_instance\.orders has deletion_protection = true, but the plan would destroy it\n\s+--> main\.hcl:5:3/);
  t.regex(r.stderr, /set deletion_protection = false and apply that change on its own first/);
  t.notRegex(r.stderr, /\n\s+at /);
  t.deepEqual(snapshotState(dir), before);
  t.truthy(readFileSync(join(dir, 'main.hcl'), 'utf8'));
});
