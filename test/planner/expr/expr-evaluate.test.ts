import test from 'ava';
import { childContext, evaluate } from '../../../planner/expr/evaluate.js';
import { MAX_DEPTH } from '../../../planner/expr/eval-node.js';
import { isUnknown, newObject, unknown } from '../../../core/value.js';
import type { Expr } from '../../../planner/expr/ast.js';
import {
  bin, call, callExpand, cond, ctx, forExpr, getattr, index, lit, neg, not, obj, paren, path, plain, ref, run, single, splat, tpl, tuple,
} from '../../support/expr-builders.js';

const orders = { host: 'db1', port: 5432, users: ['app', 'ro'], tags: { env: 'prod' } };
const roots = { database_instance: { orders }, var: { n: 3, s: 'x', list: [1, 2, 3], flag: true, nothing: null }, local: { u: unknown } };

function ok(t: import('ava').ExecutionContext, e: Expr, expected: unknown, r: Record<string, unknown> = roots): void {
  const res = run(e, r);
  t.deepEqual(res.diagnostics, [], JSON.stringify(res.diagnostics));
  t.deepEqual(plain(res.value), expected);
}

function fails(t: import('ava').ExecutionContext, e: Expr, where: Expr | { range: unknown }, summary: RegExp, r: Record<string, unknown> = roots): void {
  const res = run(e, r);
  t.true(isUnknown(res.value), 'an erroneous expression evaluates to unknown');
  t.is(res.diagnostics.length, 1, JSON.stringify(res.diagnostics));
  const d = res.diagnostics[0]!;
  t.is(d.severity, 'error');
  t.regex(d.summary, summary);
  t.deepEqual(d.range, where.range);
}

test('literals, tuples and objects', (t) => {
  ok(t, lit('a'), 'a');
  ok(t, tuple(1, 'b', true, null), [1, 'b', true, null]);
  ok(t, obj({ a: 1, b: tuple() }), { a: 1, b: [] });
  ok(t, obj([[1, 'one'], [true, 'yes']]), { 1: 'one', true: 'yes' });
  ok(t, obj([['__proto__', 1]]), { ['__proto__']: 1 });
});

test('object keys: unknown key makes the object unknown, null and collections are errors', (t) => {
  t.true(isUnknown(run(obj([[path('local.u'), 1]]), roots).value));
  const nullKey = lit(null);
  const r = run(obj([[nullKey, 1]]));
  t.is(r.diagnostics.length, 1);
  t.deepEqual(r.diagnostics[0]!.range, nullKey.range);
  const listKey = tuple();
  t.regex(run(obj([[listKey, 1]])).diagnostics[0]!.summary, /key must be a string, not list/);
});

test('references resolve root then steps', (t) => {
  ok(t, path('database_instance.orders.host'), 'db1');
  ok(t, ref('database_instance', 'orders', 'users', { index: 1 }), 'ro');
  ok(t, ref('database_instance', 'orders', 'users', '0'), 'app'); // legacy .0
  ok(t, ref('database_instance', 'orders', 'tags', { index: 'env' }), 'prod');
  ok(t, ref('var', 'list', { index: '2' }), 3); // numeric string index on a list
  ok(t, ref('database_instance', { index: 'orders' }, 'port'), 5432);
});

test('missing attribute: located error with did-you-mean', (t) => {
  const e = ref('database_instance', 'orders', 'hots');
  fails(t, e, e.steps[1]!, /^database_instance\.orders has no attribute `hots` — did you mean `host`\?$/);
  const far = ref('database_instance', 'orders', 'zzzzzzzz');
  const r = run(far, roots);
  t.is(r.diagnostics[0]!.summary, 'database_instance.orders has no attribute `zzzzzzzz`');
});

test('unknown root: error over scope and context names', (t) => {
  const e = path('databse_instance.orders');
  fails(t, e, e, /^Unknown reference `databse_instance` — did you mean `database_instance`\?$/);
  const inFor = forExpr({ value: 'item', in: tuple(1), v: path('iten') });
  t.regex(run(inFor).diagnostics[0]!.summary, /did you mean `item`/);
});

test('traversal errors: null, primitive, list attribute, bad index', (t) => {
  const nullAttr = ref('var', 'nothing', 'x');
  fails(t, nullAttr, nullAttr.steps[1]!, /Attempt to get attribute `x` from null value/);
  const strAttr = ref('var', 's', 'x');
  fails(t, strAttr, strAttr.steps[1]!, /var\.s is a string and has no attribute `x`/);
  const listAttr = ref('var', 'list', 'x');
  fails(t, listAttr, listAttr.steps[1]!, /var\.list is a list and has no attribute `x`/);
  const out = ref('var', 'list', { index: 3 });
  fails(t, out, out.steps[1]!, /Invalid index into var\.list: index 3 is out of range/);
  const frac = index(path('var.list'), 1.5);
  fails(t, frac, frac, /1\.5 is not a whole number/);
  const missing = index(path('database_instance.orders.tags'), 'evn');
  fails(t, missing, missing, /has no element "evn" — did you mean "env"\?/);
  const nullIdx = index(path('var.nothing'), 0);
  fails(t, nullIdx, nullIdx, /Attempt to index null value/);
});

