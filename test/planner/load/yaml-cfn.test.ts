import test, { type ExecutionContext } from 'ava';
import type { Expr } from '../../../planner/expr/ast.js';
import { showYamlExpr } from '../../support/show-yaml-expr.js';

const show = (e: Expr): string => showYamlExpr(e);
import { loadYamlStack } from '../../../planner/load/yaml/load.js';
import type { Diagnostic } from '../../../core/diagnostics.js';

const FILE = '/virtual/t.template';
const load = (text: string) => loadYamlStack(text, FILE);
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');


/** A JSON template whose one output has `value` (JSON text). */
function template(value: string, extra = ''): string {
  return `{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Parameters": {
    "Flavor": {"Type": "String", "Default": "m1.small", "AllowedValues": ["m1.small", "m1.large"]},
    "Arch": {"Type": "String", "Default": "64"}
  },
  "Mappings": {
    "Images": {"64": {"fedora": "F17-x86_64"}, "32": {"fedora": "F17-i386"}}
  },
  "Conditions": {
    "Large": {"Fn::Equals": [{"Ref": "Flavor"}, "m1.large"]},
    "Small": {"Fn::Not": [{"Condition": "Large"}]}
  },
  "Resources": {
    "DB": {"Type": "OS::Trove::Instance", "Properties": {"flavor": {"Ref": "Flavor"}, "size": 1}}${extra}
  },
  "Outputs": {
    "Out": {"Value": ${value}}
  }
}
`;
}

function compiles(t: ExecutionContext, value: string): string {
  const r = load(template(value));
  t.deepEqual(errors(r.diagnostics), [], value);
  return show(r.document.outputs[0]!.value);
}

function fails(t: ExecutionContext, value: string, re: RegExp, line = 18): void {
  const errs = errors(load(template(value)).diagnostics);
  t.is(errs.length, 1, errs.map((e) => e.summary).join(' | '));
  t.regex(errs[0]?.summary ?? '', re);
  t.is(errs[0]?.range?.line, line);
}

test('detected by its version key; the structure maps onto the document', (t) => {
  const r = load(template('"x"'));
  t.deepEqual(r.diagnostics, []);
  const d = r.document;
  t.is(d.files[0]!.language, 'cfn');
  t.deepEqual(d.variables.map((v) => v.name), ['Flavor', 'Arch']);
  t.is(d.variables[0]!.type?.kind === 'literal' && d.variables[0]!.type.value, 'string', 'CFN types use the HOT names');
  t.deepEqual(d.conditions.map((c) => `${c.name}=${show(c.expr)}`), ['Large=equals(@var.Flavor, "m1.large")', 'Small=not(@condition.Large)']);
  t.is(d.resources[0]!.sourceType, 'OS::Trove::Instance');
  t.is(d.resources[0]!.language, 'cfn');
  t.is(show(d.resources[0]!.body.attributes[0]!.value), '@var.Flavor');
  const heat = load('HeatTemplateFormatVersion: "2012-12-12"\nResources: {}\n');
  t.deepEqual(heat.diagnostics, []);
  t.is(heat.document.files[0]!.language, 'cfn');
});

test('versions and sections', (t) => {
  const v = errors(load('AWSTemplateFormatVersion: "2011-01-01"\nResources: {}\n').diagnostics);
  t.regex(v[0]!.summary, /AWSTemplateFormatVersion 2011-01-01 is not supported; the only version is 2010-09-09/);
  const both = errors(load('AWSTemplateFormatVersion: "2010-09-09"\nHeatTemplateFormatVersion: "2012-12-12"\nResources: {}\n').diagnostics);
  t.regex(both[0]!.summary, /either AWSTemplateFormatVersion or HeatTemplateFormatVersion, not both/);
  const sec = errors(load('AWSTemplateFormatVersion: "2010-09-09"\nResource: {}\n').diagnostics);
  t.regex(sec[0]!.summary, /"Resource" is not valid in a CloudFormation-format template\. Did you mean "Resources"\?/);
  t.deepEqual([sec[0]!.range!.line, sec[0]!.range!.col], [2, 1]);
});

