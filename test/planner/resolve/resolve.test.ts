import test from 'ava';
import { isUnknown } from '../../../core/value.js';
import { renderGraph } from '../../../planner/graph/render.js';
import { writeTemp } from '../../support/tmp.js';
import { describe, errorsOf, validateFiles } from '../../support/validate.js';

function check(name: string, text: string) {
  const { paths } = writeTemp({ [name]: text });
  return { ...validateFiles(paths), file: paths[0]! };
}

const instance = (name: string, extra = '') => `
resource "database_instance" "${name}" {
  datastore = { type = "postgresql", version = "15" }
  flavor    = "db.small"
  volume    = { size = 1 }
  ${extra}
}
`;

test('a valid native stack resolves with unknown computed attributes', (t) => {
  const r = check('s.hcl', instance('orders') + 'output "host" { value = database_instance.orders.host }\n');
  t.deepEqual(errorsOf(r.diagnostics), [], describe(r.diagnostics));
  t.is(r.config!.resources.length, 1);
  t.true(isUnknown(r.config!.outputs[0]!.value));
});

test('labelled blocks decode into list attributes', (t) => {
  const r = check('s.hcl', instance('orders', 'database "orders" { charset = "UTF8" }\nuser "app" {\n password = "x"\n databases = ["orders"]\n}'));
  t.deepEqual(errorsOf(r.diagnostics), [], describe(r.diagnostics));
  const cfg = r.config!.resources[0]!.instances[0]!.config as Record<string, unknown>;
  t.deepEqual(JSON.parse(JSON.stringify(cfg.databases)), [{ name: 'orders', charset: 'UTF8' }]);
  t.deepEqual(JSON.parse(JSON.stringify(cfg.users)), [{ name: 'app', password: 'x', databases: ['orders'] }]);
});

test('dynamic blocks become for expressions', (t) => {
  const r = check(
    's.hcl',
    `variable "dbs" {
  type    = list(string)
  default = ["a", "b"]
}
` + instance('orders', 'dynamic "database" {\n for_each = var.dbs\n labels = [database.value]\n content { charset = "UTF8" }\n}'),
  );
  t.deepEqual(errorsOf(r.diagnostics), [], describe(r.diagnostics));
  const cfg = r.config!.resources[0]!.instances[0]!.config as Record<string, unknown>;
  t.deepEqual(JSON.parse(JSON.stringify(cfg.databases)), [
    { name: 'a', charset: 'UTF8' },
    { name: 'b', charset: 'UTF8' },
  ]);
});

test('a misspelt attribute is reported at its key with a suggestion', (t) => {
  const r = check('s.hcl', instance('orders', 'flavour = "x"'));
  const e = errorsOf(r.diagnostics);
  t.is(e.length, 1, describe(e));
  t.regex(e[0]!.summary, /unknown attribute `flavour`.*did you mean `flavor`/);
  t.is(e[0]!.range!.line, 6);
  t.is(e[0]!.range!.col, 3);
});

test('count and for_each expand into instance addresses', (t) => {
  const r = check(
    's.hcl',
    instance('replica', 'count = 2\n name = "r-${count.index}"') +
      `resource "network" "net" {
  for_each = { a = "10.0.0.0/24", b = "10.0.1.0/24" }
  name     = each.key
}
output "names" { value = database_instance.replica[*].name }
`,
  );
  t.deepEqual(errorsOf(r.diagnostics), [], describe(r.diagnostics));
  const addrs = r.config!.resources.flatMap((x) => x.instances.map((i) => i.address));
  t.deepEqual(addrs.sort(), ['database_instance.replica[0]', 'database_instance.replica[1]', 'network.net["a"]', 'network.net["b"]']);
  t.deepEqual(JSON.parse(JSON.stringify(r.config!.outputs[0]!.value)), ['r-0', 'r-1']);
});

test('a cycle is reported with its full path and locations', (t) => {
  const r = check(
    's.hcl',
    instance('a', 'configuration = database_configuration.c.id\n name = database_instance.b.name') +
      instance('b', 'name = database_instance.a.host') +
      `resource "database_configuration" "c" {
  datastore = { type = "postgresql", version = "15" }
  values = {}
}
`,
  );
  const cycles = errorsOf(r.diagnostics).filter((d) => d.summary.startsWith('dependency cycle'));
  t.is(cycles.length, 1, describe(r.diagnostics));
  t.regex(cycles[0]!.summary, /database_instance\.(a|b) → database_instance\.(b|a) → database_instance\.(a|b)/);
  t.regex(cycles[0]!.detail!, /refers to .* at .*s\.hcl:\d+:\d+/);
});

test('references to undeclared things are located errors with suggestions', (t) => {
  const r = check('s.hcl', instance('orders', 'name = var.nmae') + 'variable "name" {\n default = "x"\n}\n');
  const e = errorsOf(r.diagnostics);
  t.is(e.length, 1, describe(e));
  t.regex(e[0]!.summary, /undeclared variable `var\.nmae` — did you mean `var\.name`/);
});

test('Terraform openstack_db_* types map onto native types, references included', (t) => {
  const r = check(
    'main.tf',
    `resource "openstack_db_instance_v1" "db" {
  name      = "db"
  flavor_id = "31792d21"
  size      = 8
  datastore {
    type    = "mysql"
    version = "5.7"
  }
  network { uuid = "c0612505" }
  database {
    name    = "app"
    charset = "utf8"
    collate = "utf8_general_ci"
  }
}
resource "openstack_db_user_v1" "u" {
  name        = "u"
  instance_id = openstack_db_instance_v1.db.id
  password    = "p"
  databases   = ["app"]
}
resource "openstack_db_configuration_v1" "c" {
  name = "c"
  datastore {
    type    = "mysql"
    version = "5.7"
  }
  configuration {
    name  = "max_connections"
    value = 200
  }
}
`,
  );
  t.deepEqual(errorsOf(r.diagnostics), [], describe(r.diagnostics));
  const byAddr = new Map(r.config!.resources.map((x) => [x.address, x]));
  t.deepEqual([...byAddr.keys()].sort(), ['database_configuration.c', 'database_instance.db', 'database_user.u']);
  const db = JSON.parse(JSON.stringify(byAddr.get('database_instance.db')!.instances[0]!.config));
  t.deepEqual(db.volume, { size: 8 });
  t.is(db.flavor, '31792d21');
  t.deepEqual(db.networks, [{ network: 'c0612505' }]);
  t.deepEqual(db.databases, [{ name: 'app', charset: 'utf8', collation: 'utf8_general_ci' }]);
  t.deepEqual(JSON.parse(JSON.stringify(byAddr.get('database_configuration.c')!.instances[0]!.config)).values, { max_connections: 200 });
  t.deepEqual(r.config!.graph.dependencies('database_user.u').map((e) => e.to), ['database_instance.db']);
});

test('graph renders as mermaid and dot', (t) => {
  const r = check('s.hcl', instance('a') + instance('b', 'depends_on = [database_instance.a]'));
  t.deepEqual(errorsOf(r.diagnostics), [], describe(r.diagnostics));
  const m = renderGraph(r.config!.graph, 'mermaid');
  t.regex(m, /^flowchart LR/);
  t.regex(m, /n1 -\.-> n0/);
  t.regex(renderGraph(r.config!.graph, 'dot'), /"database_instance\.b" -> "database_instance\.a" \[style = dashed\]/);
});