test('unknown propagates through references', (t) => {
  const r = run(ref('local', 'u', 'a', { index: 3 }, 'b'), roots);
  t.deepEqual(r.diagnostics, []);
  t.true(isUnknown(r.value));
  const list = run(tuple(1, path('local.u')), roots);
  t.is((list.value as unknown[]).length, 2);
  t.true(isUnknown((list.value as unknown[])[1]));
  t.true(isUnknown(run(index(path('var.list'), path('local.u')), roots).value));
  t.true(isUnknown(run(getattr(path('local.u'), 'x'), roots).value));
});

test('templates convert primitives, single interpolation keeps the value', (t) => {
  ok(t, tpl('n=', path('var.n'), ' f=', path('var.flag'), ' x=', 1.5), 'n=3 f=true x=1.5');
  ok(t, tpl('big=', 1e21, ' small=', 1e-7), 'big=1000000000000000000000 small=0.0000001');
  ok(t, single(path('var.list')), [1, 2, 3]);
  ok(t, single(path('var.n')), 3);
  ok(t, tpl('a', cond(path('var.flag'), tpl('yes'), tpl('no'))), 'ayes'); // %{if}
  ok(t, forExpr({ value: 'v', in: path('var.list'), v: tpl(path('v'), ','), result: 'string' }), '1,2,3,'); // %{for}
});

test('templates: null and collections are errors at the part, unknown gives unknown', (t) => {
  const n = path('var.nothing');
  fails(t, tpl('a', n), n, /the expression result is null/);
  const l = path('var.list');
  fails(t, tpl('a', l), l, /a list cannot be included in a string template/);
  const r = run(tpl('a', path('local.u'), 'b'), roots);
  t.deepEqual(r.diagnostics, []);
  t.true(isUnknown(r.value));
  const both = run(tpl(path('local.u'), path('var.nothing')), roots);
  t.is(both.diagnostics.length, 1, 'errors are still reported next to unknown parts');
});

test('arithmetic and comparison on numbers, numeric strings converted', (t) => {
  ok(t, bin('+', 1, 2), 3);
  ok(t, bin('+', '1', '2'), 3);
  ok(t, bin('*', '1.5', 2), 3);
  ok(t, bin('-', 10, bin('/', 9, 3)), 7);
  ok(t, bin('%', 7, 3), 1);
  ok(t, bin('%', -7, 3), -1);
  ok(t, bin('%', 5, 0), 5); // cty: x % 0 = x
  ok(t, bin('<', '2', 10), true);
  ok(t, bin('>=', 3, 3), true);
  ok(t, neg(bin('-', 1, 3)), 2);
  ok(t, not(path('var.flag')), false);
  ok(t, bin('&&', 'true', true), true);
});

test('operator type errors point at the operand', (t) => {
  const bad = lit('abc');
  fails(t, bin('+', 1, bad), bad, /right operand of `\+`: a number is required, got the string "abc"/);
  const b = lit(true);
  fails(t, bin('*', b, 2), b, /left operand of `\*`: a number is required, got a bool/);
  const n = lit(null);
  fails(t, bin('&&', n, true), n, /left operand of `&&`: a bool is required, got null/);
  const s = lit('yes');
  fails(t, not(s), s, /a bool is required/);
  const z = lit(0);
  fails(t, bin('/', 0, z), z, /divide zero by zero/);
  t.is(run(bin('/', 1, 0)).value, Infinity);
});

test('equality is deep and strict about types', (t) => {
  ok(t, bin('==', tuple(1, obj({ a: 'x' })), tuple(1, obj({ a: 'x' }))), true);
  ok(t, bin('==', 1, '1'), false);
  ok(t, bin('!=', obj({ a: 1 }), obj({ a: 1, b: 2 })), true);
  ok(t, bin('==', null, null), true);
  ok(t, bin('==', tuple(1, 2), tuple(1, path('local.u'))), '(unknown)');
  ok(t, bin('==', tuple(1, 2), tuple(2, path('local.u'))), false); // a known difference decides
});

test('unknown operands: && and || short-circuit on a known decisive side', (t) => {
  ok(t, bin('+', path('local.u'), 1), '(unknown)');
  ok(t, bin('&&', false, path('local.u')), false);
  ok(t, bin('&&', true, path('local.u')), '(unknown)');
  ok(t, bin('||', path('local.u'), true), true);
  ok(t, not(path('local.u')), '(unknown)');
  const bad = lit('abc');
  fails(t, bin('+', path('local.u'), bad), bad, /a number is required/);
});

