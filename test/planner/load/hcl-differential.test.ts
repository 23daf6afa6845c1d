import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { parseHcl } from '../../../planner/load/hcl/parse.js';
import { Hcl2JsonError, toHcl2Json } from '../../support/hcl2json.js';
import { conformanceDir, filesUnder } from '../../support/paths.js';

/**
 * Differential test: our parser's structure, rendered in hcl2-parser's JSON shape, must equal
 * hcl2-parser's own output for every `.tf`/`.hcl` file of the conformance corpus; where
 * hcl2-parser refuses a file, we must report an error too.
 */
const require = createRequire(import.meta.url);
const hcl2 = require('hcl2-parser') as { parseToObject(text: string): [unknown, unknown] };

const root = join(conformanceDir, 'terraform');
const files = filesUnder(root, ['.tf', '.hcl']);

test('the Terraform corpus is there', (t) => {
  t.true(files.length >= 50, `only ${files.length} files under ${root}`);
});

/** Our result for `text` in hcl2-parser's shape, or `error` where we (or hcl2json) refuse it. */
function ours(text: string, file: string): { errors: string[]; json?: unknown } {
  const { body, diagnostics } = parseHcl(text, file);
  const errors = diagnostics.filter((d) => d.severity === 'error').map((d) => d.summary);
  if (errors.length) return { errors };
  try {
    return { errors, json: toHcl2Json(body, text) };
  } catch (e) {
    if (e instanceof Hcl2JsonError) return { errors: [e.message] };
    throw e;
  }
}

for (const file of files) {
  test(`same structure as hcl2-parser: ${relative(conformanceDir, file)}`, (t) => {
    const text = readFileSync(file, 'utf8');
    const [expected, oracleError] = hcl2.parseToObject(text);
    const actual = ours(text, file);
    if (oracleError) t.true(actual.errors.length > 0, 'hcl2-parser rejects this file, so must we');
    else {
      t.deepEqual(actual.errors, []);
      t.deepEqual(actual.json, expected);
    }
  });
}