test('Ref, Fn::GetAtt and pseudo parameters', (t) => {
  t.is(compiles(t, '{"Ref": "Flavor"}'), '@var.Flavor');
  t.is(compiles(t, '{"Ref": "DB"}'), '@OS::Trove::Instance.DB.id');
  t.is(compiles(t, '{"Ref": "AWS::StackName"}'), '@stack.name');
  t.is(compiles(t, '{"Ref": "AWS::StackId"}'), '@stack.id');
  t.is(compiles(t, '{"Ref": "AWS::Region"}'), '@stack.region');
  t.is(compiles(t, '{"Fn::GetAtt": ["DB", "hostname"]}'), '@OS::Trove::Instance.DB.hostname');
  t.is(compiles(t, '{"Fn::GetAtt": ["DB", "Endpoint.Address"]}'), '@OS::Trove::Instance.DB.Endpoint.Address');
  fails(t, '{"Ref": "Flavour"}', /Ref refers to "Flavour", which is neither a parameter nor a resource of this template\. Did you mean "Flavor"\?/);
  fails(t, '{"Fn::GetAtt": ["DB"]}', /Fn::GetAtt takes a list of the form \[RESOURCE, ATTRIBUTE\]/);
  fails(t, '{"Fn::GetAtt": ["Db", "x"]}', /Fn::GetAtt refers to resource "Db".*Did you mean "DB"\?/);
});

test('Fn::Join, Fn::Base64, Fn::Select, Fn::Split, Fn::GetAZs, Fn::Replace, Fn::If', (t) => {
  t.is(compiles(t, '{"Fn::Join": ["", ["http://", {"Fn::GetAtt": ["DB", "hostname"]}, "/"]]}'), 'list_join("", ["http://", @OS::Trove::Instance.DB.hostname, "/"])');
  t.is(compiles(t, '{"Fn::Base64": {"Fn::Join": ["", ["a", "b"]]}}'), 'Fn::Base64(list_join("", ["a", "b"]))');
  t.is(compiles(t, '{"Fn::Select": ["1", ["a", "b"]]}'), 'Fn::Select("1", ["a", "b"])');
  t.is(compiles(t, '{"Fn::Split": [",", "a,b"]}'), 'Fn::Split(",", "a,b")');
  t.is(compiles(t, '{"Fn::GetAZs": ""}'), 'Fn::GetAZs("")');
  t.is(compiles(t, '{"Fn::Replace": [{"$x": "1"}, "a $x"]}'), 'str_replace({"template": "a $x", "params": {"$x": "1"}})');
  t.is(compiles(t, '{"Fn::If": ["Large", 2, 1]}'), 'if(@condition.Large, 2, 1)');
  fails(t, '{"Fn::If": ["Huge", 2, 1]}', /"Huge" is not a condition declared in the Conditions section/);
  fails(t, '{"Fn::Join": [","]}', /Fn::Join takes 2 arguments/);
  fails(t, '{"Fn::Sub": "x"}', /Fn::Sub is not supported in CloudFormation-format templates/);
  fails(t, '{"Fn::Jion": [",", []]}', /Did you mean "Fn::Join"\?/);
  fails(t, '{"Fn::Equals": [1, 1]}', /Fn::Equals can only be used in the Conditions section/);
  t.is(compiles(t, '{"Other": 1}'), '{"Other": 1}', 'other single-key maps are data');
});

test('Fn::FindInMap resolves against Mappings, checking literal keys now', (t) => {
  t.is(compiles(t, '{"Fn::FindInMap": ["Images", {"Ref": "Arch"}, "fedora"]}'), '<map>[@var.Arch]["fedora"]');
  const r = load(template('{"Fn::FindInMap": ["Images", "64", "fedora"]}'));
  const e = r.document.outputs[0]!.value;
  t.is(e.kind, 'index');
  if (e.kind === 'index' && e.target.kind === 'index') t.is(show(e.target.target), '{"64": {"fedora": "F17-x86_64"}, "32": {"fedora": "F17-i386"}}');
  t.is(compiles(t, '{"Fn::FindInMap": [{"Ref": "Arch"}, "64", "fedora"]}'), '<map>[@var.Arch]["64"]["fedora"]', 'a computed map name indexes all Mappings');
  fails(t, '{"Fn::FindInMap": ["Image", "64", "fedora"]}', /mapping "Image", which is not in the Mappings section\. Did you mean "Images"\?/);
  fails(t, '{"Fn::FindInMap": ["Images", "46", "fedora"]}', /Mapping "Images" has no key "46"/);
  fails(t, '{"Fn::FindInMap": ["Images", "64", "fedroa"]}', /Mapping "Images" has no key "fedroa" under "64"\. Did you mean "fedora"\?/);
  fails(t, '{"Fn::FindInMap": ["Images", "64"]}', /Fn::FindInMap takes a list of the form/);
});

