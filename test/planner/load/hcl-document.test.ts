import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadHclStack, mergeDocuments } from '../../../planner/load/hcl/document.js';
import type { Diagnostic } from '../../../core/diagnostics.js';
import type { Range } from '../../../core/source.js';
import { showExpr as show } from '../../support/hcl2json.js';
import { conformanceDir } from '../../support/paths.js';

/** loadHclStack: HCL/Terraform files → StackDocument, on real files and on each error case. */

const FILE = '/virtual/main.tf';
const load = (text: string) => loadHclStack(text, FILE);
const at = (r: Range) => `${r.line}:${r.col}-${r.endLine}:${r.endCol}`;
const errs = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error').map((x) => `${x.range ? `${x.range.line}:${x.range.col} ` : ''}${x.summary}`);

test('acceptance test config: two resources, nested blocks, references kept as written', (t) => {
  const file = join(conformanceDir, 'terraform/acctest/db_v1__testAccDatabaseV1InstanceBasic.tf');
  const { document: doc, diagnostics } = loadHclStack(readFileSync(file, 'utf8'), file);
  t.deepEqual(diagnostics, []);
  t.deepEqual(doc.files, [{ path: file, language: 'hcl' }]);
  t.deepEqual(
    doc.resources.map((r) => [r.mode, r.sourceType, r.name, r.language]),
    [
      ['managed', 'openstack_db_instance_v1', 'basic', 'hcl'],
      ['managed', 'openstack_db_configuration_v1', 'basic', 'hcl'],
    ],
  );
  const inst = doc.resources[0]!;
  t.is(at(inst.typeRange), '2:10-2:36');
  t.is(at(inst.nameRange), '2:37-2:44');
  t.is(at(inst.range), '2:1-37:2');
  t.deepEqual(inst.body.attributes.map((a) => a.name), ['name', 'configuration_id', 'size', 'volume_type']);
  t.is(show(inst.body.attributes[1]!.value), '@openstack_db_configuration_v1.basic.id');
  t.deepEqual(inst.body.blocks.map((b) => b.type), ['datastore', 'network', 'database', 'database', 'user']);
  t.is(show(inst.body.blocks[4]!.body.attributes.find((a) => a.name === 'databases')!.value), '["testdb1"]');
  t.is(show(inst.body.blocks[0]!.body.attributes[0]!.value), '"%[1]s"');
  t.deepEqual(inst.dependsOn, []);
  t.deepEqual(inst.lifecycle, {});
  t.is(inst.count, undefined);
  const conf = doc.resources[1]!;
  t.deepEqual(conf.body.blocks.map((b) => b.type), ['datastore', 'configuration', 'configuration', 'configuration']);
  t.is(show(conf.body.blocks[3]!.body.attributes[1]!.value), '200');
  t.deepEqual([doc.variables, doc.locals, doc.outputs, doc.providers], [[], [], [], []]);
});

test('documentation example: one resource with its type as written', (t) => {
  const file = join(conformanceDir, 'terraform/docs/resources/db_instance_v1__ex1.tf');
  const { document: doc, diagnostics } = loadHclStack(readFileSync(file, 'utf8'), file);
  t.deepEqual(diagnostics, []);
  t.is(doc.resources.length, 1);
  const r = doc.resources[0]!;
  t.like(r, { mode: 'managed', sourceType: 'openstack_db_instance_v1', name: 'test' });
  t.deepEqual(r.body.attributes.map((a) => [a.name, show(a.value)]), [
    ['region', '"region-test"'],
    ['name', '"test"'],
    ['flavor_id', '"31792d21-c355-4587-9290-56c1ed0ca376"'],
    ['size', '8'],
  ]);
  t.deepEqual(r.body.blocks.map((b) => b.type), ['network', 'datastore']);
});

test('meta-arguments leave the body: count, for_each, depends_on, provider, lifecycle', (t) => {
  const { document: doc, diagnostics } = load(`
resource "database_instance" "db" {
  count      = var.enabled ? 2 : 0
  name       = "db-\${count.index}"
  provider   = openstack.west
  depends_on = [database_configuration.tuned, data.network.app]
  lifecycle {
    prevent_destroy       = true
    create_before_destroy = var.cbd
    ignore_changes        = [volume.size, users, network[0].uuid, "tags.owner"]
  }
  dynamic "database" {
    for_each = var.dbs
    content { name = database.value }
  }
}
resource "database_user" "u" {
  for_each = toset(var.users)
  name     = each.key
  lifecycle { ignore_changes = all }
}
data "network" "app" {
  name = "app-net"
}
`);
  t.deepEqual(diagnostics, []);
  const [db, u, net] = doc.resources;
  t.is(show(db!.count!), '(@var.enabled ? 2 : 0)');
  t.is(db!.forEach, undefined);
  t.is(db!.provider, 'openstack.west');
  t.deepEqual(db!.dependsOn.map(show), ['@database_configuration.tuned', '@data.network.app']);
  t.is(show(db!.lifecycle.preventDestroy!), 'true');
  t.is(show(db!.lifecycle.createBeforeDestroy!), '@var.cbd');
  const ic = db!.lifecycle.ignoreChanges;
  t.deepEqual(ic !== 'all' && ic ? ic.paths.map((p) => p.path) : ic, ['volume.size', 'users', 'network.0.uuid', 'tags.owner']);
  t.is(at(db!.lifecycle.range!), '7:3-11:4');
  t.deepEqual(db!.body.attributes.map((a) => a.name), ['name']);
  t.deepEqual(db!.body.blocks.map((b) => [b.type, b.labels]), [['dynamic', ['database']]]);
  t.is(show(u!.forEach!), 'toset(@var.users)');
  t.is(u!.lifecycle.ignoreChanges, 'all');
  t.like(net, { mode: 'data', sourceType: 'network', name: 'app' });
});

