import test from 'ava';
import type { Expr } from '../../../planner/expr/ast.js';
import { showYamlExpr } from '../../support/show-yaml-expr.js';

const show = (e: Expr | undefined): string => showYamlExpr(e, 'ternary');
import { loadYamlStack } from '../../../planner/load/yaml/load.js';
import type { Diagnostic } from '../../../core/diagnostics.js';

const FILE = '/virtual/stack.yaml';
const load = (text: string) => loadYamlStack(text, FILE);
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');


const STACK = `description: Orders database
variables:
  env:
    type: string
    default: dev
    description: Environment
  sizes:
    type: map(number)
    default: {small: 10}
  app_password:
    type: string
    sensitive: true
    nullable: false
    validation:
      - condition: "\${length(var.app_password) >= 12}"
        error_message: too short
locals:
  prefix: "db-\${var.env}"
  tags: [a, "\${var.env}"]
provider:
  openstack:
    cloud: mycloud
  local:
    - {root: /tmp/a}
    - {root: /tmp/b, alias: second}
data:
  app:
    type: network
    properties:
      name: app-net
resources:
  tuned:
    type: database_configuration
    properties:
      values: {max_connections: 200}
  orders:
    type: database_instance
    depends_on: [tuned, database_configuration.tuned, data.network.app, "\${database_configuration.tuned}"]
    count: 2
    provider: openstack
    lifecycle:
      prevent_destroy: true
      create_before_destroy: "\${var.env == \\"prod\\"}"
      ignore_changes: [users, volume.size]
    properties:
      name: "\${local.prefix}-orders"
      network: "\${data.network.app.id}"
      configuration: "\${database_configuration.tuned.id}"
      volume: {size: 20, type: ssd}
      literal_dollar: "cost: $5"
      escaped: "$\${not.a.ref}"
  replicas:
    type: database_instance
    for_each: "\${var.sizes}"
    lifecycle: {ignore_changes: all}
outputs:
  orders_uri:
    value: "\${database_instance.orders[0].connection_uri}"
    sensitive: true
    description: URI
`;

test('native YAML: every section maps onto the document', (t) => {
  const { document: d, diagnostics } = load(STACK);
  t.deepEqual(diagnostics, []);
  t.is(d.files[0]!.language, 'yaml');
  t.is(d.description, 'Orders database');
  t.deepEqual(d.variables.map((v) => [v.name, show(v.type), show(v.default), v.sensitive]), [
    ['env', '@string', '"dev"', false],
    ['sizes', 'map(@number)', '{"small": 10}', false],
    ['app_password', '@string', '-', true],
  ]);
  t.is(d.variables[0]!.description, 'Environment');
  t.is(d.variables[2]!.nullable, false);
  t.is(d.variables[2]!.validations.length, 1);
  t.is(show(d.variables[2]!.validations[0]!.condition), 'tpl!((length(@var.app_password) >= 12))');
  t.is(show(d.variables[2]!.validations[0]!.errorMessage), '"too short"');
  t.deepEqual(d.locals.map((l) => [l.name, show(l.value)]), [
    ['prefix', 'tpl("db-" + @var.env)'],
    ['tags', '["a", tpl!(@var.env)]'],
  ]);
  t.deepEqual(d.providers.map((p) => [p.name, p.alias ?? '', p.body.attributes.map((a) => `${a.name}=${show(a.value)}`).join(',')]), [
    ['openstack', '', 'cloud="mycloud"'],
    ['local', '', 'root="/tmp/a"'],
    ['local', 'second', 'root="/tmp/b"'],
  ]);
  const [app, tuned, orders, replicas] = d.resources;
  t.deepEqual([app!.mode, app!.sourceType, app!.name], ['data', 'network', 'app']);
  t.deepEqual([tuned!.mode, tuned!.sourceType, tuned!.name], ['managed', 'database_configuration', 'tuned']);
  t.deepEqual(orders!.dependsOn.map((r) => show(r)), ['@database_configuration.tuned', '@database_configuration.tuned', '@data.network.app', '@database_configuration.tuned']);
  t.is(show(orders!.count), '2');
  t.is(orders!.provider, 'openstack');
  t.is(show(orders!.lifecycle.preventDestroy), 'true');
  t.is(show(orders!.lifecycle.createBeforeDestroy), 'tpl!((@var.env == "prod"))');
  const ignore = orders!.lifecycle.ignoreChanges;
  t.deepEqual(ignore === 'all' || !ignore ? ignore : ignore.paths.map((p) => `${p.path}@${p.range.line}`), ['users@44', 'volume.size@44']);
  t.is(replicas!.lifecycle.ignoreChanges, 'all');
  t.is(show(replicas!.forEach), 'tpl!(@var.sizes)');
  const attrs = Object.fromEntries(orders!.body.attributes.map((a) => [a.name, show(a.value)]));
  t.deepEqual(attrs, {
    name: 'tpl(@local.prefix + "-orders")',
    network: 'tpl!(@data.network.app.id)',
    configuration: 'tpl!(@database_configuration.tuned.id)',
    volume: '{"size": 20, "type": "ssd"}',
    literal_dollar: '"cost: $5"',
    escaped: '"${not.a.ref}"',
  });
  t.deepEqual(d.outputs.map((o) => [o.name, show(o.value), o.sensitive, o.description]), [
    ['orders_uri', 'tpl!(@database_instance.orders[0].connection_uri)', true, 'URI'],
  ]);
});

