import test, { type ExecutionContext } from 'ava';
import type { Expr } from '../../../planner/expr/ast.js';
import { unknown } from '../../../core/value.js';
import { checkParameterValue, loadYamlStack } from '../../../planner/load/yaml/load.js';
import type { Diagnostic } from '../../../core/diagnostics.js';
import type { VariableDecl } from '../../../planner/model/document.js';

const FILE = '/virtual/t.yaml';
const load = (text: string) => loadYamlStack(text, FILE);
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');
const warnings = (d: Diagnostic[]) => d.filter((x) => x.severity === 'warning');

function oneError(t: ExecutionContext, text: string, re: RegExp, line?: number, col?: number): Diagnostic {
  const errs = errors(load(text).diagnostics);
  t.is(errs.length, 1, errs.map((e) => `${e.range?.line}:${e.range?.col} ${e.summary}`).join(' | '));
  t.regex(errs[0]!.summary, re);
  if (line !== undefined) t.is(errs[0]!.range!.line, line);
  if (col !== undefined) t.is(errs[0]!.range!.col, col);
  return errs[0]!;
}

const lit = (e: Expr | undefined) => (e?.kind === 'literal' ? e.value : undefined);

test('template versions: dates and release names; unknown versions list the valid ones', (t) => {
  for (const v of ['2013-05-23', '2016-10-14', "'2018-08-31'", 'wallaby', 'newton', 'pike', 'queens', 'rocky', 'ocata']) {
    const r = load(`heat_template_version: ${v}\nresources: {}\n`);
    t.deepEqual(r.diagnostics, [], v);
    t.is(r.document.files[0]!.language, 'hot');
  }
  const d = oneError(t, 'heat_template_version: 2019-01-01\nresources: {}\n', /heat_template_version 2019-01-01 is not a version dbstack knows/, 1, 24);
  t.regex(d.detail!, /2013-05-23.*2021-04-16.*wallaby/);
  oneError(t, 'heat_template_version:\nresources: {}\n', /heat_template_version needs a value/, 1, 1);
});

test('sections: unknown ones are errors with a did-you-mean', (t) => {
  const d = oneError(t, 'heat_template_version: 2021-04-16\nresorces:\n  a: {type: OS::Heat::None}\n', /"resorces" is not valid in a HOT template\. Did you mean "resources"\?/, 2, 1);
  t.regex(d.detail!, /heat_template_version, description, parameter_groups, parameters, resources, outputs, conditions/);
  oneError(t, 'heat_template_version: 2021-04-16\nResources: {}\n', /Did you mean "resources"\?/);
  oneError(t, 'heat_template_version: 2021-04-16\nparameters: [a]\n', /parameters section must be a mapping/);
  const r = load('heat_template_version: 2021-04-16\ndescription: >\n  Two\n  lines\nparameters:\nresources:\noutputs:\n');
  t.deepEqual(r.diagnostics, []);
  t.is(r.document.description, 'Two lines\n');
});

test('resources: type as written, properties as a body, unknown keys', (t) => {
  const r = load(`heat_template_version: 2021-04-16
resources:
  server:
    type: OS::Nova::Server
    properties:
      flavor: m1.small
      networks: [{network: private}]
    metadata: {a: 1}
    update_policy: {}
    description: a server
`);
  t.deepEqual(r.diagnostics, []);
  const s = r.document.resources[0]!;
  t.is(s.sourceType, 'OS::Nova::Server');
  t.is(s.mode, 'managed');
  t.is(s.language, 'hot');
  t.deepEqual([s.nameRange.line, s.nameRange.col, s.typeRange.line, s.typeRange.col], [3, 3, 4, 11]);
  t.deepEqual(s.body.attributes.map((a) => a.name), ['flavor', 'networks']);
  t.deepEqual([s.body.attributes[0]!.nameRange.line, s.body.attributes[0]!.nameRange.col], [6, 7]);
  t.is(lit(s.body.attributes[0]!.value), 'm1.small');
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a:\n    type: OS::Heat::None\n    propertes: {}\n', /"propertes" is not valid in resource "a"\. Did you mean "properties"\?/, 5, 5);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a:\n    properties: {}\n', /Resource "a" has no type/, 3, 3);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a:\n    type: [x]\n', /type of resource "a" must be a string/, 4, 11);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a:\n    type: x\n    properties: [1]\n', /properties of a resource must be a mapping/);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a: x\n', /Resource "a" must be a mapping with at least a type/);
  const ext = load('heat_template_version: 2021-04-16\nresources:\n  a:\n    type: x\n    external_id: abc\n');
  t.deepEqual(errors(ext.diagnostics), []);
  t.regex(warnings(ext.diagnostics)[0]!.summary, /external_id is ignored/);
  oneError(t, 'heat_template_version: 2016-04-08\nresources:\n  a:\n    type: x\n    external_id: abc\n', /external_id needs heat_template_version 2016-10-14 or later; this template is 2016-04-08/);
});

