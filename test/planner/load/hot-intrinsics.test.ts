import test, { type ExecutionContext } from 'ava';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Expr } from '../../../planner/expr/ast.js';
import { showYamlExpr } from '../../support/show-yaml-expr.js';

const show = (e: Expr): string => showYamlExpr(e);
import { HOT_FUNCTIONS, HOT_VERSIONS, type HotVersion } from '../../../planner/load/yaml/hot-versions.js';
import { loadYamlStack, type LoadOptions } from '../../../planner/load/yaml/load.js';
import type { Diagnostic } from '../../../core/diagnostics.js';

/** A compact rendering of an Expr, so expectations read like the AST they describe. */

const FILE = '/virtual/stack/t.yaml';

/** A template of `version` whose one output has `value` (a YAML flow expression). */
function template(version: string, value: string, extra = ''): string {
  const conditions = version >= '2016-10-14' || /^[a-z]+$/.test(version) ? 'conditions:\n  is_prod: {equals: [{get_param: flavor}, m1.large]}\n  big: true\n' : '';
  return `heat_template_version: ${version}
parameters:
  flavor: {type: string, default: m1.small}
  sizes: {type: json, default: {a: [1, 2]}}
resources:
  db: {type: OS::Trove::Instance, properties: {flavor: x, size: 1}}
  net: {type: OS::Neutron::Net}
${conditions}${extra}outputs:
  out:
    value: ${value}
`;
}

function load(text: string, options: LoadOptions = {}) {
  return loadYamlStack(text, FILE, options);
}

const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');

/** Compiles `value` in a template of `version`; asserts no errors; returns the rendered AST. */
function compiles(t: ExecutionContext, version: string, value: string, options: LoadOptions = {}): string {
  const r = load(template(version, value), options);
  t.deepEqual(errors(r.diagnostics), [], `${version}: ${value}`);
  return show(r.document.outputs[0]!.value);
}

/** Asserts exactly one error matching `re`, located on the given line:col. */
function fails(t: ExecutionContext, version: string, value: string, re: RegExp, options: LoadOptions = {}): Diagnostic {
  const text = template(version, value);
  const errs = errors(load(text, options).diagnostics);
  t.is(errs.length, 1, `${value}: ${errs.map((e) => e.summary).join(' | ')}`);
  const d = errs[0]!;
  t.regex(d.summary, re);
  t.truthy(d.range);
  t.is(d.range!.file, FILE);
  const line = text.split('\n')[d.range!.line - 1]!;
  t.true(d.range!.col >= 1 && d.range!.col <= line.length + 1);
  return d;
}

const V = '2021-04-16';

test('get_param: name, path, pseudo parameters', (t) => {
  t.is(compiles(t, V, '{get_param: flavor}'), '@var.flavor');
  t.is(compiles(t, V, '{get_param: [sizes, a, 0]}'), '@var.sizes.a[0]');
  t.is(compiles(t, V, '{get_param: [sizes, {get_param: flavor}]}'), '@var.sizes[@var.flavor]');
  t.is(compiles(t, V, '{get_param: OS::stack_name}'), '@stack.name');
  t.is(compiles(t, V, '{get_param: OS::stack_id}'), '@stack.id');
  t.is(compiles(t, V, '{get_param: OS::project_id}'), '@stack.project_id');
  const d = fails(t, V, '{get_param: flavour}', /parameter "flavour".*not declared.*Did you mean "flavor"\?/);
  t.is(d.range!.line, 13);
  t.is(d.range!.col, 24);
  fails(t, V, '{get_param: [{get_param: flavor}]}', /get_param takes a parameter name/);
});

test('get_resource and get_attr: refs rooted at the resource type as written', (t) => {
  t.is(compiles(t, V, '{get_resource: db}'), '@OS::Trove::Instance.db.id');
  t.is(compiles(t, V, '{get_attr: [db, hostname]}'), '@OS::Trove::Instance.db.hostname');
  t.is(compiles(t, V, '{get_attr: [db, addresses, net, 0, ip]}'), '@OS::Trove::Instance.db.addresses.net[0].ip');
  t.is(compiles(t, V, '{get_attr: [db, {get_param: flavor}]}'), '@OS::Trove::Instance.db[@var.flavor]');
  t.is(compiles(t, '2015-10-15', '{get_attr: [net]}'), '@OS::Neutron::Net.net', 'all attributes from 2015-10-15');
  fails(t, '2015-04-30', '{get_attr: [net]}', /get_attr takes a list of the form \[RESOURCE, ATTRIBUTE, path…\]/);
  fails(t, V, '{get_attr: db}', /get_attr takes a list/);
  fails(t, V, '{get_attr: [dbb, hostname]}', /resource "dbb".*not declared.*Did you mean "db"\?/);
  fails(t, V, '{get_resource: [db]}', /get_resource takes the name of a resource/);
  fails(t, V, '{get_resource: nett}', /resource "nett".*Did you mean "net"\?/);
});