test('native YAML: template ranges point into the file', (t) => {
  const { document: d } = load(STACK);
  const network = d.resources[2]!.body.attributes.find((a) => a.name === 'network')!;
  const line = STACK.split('\n')[network.nameRange.line - 1]!;
  t.is(line.trim(), 'network: "${data.network.app.id}"');
  t.is(network.value.range.line, network.nameRange.line);
  const ref = network.value.kind === 'template' ? network.value.parts[0]! : network.value;
  t.is(line.slice(ref.range.col - 1, ref.range.endCol - 1), 'data.network.app.id');
  const bad = load('locals:\n  x: "${var.}"\n');
  const errs = errors(bad.diagnostics);
  t.true(errs.length >= 1);
  t.is(errs[0]!.range!.line, 2);
  t.true(errs[0]!.range!.col >= 6);
});

test('native YAML: unknown keys and malformed declarations', (t) => {
  const one = (text: string, re: RegExp, line?: number) => {
    const errs = errors(load(text).diagnostics);
    t.is(errs.length, 1, errs.map((e) => e.summary).join(' | '));
    t.regex(errs[0]?.summary ?? '', re);
    if (line !== undefined) t.is(errs[0]?.range?.line, line);
  };
  one('resorces:\n  a: {type: x}\n', /"resorces" is not valid in a dbstack YAML stack file\. Did you mean "resources"\?/, 1);
  one('resources:\n  a: {type: x, propreties: {}}\n', /"propreties" is not valid in resource "a"\. Did you mean "properties"\?/, 2);
  one('resources:\n  a: {properties: {}}\n', /The resource "a" has no type/, 2);
  one('resources:\n  a: {type: x, depends_on: [b]}\n', /depends_on names "b", which is not a resource of this file/, 2);
  one('resources:\n  a: {type: x, depends_on: ["not an address"]}\n', /is not a resource address/, 2);
  one('resources:\n  a: {type: x, lifecycle: {prevent_destroi: true}}\n', /"prevent_destroi" is not valid in lifecycle\. Did you mean "prevent_destroy"\?/);
  one('data:\n  a: {type: x, lifecycle: {}}\n', /"lifecycle" is not valid in data source "a"/);
  one('variables:\n  v: {type: string, sensitiv: true}\n', /Did you mean "sensitive"\?/);
  one('variables:\n  v: {type: "list(", default: []}\n', /./, 2);
  one('outputs:\n  o: {description: x}\n', /Output "o" has no value/);
  one('outputs:\n  o: {value: 1, sensitive: perhaps}\n', /must be true or false/);
  one('provider:\n  openstack: {alias: [x]}\n', /alias of provider "openstack" must be a string/);
  one('- a\n- b\n', /must be a mapping .* at the top level/, 1);
});

test('native YAML: empty files and YAML syntax errors', (t) => {
  for (const text of ['', '# nothing\n', '---\n']) {
    const r = load(text);
    t.deepEqual(r.diagnostics, []);
    t.is(r.document.files[0]!.language, 'yaml');
    t.deepEqual(r.document.resources, []);
  }
  const r = load('resources:\n  a: {type: x\n');
  const errs = errors(r.diagnostics);
  t.true(errs.length >= 1);
  t.truthy(errs[0]!.range);
  t.deepEqual(r.document.resources, [], 'nothing is interpreted from a file with syntax errors');
  const dup = load('resources:\n  a: {type: x}\n  a: {type: y}\n');
  t.regex(errors(dup.diagnostics)[0]!.summary, /The key "a" appears more than once/);
  t.is(errors(dup.diagnostics)[0]!.range!.line, 3);
  const tag = load('resources:\n  a: {type: !Ref x}\n');
  t.regex(errors(tag.diagnostics)[0]!.summary, /The YAML tag !Ref is not supported/);
  const docs = load('a: 1\n---\nb: 2\n');
  t.regex(errors(docs.diagnostics)[0]!.summary, /single YAML document/);
});