test('parameters: types, NoEcho, constraints and their check on the default', (t) => {
  const r = load(`AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DBPassword:
    Type: String
    NoEcho: "true"
    MinLength: "1"
    MaxLength: "41"
    AllowedPattern: "[a-zA-Z0-9]*"
    ConstraintDescription: must contain only alphanumeric characters.
    Default: admin
  Size:
    Type: Number
    MinValue: "5"
    MaxValue: "1024"
    Default: "2000"
Resources: {}
`);
  const [pw, size] = r.document.variables;
  t.true(pw!.sensitive);
  t.deepEqual(pw!.constraints.map((c) => [c.kind, c.spec, c.description]), [
    ['allowed_pattern', '[a-zA-Z0-9]*', 'must contain only alphanumeric characters.'],
    ['length', { min: 1, max: 41 }, 'must contain only alphanumeric characters.'],
  ]);
  t.deepEqual(size!.constraints.map((c) => [c.kind, c.spec]), [['range', { min: 5, max: 1024 }]]);
  const errs = errors(r.diagnostics);
  t.is(errs.length, 1);
  t.regex(errs[0]!.summary, /The value "2000" of parameter "Size" is out of range; it must be between 5 and 1024/);
  t.deepEqual([errs[0]!.range!.line, errs[0]!.range!.col], [15, 14]);
  const bad = errors(load('AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  P: {Type: Strin, Defualt: x}\nResources: {}\n').diagnostics);
  t.is(bad.length, 2);
  t.regex(bad[0]!.summary, /Type that is not one of String, Number, CommaDelimitedList, Json, Boolean/);
  t.regex(bad[1]!.summary, /"Defualt" is not valid in parameter "P"\. Did you mean "Default"\?/);
});

test('resources: DependsOn, DeletionPolicy, Metadata, Condition; unknown keys', (t) => {
  const r = load(template('"x"', `,
    "Net": {"Type": "OS::Neutron::Net", "DependsOn": "DB", "DeletionPolicy": "Retain", "Metadata": {"a": 1}, "Condition": "Large"},
    "Net2": {"Type": "OS::Neutron::Net", "DependsOn": ["DB", "Net"]}`));
  t.deepEqual(r.diagnostics, []);
  const [, net, net2] = r.document.resources;
  t.deepEqual(net!.dependsOn.map((d) => `${d.root}:${(d.steps[0] as { name: string }).name}`), ['OS::Trove::Instance:DB']);
  t.is(net!.deletionPolicy?.value, 'Retain');
  t.is(show(net!.condition!), '@condition.Large');
  t.is(net2!.dependsOn.length, 2);
  const bad = errors(load(template('"x"', `,
    "X": {"Type": "x", "DependOn": "DB", "DeletionPolicy": "retain"}`)).diagnostics);
  t.deepEqual(bad.map((d) => d.summary), ['"DependOn" is not valid in resource "X". Did you mean "DependsOn"?', '"retain" is not a valid DeletionPolicy. Did you mean "Retain"?']);
});

test('conditions: Fn::And/Fn::Or/Fn::Not, {Condition: name}, cycles, functions not allowed', (t) => {
  const head = 'AWSTemplateFormatVersion: "2010-09-09"\nParameters:\n  P: {Type: String}\n';
  const ok = load(`${head}Conditions:\n  A: {"Fn::Equals": [{Ref: P}, x]}\n  B: {"Fn::And": [{Condition: A}, A, {"Fn::Or": [true, false]}]}\nResources: {}\n`);
  t.deepEqual(ok.diagnostics, []);
  t.is(show(ok.document.conditions[1]!.expr), 'and(@condition.A, @condition.A, or(true, false))');
  const cyc = errors(load(`${head}Conditions:\n  A: {"Fn::Not": [B]}\n  B: {"Fn::Not": [A]}\nResources: {}\n`).diagnostics);
  t.regex(cyc[0]!.summary, /Condition "A" depends on itself/);
  const fn = errors(load(`${head}Conditions:\n  A: {"Fn::Equals": [{"Fn::GetAtt": [R, x]}, 1]}\nResources:\n  R: {Type: x}\n`).diagnostics);
  t.regex(fn[0]!.summary, /Fn::GetAtt cannot be used in a condition/);
  const not = errors(load(`${head}Conditions:\n  A: {"Fn::Not": true}\nResources: {}\n`).diagnostics);
  t.regex(not[0]!.summary, /Fn::Not takes a list of one condition/);
});