test('get_file reads the file relative to the template at load time', (t) => {
  const read: string[] = [];
  const readFile = (p: string) => {
    read.push(p);
    return `content of ${p}`;
  };
  t.is(compiles(t, V, '{get_file: scripts/init.sh}', { readFile }), '"content of /virtual/stack/scripts/init.sh"');
  t.is(compiles(t, V, '{get_file: /etc/motd}', { readFile }), '"content of /etc/motd"');
  t.is(compiles(t, V, '{get_file: "file:///opt/x.sh"}', { readFile }), '"content of /opt/x.sh"');
  t.deepEqual(read, ['/virtual/stack/scripts/init.sh', '/etc/motd', '/opt/x.sh']);
  fails(t, V, '{get_file: "http://example.com/x.sh"}', /get_file can only read local files/);
  fails(t, V, '{get_file: [a]}', /get_file takes the path of a file/);
  fails(t, V, '{get_file: nothing/here.sh}', /get_file cannot read "nothing\/here.sh": the file does not exist/);
  // The real file system, next to a real template.
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-hot-'));
  writeFileSync(join(dir, 'boot.sh'), 'echo boot\n');
  const file = join(dir, 'stack.yaml');
  const r = loadYamlStack(template(V, '{get_file: boot.sh}'), file);
  t.deepEqual(errors(r.diagnostics), []);
  t.is(show(r.document.outputs[0]!.value), '"echo boot\\n"');
  const dirRead = loadYamlStack(template(V, '{get_file: .}'), file);
  t.regex(errors(dirRead.diagnostics)[0]!.summary, /get_file cannot read "\."/);
});

test('string functions: str_replace family, list_join, str_split, digest', (t) => {
  t.is(compiles(t, V, '{str_replace: {template: "a $x", params: {$x: {get_param: flavor}}}}'), 'str_replace({"template": "a $x", "params": {"$x": @var.flavor}})');
  t.is(compiles(t, '2017-02-24', '{str_replace_strict: {template: a, params: {a: b}}}'), 'str_replace_strict({"template": "a", "params": {"a": "b"}})');
  t.is(compiles(t, '2017-09-01', '{str_replace_vstrict: {template: a, params: {a: b}}}'), 'str_replace_vstrict({"template": "a", "params": {"a": "b"}})');
  fails(t, V, '{str_replace: {template: a}}', /str_replace needs "params"/);
  fails(t, V, '{str_replace: {template: a, param: {}, params: {}}}', /"param" is not valid in the arguments of str_replace\. Did you mean "params"\?/);
  fails(t, V, '{str_replace: [a, b]}', /str_replace takes the form \{template: STRING, params: \{…\}\}/);
  t.is(compiles(t, V, '{list_join: [",", [a, b], [{get_param: flavor}]]}'), 'list_join(",", ["a", "b"], [@var.flavor])');
  t.is(compiles(t, '2013-05-23', '{list_join: [",", [a, b]]}'), 'list_join(",", ["a", "b"])');
  fails(t, '2015-04-30', '{list_join: [",", [a], [b]]}', /list_join takes 2 arguments .*here it has 3/);
  fails(t, V, '{list_join: ","}', /list_join takes the form \[DELIMITER, LIST, …\]/);
  t.is(compiles(t, V, '{str_split: [",", "a,b"]}'), 'str_split(",", "a,b")');
  t.is(compiles(t, V, '{str_split: [",", "a,b", 1]}'), 'str_split(",", "a,b", 1)');
  fails(t, V, '{str_split: [","]}', /str_split takes 2 to 3 arguments/);
  t.is(compiles(t, V, '{digest: [sha256, {get_param: flavor}]}'), 'digest("sha256", @var.flavor)');
  fails(t, V, '{digest: [sha256]}', /digest takes 2 arguments/);
});