test('conditional: only the chosen branch reports errors', (t) => {
  ok(t, cond(path('var.flag'), 'a', 'b'), 'a');
  ok(t, cond(bin('==', path('var.nothing'), null), 'none', getattr(path('var.nothing'), 'x')), 'none');
  const badThen = ref('var', 'missing');
  const r = run(cond(false, badThen, 'ok'), roots);
  t.deepEqual(r.diagnostics, []);
  const chosen = run(cond(true, badThen, 'ok'), roots);
  t.is(chosen.diagnostics.length, 1);
});

test('conditional: unknown condition gives unknown; branch types unify', (t) => {
  const r = run(cond(path('local.u'), 'a', ref('var', 'missing')), roots);
  t.true(isUnknown(r.value));
  t.deepEqual(r.diagnostics, []);
  ok(t, cond(true, 1, 'b'), '1'); // number and string unify to string
  ok(t, cond(false, null, tuple(1)), [1]);
  const c = cond(true, tuple(), 'x');
  fails(t, c, c, /Inconsistent conditional result types: the true result is a list, the false result a string/);
  const nonBool = lit('maybe');
  fails(t, cond(nonBool, 1, 2), nonBool, /Invalid condition: a bool is required, not string/);
});

test('for: tuple and object results, scopes shadow roots', (t) => {
  ok(t, forExpr({ value: 'var', in: tuple(1, 2), v: bin('*', path('var'), 10) }), [10, 20]);
  ok(t, forExpr({ key: 'i', value: 'v', in: tuple('a', 'b'), v: tpl(path('i'), path('v')) }), ['0a', '1b']);
  ok(t, forExpr({ key: 'k', value: 'v', in: obj({ b: 2, a: 1 }), v: path('k') }), ['a', 'b']); // lexical order
  ok(t, forExpr({ key: 'k', value: 'v', in: obj({ a: 1, b: 2 }), k: tpl(path('k'), '!'), v: path('v') }), { 'a!': 1, 'b!': 2 });
  ok(t, forExpr({ value: 'v', in: path('var.list'), v: path('v'), if: bin('>', path('v'), 1) }), [2, 3]);
  const nested = forExpr({ value: 'a', in: tuple(1, 2), v: forExpr({ value: 'b', in: tuple(10), v: bin('+', path('a'), path('b')) }) });
  ok(t, nested, [[11], [12]]);
  ok(t, forExpr({ value: 'v', in: tuple(1, 2, 1), k: path('v'), v: tpl('x', path('v')), group: true }), { 1: ['x1', 'x1'], 2: ['x2'] });
});

test('for: errors and unknowns', (t) => {
  const dupKey = path('v');
  const dup = forExpr({ value: 'v', in: tuple('a', 'a'), k: dupKey, v: 1 });
  fails(t, dup, dupKey, /Duplicate object key "a" in `for` expression/);
  const n = path('var.nothing');
  fails(t, forExpr({ value: 'v', in: n, v: 1 }), n, /Iteration over null value/);
  const s = path('var.s');
  fails(t, forExpr({ value: 'v', in: s, v: 1 }), s, /a string cannot be used as the collection/);
  const c = lit('x');
  fails(t, forExpr({ value: 'v', in: tuple(1), v: 1, if: c }), c, /Invalid `for` condition/);
  ok(t, forExpr({ value: 'v', in: path('local.u'), v: 1 }), '(unknown)');
  ok(t, forExpr({ value: 'v', in: tuple(1, 2), v: 1, if: path('local.u') }), '(unknown)');
  ok(t, forExpr({ value: 'v', in: tuple(path('local.u'), 2), v: path('v') }), ['(unknown)', 2]);
  ok(t, forExpr({ value: 'v', in: tuple(1), k: path('local.u'), v: 1 }), '(unknown)');
});

test('splat: lists, single values, null, unknown', (t) => {
  const servers = { s: [{ id: 'a', ip: ['1'] }, { id: 'b', ip: ['2'] }] };
  ok(t, splat(path('var.s'), (it) => getattr(it, 'id')), ['a', 'b'], { var: servers });
  ok(t, splat(path('var.s'), (it) => index(getattr(it, 'ip'), 0)), ['1', '2'], { var: servers });
  ok(t, splat(path('var.one'), (it) => getattr(it, 'id')), ['x'], { var: { one: { id: 'x' } } });
  ok(t, splat(path('var.none'), (it) => getattr(it, 'id')), [], { var: { none: null } });
  ok(t, splat(path('local.u'), (it) => getattr(it, 'id')), '(unknown)');
  ok(t, splat(tuple(path('local.u'), obj({ id: 'b' })), (it) => getattr(it, 'id')), ['(unknown)', 'b']);
  // nested: outer[*].inner[*].v
  const nested = splat(path('var.o'), (it) => splat(getattr(it, 'inner'), (i2) => getattr(i2, 'v')));
  ok(t, nested, [[1, 2], [3]], { var: { o: [{ inner: [{ v: 1 }, { v: 2 }] }, { inner: [{ v: 3 }] }] } });
  const bad = splat(path('var.s'), (it) => getattr(it, 'nope'));
  const r = run(bad, { var: servers });
  t.is(r.diagnostics.length, 1, 'the same error on every element is reported once');
});

