import test from 'ava';
import type { Expr } from '../../../planner/expr/ast.js';
import type { Range } from '../../../core/source.js';
import { parseHcl, parseHclTemplate } from '../../../planner/load/hcl/parse.js';
import { showExpr as show } from '../../support/hcl2json.js';

/** Strings, escapes, templates with interpolation and directives, strip markers, heredocs. */

const FILE = 'main.tf';
const at = (r: Range) => `${r.line}:${r.col}-${r.endLine}:${r.endCol}`;

function value(t: { deepEqual(a: unknown, b: unknown, m?: string): void }, src: string): Expr {
  const { body, diagnostics } = parseHcl(`a = ${src}\n`, FILE);
  t.deepEqual(diagnostics, [], `diagnostics for ${src}`);
  return body.attributes[0]!.value;
}

test('a string without interpolation is a literal; exactly "${x}" is a single template', (t) => {
  t.like(value(t, '"plain"'), { kind: 'literal', value: 'plain' });
  t.like(value(t, '""'), { kind: 'literal', value: '' });
  t.is(show(value(t, '"${x}"')), 'tpl!(@x)');
  t.is(show(value(t, '"${ x.y }"')), 'tpl!(@x.y)');
  t.is(show(value(t, '"a${x}b"')), 'tpl("a" + @x + "b")');
  t.is(show(value(t, '"${x}${y}"')), 'tpl(@x + @y)');
  t.is(show(value(t, '"${x} "')), 'tpl(@x + " ")');
});

test('escapes are decoded, `$${` and `%%{` are literal text', (t) => {
  t.like(value(t, '"a\\n\\t\\r\\"\\\\b"'), { kind: 'literal', value: 'a\n\t\r"\\b' });
  t.like(value(t, '"\\u00e9\\U0001F600"'), { kind: 'literal', value: 'é😀' });
  t.like(value(t, '"$${x} %%{y}"'), { kind: 'literal', value: '${x} %{y}' });
  t.like(value(t, '"$ % $$ %% $x"'), { kind: 'literal', value: '$ % $$ %% $x' });
  t.is(show(value(t, '"$${a}${b}"')), 'tpl("${a}" + @b)');
  const bad = parseHcl('a = "\\u12"\n', FILE).diagnostics;
  t.is(bad[0]?.summary, 'invalid escape sequence: \\u must be followed by exactly 4 hexadecimal digits');
  t.is(at(bad[0]!.range!), '1:6-1:10');
});

test('template directives: if/else/endif and for/endfor', (t) => {
  t.is(show(value(t, '"%{ if a }yes%{ else }no%{ endif }"')), 'tpl((@a ? tpl("yes") : tpl("no")))');
  t.is(show(value(t, '"x%{ if a }A%{ endif }y"')), 'tpl("x" + (@a ? tpl("A") : tpl()) + "y")');
  t.is(show(value(t, '"%{ for k, v in m }${k}=${v};%{ endfor }"')), 'tpl(for-string(k, v in @m: tpl(@k + "=" + @v + ";")))');
  t.is(show(value(t, '"%{for x in xs}%{if x}${x}%{endif}%{endfor}"')), 'tpl(for-string(x in @xs: tpl((@x ? tpl(@x) : tpl()))))');
  const e = value(t, '"%{ if a }yes%{ endif }"');
  if (e.kind !== 'template' || e.parts[0]!.kind !== 'conditional') return t.fail();
  t.is(at(e.parts[0]!.range), '1:6-1:28');
});

test('strip markers remove spaces next to them in literal text only', (t) => {
  t.is(show(value(t, '"a  ${~ x ~}  b"')), 'tpl("a" + @x + "b")');
  t.is(show(value(t, '"   %{~ if true ~}   x   %{~ endif ~}   "')), 'tpl((true ? tpl("x") : tpl()))');
  t.is(show(value(t, '"${"a "}${~ x}"')), 'tpl("a " + @x)');
});