test('collection functions: repeat, map_merge, map_replace, filter, list_concat(_unique), contains, make_url, yaql', (t) => {
  t.is(compiles(t, '2015-04-30', '{repeat: {for_each: {"%p%": [80, 443]}, template: {port: "%p%"}}}'), 'repeat({"for_each": {"%p%": [80, 443]}, "template": {"port": "%p%"}})');
  fails(t, '2016-10-14', '{repeat: {for_each: {x: [1]}, template: x, permutations: false}}', /permutations needs heat_template_version 2017-09-01 or later; this template is 2016-10-14/);
  t.is(compiles(t, '2017-09-01', '{repeat: {for_each: {x: [1]}, template: x, permutations: false}}'), 'repeat({"for_each": {"x": [1]}, "template": "x", "permutations": false})');
  t.is(compiles(t, V, '{map_merge: [{a: 1}, {get_param: sizes}]}'), 'map_merge({"a": 1}, @var.sizes)');
  t.is(compiles(t, V, '{map_merge: {get_param: sizes}}'), 'map_merge(@var.sizes...)', 'a whole list from a function is expanded');
  t.is(compiles(t, V, '{map_replace: [{a: 1}, {keys: {a: b}}]}'), 'map_replace({"a": 1}, {"keys": {"a": "b"}})');
  fails(t, V, '{map_replace: [{a: 1}, {key: {a: b}}]}', /"key" is not valid in the replacements of map_replace\. Did you mean "keys"\?/);
  t.is(compiles(t, V, '{filter: [[3], [1, 2, 3]]}'), 'filter([3], [1, 2, 3])');
  t.is(compiles(t, V, '{list_concat: [[1], [2]]}'), 'list_concat([1], [2])');
  t.is(compiles(t, V, '{list_concat_unique: [[1], [1]]}'), 'list_concat_unique([1], [1])');
  t.is(compiles(t, V, '{contains: [a, [a, b]]}'), 'hot:contains("a", ["a", "b"])');
  t.is(compiles(t, V, '{make_url: {scheme: https, host: {get_attr: [db, hostname]}, port: 5432}}'), 'make_url({"scheme": "https", "host": @OS::Trove::Instance.db.hostname, "port": 5432})');
  fails(t, V, '{make_url: {schema: https}}', /"schema" is not valid in the arguments of make_url\. Did you mean "scheme"\?/);
  t.is(compiles(t, V, '{yaql: {expression: "$.data.x", data: {x: 1}}}'), 'yaql({"expression": "$.data.x", "data": {"x": 1}})');
  fails(t, V, '{yaql: {data: {}}}', /yaql needs "expression"/);
  t.is(compiles(t, V, '{resource_facade: metadata}'), 'resource_facade("metadata")');
  fails(t, V, '{resource_facade: other}', /resource_facade takes metadata, deletion_policy or update_policy/);
});

test('if: conditional over a condition name or an inline condition', (t) => {
  t.is(compiles(t, V, '{if: [is_prod, large, small]}'), 'if(@condition.is_prod, "large", "small")');
  t.is(compiles(t, V, '{if: [{not: is_prod}, 1, 2]}'), 'if(not(@condition.is_prod), 1, 2)');
  t.is(compiles(t, V, '{if: [true, 1, 2]}'), 'if(true, 1, 2)');
  t.is(compiles(t, '2021-04-16', '{if: [is_prod, 1]}'), 'if(@condition.is_prod, 1, omitted())', '2021-04-16: the else branch may be left out');
  fails(t, '2018-08-31', '{if: [is_prod, 1]}', /if takes a list of the form \[condition, value_if_true, value_if_false\]/);
  fails(t, V, '{if: [is_production, 1, 2]}', /"is_production" is not a condition declared/);
  fails(t, V, '{if: [{get_resource: db}, 1, 2]}', /get_resource cannot be used in a condition/);
});

test('condition functions are data outside conditions (with a warning), calls inside', (t) => {
  const r = load(template(V, '{equals: [a, b]}'));
  t.deepEqual(errors(r.diagnostics), []);
  t.regex(r.diagnostics[0]!.summary, /equals is a condition function; outside a condition this mapping is kept as data/);
  t.is(show(r.document.outputs[0]!.value), '{"equals": ["a", "b"]}');
  const c = load(template(V, '1'));
  t.is(show(c.document.conditions[0]!.expr), 'equals(@var.flavor, "m1.large")');
});

