import test from 'ava';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { StateStore, StaleStateError } from '../../../state/index.js';
import { PlanFileError, readPlanFile, readPlanHeader, writePlanFile } from '../../../planner/plan/plan-file.js';
import { isUnknown } from '../../../core/value.js';
import { planHcl, stateWith } from '../../support/plan-fixture.js';

const hcl = `
variable "pw" {
  type      = string
  sensitive = true
  default   = "pw-7b1f3c-SECRET"
}
resource "database_instance" "db" {
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }
  user "app" {
    password = var.pw
  }
}
`;

test('a saved plan holds no secret in clear and reads back whole', (t) => {
  const { store, dir, stack } = stateWith([]);
  const { plan } = planHcl(store, stack, hcl);
  const file = join(dir, 'p.plan');
  writePlanFile(file, plan, store.sealer());
  const raw = readFileSync(file);
  for (const needle of ['pw-7b1f3c-SECRET', Buffer.from('pw-7b1f3c-SECRET').toString('base64'), Buffer.from('pw-7b1f3c-SECRET').toString('hex')]) {
    t.false(raw.includes(needle), `plan file contains ${needle}`);
  }
  const header = readPlanHeader(file);
  t.is(header.stack, stack);
  t.is(header.serial, 0);
  t.is(header.summary.add, 1);
  const back = readPlanFile(file, store.sealer());
  t.is(back.lineage, plan.lineage);
  const after = back.resourceChanges[0]!.after as Record<string, unknown>;
  t.true(isUnknown(after.id));
  t.is((back.resourceChanges[0]!.config as { users: { password: string }[] }).users[0]!.password, 'pw-7b1f3c-SECRET');
});

test('a plan file edited or opened with another state key is refused', (t) => {
  const { store, dir, stack } = stateWith([]);
  const { plan } = planHcl(store, stack, hcl);
  const file = join(dir, 'p.plan');
  writePlanFile(file, plan, store.sealer());
  const other = StateStore.open(join(dir, 'other.db'), { key: randomBytes(32) });
  t.throws(() => readPlanFile(file, other.sealer()), { instanceOf: PlanFileError, message: /cannot be opened with this state's key/ });
  const edited = JSON.parse(readFileSync(file, 'utf8'));
  edited.serial = 7;
  writeFileSync(file, JSON.stringify(edited));
  t.throws(() => readPlanFile(file, store.sealer()), { instanceOf: PlanFileError });
  writeFileSync(file, 'not json');
  t.throws(() => readPlanHeader(file), { instanceOf: PlanFileError, message: /not a dbstack plan file/ });
});

test('a plan made against no state cannot be applied twice, and a stale plan is refused', (t) => {
  const { store, stack } = stateWith([]);
  const { plan } = planHcl(store, stack, hcl);
  const begin = () => store.beginRun(stack, { command: 'apply', lineage: plan.lineage, expectedSerial: plan.serial });
  const first = begin();
  first.finish('applied');
  const err = t.throws(begin, { instanceOf: StaleStateError });
  t.regex(err!.message, /serial/);
  // A plan made now is against serial 1; once the state moves on, it is stale too.
  const { plan: second } = planHcl(store, stack, hcl);
  t.is(second.serial, 1);
  t.is(second.lineage, plan.lineage);
  store.beginRun(stack, { command: 'apply', lineage: second.lineage, expectedSerial: 1 }).finish('applied');
  t.throws(() => store.beginRun(stack, { command: 'apply', lineage: second.lineage, expectedSerial: second.serial }), { instanceOf: StaleStateError });
});
