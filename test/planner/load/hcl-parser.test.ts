import test from 'ava';
import type { Expr } from '../../../planner/expr/ast.js';
import type { Body } from '../../../planner/model/body.js';
import type { Diagnostic } from '../../../core/diagnostics.js';
import type { Range } from '../../../core/source.js';
import { parseHcl, parseHclExpression } from '../../../planner/load/hcl/parse.js';
import { showExpr as show } from '../../support/hcl2json.js';

/** Grammar of HCL native syntax: expressions, precedence, traversals, bodies, positions. */

const FILE = 'main.tf';
const errors = (d: Diagnostic[]) => d.filter((x) => x.severity === 'error');

/** Parses `a = <src>` and returns the value of `a`, failing on any diagnostic. */
function expr(t: { deepEqual(a: unknown, b: unknown, m?: string): void }, src: string): Expr {
  const { body, diagnostics } = parseHcl(`a = ${src}\n`, FILE);
  t.deepEqual(diagnostics, [], `diagnostics for ${src}`);
  return body.attributes[0]!.value;
}

const at = (r: Range) => `${r.line}:${r.col}-${r.endLine}:${r.endCol}`;

test('binary operators follow HCL precedence and associate to the left', (t) => {
  t.is(show(expr(t, 'a || b && c == d < e + f * g')), '(@a || (@b && (@c == (@d < (@e + (@f * @g))))))');
  t.is(show(expr(t, 'a * b + c * d')), '((@a * @b) + (@c * @d))');
  t.is(show(expr(t, 'a - b - c')), '((@a - @b) - @c)');
  t.is(show(expr(t, 'a / b % c * d')), '(((@a / @b) % @c) * @d)');
  t.is(show(expr(t, 'a != b == c')), '((@a != @b) == @c)');
  t.is(show(expr(t, 'a <= b >= c > d')), '(((@a <= @b) >= @c) > @d)');
  t.is(show(expr(t, 'a && b || c && d')), '((@a && @b) || (@c && @d))');
});

test('unary operators bind tighter than binary ones, over a whole traversal', (t) => {
  t.is(show(expr(t, '-a + b')), '((-@a) + @b)');
  t.is(show(expr(t, '!a.b && c')), '((!@a.b) && @c)');
  t.is(show(expr(t, '- -1')), '(-(-1))');
  t.is(show(expr(t, '!x == y')), '((!@x) == @y)');
});

test('conditionals nest to the right and parentheses are kept', (t) => {
  t.is(show(expr(t, 'a ? b : c ? d : e')), '(@a ? @b : (@c ? @d : @e))');
  t.is(show(expr(t, '(a ? b : c) ? d : e')), '(((@a ? @b : @c)) ? @d : @e)');
  t.is(show(expr(t, '(1 + 2) * 3')), '(((1 + 2)) * 3)');
  t.is(expr(t, '(x)').kind, 'paren');
});

test('literals keep the source text of numbers', (t) => {
  const n = expr(t, '1.50');
  t.like(n, { kind: 'literal', value: 1.5, raw: '1.50' });
  t.like(expr(t, '18446744073709551615'), { kind: 'literal', raw: '18446744073709551615' });
  t.like(expr(t, '1e3'), { value: 1000, raw: '1e3' });
  t.like(expr(t, '2.5E-2'), { value: 0.025 });
  t.like(expr(t, 'true'), { kind: 'literal', value: true });
  t.like(expr(t, 'false'), { kind: 'literal', value: false });
  t.like(expr(t, 'null'), { kind: 'literal', value: null });
});

test('references keep every step; other targets get index/getattr nodes', (t) => {
  t.is(show(expr(t, 'data.network.app.id')), '@data.network.app.id');
  t.is(show(expr(t, 'a.b[0].c["k"]')), '@a.b[0].c["k"]');
  t.is(show(expr(t, 'x.y[count.index].id')), '@x.y[@count.index].id');
  t.is(show(expr(t, 'port.fixed_ip.0.ip_address')), '@port.fixed_ip[0].ip_address');
  t.is(show(expr(t, 'f(x)[0]')), 'f(@x){0}');
  t.is(show(expr(t, '(a).b')), '(@a):b');
  t.is(show(expr(t, '[1, 2][1]')), '[1, 2]{1}');
  t.is(show(expr(t, '{a = 1}.a')), '{a: 1}:a');
});

