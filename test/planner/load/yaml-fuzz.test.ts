import test from 'ava';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { HOT_FUNCTIONS, HOT_VERSIONS } from '../../../planner/load/yaml/hot-versions.js';
import { loadYamlStack } from '../../../planner/load/yaml/load.js';
import type { Diagnostic } from '../../../core/diagnostics.js';
import { conformanceDir, filesUnder } from '../../support/paths.js';

// loadYamlStack never throws, and every diagnostic it returns is located inside the file —
// for mutations of real templates (lines deleted, duplicated, swapped, re-indented, stray
// YAML indicators, tabs, unknown intrinsics, wrong argument shapes) and for generated
// templates full of intrinsic functions with arbitrary arguments. Fixed seeds: reproducible.

const corpus = filesUnder(`${conformanceDir}/heat`, ['.yaml', '.yml', '.json', '.template']).map((f) => readFileSync(f, 'utf8'));
const isCfn = (s: string) => /(AWS|Heat)TemplateFormatVersion/.test(s);
const isHot = (s: string) => /heat_template_version/.test(s);

const NATIVE = `description: fuzz
variables:
  env: {type: string, default: dev}
  sizes: {type: "map(number)", default: {small: 10}}
locals:
  prefix: "db-\${var.env}"
data:
  app: {type: network, properties: {name: app-net}}
resources:
  orders:
    type: database_instance
    depends_on: [data.network.app]
    count: 2
    lifecycle: {prevent_destroy: true, ignore_changes: [users]}
    properties:
      name: "\${local.prefix}-orders"
      network: "\${data.network.app.id}"
      note: >
        folded \${var.env}
        text
outputs:
  uri: {value: "\${database_instance.orders[0].connection_uri}", sensitive: true}
`;

const SEEDS = {
  hot: corpus.filter(isHot),
  cfn: corpus.filter(isCfn),
  yaml: [NATIVE, ...corpus.filter((s) => !isHot(s) && !isCfn(s))],
};

const TOKENS = [
  '{', '}', '[', ']', ':', ': ', '- ', '-', '#', ' # c', '"', "'", '|', '>-', '&a ', '*a', '!Ref ', '? ', '---', '...', '\t', ',', '\\',
  '${', '${var.', '"${}"', '%{if x}', '{get_param: nope}', '{nope_fn: 1}', '{get_attr: [x]}', '{list_join: 1}', '{if: [c]}',
  '{"Fn::Sub": x}', '{Ref: [1]}', '{get_file: /}', '{str_replace: {template: 1}}', '{repeat: []}', '{"Fn::FindInMap": [a]}',
  '\u00e9', '\u{1F600}', '0x1F', '1e400', '~', '',
];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ op: fc.constant('swap' as const), at: fc.nat(), len: fc.nat() }),
  fc.record({ op: fc.constant('indent' as const), at: fc.nat(), len: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), len: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ op: fc.constant('value' as const), at: fc.nat(), len: fc.nat(), token: fc.constantFrom(...TOKENS) }),
);

type Mutation = { op: 'delete' | 'dup' | 'swap' | 'indent' | 'insert' | 'value'; at: number; len: number; token?: string };

function mutate(text: string, muts: Mutation[]): string {
  const lines = text.split('\n');
  for (const m of muts) {
    const i = m.at % lines.length;
    const line = lines[i] ?? '';
    switch (m.op) {
      case 'delete':
        lines.splice(i, m.len);
        break;
      case 'dup':
        lines.splice(i, 0, ...lines.slice(i, i + m.len));
        break;
      case 'swap': {
        const j = m.len % lines.length;
        [lines[i], lines[j]] = [lines[j]!, line];
        break;
      }
      case 'indent':
        lines[i] = m.len >= 0 ? ' '.repeat(m.len) + line : line.replace(new RegExp(`^ {0,${-m.len}}`), '');
        break;
      case 'insert': {
        const p = m.len % (line.length + 1);
        lines[i] = line.slice(0, p) + m.token + line.slice(p);
        break;
      }
      case 'value': {
        const c = line.indexOf(': ');
        if (c >= 0) lines[i] = `${line.slice(0, c + 2)}${m.token}`;
        break;
      }
    }
    if (lines.length === 0) lines.push('');
  }
  return lines.join('\n');
}

/** Every diagnostic is located, in this file, inside its text. */
function located(text: string, file: string, diags: Diagnostic[]): string | undefined {
  const lines = text.split('\n');
  const ok = (line: number, col: number) => line >= 1 && line <= lines.length && col >= 1 && col <= lines[line - 1]!.length + 1;
  for (const d of diags) {
    const r = d.range;
    if (!r) return `no range: ${d.summary}`;
    if (r.file !== file) return `wrong file: ${d.summary}`;
    if (!ok(r.line, r.col) || !ok(r.endLine, r.endCol)) return `outside the text (${r.line}:${r.col}-${r.endLine}:${r.endCol}): ${d.summary}`;
    if (r.endLine < r.line || (r.endLine === r.line && r.endCol < r.col)) return `end before start: ${d.summary}`;
  }
  return undefined;
}

function check(text: string, file: string): void {
  const { document, diagnostics } = loadYamlStack(text, file, { readFile: () => 'file content' });
  if (document.files[0]?.path !== file) throw new Error('the document names its file');
  const problem = located(text, file, diagnostics);
  if (problem) throw new Error(problem);
}

