import test from 'ava';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackText } from '../../../planner/load/index.js';
import { makePlan } from '../../../planner/plan/make-plan.js';
import { priorFromSnapshot } from '../../../planner/plan/prior.js';
import { planJson } from '../../../planner/plan/render-json.js';
import { renderPlanMarkdown } from '../../../planner/plan/render-markdown.js';
import { renderPlanText } from '../../../planner/plan/render-text.js';
import { summaryLine } from '../../../planner/plan/summary.js';
import type { Plan } from '../../../planner/plan/types.js';
import { matchGolden } from '../../support/golden.js';
import { projectRoot } from '../../support/paths.js';
import { LINEAGE, planHcl, stateWith, type Recorded } from '../../support/plan-fixture.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ allErrors: true, strict: false });
addFormats(ajv);
const validatePlanJson = ajv.compile(JSON.parse(readFileSync(join(projectRoot, 'schemas/plan.json'), 'utf8')));

const instanceHcl = (over: { flavor?: string; type?: string; password?: string; extra?: string } = {}) => `
variable "pw" {
  type      = string
  sensitive = true
  default   = "${over.password ?? 'old-secret-1'}"
}
resource "database_configuration" "tuned" {
  datastore = { type = "postgresql", version = "15" }
  values    = { max_connections = 100 }
}
resource "database_instance" "orders" {
  name          = "orders"
  datastore     = { type = "${over.type ?? 'postgresql'}", version = "15" }
  flavor        = "${over.flavor ?? 'db.small'}"
  volume        = { size = 1 }
  configuration = database_configuration.tuned.id
  user "app" {
    password  = var.pw
    databases = ["orders"]
  }
  ${over.extra ?? ''}
}
output "host" { value = database_instance.orders.host }
`;

const recordedConfig: Recorded = {
  address: 'database_configuration.tuned',
  inputs: { datastore: { type: 'postgresql', version: '15' }, values: { max_connections: 100 } },
  attributes: { id: 'cfg-1', name: 'tuned', datastore: { type: 'postgresql', version: '15' }, values: { max_connections: 100 } },
};
const recordedInstance: Recorded = {
  address: 'database_instance.orders',
  inputs: {
    name: 'orders',
    datastore: { type: 'postgresql', version: '15' },
    flavor: 'db.small',
    volume: { size: 1 },
    configuration: 'cfg-1',
    users: [{ name: 'app', password: 'old-secret-1', databases: ['orders'] }],
  },
  attributes: {
    id: 'inst-1',
    name: 'orders',
    datastore: { type: 'postgresql', version: '15' },
    flavor: 'db.small',
    volume: { size: 1 },
    configuration: 'cfg-1',
    users: [{ name: 'app', password: 'old-secret-1', databases: ['orders'] }],
    host: '127.0.0.1',
    port: 5433,
    connection_uri: 'postgresql://app:old-secret-1@127.0.0.1:5433/orders',
    status: 'ACTIVE',
  },
  sensitive: { inputs: [['users', '*', 'password']], attributes: [['users', '*', 'password'], ['connection_uri']] },
  dependencies: ['database_configuration.tuned'],
};

const hostOutput = [{ name: 'host', value: '127.0.0.1', sensitive: false }];

/** Stable renderings: fixed timestamp and (for empty states) lineage. */
function normalise(plan: Plan): Plan {
  return { ...plan, createdAt: '2026-01-01T00:00:00.000Z', lineage: LINEAGE };
}

function golden(t: import('ava').ExecutionContext, name: string, plan: Plan): void {
  const p = normalise(plan);
  matchGolden(t, `plan/${name}.txt`, renderPlanText(p));
  matchGolden(t, `plan/${name}.md`, renderPlanMarkdown(p));
  const json = planJson(p);
  t.true(validatePlanJson(json), JSON.stringify(validatePlanJson.errors));
  matchGolden(t, `plan/${name}.json`, JSON.stringify(json, null, 2) + '\n');
  for (const text of [renderPlanText(p), renderPlanMarkdown(p), JSON.stringify(json)]) {
    t.false(/old-secret-1|new-secret-2/.test(text), 'no secret in any rendering');
  }
}

test('create: everything new, computed values known after apply', (t) => {
  const { store, stack } = stateWith([]);
  const { plan } = planHcl(store, stack, instanceHcl());
  t.deepEqual(plan.diagnostics.filter((d) => d.severity === 'error'), []);
  t.is(summaryLine(plan), 'Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy.');
  golden(t, 'create', plan);
});

test('no changes when the configuration matches the state', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl());
  t.deepEqual(plan.resourceChanges.map((c) => c.actions), [['no-op'], ['no-op']]);
  golden(t, 'no-changes', plan);
});

test('in-place update of the flavor', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl({ flavor: 'db.large' }));
  t.deepEqual(plan.resourceChanges.find((c) => c.address === 'database_instance.orders')!.actions, ['update']);
  t.is(summaryLine(plan), 'Plan: 0 to add, 1 to change, 0 to replace, 0 to destroy.');
  golden(t, 'update', plan);
});