test('splats: full and attribute-only', (t) => {
  t.is(show(expr(t, 'x[*].y.z[0]')), 'splat-full(@x => ITEM:y:z{0})');
  t.is(show(expr(t, 'x.*.y.z')), 'splat-attr(@x => ITEM:y:z)');
  t.is(show(expr(t, 'x.*.y[0]')), 'splat-attr(@x => ITEM:y){0}');
  t.is(show(expr(t, 'x[*]')), 'splat-full(@x => ITEM)');
  t.is(show(expr(t, 'a.b[*].c[*].d')), 'splat-full(@a.b => splat-full(ITEM:c => ITEM:d))');
  t.is(show(expr(t, 'attachments.*.device')), 'splat-attr(@attachments => ITEM:device)');
});

test('function calls: trailing comma, expansion, namespaced names, newlines', (t) => {
  t.is(show(expr(t, 'f()')), 'f()');
  t.is(show(expr(t, 'f(1, 2,)')), 'f(1, 2)');
  t.is(show(expr(t, 'merge(a, b...)')), 'merge(@a, @b...)');
  t.is(show(expr(t, 'provider::openstack::parse(x)')), 'provider::openstack::parse(@x)');
  t.is(show(expr(t, 'format(\n  "%s",\n  x\n)')), 'format("%s", @x)');
  const call = expr(t, 'timeadd(timestamp(), "1h")');
  t.is(call.kind === 'call' ? at(call.nameRange) : '', '1:5-1:12');
});

test('tuples and objects: separators, trailing commas, key forms', (t) => {
  t.is(show(expr(t, '[1, "two", [3],]')), '[1, "two", [3]]');
  t.is(show(expr(t, '[\n  1,\n  2\n]')), '[1, 2]');
  t.is(show(expr(t, '{}')), '{}');
  t.is(show(expr(t, '{ a = 1, b: 2 }')), '{a: 1, b: 2}');
  t.is(show(expr(t, '{\n  a = 1\n  "b c" = 2\n  (k) = 3\n  d.e = 4\n}')), '{a: 1, ~"b c": 2, ~(@k): 3, ~@d.e: 4}');
  t.is(show(expr(t, '{ true = 1 }')), '{~true: 1}');
  const o = expr(t, '{ name = "x" }');
  t.true(o.kind === 'object' && o.items[0]!.bareKey === true);
});

test('for expressions: list and object forms, filters and grouping', (t) => {
  t.is(show(expr(t, '[for v in xs : v.name if v.enabled]')), 'for-tuple(v in @xs: @v.name if @v.enabled)');
  t.is(show(expr(t, '{for k, v in m : upper(k) => v...}')), 'for-object(k, v in @m: upper(@k) => @v...)');
  t.is(show(expr(t, '[\n  for i, v in xs:\n  "${i}=${v}"\n]')), 'for-tuple(i, v in @xs: tpl(@i + "=" + @v))');
  t.is(show(expr(t, '[for x in y : {a = x}]')), 'for-tuple(x in @y: {a: @x})');
});

test('a body holds attributes, blocks with quoted and bare labels, and one-line blocks', (t) => {
  const src = [
    '# comment',
    'resource "database_instance" "orders" {',
    '  name = "orders" // trailing comment',
    '  /* inline */ size = 10',
    '  lifecycle { prevent_destroy = true }',
    '  database orders {',
    '  }',
    '  empty {}',
    '}',
    '',
  ].join('\n');
  const { body, diagnostics } = parseHcl(src, FILE);
  t.deepEqual(diagnostics, []);
  const r = body.blocks[0]!;
  t.is(r.type, 'resource');
  t.deepEqual(r.labels, ['database_instance', 'orders']);
  t.deepEqual(r.body.attributes.map((a) => a.name), ['name', 'size']);
  t.deepEqual(r.body.blocks.map((b) => [b.type, b.labels]), [
    ['lifecycle', []],
    ['database', ['orders']],
    ['empty', []],
  ]);
  t.is(show(r.body.blocks[0]!.body.attributes[0]!.value), 'true');
});