/** Generated values in which maps are often single-key intrinsic calls. */
function values(fnNames: string[], names: string[]) {
  const leaf = fc.oneof(
    fc.constantFrom(...names),
    fc.string({ maxLength: 6 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom('${var.env}', 'a-${', '%{ for x in y }', '$${x}'),
  );
  return fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('list'), tie('map'), tie('call')),
    list: fc.array(tie('value'), { maxLength: 4 }),
    map: fc.dictionary(fc.constantFrom(...names, 'template', 'params', 'for_each', 'keys'), tie('value'), { maxKeys: 3 }),
    call: fc.tuple(fc.constantFrom(...fnNames), tie('value')).map(([k, v]) => ({ [k]: v })),
  })).value;
}

// 2,000 cases per format family (HOT, CFN, native YAML).
const RUNS = { mutations: 1300, generated: 700 };

function family(name: 'hot' | 'cfn' | 'yaml', generated: fc.Arbitrary<string>, seed: number): void {
  test(`fuzz ${name}: mutations of real files never throw and locate every diagnostic`, (t) => {
    const seeds = SEEDS[name];
    t.true(seeds.length >= 1);
    const file = `/fuzz/${name}/t.yaml`;
    fc.assert(
      fc.property(fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (pick, muts) => check(mutate(seeds[pick % seeds.length]!, muts as Mutation[]), file)),
      { seed, numRuns: RUNS.mutations },
    );
    t.pass();
  });
  test(`fuzz ${name}: generated templates never throw and locate every diagnostic`, (t) => {
    const file = `/fuzz/${name}/g.yaml`;
    fc.assert(fc.property(generated, (text) => check(text, file)), { seed: seed + 1, numRuns: RUNS.generated });
    t.pass();
  });
}

const names = ['db', 'net', 'flavor', 'env', 'c1', 'OS::stack_name', 'AWS::Region', 'hostname', 'Images', '64'];
const hotFns = [...Object.keys(HOT_FUNCTIONS), 'get_input', 'Fn::GetAtt'];
const cfnFns = ['Ref', 'Fn::GetAtt', 'Fn::Join', 'Fn::FindInMap', 'Fn::Base64', 'Fn::Select', 'Fn::Split', 'Fn::GetAZs', 'Fn::If', 'Fn::Equals', 'Fn::Not', 'Fn::And', 'Fn::Or', 'Fn::Sub', 'Condition'];
const flow = fc.boolean();

const hotTemplates = fc
  .tuple(fc.constantFrom(...HOT_VERSIONS, 'wallaby', '2012-01-01'), values(hotFns, names), values(hotFns, names), values(hotFns, names), flow)
  .map(([version, props, cond, out, f]) =>
    stringify(
      {
        heat_template_version: version,
        parameters: { flavor: { type: 'string', default: 'm1.small', constraints: [{ allowed_values: ['m1.small'] }] }, env: { type: 'json' } },
        conditions: { c1: cond },
        resources: { db: { type: 'OS::Trove::Instance', properties: { flavor: props }, depends_on: 'net' }, net: { type: 'OS::Neutron::Net', condition: cond } },
        outputs: { o: { value: out } },
      },
      { collectionStyle: f ? 'flow' : 'any' },
    ),
  );

const cfnTemplates = fc.tuple(values(cfnFns, names), values(cfnFns, names), values(cfnFns, names)).map(([props, cond, out]) =>
  JSON.stringify({
    AWSTemplateFormatVersion: '2010-09-09',
    Parameters: { flavor: { Type: 'String', Default: 'm1.small', MaxLength: '3' } },
    Mappings: { Images: { '64': { fedora: 'F17' } } },
    Conditions: { c1: cond },
    Resources: { db: { Type: 'OS::Trove::Instance', Properties: { flavor: props }, DependsOn: 'net' }, net: { Type: 'OS::Neutron::Net' } },
    Outputs: { o: { Value: out } },
  }, null, 1),
);

const nativeTemplates = fc.tuple(values(['x'], names), values(['x'], names), flow).map(([props, out, f]) =>
  stringify(
    {
      variables: { env: { type: 'string' } },
      locals: { l: props },
      resources: { db: { type: 'database_instance', properties: { name: props, extra: out }, depends_on: ['net'] }, net: { type: 'network' } },
      outputs: { o: { value: out } },
    },
    { collectionStyle: f ? 'flow' : 'any' },
  ),
);

family('hot', hotTemplates, 1001);
family('cfn', cfnTemplates, 2002);
family('yaml', nativeTemplates, 3003);

test('fuzz: pathological inputs', (t) => {
  const file = '/fuzz/p.yaml';
  const inputs = [
    '['.repeat(5000),
    '{a: '.repeat(3000),
    '- '.repeat(3000) + 'x',
    Array.from({ length: 2000 }, (_, i) => ' '.repeat(i) + 'a:').join('\n'),
    'a: &a [1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e]\ng: [*e, *e, *e, *e, *e, *e, *e, *e]\n',
    'heat_template_version: 2013-05-23\nresources: &r\n  a: {type: x, properties: *r}\n',
    '\u0000\u0001\uFFFE',
    '\r\n\r\nheat_template_version: 2021-04-16\r\nresources: {}\r\n',
    '\uFEFFheat_template_version: wallaby\nresources: {}\n',
    'heat_template_version: 2021-04-16\nresources:\n  a:\n    type: x\n    properties:\n      p: {get_file: /dev/zero}\n',
  ];
  for (const text of inputs) {
    const { diagnostics } = loadYamlStack(text, file);
    t.is(located(text, file, diagnostics), undefined, JSON.stringify(text.slice(0, 40)));
  }
});