test('variables (type, default, validation), locals, outputs, providers; terraform {} ignored', (t) => {
  const { document: doc, diagnostics } = load(`
terraform {
  required_providers {
    openstack = { source = "terraform-provider-openstack/openstack" }
  }
}
variable "size" {
  type        = number
  default     = 20
  description = "Volume size in GB"
  nullable    = false
  validation {
    condition     = var.size >= 10
    error_message = "At least 10 GB."
  }
}
variable "password" {
  type      = string
  sensitive = true
}
variable "tags" {
  type = map(object({ owner = string }))
}
locals {
  prefix = "db"
  names  = [for i in range(3) : "\${local.prefix}-\${i}"]
}
output "uri" {
  value       = database_instance.db.connection_uri
  sensitive   = true
  description = "Where to connect"
}
provider "openstack" {
  cloud = "mycloud"
}
provider "openstack" {
  alias = "west"
  cloud = "west"
}
`);
  t.deepEqual(diagnostics, []);
  const [size, password, tags] = doc.variables;
  t.like(size, { name: 'size', description: 'Volume size in GB', nullable: false, sensitive: false });
  t.is(show(size!.type!), '@number');
  t.is(show(size!.default!), '20');
  t.is(size!.validations.length, 1);
  t.is(show(size!.validations[0]!.condition), '(@var.size >= 10)');
  t.is(show(size!.validations[0]!.errorMessage!), '"At least 10 GB."');
  t.like(password, { name: 'password', sensitive: true });
  t.is(show(tags!.type!), 'map(object({owner: @string}))');
  t.deepEqual(doc.locals.map((l) => [l.name, show(l.value)]), [
    ['prefix', '"db"'],
    ['names', 'for-tuple(i in range(3): tpl(@local.prefix + "-" + @i))'],
  ]);
  t.like(doc.outputs[0], { name: 'uri', sensitive: true, description: 'Where to connect' });
  t.is(show(doc.outputs[0]!.value), '@database_instance.db.connection_uri');
  t.deepEqual(doc.providers.map((p) => [p.name, p.alias, p.body.attributes.map((a) => a.name)]), [
    ['openstack', undefined, ['cloud']],
    ['openstack', 'west', ['cloud']],
  ]);
});

test('names declared twice are reported at the second, pointing back at the first', (t) => {
  const { document: doc, diagnostics } = load(`resource "t" "a" {}
resource "t" "a" {}
data "t" "a" {}
variable "v" {}
variable "v" {}
output "o" { value = 1 }
output "o" { value = 2 }
locals { l = 1 }
locals { l = 2 }
`);
  t.deepEqual(errs(diagnostics), [
    '2:1 resource `t.a` is declared twice',
    '5:1 variable `v` is declared twice',
    '7:1 output `o` is declared twice',
    '9:10 local value `l` is declared twice',
  ]);
  t.is(diagnostics[0]!.detail, `First declared at ${FILE}:1:1.`);
  t.is(diagnostics[3]!.detail, `First declared at ${FILE}:8:10.`);
  t.is(doc.resources.length, 2);
  t.deepEqual([doc.variables.length, doc.outputs.length, doc.locals.length], [1, 1, 1]);
});

test('unsupported and misspelled blocks and arguments are errors with hints', (t) => {
  const { diagnostics } = load(`module "db" {
  source = "./db"
}
resourse "t" "n" {}
resource "t" {}
name = "top"
variable "v" {
  sensitive = "yes"
  defualt   = 1
  validation {
    error_message = "no condition"
  }
}
output "o" {
  description = "no value"
}
resource "t" "n" {
  count    = 1
  for_each = {}
  depends_on = ["t.other", t.ok]
  lifecycle {
    prevent_destroi = true
  }
}
`);
  t.deepEqual(errs(diagnostics), [
    '6:1 unexpected argument `name` at the top level of the file',
    '1:1 modules are not supported yet',
    '4:1 unknown block type `resourse` — did you mean `resource`?',
    '5:1 a `resource` block needs 2 labels (type and name), found 1',
    '8:15 the `sensitive` setting of variable `v` must be `true` or `false`',
    '9:3 unknown argument `defualt` in variable `v` — did you mean `default`?',
    '10:3 a validation of variable `v` has no `condition`',
    '14:8 output `o` has no `value`',
    '19:3 resource `t.n` sets both `count` and `for_each`',
    '20:17 a `depends_on` entry must be a reference, not a string',
    '22:5 unknown lifecycle setting `prevent_destroi` — did you mean `prevent_destroy`?',
  ]);
  const dep = diagnostics.find((d) => d.summary.includes('not a string'))!;
  t.is(dep.detail, 'Write it without quotes: `t.other`.');
});

test('syntax errors come through with the declarations that could still be read', (t) => {
  const { document: doc, diagnostics } = load('resource "t" "a" {\n  x = = 1\n}\nresource "t" "b" {\n  y = 2\n}\n');
  t.deepEqual(errs(diagnostics), ['2:7 expected an expression, found `=`']);
  t.deepEqual(doc.resources.map((r) => r.name), ['a', 'b']);
});

test('mergeDocuments concatenates files in order', (t) => {
  const a = loadHclStack('variable "x" {}\nresource "t" "a" {}\n', 'a.tf').document;
  const b = loadHclStack('resource "t" "b" {}\noutput "o" { value = 1 }\n', 'b.tf').document;
  const m = mergeDocuments([a, b]);
  t.deepEqual(m.files.map((f) => f.path), ['a.tf', 'b.tf']);
  t.deepEqual(m.resources.map((r) => r.name), ['a', 'b']);
  t.deepEqual([m.variables.length, m.outputs.length], [1, 1]);
  t.false('description' in m);
});