test('depends_on: a name or a list, rooted at the type of the named resource', (t) => {
  const r = load(`heat_template_version: 2021-04-16
resources:
  net: {type: OS::Neutron::Net}
  sub: {type: OS::Neutron::Subnet}
  a: {type: OS::Trove::Instance, depends_on: net}
  b: {type: OS::Trove::Instance, depends_on: [net, sub]}
`);
  t.deepEqual(r.diagnostics, []);
  const deps = (i: number) => r.document.resources[i]!.dependsOn.map((d) => `${d.root}/${d.steps.map((s) => (s.kind === 'attr' ? s.name : '?')).join('.')}`);
  t.deepEqual(deps(2), ['OS::Neutron::Net/net']);
  t.deepEqual(deps(3), ['OS::Neutron::Net/net', 'OS::Neutron::Subnet/sub']);
  t.deepEqual([r.document.resources[3]!.dependsOn[1]!.range.line, r.document.resources[3]!.dependsOn[1]!.range.col], [6, 52]);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  net: {type: x}\n  a: {type: x, depends_on: [nte]}\n', /depends_on names "nte", which is not a resource of this template\. Did you mean "net"\?/, 4, 29);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a: {type: x, depends_on: a}\n', /cannot depend on itself/);
  oneError(t, 'heat_template_version: 2021-04-16\nresources:\n  a: {type: x, depends_on: {b: c}}\n', /depends_on takes a resource name or a list/);
});

test('deletion_policy: Delete, Retain, Snapshot (lower case from 2016-10-14)', (t) => {
  const policy = (v: string, p: string) => load(`heat_template_version: ${v}\nresources:\n  a: {type: x, deletion_policy: ${p}}\n`);
  for (const p of ['Delete', 'Retain', 'Snapshot'] as const) t.is(policy('2013-05-23', p).document.resources[0]!.deletionPolicy?.value, p);
  t.is(policy('2016-10-14', 'snapshot').document.resources[0]!.deletionPolicy?.value, 'Snapshot');
  t.regex(errors(policy('2016-04-08', 'retain').diagnostics)[0]!.summary, /"retain" is not a valid deletion_policy\. Did you mean "Retain"\?/);
  t.regex(errors(policy('2021-04-16', 'RETAIN').diagnostics)[0]!.summary, /Did you mean "Retain"\?/);
  t.regex(errors(policy('2021-04-16', '{get_param: p}').diagnostics)[0]!.summary, /deletion_policy must be written as one of/);
});