test('every function is refused before the version that introduced it', (t) => {
  let checked = 0;
  for (const [name, info] of Object.entries(HOT_FUNCTIONS)) {
    const i = HOT_VERSIONS.indexOf(info.since);
    if (i === 0 || info.conditionOnly) continue;
    const before: HotVersion = HOT_VERSIONS[i - 1]!;
    const d = fails(t, before, `{${name}: [a, b]}`, new RegExp(`^${name} needs heat_template_version ${info.since} or later; this template is ${before}\\.$`));
    t.is(d.range!.line, before >= '2016-10-14' ? 13 : 10, name);
    checked++;
  }
  t.true(checked >= 14);
  const cond = load(`heat_template_version: 2016-04-08\nconditions:\n  c: {equals: [1, 1]}\nresources: {}\n`);
  t.regex(errors(cond.diagnostics)[0]!.summary, /conditions section needs heat_template_version 2016-10-14 or later; this template is 2016-04-08/);
});

test('CloudFormation functions in HOT: 2013-05-23 only (Fn::Select until 2015-10-15)', (t) => {
  const v = '2013-05-23';
  t.is(compiles(t, v, '{Ref: flavor}'), '@var.flavor');
  t.is(compiles(t, v, '{Ref: db}'), '@OS::Trove::Instance.db.id');
  t.is(compiles(t, v, '{"Fn::Join": [",", [a, {Ref: flavor}]]}'), 'list_join(",", ["a", @var.flavor])');
  t.is(compiles(t, v, '{"Fn::Select": [0, [a, b]]}'), 'Fn::Select(0, ["a", "b"])');
  t.is(compiles(t, v, '{"Fn::Base64": abc}'), 'Fn::Base64("abc")');
  t.is(compiles(t, v, '{"Fn::Split": [",", "a,b"]}'), 'Fn::Split(",", "a,b")');
  t.is(compiles(t, v, '{"Fn::Replace": [{x: y}, "a x"]}'), 'str_replace({"template": "a x", "params": {"x": "y"}})');
  t.is(compiles(t, v, '{"Fn::GetAZs": ""}'), 'Fn::GetAZs("")');
  t.is(compiles(t, v, '{"Fn::MemberListToMap": [Name, Value, [a]]}'), 'Fn::MemberListToMap("Name", "Value", ["a"])');
  t.is(compiles(t, v, '{"Fn::ResourceFacade": metadata}'), 'resource_facade("metadata")');
  t.is(compiles(t, '2014-10-16', '{"Fn::Select": [0, [a]]}'), 'Fn::Select(0, ["a"])');
  fails(t, '2014-10-16', '{Ref: flavor}', /^Ref is not available in heat_template_version 2014-10-16; it was removed in 2014-10-16\. Use get_param or get_resource\.$/);
  fails(t, '2015-10-15', '{"Fn::Select": [0, [a]]}', /Fn::Select is not available in heat_template_version 2015-10-15; it was removed in 2015-10-15/);
  fails(t, v, '{"Fn::Join": [","]}', /Fn::Join takes 2 arguments/);
  fails(t, v, '{Ref: nothing}', /Ref refers to "nothing", which is neither a parameter nor a resource/);
  const getAtt = load(template(v, '{"Fn::GetAtt": [db, hostname]}'));
  t.deepEqual(errors(getAtt.diagnostics), [], 'Heat has no Fn::GetAtt in HOT: it is data');
  t.regex(getAtt.diagnostics[0]!.summary, /Fn::GetAtt is not a function in HOT templates/);
});

test('unknown single-key maps stay data, as in Heat', (t) => {
  t.is(compiles(t, V, '{get_input: foo}'), '{"get_input": "foo"}');
  t.is(compiles(t, V, '{get_params: foo}'), '{"get_params": "foo"}');
  t.is(compiles(t, V, '{a: 1, get_param: flavor}'), '{"a": 1, "get_param": "flavor"}', 'two keys: never a function');
});

test('ranges: a call spans its mapping, its name is the key', (t) => {
  const r = load(template(V, '{list_join: [",", [a]]}'));
  const e = r.document.outputs[0]!.value;
  t.is(e.kind, 'call');
  if (e.kind !== 'call') return;
  t.deepEqual([e.range.line, e.range.col, e.range.endLine, e.range.endCol], [13, 12, 13, 35]);
  t.deepEqual([e.nameRange.line, e.nameRange.col, e.nameRange.endCol], [13, 13, 22]);
  t.deepEqual([e.args[0]!.range.col, e.args[0]!.range.endCol], [25, 28]);
});