test('heredocs keep their final newline; <<- removes the common indent', (t) => {
  t.like(value(t, '<<EOT\n  hello\n    world\nEOT\n'), { kind: 'literal', value: '  hello\n    world\n' });
  t.like(value(t, '<<-EOT\n    hello\n      world\n    EOT\n'), { kind: 'literal', value: 'hello\n  world\n' });
  t.like(value(t, '<<-EOT\n    a\n\n    b\n  EOT\n'), { kind: 'literal', value: 'a\n\nb\n' });
  t.like(value(t, '<<EOT\n\\n is not an escape; $${x} is\nEOT\n'), { kind: 'literal', value: '\\n is not an escape; ${x} is\n' });
  t.like(value(t, '<<EOT\nEOT\n'), { kind: 'literal', value: '' });
  t.like(value(t, '<<EOT\r\nwindows\r\nEOT\r\n'), { kind: 'literal', value: 'windows\r\n' });
  t.is(show(value(t, '<<EOT\nhi ${name}\nEOT\n')), 'tplH("hi " + @name + "\\n")');
  // As in HCL (checked against hcl2-parser): `~}` eats the newline after the directive, and the
  // line after it then no longer counts as line-leading, so its indent is not flushed.
  t.is(show(value(t, '<<-EOT\n  %{ for x in xs ~}\n    ${x}\n  %{ endfor ~}\n  EOT\n')), 'tplH(for-string(x in @xs: tpl("    " + @x + "\\n")))');
  const h = value(t, '<<EOT\nx\n  EOT\n');
  t.is(at(h.range), '1:5-3:6');
});

test('a heredoc can sit inside brackets and calls', (t) => {
  t.is(show(value(t, '[<<EOT\nx\nEOT\n, "y"]')), '["x\\n", "y"]');
  t.is(show(value(t, 'trimspace(<<EOT\nx\nEOT\n)')), 'trimspace("x\\n")');
});

test('interpolations nest, hold any expression and may span lines', (t) => {
  t.is(show(value(t, '"a${"b${c}"}"')), 'tpl("a" + tpl("b" + @c))');
  t.is(show(value(t, '"${a ? "x" : 1}"')), 'tpl!((@a ? "x" : 1))');
  t.is(show(value(t, '"n=${f(\n  1,\n  2\n)}"')), 'tpl("n=" + f(1, 2))');
  t.is(show(value(t, '"${[for v in xs : v]}"')), 'tpl!(for-tuple(v in @xs: @v))');
});

test('parseHclTemplate reads a bare template placed at an origin', (t) => {
  const r = parseHclTemplate('db-${var.name}-%{if x}a%{endif}', 'stack.yaml', { line: 7, col: 12 });
  t.deepEqual(r.diagnostics, []);
  t.is(show(r.expr), 'tpl("db-" + @var.name + "-" + (@x ? tpl("a") : tpl()))');
  if (r.expr.kind !== 'template') return t.fail();
  t.is(at(r.expr.range), '7:12-7:43');
  t.is(at(r.expr.parts[1]!.range), '7:17-7:25');
  t.like(parseHclTemplate('no interpolation "quoted" \\n', 'f', { line: 1, col: 1 }).expr, { kind: 'literal', value: 'no interpolation "quoted" \\n' });
  t.is(show(parseHclTemplate('${x}', 'f', { line: 1, col: 1 }).expr), 'tpl!(@x)');
  t.like(parseHclTemplate('', 'f', { line: 1, col: 1 }).expr, { kind: 'literal', value: '' });
  const multi = parseHclTemplate('line1\n  ${x}', 'f', { line: 3, col: 9 });
  if (multi.expr.kind !== 'template') return t.fail();
  t.is(at(multi.expr.parts[1]!.range), '4:5-4:6');
});

test('template errors say which directive is unbalanced', (t) => {
  const summaries = (src: string) => parseHcl(`a = ${src}\n`, FILE).diagnostics.map((d) => d.summary);
  t.deepEqual(summaries('"%{ if a }x"'), ['`%{ if }` has no matching `%{ endif }`']);
  t.deepEqual(summaries('"x%{ endif }"'), ['unexpected `%{ endif }`: there is no open `%{ if }`']);
  t.deepEqual(summaries('"%{ for x in y }%{ else }%{ endfor }"'), ['unexpected `%{ else }` in the `%{ for }` at 1:6: `%{ for }` has no `%{ else }`']);
  t.deepEqual(summaries('"%{ iff a }"'), ['`iff` is not a template directive — did you mean `if`?']);
  t.deepEqual(summaries('"${ a b }"'), ['expected `}` to end the interpolation opened at 1:6, found `b`']);
  t.deepEqual(parseHclTemplate('${', 'f', { line: 1, col: 1 }).diagnostics.map((d) => d.summary), ['expected an expression, found the end of the file']);
});