test('CRLF line endings and a byte order mark are accepted', (t) => {
  const { body, diagnostics } = parseHcl('\uFEFFa = 1\r\nb {\r\n  c = "d"\r\n}\r\n', FILE);
  t.deepEqual(diagnostics, []);
  t.deepEqual(body.attributes.map((a) => a.name), ['a']);
  t.is(body.blocks[0]!.body.attributes[0]!.name, 'c');
});

test('every node has an exact range (1-based, end exclusive)', (t) => {
  const src = 'resource "t" "n" {\n  size  = var.sizes[count.index] + 1\n  label = "db-${var.name}"\n}\n';
  const { body } = parseHcl(src, FILE);
  const block = body.blocks[0]!;
  t.is(at(block.range), '1:1-4:2');
  t.is(at(block.typeRange), '1:1-1:9');
  t.deepEqual(block.labelRanges.map(at), ['1:10-1:13', '1:14-1:17']);
  t.is(at(block.body.range), '1:18-4:2');
  const size = block.body.attributes[0]!;
  t.is(at(size.nameRange), '2:3-2:7');
  t.is(at(size.range), '2:3-2:37');
  const sum = size.value;
  t.is(at(sum.range), '2:11-2:37');
  if (sum.kind !== 'binary' || sum.left.kind !== 'ref') return t.fail();
  t.is(at(sum.left.range), '2:11-2:33');
  t.deepEqual(sum.left.steps.map((s) => at(s.range)), ['2:14-2:20', '2:20-2:33']);
  t.is(at(sum.right.range), '2:36-2:37');
  const label = block.body.attributes[1]!.value;
  t.is(at(label.range), '3:11-3:27');
  if (label.kind !== 'template') return t.fail();
  t.deepEqual(label.parts.map((p) => at(p.range)), ['3:12-3:15', '3:17-3:25']);
  t.is(body.range.file, FILE);
});

test('parseHclExpression reads one expression across lines, placed at an origin', (t) => {
  const r = parseHclExpression('cond\n  ? a\n  : b', 'x.yaml', { line: 10, col: 5 });
  t.deepEqual(r.diagnostics, []);
  t.is(show(r.expr), '(@cond ? @a : @b)');
  t.is(at(r.expr.range), '10:5-12:6');
  const bad = parseHclExpression('a b', 'x.yaml', { line: 1, col: 1 });
  t.is(errors(bad.diagnostics)[0]?.summary, 'expected the end of the expression, found `b`');
});

function errorsOf(src: string): { body: Body; list: string[] } {
  const { body, diagnostics } = parseHcl(src, FILE);
  return { body, list: errors(diagnostics).map((d) => `${d.range!.line}:${d.range!.col} ${d.summary}`) };
}

