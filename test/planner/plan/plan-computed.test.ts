import test from 'ava';
import { planHcl, stateWith } from '../../support/plan-fixture.js';

// A nested attribute the provider fills when the configuration leaves it out (the engine
// version the guest runs) is kept, as Terraform keeps optional+computed attributes: an
// instance declared without a version must not plan a change after every apply.
const hcl = (datastore: string) => `
resource "database_instance" "m" {
  name      = "m"
  datastore = ${datastore}
  volume    = { size = 1 }
}
`;

function recorded() {
  const inputs = { name: 'm', datastore: { type: 'mariadb', version: '10.11.19' }, volume: { size: 1 } };
  return stateWith([{ address: 'database_instance.m', inputs, attributes: { ...inputs, id: 'x', datastore_version: '10.11.19' } }]);
}

test('a version the provider chose is kept when the configuration names none', (t) => {
  const { store, stack } = recorded();
  const { plan } = planHcl(store, stack, hcl('{ type = "mariadb" }'));
  t.deepEqual(plan.resourceChanges.map((c) => c.actions), [['no-op']]);
});

test('a version the configuration names is still planned as a change', (t) => {
  const { store, stack } = recorded();
  const { plan } = planHcl(store, stack, hcl('{ type = "mariadb", version = "11.4" }'));
  const change = plan.resourceChanges[0]!;
  t.notDeepEqual(change.actions, ['no-op']);
  t.deepEqual(change.changedPaths, [['datastore', 'version']]);
});

test('a replacement starts from the configuration alone: the new object gets the version the provider picks then', (t) => {
  const inputs = { name: 'm', datastore: { type: 'mariadb', version: '10.11.19' }, volume: { size: 1 } };
  const { store, stack } = stateWith([{ address: 'database_instance.m', inputs, attributes: { ...inputs, id: 'x' }, status: 'tainted' }]);
  const { plan } = planHcl(store, stack, hcl('{ type = "mariadb" }'));
  const change = plan.resourceChanges[0]!;
  t.deepEqual(change.actions, ['delete', 'create']);
  // Apply re-evaluates the configuration once the old object is gone; the plan must agree with it.
  t.is(((change.config as Record<string, Record<string, unknown>>).datastore)!.version ?? null, null);
});