test('replace with reason when the datastore type changes, flagged as data loss', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl({ type: 'mysql' }));
  const c = plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!;
  t.deepEqual(c.actions, ['delete', 'create']);
  t.is(c.actionReason, 'replace_because_cannot_update');
  t.deepEqual(c.replacePaths, [['datastore', 'type']]);
  t.true(c.destroysData);
  t.regex(renderPlanText(plan), /Warning: this plan destroys data/);
  golden(t, 'replace', plan);
});

test('create_before_destroy orders the replacement create-then-delete', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl({ type: 'mysql', extra: 'lifecycle {\n create_before_destroy = true\n}' }));
  t.deepEqual(plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!.actions, ['create', 'delete']);
});

test('delete when the resource left the configuration', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, `resource "database_configuration" "tuned" {
  datastore = { type = "postgresql", version = "15" }
  values    = { max_connections = 100 }
}
`);
  const c = plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!;
  t.deepEqual(c.actions, ['delete']);
  t.is(c.actionReason, 'delete_because_no_resource_config');
  golden(t, 'delete', plan);
});

test('a tainted resource is replaced', (t) => {
  const { store, stack } = stateWith([recordedConfig, { ...recordedInstance, status: 'tainted' }], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl());
  const c = plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!;
  t.is(c.actionReason, 'replace_because_tainted');
  golden(t, 'taint', plan);
});

test('-replace forces a replacement by request', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl(), { replace: ['database_instance.orders'] });
  t.is(plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!.actionReason, 'replace_by_request');
});

test('prevent_destroy refuses a plan that would destroy the resource', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl({ type: 'mysql', extra: 'lifecycle {\n prevent_destroy = true\n}' }));
  const errors = plan.diagnostics.filter((d) => d.severity === 'error');
  t.is(errors.length, 1);
  t.regex(errors[0]!.summary, /database_instance\.orders has lifecycle\.prevent_destroy set/);
  t.regex(errors[0]!.detail!, /datastore\.type forces replacement/);
  t.is(errors[0]!.range?.line, 22);
});

test('ignore_changes keeps the recorded value', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl({ flavor: 'db.large', extra: 'lifecycle {\n ignore_changes = [flavor]\n}' }));
  t.deepEqual(plan.resourceChanges.map((c) => c.actions), [['no-op'], ['no-op']]);
  golden(t, 'ignore-changes', plan);
});

test('a sensitive attribute change is an update that shows no value', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl({ password: 'new-secret-2' }));
  const c = plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!;
  t.deepEqual(c.actions, ['update']);
  t.regex(renderPlanText(plan), /password += \(sensitive value\)/);
  golden(t, 'sensitive', plan);
});

test('unknown values propagate through references to a replaced resource', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl().replace('type = "postgresql", version = "15" }\n  values', 'type = "postgresql", version = "16" }\n  values'));
  const cfg = plan.resourceChanges.find((x) => x.address === 'database_configuration.tuned')!;
  const inst = plan.resourceChanges.find((x) => x.address === 'database_instance.orders')!;
  t.deepEqual(cfg.actions, ['delete', 'create']);
  t.deepEqual(inst.actions, ['update']);
  t.regex(renderPlanText(plan), /configuration += "cfg-1" -> \(known after apply\)/);
  golden(t, 'unknown-propagation', plan);
});

test('-target plans only the target and what it depends on', (t) => {
  const { store, stack } = stateWith([]);
  const { plan } = planHcl(store, stack, instanceHcl(), { target: ['database_configuration.tuned'] });
  t.deepEqual(plan.resourceChanges.map((c) => c.address), ['database_configuration.tuned']);
});

test('-destroy plans every recorded resource for deletion', (t) => {
  const { store, stack } = stateWith([recordedConfig, recordedInstance], hostOutput);
  const { plan } = planHcl(store, stack, instanceHcl(), { destroy: true });
  t.deepEqual(plan.resourceChanges.map((c) => c.actions[0]), ['delete', 'delete']);
  t.is(summaryLine(plan), 'Plan: 0 to add, 0 to change, 0 to replace, 2 to destroy.');
});

test('a HOT deletion_policy Retain turns a destroy into forget: the cloud object is kept', (t) => {
  const { store, stack } = stateWith([{ address: 'network.net', inputs: { name: 'net' }, attributes: { id: 'n-1', name: 'net' } }]);
  const { document } = loadStackText(
    'heat_template_version: 2018-08-31\nresources:\n  net:\n    type: OS::Neutron::Net\n    deletion_policy: Retain\n    properties:\n      name: net\n',
    'stack.yaml',
  );
  const { plan } = makePlan(document, priorFromSnapshot(store.readState(stack)), { stack, destroy: true });
  const c = plan.resourceChanges[0]!;
  t.deepEqual(c.actions, ['forget']);
  t.is(c.actionReason, 'forget_because_retain_policy');
  t.is(summaryLine(plan), 'Plan: 0 to add, 0 to change, 0 to replace, 0 to destroy, 1 to forget.');
});