/** Grammar the corpus does not exercise: operators, templates, heredocs, splats, for, errors. */
const samples = [
  "a = 1 + 2 * 3 - 4 / 5 % 6",
  "a = !x && y || z == w != v < 1 <= 2 > 3 >= 4",
  "a = -1\nb = - 1.5\nc = !false\nd = -x.y",
  "a = \"x${b}y${c.d[0]}z\"",
  "a = \"${b}\"\nc = \"${ b }\"\nd = \"${~ b ~}\"",
  "a = \"$${b}\"\nc = \"%%{x}\"\nd = \"a$b%c$\"",
  "a = \"\\n\\t\\\"\\\\\\u00e9\\U0001F600\"",
  "a = <<EOT\n  hello ${name}\n  %{ if x }yes%{ else }no%{ endif }\nEOT\n",
  "a = <<-EOT\n    a\n      b ${c}\n    d\n    EOT\n",
  "a = <<-EOT\n  %{ for x in y ~}\n    ${x}\n  %{ endfor ~}\n  EOT\n",
  "a = <<-EOT\n\n    after blank\n  EOT\n",
  "a = <<-EOT\n${x}\n    indented\nEOT\n",
  "a = \"%{ for k, v in m }${k}=${v},%{ endfor }\"",
  "a = \"%{ if a }x%{ endif }\"",
  "a = \"${a ? b : c}\"\nb = \"p${a ? \"x\" : 1}q\"",
  "a = [for x in y : x if x > 1]\nb = {for k, v in m : k => v...}\nc = {for k, v in m : upper(k) => v if v != null}",
  "a = x[*].y.z[0]\nb = x.*.y.z\nc = x.*.y[0]\nd = x.0.y\ne = x[1][2]\nf = x[\"k\"].y",
  "a = f()\nb = f(1, 2,)\nc = f(x...)\nd = f(\n  1,\n  2\n)",
  "a = (1 + 2) * 3\nb = ((x))",
  "a = a ? b : c ? d : e",
  "a = {\n  b = 1\n  \"c\" = 2\n  (d) = 3\n  e: 4, f = 5\n  g.h = 6\n  7 = 8\n}",
  "a = [\n  1,\n  \"two\",\n  [3],\n  {four = 4},\n]",
  "a = 1e3\nb = 1.5e-2\nc = 0.10\nd = 12345678901234567890\ne = 007",
  "a = true\nb = false\nc = null",
  "block \"l1\" \"l2\" {\n  x = 1\n}\nblock \"l1\" \"l2\" {\n  x = 2\n}\nblock \"l1\" \"l3\" {}",
  "b1 { a = 1 }\nb2 {}\nb3 {\n}\nb4 \"x\" { y = \"z\" }",
  "b bare label {\n  z = 1\n}",
  "# comment\n// comment\n/* block\ncomment */ a = 1 # trailing\nb = /* inline */ 2",
  "a = 1\n\n\n\nb = 2\n",
  "outer {\n  inner {\n    deep {\n      x = [for v in [1,2] : v * 2]\n    }\n  }\n}",
  "a = \"${\"${\"${x}\"}\"}\"",
  "a = \"a${\"b\"}c\"\nb = \"a${1}b${true}c\"",
  "a = x ? \"${y}\" : <<EOT\nz\nEOT\n",
  "a = data.openstack_networking_network_v2.ext_network.id\nb = var.x[count.index]",
  "a = {\n  for k, v in x : k => v\n}",
  "a = [\n  for x in y:\n  x\n]",
  "a = \"${x}${y}\"\nb = \"${x} \"",
  "a = \"\\u00\"",
  "a = x.*",
  "a = x[*]",
  "a = x[*][*].y",
  "a = \"%{if x ~} y %{~ endif}\"",
  "a = \" ${~x} \"",
  "a = 1 +\n2",
  "a = [1 +\n2]",
  "a = f(1\n+2)",
  "a = {b = 1 +\n2}",
  "a = \"multi ${\n x \n} line\"",
  "a = { \"${x}\" = 1, \"k${y}\" = 2 }",
  "a = {(x) = 1}",
  "a = x.y.0.z[1]",
  "a = [\"${x}\", \"b\", 1, null]",
  "a = { true = 1, false = 2 }",
  "a = \"%{ for x in y }%{ if x }${x}%{ endif }%{ endfor }\"",
  "a = <<EOT\n$${not} %%{this}\nEOT\n",
  "a = 1.0\nb = 100\nc = 1.000e2",
  "a = -0.5\nb = !true",
  "a = -(1)",
  "a = x == \"${y}\"",
  "a = 1 # c\n  // c2\nb {\n  # in block\n}\n",
  "locals {\n  a = 1\n}\nlocals {\n  b = 2\n}",
  "a = [for i, v in x : \"${i}-${v}\"]",
  "a = upper(\"x\")[0]",
  "a = [1,2][0]",
  "a = {a=1}.a",
  "a = \"x\".y",
  "a = x[*].y[*].z",
  "a = tomap({a = 1})[\"a\"]",
  "a = x\nb = \"y\"\n",
  "a = <<EOT\nline\nEOT\n",
  "a = \"tab\there\"",
  "b {\n}\nb \"x\" {\n}",
  "a = 1, b = 2",
  "a = \"unterminated\nb = 2",
  "a = \"\u00fcn\u00efc\u00f6d\u00e9 ${\u00f1}\"\n\u00f1ame = 1",
  "a = <<-EOT\n\t\tx\n\t y\n  EOT\n",
  "a = \"${x ~}\n\"",
  "a = \"   %{~ if true ~}   x   %{~ endif ~}   \"",
  "a = <<-EOT\n  x ${y}\n    z\n  EOT\n",
  "a = <<-EOT\n  ${y} x\n    z\n  EOT\n",
  "a = <<-EOT\n    x\n  \n    y\n  EOT\n",
  "a = <<-EOT\n    x\n\n    y\n  EOT\n",
  "a = <<EOT\n  %{~ if a ~}\n  yes\n  %{~ endif ~}\nEOT\n",
  "a = <<-EOT\n  a ${~ b ~} c\n  EOT\n",
  "a = <<EOT\nEOT\n",
  "a = <<-EOT\n  EOT\n",
  "a = [<<EOT\nx\nEOT\n, \"y\"]",
  "a = f(<<EOT\nx\nEOT\n)",
  "a = \"${f(\n1\n)}\"",
  "a = {\n  # comment\n  b = 1 # c\n  // d\n  c = 2\n}",
  "a = [\n  # c\n  1, # d\n  2\n]",
  "a = x /* c */ . /* d */ y",
  "a = x[ /* c */ 0 ]",
  "a = \"${ /* c */ x }\"",
  "a   =   1",
  "a=1\nb={c=2}",
  "a = x ? y : z ? w : v",
  "a = (x ? y : z) ? w : v",
  "a = x || y && z",
  "a = (x || y) && z",
  "a = x + y * z - w",
  "a = -x + y",
  "a = !x == y",
  "a = x.y[*]",
  "a = x[*].y.*.z",
  "a = [for x in y: {a = x}]",
  "a = {for x in y: x => {a = x}}",
  "a = {for x in y: x => [x]...}",
  "a = [for x in y: x if x]",
  "a = [for x, y in z: x]",
  "a = f(g(h(1)))",
  "a = f(g(h(1)) )",
  "a = x[f(1)]",
  "a = \"${f(1)}\"",
  "a = \"${(1)}\"",
  "a = [\"${f(x)}\"]",
  "a = {k = f(x)}",
  "a = f(x)\nb = (x)",
  "a = x.y.z",
  "a = \"%{ for v in x }${v}%{ endfor }\"",
  "a = \"%{ for k, v in x ~}${k}%{~ endfor }\"",
  "a = \"%{ if x }%{ endif }\"",
  "a = \"%{ if x }a%{ else }%{ endif }\"",
  "a = \"%{ if x }%{ else }b%{ endif }\"",
  "a = \"x%{ if a }%{ if b }B%{ endif }%{ endif }y\"",
  "a = \"${x}%{if y}z%{endif}\"",
  "a = \"${[1,2]}\"\nb = \"${{a=1}}\"\nc = \"${true}\"\nd = \"${null}\"",
  "a = \"a${\"b${c}\"}\"",
  "a = \"a${\"${c}\"}\"",
  "a = \"\"\nb = \"${\"\"}\"",
  "a = \"a${-1}b\"\nb = \"${-1}\"\nc = \"${!x}\"",
  "a = 1.5\nb = \"${1.50}\"\nc = \"x${1e2}\"",
  "a = {\"a.b\" = 1, \"c d\" = 2}",
  "a = {a = {b = {c = 1}}}",
  "a = [[[]]]",
  "a = {}",
  "a = []",
  "a = {\n}",
  "a = x\n   .y",
  "a = [x\n.y]",
  "r \"a\" \"b\" { }",
  "r \"a\" \"b\" {\n  a = 1\n  b {\n    c = 2\n  }\n  b {\n    c = 3\n  }\n}",
  "r a \"b\" c {}",
  "r \"a\\\"b\" {}",
  "dynamic \"x\" {\n  for_each = y\n  content {\n    z = x.value\n  }\n}",
  "a = \"\\\\${x}\"",
  "a = \"$$\"\nb = \"%%\"\nc = \"$\"\nd = \"%\"",
  "a = \"$${\"",
  "a = \"%{if x}\\n%{endif}\"",
  "a = <<EOT\n\\n not escaped \\t\nEOT\n",
  "a = <<EOT\n    EOTX\nEOT\n",
  "a = <<EOT\n  EOT  \n",
  "a = <<-EOT\n\tx\n\tEOT\n",
  "a = 1 # comment at end",
  "a = 1 // comment at end",
  "a = 1 /* at end */",
  "a = f(x, y...)",
  "a = f(\n  x,\n  y...\n)",
  "a = x ? [for v in y: v] : []",
  "a = [ for v in y : v ]",
  "a = 0\nb = 0.0\nc = 10e0",
  "a = x.0",
  "a = x.*.0",
  "a = x[*].0",
  "a = \"${x.y[0][\"k\"]}\"",
  "a = x[0].y[1].z"
];

test(`same structure as hcl2-parser on ${samples.length} grammar samples`, (t) => {
  for (const text of samples) {
    const [expected, oracleError] = hcl2.parseToObject(text);
    const actual = ours(text, 'sample.tf');
    if (oracleError) t.true(actual.errors.length > 0, `hcl2-parser rejects ${JSON.stringify(text)}, so must we`);
    else t.deepEqual(actual, { errors: [], json: expected }, `sample ${JSON.stringify(text)}`);
  }
});

test('deliberate differences: what hcl2-parser (HCL 2.10) refuses and we accept', (t) => {
  // Namespaced function names arrived in HCL 2.20 (Terraform 1.8 provider functions).
  const ns = 'a = provider::openstack::f(1)\n';
  t.truthy(hcl2.parseToObject(ns)[1]);
  t.deepEqual(ours(ns, 'x.tf'), { errors: [], json: { a: '${provider::openstack::f(1)}' } });
  // A heredoc closed on the last line of a file without a final newline.
  const eof = 'a = <<EOT\nx\nEOT';
  t.truthy(hcl2.parseToObject(eof)[1]);
  t.deepEqual(ours(eof, 'x.tf'), { errors: [], json: { a: 'x\n' } });
});