test('calls: functions, expansion, unknowns', (t) => {
  ok(t, call('upper', 'abc'), 'ABC');
  ok(t, callExpand('max', tuple(1, 5, 3)), 5);
  ok(t, callExpand('join', '-', tuple(tuple('a', 'b'))), 'a-b');
  ok(t, call('length', tuple(1, path('local.u'))), 2);
  ok(t, call('upper', path('local.u')), '(unknown)');
  ok(t, call('concat', tuple(1), tuple(path('local.u'))), [1, '(unknown)']);
  ok(t, callExpand('max', path('local.u')), '(unknown)');
});

test('call errors: unknown function, arity, located at the argument', (t) => {
  const f = call('uper', 'x');
  fails(t, f, { range: f.nameRange }, /^Call to unknown function `uper` — did you mean `upper`\?$/);
  const few = call('substr', 'x');
  fails(t, few, few, /substr\(\) takes exactly 3 arguments, got 1/);
  const many = call('upper', 'a', 'b');
  fails(t, many, many.args[1]!, /upper\(\) takes exactly 1 argument, got 2/);
  const arg = lit('nope');
  fails(t, call('cidrhost', arg, 1), arg, /^cidrhost\(\): invalid CIDR expression/);
  const second = lit(-1);
  fails(t, call('chunklist', tuple(1), second), second, /size argument must be positive/);
  const notList = lit('x');
  fails(t, callExpand('max', notList), notList, /Invalid expanding argument/);
});

test('try and can evaluate lazily and catch errors', (t) => {
  ok(t, call('try', path('database_instance.orders.nope'), 'fallback'), 'fallback');
  ok(t, call('try', path('database_instance.orders.host'), 'fallback'), 'db1');
  ok(t, call('can', path('database_instance.orders.nope')), false);
  ok(t, call('can', index(path('var.list'), 0)), true);
  ok(t, call('try', path('local.u'), 'x'), '(unknown)');
  ok(t, call('can', path('local.u')), '(unknown)');
  const all = call('try', path('var.nope'), index(path('var.list'), 9));
  const r = run(all, roots);
  t.is(r.diagnostics.length, 1);
  t.regex(r.diagnostics[0]!.summary, /^try\(\): no expression succeeded: var has no attribute `nope`/);
  const undeclared = path('nosuch.x');
  fails(t, call('try', undeclared, 1), undeclared, /Unknown reference `nosuch`/);
});

test('every error is collected in one run', (t) => {
  const e = tuple(path('var.a'), call('nofn'), bin('+', 1, 'x'), index(path('var.list'), 7));
  const r = run(e, roots);
  t.is(r.diagnostics.length, 4);
  t.true(r.diagnostics.every((d) => d.range !== undefined));
  const v = r.value as unknown[];
  t.is(v.length, 4);
  t.true(v.every(isUnknown));
});

test('deep nesting is reported, not a stack overflow', (t) => {
  let e: Expr = lit(1);
  for (let i = 0; i < MAX_DEPTH * 5; i++) e = paren(bin('+', e, 1));
  const r = run(e);
  t.is(r.diagnostics.length, 1);
  t.regex(r.diagnostics[0]!.summary, /nested too deeply/);
  t.true(isUnknown(r.value));
});

test('childContext shadows parent roots; baseDir is inherited', (t) => {
  const parent = ctx({ each: { key: 'outer' }, var: { a: 1 } }, '/tmp');
  const child = childContext(parent, newObject([['each', newObject([['key', 'inner']])]]));
  t.is(evaluate(path('each.key'), child).value, 'inner');
  t.is(evaluate(path('var.a'), child).value, 1);
  t.is(child.baseDir, '/tmp');
  t.regex(evaluate(path('eahc.key'), child).diagnostics[0]!.summary, /did you mean `each`/);
});

test('malformed nodes are diagnostics, not exceptions', (t) => {
  const r = run({ kind: 'bogus', range: lit(1).range } as unknown as Expr);
  t.is(r.diagnostics.length, 1);
  const s = run({ kind: 'splatItem', range: lit(1).range });
  t.regex(s.diagnostics[0]!.summary, /outside of a splat/);
});