test('syntax errors name what was expected, where', (t) => {
  t.deepEqual(errorsOf('resource "x"\n{\n}\n').list.slice(0, 1), ['1:13 expected `{` on the same line as `resource "x"`, found a newline']);
  t.deepEqual(errorsOf('resource "x" = 1\n').list, ['1:14 expected a block body `{ … }` after `resource "x"`, found `=`']);
  t.deepEqual(errorsOf('name\n').list, ['1:5 expected `=` or a block body after `name`, found a newline']);
  t.deepEqual(errorsOf('a = \n').list, ['1:5 expected an expression, found a newline']);
  t.deepEqual(errorsOf('a = [1 2]\n').list, ['1:8 expected `,` or `]` after a list element (the list opened at 1:5), found `2`']);
  t.deepEqual(errorsOf('a = f(1 2)\n').list, ['1:9 expected `,` or `)` after an argument of `f(`, found `2`']);
  t.deepEqual(errorsOf('a = {b 1}\n').list, ['1:8 expected `=` and a value after the object key, found `1`']);
  t.deepEqual(errorsOf('a = 1, b = 2\n').list, ['1:6 unexpected `,` after the argument `a`']);
  t.deepEqual(errorsOf('a = x ? y\n').list, ['1:10 expected `:` and the false result of the conditional, found a newline']);
  t.deepEqual(errorsOf('a = "abc\nb = 1\n').list, ['1:5 expected `"` to close the string before the end of the line']);
  t.deepEqual(errorsOf('a = "\\q"\n').list, ['1:6 invalid escape sequence: `\\q` is not a valid escape sequence (use \\n, \\r, \\t, \\", \\\\, \\uNNNN or \\UNNNNNNNN)']);
  t.deepEqual(errorsOf('b {\n  c = 1\n').list, ['1:3 expected `}` to close `b` (opened at 1:3), found the end of the file']);
  t.deepEqual(errorsOf('a = x.\n').list, ['1:7 expected an attribute name after `.`, found a newline']);
  t.deepEqual(errorsOf('a = [for x y]\n').list, ['1:12 expected `in` after the variable names of `for`, found `y`']);
  t.deepEqual(errorsOf('"a" = 1\n').list, ['1:1 expected an argument name or a block type, found a string']);
  t.deepEqual(errorsOf('}\n').list, ['1:1 unexpected `}`: there is no open block to close']);
  t.deepEqual(errorsOf('b { c = 1, d = 2 }\n').list, ['1:10 a block written on one line can hold only one argument']);
  t.deepEqual(errorsOf('a = <<EOT\nno end\n').list, ['1:5 expected a line holding only `EOT` to end the heredoc opened at 1:5, found the end of the file']);
  t.deepEqual(errorsOf('a = x.0.1\n').list, ['1:7 `.0.1` is not a valid index']);
  t.deepEqual(errorsOf('a = 1 /* open\n').list, ['1:7 expected a newline after the value of `a`, found an unterminated `/*` comment']);
});

test('an attribute set twice is reported at the second, naming the first', (t) => {
  const { body, diagnostics } = parseHcl('b {\n  x = 1\n  x = 2\n}\n', FILE);
  t.is(diagnostics.length, 1);
  t.is(diagnostics[0]!.summary, 'the argument `x` is set twice');
  t.is(at(diagnostics[0]!.range!), '3:3-3:4');
  t.regex(diagnostics[0]!.detail!, /main\.tf:2:3/);
  t.is(body.blocks[0]!.body.attributes.length, 1);
});

test('after an error the parser goes on and reports the next one too', (t) => {
  const { body, list } = errorsOf('a = = 1\nb = 2\nc {\n  d = [1,\n}\ne = (3\nf = 4\ng = "ok"\n');
  t.deepEqual(list, ['1:5 expected an expression, found `=`', '5:1 expected an expression, found `}`', '7:1 expected `)` to close the `(` at 6:5, found `f`']);
  t.deepEqual(body.attributes.map((a) => a.name), ['a', 'b', 'e', 'f', 'g']);
  t.is(body.blocks[0]!.type, 'c');
});

test('nesting deeper than the guard is an error, not a stack overflow', (t) => {
  const sources = ['['.repeat(5000), '('.repeat(5000) + '1', '-'.repeat(5000) + '1', '"${'.repeat(3000), 'x' + '[*]'.repeat(3000), '"' + '%{if x}'.repeat(1000) + '"', '1' + ' + 1'.repeat(5000), 'true' + ' && true'.repeat(20000), '[1]' + '[0]'.repeat(20000), '(1)' + '[0]'.repeat(600)].map((s) => `a = ${s}\n`);
  for (const src of [...sources, 'b {\n'.repeat(2000)]) {
    const { diagnostics } = parseHcl(src, FILE);
    t.true(
      diagnostics.some((d) => d.summary === 'nesting deeper than 500 levels' && d.range !== undefined),
      `no depth error for ${src.slice(0, 10)}…: ${diagnostics.map((d) => d.summary).join('; ')}`,
    );
  }
  t.deepEqual(errors(parseHcl(`a = ${'['.repeat(400)}${']'.repeat(400)}\n`, FILE).diagnostics), []);
});