test('conditions: names, inline conditions, functions allowed, cycles', (t) => {
  const r = load(`heat_template_version: 2021-04-16
parameters:
  env: {type: string, default: dev}
conditions:
  prod: {equals: [{get_param: env}, prod]}
  not_prod: {not: prod}
  both: {and: [prod, true, {or: [not_prod, false]}]}
  has: {contains: [{get_param: env}, [dev, prod]]}
resources:
  a: {type: x, condition: prod}
  b: {type: x, condition: {not: prod}}
  c: {type: x, condition: false}
outputs:
  o: {value: 1, condition: both}
`);
  t.deepEqual(r.diagnostics, []);
  const names = r.document.conditions.map((c) => c.name);
  t.deepEqual(names, ['prod', 'not_prod', 'both', 'has']);
  const cond = r.document.resources.map((x) => x.condition);
  t.deepEqual(cond[0], { kind: 'ref', root: 'condition', steps: [{ kind: 'attr', name: 'prod', range: cond[0]!.range }], range: cond[0]!.range });
  t.is(cond[1]!.kind, 'call');
  t.is(lit(cond[2]), false);
  t.is(r.document.outputs[0]!.condition?.kind, 'ref');
  const head = 'heat_template_version: 2021-04-16\nparameters:\n  env: {type: string}\n';
  oneError(t, `${head}conditions:\n  c: prod\nresources: {}\n`, /A condition must be true, false, or a condition function/, 5, 6);
  oneError(t, `${head}conditions:\n  c: {equals: [{get_attr: [a, b]}, 1]}\nresources:\n  a: {type: x}\n`, /get_attr cannot be used in a condition\. Conditions may use get_param, yaql, equals, not, and, or or contains/);
  oneError(t, `${head}conditions:\n  c: {not: d}\n  d: {not: c}\nresources: {}\n`, /Condition "c" depends on itself \(c → d → c\)/, 5, 3);
  oneError(t, `${head}conditions:\n  c: {and: [true]}\nresources: {}\n`, /and takes a list of at least two conditions/);
  oneError(t, `heat_template_version: 2016-10-14\nconditions:\n  c: {contains: [a, [a]]}\nresources: {}\n`, /contains needs heat_template_version 2017-09-01 or later/);
  oneError(t, `${head}resources:\n  a: {type: x, condition: nope}\n`, /"nope" is not a condition declared in the conditions section/);
  oneError(t, 'heat_template_version: 2015-10-15\nresources:\n  a: {type: x, condition: c}\n', /resource's condition needs heat_template_version 2016-10-14 or later; this template is 2015-10-15/);
});

test('outputs: value, description, condition; unknown keys', (t) => {
  const r = load('heat_template_version: 2021-04-16\nresources:\n  a: {type: x}\noutputs:\n  o:\n    description: the id\n    value: {get_resource: a}\n');
  t.deepEqual(r.diagnostics, []);
  t.is(r.document.outputs[0]!.description, 'the id');
  t.false(r.document.outputs[0]!.sensitive);
  oneError(t, 'heat_template_version: 2021-04-16\nresources: {}\noutputs:\n  o:\n    valeu: 1\n', /"valeu" is not valid in output "o"\. Did you mean "value"\?/);
});

test('parameters: types, hidden → sensitive, label, description, defaults', (t) => {
  const r = load(`heat_template_version: 2021-04-16
parameters:
  name: {type: string, label: Name, description: The name, default: orders}
  size: {type: number, default: 10}
  password: {type: string, hidden: true}
  ids: {type: comma_delimited_list, default: "a,b"}
  extra: {type: json, default: {a: 1}, immutable: true, tags: [x]}
  flag: {type: boolean, default: true}
  dflt: {type: string, default: 2013-05-23}
resources: {}
`);
  t.deepEqual(r.diagnostics, []);
  const [name, size, password, , extra, , dflt] = r.document.variables;
  t.is(name!.label, 'Name');
  t.is(name!.description, 'The name');
  t.is(lit(name!.type), 'string');
  t.is(lit(name!.default), 'orders');
  t.is(lit(size!.default), 10);
  t.true(password!.sensitive);
  t.false(name!.sensitive);
  t.is(extra!.default?.kind, 'object');
  t.is(lit(dflt!.default), '2013-05-23', 'YAML 1.2 core schema: dates stay strings');
  oneError(t, 'heat_template_version: 2021-04-16\nparameters:\n  p: {type: strng}\nresources: {}\n', /not a HOT parameter type\. Did you mean "string"\?/, 3, 13);
  oneError(t, 'heat_template_version: 2021-04-16\nparameters:\n  p: {default: 1}\nresources: {}\n', /Parameter "p" has no type/, 3, 3);
  oneError(t, 'heat_template_version: 2021-04-16\nparameters:\n  p: {type: string, hiden: true}\nresources: {}\n', /"hiden" is not valid in parameter "p"\. Did you mean "hidden"\?/);
  oneError(t, 'heat_template_version: 2017-09-01\nparameters:\n  p: {type: string, tags: [a]}\nresources: {}\n', /Parameter tags need heat_template_version 2018-03-02 or later/);
  oneError(t, 'heat_template_version: 2021-04-16\nparameters:\n  p: {type: string, hidden: maybe}\nresources: {}\n', /"hidden" setting of parameter "p" must be true or false/);
});

function paramText(constraint: string, type = 'string', version = '2021-04-16', dflt?: string): string {
  return `heat_template_version: ${version}\nparameters:\n  p:\n    type: ${type}\n${dflt === undefined ? '' : `    default: ${dflt}\n`}    constraints:\n      - ${constraint}\n        description: custom message\nresources: {}\n`;
}

function param(constraint: string, type = 'string', version = '2021-04-16', dflt?: string) {
  return load(paramText(constraint, type, version, dflt));
}

test('parameter constraints: parsed into ParamConstraint and checked against the default', (t) => {
  const cases: [string, string, string, string, unknown][] = [
    // constraint, type, passing default, failing default, spec
    ['allowed_values: [a, b]', 'string', 'a', 'c', ['a', 'b']],
    ['allowed_values: [1, 2]', 'number', "'2'", '3', [1, 2]],
    ['allowed_pattern: "[a-z]+"', 'string', 'abc', 'abc1', '[a-z]+'],
    ['length: {min: 2, max: 3}', 'string', 'ab', 'abcd', { min: 2, max: 3 }],
    ['length: {min: 2}', 'comma_delimited_list', '"a,b"', 'a', { min: 2 }],
    ['range: {min: 1, max: 10}', 'number', '10', '11', { min: 1, max: 10 }],
    ['range: {max: "5"}', 'number', '-3', '5.5', { max: 5 }],
    ['modulo: {step: 2, offset: 1}', 'number', '7', '8', { step: 2, offset: 1 }],
  ];
  for (const [c, type, good, bad, spec] of cases) {
    const ok = param(c, type, '2021-04-16', good);
    t.deepEqual(ok.diagnostics, [], `${c} with ${good}`);
    const p = ok.document.variables[0]!;
    t.is(p.constraints.length, 1);
    t.is(p.constraints[0]!.kind, c.split(':')[0] as never);
    t.deepEqual(p.constraints[0]!.spec, spec);
    t.is(p.constraints[0]!.description, 'custom message');
    const d = oneError(t, paramText(c, type, '2021-04-16', bad), /The value .* of parameter "p" /, 5, 14);
    t.is(d.detail, 'custom message');
  }
  const custom = param('custom_constraint: nova.flavor', 'string', '2021-04-16', 'm1.small');
  t.deepEqual(errors(custom.diagnostics), []);
  t.regex(warnings(custom.diagnostics)[0]!.summary, /custom constraint nova\.flavor of parameter "p" is not checked by dbstack/);
  t.deepEqual(param('custom_constraint: nova.flavor').diagnostics, [], 'no default, nothing to check');
});

test('parameter constraints: malformed ones are errors, as in Heat', (t) => {
  const bad = (c: string, re: RegExp, type = 'string', version = '2021-04-16') => {
    const errs = errors(param(c, type, version).diagnostics);
    t.is(errs.length, 1, `${c}: ${errs.map((e) => e.summary).join(' | ')}`);
    t.regex(errs[0]?.summary ?? '', re);
  };
  bad('modulo: {step: 2, offset: 1}', /modulo constraint needs heat_template_version 2017-02-24 or later/, 'number', '2016-10-14');
  bad('modulo: {step: 2}', /needs both a step and an offset/, 'number');
  bad('modulo: {step: 2, offset: 3}', /offset .* must be smaller/, 'number');
  bad('range: {min: 1}', /A range constraint does not apply to a string parameter/);
  bad('range: {}', /needs a min, a max, or both/, 'number');
  bad('range: {max: 9, mn: 1}', /"mn" is not valid in a range constraint\. Did you mean "min"\?/, 'number');
  bad('length: {min: 1.5}', /must be whole numbers/);
  bad('allowed_values: a', /allowed_values must be a list/);
  const pattern = param('allowed_pattern: "[a-z"');
  t.deepEqual(errors(pattern.diagnostics), [], 'Heat accepts it; dbstack cannot check it');
  t.regex(warnings(pattern.diagnostics)[0]!.summary, /is not a regular expression dbstack can check/);
});

test('checkParameterValue: types, conversions, and values not yet known', (t) => {
  const decl = (type: string, constraints: VariableDecl['constraints'] = []): VariableDecl => ({
    name: 'p',
    range: { file: FILE, line: 1, col: 1, endLine: 1, endCol: 2 },
    type: { kind: 'literal', value: type, range: { file: FILE, line: 1, col: 1, endLine: 1, endCol: 2 } },
    sensitive: false,
    constraints,
    validations: [],
  });
  const check = (type: string, v: unknown, c: VariableDecl['constraints'] = []) => checkParameterValue(decl(type, c), v).map((d) => d.summary);
  t.deepEqual(check('number', '42'), []);
  t.deepEqual(check('number', 'x'), ['The value "x" of parameter "p" is not a number.']);
  t.deepEqual(check('boolean', 'yes'), []);
  t.deepEqual(check('boolean', 'maybe'), ['The value "maybe" of parameter "p" is not a boolean (use true or false).']);
  t.deepEqual(check('json', '{"a": 1}'), []);
  t.deepEqual(check('json', 'nope'), ['The value "nope" of parameter "p" is not a JSON map or list.']);
  t.deepEqual(check('string', { a: 1 }), ['The value {"a":1} of parameter "p" is not a string.']);
  t.deepEqual(check('comma_delimited_list', ['a', 'b']), []);
  const allowed = [{ kind: 'allowed_values' as const, spec: ['a', 'b'], range: decl('x').range }];
  t.deepEqual(check('comma_delimited_list', 'a,b', allowed), []);
  t.is(check('comma_delimited_list', 'a,c', allowed).length, 1);
  t.deepEqual(check('string', unknown, allowed), [], 'unknown values are checked later');
  t.deepEqual(check('json', { a: unknown }, [{ kind: 'length', spec: { max: 0 }, range: decl('x').range }]), []);
  const range = { file: 'x', line: 9, col: 9, endLine: 9, endCol: 10 };
  t.deepEqual(checkParameterValue(decl('number'), 'x', range)[0]!.range, range, 'located where the caller says');
});
