import test from 'ava';
import { createHash } from 'node:crypto';
import { lookupFunction } from '../../../planner/expr/functions/function-table.js';
import { isUnknown, unknown } from '../../../core/value.js';
import { check, checkFails } from '../../support/function-cases.js';
import { call, callFn, cond, obj, path, plain, run, tuple, vx } from '../../support/expr-builders.js';

/**
 * Heat HOT intrinsics and CFN functions, per heat/engine/hot/functions.py and
 * heat/engine/cfn/functions.py. Mapping arguments are one object argument; list arguments
 * are separate arguments.
 */
const sr = (template: unknown, params: unknown): unknown => ({ template, params });

test('str_replace: longer keys first, values never re-scanned, non-strings as Heat prints them', (t) => {
  check(t, [
    ['str_replace', [sr('$var1 is $var2 and $var1', { $var1: 'foo', $var2: 'bar' })], 'foo is bar and foo'],
    ['str_replace', [sr('var1 var10', { var1: 'a', var10: 'b' })], 'a b'],
    ['str_replace', [sr('ab', { a: 'b', b: 'c' })], 'bc'],
    ['str_replace', [sr('x y z l m', { x: true, y: 1.5, z: null, l: [1, 'a'], m: { b: 1, a: 'é' } })], 'True 1.5  [1, "a"] {"a": "\\u00e9", "b": 1}'],
    ['str_replace', [sr('no params here', {})], 'no params here'],
    ['str_replace_strict', [sr('host:port', { host: 'h', port: 1 })], 'h:1'],
    ['str_replace_vstrict', [sr('host', { host: 'h' })], 'h'],
  ]);
  checkFails(t, [
    ['str_replace', [{ template: 'x' }], /"str_replace" syntax should be/, 0],
    ['str_replace', [sr(1, {})], /"str_replace" template must be a string/, 0],
    ['str_replace', [sr('x', ['a'])], /"str_replace" params must be a map/, 0],
    ['str_replace', ['x'], /Arguments to "str_replace" must be a map/, 0],
    ['str_replace_strict', [sr('a', { a: '1', zz: '2', b: '3' })], /^str_replace_strict\(\): The following params were not found in the template: zz,b$/, 0],
    ['str_replace_vstrict', [sr('a', { a: '' })], /str_replace_vstrict has an undefined or empty value for param a/, 0],
    ['str_replace_vstrict', [sr('a', { a: null })], /undefined or empty value for param a/, 0],
    ['str_replace_vstrict', [sr('a', { a: [] })], /undefined or empty value for param a/, 0],
  ]);
  t.true(isUnknown(callFn('str_replace', [sr('$x', { $x: unknown })]).value));
});

test('list_join joins one or more lists; maps and lists become JSON', (t) => {
  check(t, [
    ['list_join', ['-', ['a', 'b'], ['c']], 'a-b-c'],
    ['list_join', [', ', ['a', null, { b: 1 }, [1, 2]]], 'a, , {"b": 1}, [1, 2]'],
    ['list_join', ['-', [], null, ['x']], 'x'],
  ]);
  checkFails(t, [
    ['list_join', [1, ['a']], /"list_join" delimiter must be a string/, 0],
    ['list_join', ['-', 'ab'], /"list_join" must operate on a list/, 1],
    ['list_join', ['-', ['a', 1]], /Items to join must be string, map or list not 1/],
    ['list_join', ['-'], /list_join\(\) takes at least 2 arguments, got 1/],
  ]);
});

test('repeat: nested loops, zip without permutations, maps iterate keys', (t) => {
  check(t, [
    ['repeat', [{ template: { port: '%port%', proto: 'tcp' }, for_each: { '%port%': ['80', '443'] } }], [{ port: '80', proto: 'tcp' }, { port: '443', proto: 'tcp' }]],
    ['repeat', [{ template: '%a%-%b%', for_each: { '%a%': ['1', '2'], '%b%': ['x', 'y'] } }], ['1-x', '1-y', '2-x', '2-y']],
    ['repeat', [{ template: '%a%-%b%', for_each: { '%a%': ['1', '2'], '%b%': ['x', 'y'] }, permutations: false }], ['1-x', '2-y']],
    ['repeat', [{ template: { '%k%': 'v-%k%' }, for_each: { '%k%': { one: 1, two: 2 } } }], [{ one: 'v-one' }, { two: 'v-two' }]],
    ['repeat', [{ template: ['%x%', 5, null], for_each: { '%x%': null } }], []],
  ]);
  checkFails(t, [
    ['repeat', [{ template: 'x' }], /"repeat" syntax should be/, 0],
    ['repeat', [{ template: 'x', for_each: ['a'] }], /"for_each" argument to "repeat" must contain a map/, 0],
    ['repeat', [{ template: 'x', for_each: { '%a%': 'abc' } }], /must be lists or maps, not string/, 0],
    ['repeat', [{ template: 'x', for_each: { '%a%': ['1'], '%b%': ['1', '2'] }, permutations: false }], /length of for_each values should be equal if no nested loop/, 0],
    ['repeat', [{ template: 'x', for_each: { '%a%': ['1'] }, permutations: 'no' }], /"permutations" should be boolean type/, 0],
    ['repeat', [{ template: '%p%', for_each: { '%p%': [80] } }], /can only substitute strings/, 0],
  ]);
});

test('digest supports the hashlib algorithms on Latin-1 text', (t) => {
  check(t, [
    ['digest', ['md5', 'abc'], '900150983cd24fb0d6963f7d28e17f72'],
    ['digest', ['sha1', 'abc'], 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['digest', ['sha224', 'abc'], '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
    ['digest', ['SHA256', 'abc'], 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['digest', ['sha384', 'abc'], 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7'],
    [
      'digest',
      ['sha512', 'abc'],
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
  ]);
  // Latin-1, not UTF-8: "é" is the single byte 0xE9.
  const latin1 = callFn('digest', ['md5', 'é']);
  t.is(latin1.value, createHash('md5').update(Buffer.from([0xe9])).digest('hex'));
  checkFails(t, [
    ['digest', ['crc32', 'abc'], /Algorithm must be one of md5, sha1, sha224, sha256, sha384, sha512/, 0],
    ['digest', ['md5', '☃'], /Latin-1/, 1],
    ['digest', ['md5', 1], /must be a list of strings/],
  ]);
});

test('str_split with an optional (Python-style) index', (t) => {
  check(t, [
    ['str_split', [',', 'a,b,c'], ['a', 'b', 'c']],
    ['str_split', [',', 'a,b,c', 1], 'b'],
    ['str_split', [',', 'a,b,c', '-1'], 'c'],
    ['str_split', [',', null], null],
  ]);
  checkFails(t, [
    ['str_split', [',', 'a,b', 2], /Incorrect index to "str_split" should be between 0 and 1/, 2],
    ['str_split', [',', 'a', 'x'], /Incorrect index to "str_split"/, 2],
    ['str_split', ['', 'a'], /empty separator/, 0],
  ]);
});

test('map_merge and map_replace', (t) => {
  check(t, [
    ['map_merge', [{ a: 1 }, { a: 2, b: 3 }, null], { a: 2, b: 3 }],
    ['map_replace', [{ k1: 'v1', k2: 'v2' }, { keys: { k1: 'K1' }, values: { v2: 'V2' } }], { K1: 'v1', k2: 'V2' }],
    ['map_replace', [{ k1: 1 }, { values: { 1: 'one' } }], { k1: 'one' }],
  ]);
  checkFails(t, [
    ['map_merge', [{ a: 1 }, ['x']], /Items to merge must be maps/, 1],
    ['map_replace', [{ k1: 'a', k2: 'b' }, { keys: { k1: 'k2' } }], /key replacement k2 collides with a key in the input map/, 1],
    ['map_replace', [{ k1: 'a', k2: 'b' }, { keys: { k1: 'x', k2: 'x' } }], /key replacement x collides with a key in the output map/, 1],
    ['map_replace', [{ k1: 'a' }, { other: {} }], /Incorrect arguments to "map_replace"/, 1],
  ]);
});

test('conditions: equals, not, and, or (with unknowns)', (t) => {
  check(t, [
    ['equals', [1, 1], true],
    ['equals', [{ a: [1] }, { a: [1] }], true],
    ['equals', [true, 1], true], // Python: True == 1
    ['equals', ['1', 1], false],
    ['not', [false], true],
    ['and', [true, true, false], false],
    ['and', [false, unknown], false],
    ['and', [true, unknown], '(unknown)'],
    ['or', [false, true], true],
    ['or', [unknown, true], true],
    ['or', [false, unknown], '(unknown)'],
    ['not', [unknown], '(unknown)'],
    ['Fn::Equals', ['a', 'a'], true],
    ['Fn::Not', [true], false],
  ]);
  checkFails(t, [
    ['not', ['prod'], /Arguments to "not" must be conditions \(true or false\), not string/, 0],
    ['and', [true], /and\(\) takes at least 2 arguments, got 1/],
    ['or', [false, 'x'], /must be conditions/, 1],
  ]);
  t.true(isUnknown(callFn('equals', [unknown, 1]).value));
});

test('filter, list_concat, list_concat_unique, hot:contains', (t) => {
  check(t, [
    ['filter', [[3], [1, 2, 3, 4]], [1, 2, 4]],
    ['filter', [null, [1]], [1]],
    ['filter', [[1], null], null],
    ['filter', [[{ a: 1 }], [{ a: 1 }, { a: 2 }]], [{ a: 2 }]],
    ['list_concat', [[1, 2], null, [3]], [1, 2, 3]],
    ['list_concat', [], []],
    ['list_concat_unique', [[1, 2], [2, 3, 1]], [1, 2, 3]],
    ['hot:contains', ['a', ['a', 'b']], true],
    ['hot:contains', [1, [true]], true],
    ['hot:contains', ['ell', 'hello'], true],
    ['hot:contains', ['z', []], false],
  ]);
  checkFails(t, [
    ['filter', [[1], 'x'], /"filter" only works with lists/, 1],
    ['filter', ['x', [1]], /"filter" filters a list of values/, 0],
    ['list_concat', [[1], 'ab'], /Items to concat must be lists/, 1],
    ['hot:contains', ['a', { a: 1 }], /Second argument to "contains" should be a sequence/, 1],
  ]);
  // The HCL `contains` keeps Terraform's (list, value) order.
  check(t, [['contains', [['a'], 'a'], true]]);
});

test('make_url builds a correctly escaped URL', (t) => {
  check(t, [
    ['make_url', [{ scheme: 'http', host: 'example.com', port: 8080, path: '/foo/bar', query: { a: 'b c', d: 'e/f' }, fragment: 'x y' }], 'http://example.com:8080/foo/bar?a=b+c&d=e/f#x%20y'],
    ['make_url', [{ scheme: 'https', username: 'u@x', password: 'p:w', host: 'h' }], 'https://u%40x:p%3Aw@h'],
    ['make_url', [{ scheme: 'http', host: '[::1]', port: '80' }], 'http://[::1]:80'],
    ['make_url', [{ scheme: 'http', host: 'h', path: 'rel' }], 'http://h/rel'],
    ['make_url', [{ scheme: 'file', path: '/tmp/x' }], 'file:///tmp/x'],
  ]);
  checkFails(t, [
    ['make_url', [{ scheme: 'http', host: 'h', port: 70000 }], /Invalid URL port 70000, must be in range 1-65535/, 0],
    ['make_url', [{ scheme: 'http', hots: 'h' }], /Invalid arguments to "make_url": hots/, 0],
    ['make_url', [{ scheme: 'http:', host: 'h' }], /URL "scheme" should not contain ':'/, 0],
    ['make_url', [{ query: 'a=b' }], /The "query" argument to "make_url" must be a map/, 0],
  ]);
});

test('yaql: only trivial expressions are evaluated', (t) => {
  check(t, [
    ['yaql', [{ expression: '42' }], 42],
    ['yaql', [{ expression: "'text'" }], 'text'],
    ['yaql', [{ expression: '$.data.a.b', data: { a: { b: [1] } } }], [1]],
    ['yaql', [{ expression: '$.data.missing', data: {} }], null],
  ]);
  checkFails(t, [['yaql', [{ expression: '$.data.var1.sum()', data: { var1: [1] } }], /yaql expressions are not evaluated by dbstack/, 0]]);
});

test('CloudFormation functions', (t) => {
  check(t, [
    ['Fn::Select', ['1', ['a', 'b']], 'b'],
    ['Fn::Select', [5, ['a']], ''],
    ['Fn::Select', [-1, ['a', 'b']], 'b'],
    ['Fn::Select', ['k', { k: 'v' }], 'v'],
    ['Fn::Select', ['z', { k: 'v' }], ''],
    ['Fn::Select', [0, '["x"]'], 'x'],
    ['Fn::Select', [0, null], ''],
    ['Fn::Split', [',', 'a,b'], ['a', 'b']],
    ['Fn::Join', [',', ['a', 'b', null]], 'a,b,'],
    ['Fn::GetAZs', [], '(unknown)'],
    ['Fn::Base64', ['x'], 'x'],
    ['Fn::Replace', [{ $a: 'x', $ab: 'y' }, '$a $ab'], 'x y'],
    ['Fn::And', [true, false], false],
  ]);
  checkFails(t, [
    ['Fn::Select', ['x', ['a']], /Index to "Fn::Select" must be an integer/, 0],
    ['Fn::Split', [',', 1], /String to split must be string/, 1],
    ['Fn::Replace', [{ $a: ['x'] }, '$a'], /params must be strings or numbers, param \$a is not valid/, 0],
  ]);
});

test('every HOT name is registered as HOT spells it', (t) => {
  for (const n of [
    'str_replace', 'str_replace_strict', 'str_replace_vstrict', 'list_join', 'repeat', 'digest', 'str_split', 'map_merge', 'map_replace',
    'equals', 'not', 'and', 'or', 'filter', 'make_url', 'list_concat', 'list_concat_unique', 'hot:contains', 'yaql', 'get_file',
    'Fn::Select', 'Fn::Split', 'Fn::GetAZs', 'Fn::Join', 'Fn::Base64', 'Fn::Replace',
  ]) {
    t.truthy(lookupFunction(n), n);
  }
});

test('if without a false value drops the enclosing item (omitted)', (t) => {
  const roots = { condition: { prod: true, dev: false }, u: unknown };
  const ifProd = (v: unknown): ReturnType<typeof cond> => cond(path('condition.prod'), vx(v), call('omitted'));
  const ifDev = (v: unknown): ReturnType<typeof cond> => cond(path('condition.dev'), vx(v), call('omitted'));
  t.deepEqual(plain(run(tuple('a', ifDev('b'), ifProd('c')), roots).value), ['a', 'c']);
  t.deepEqual(plain(run(obj({ a: 1, b: ifDev(2), c: ifProd(3) }), roots).value), { a: 1, c: 3 });
  t.deepEqual(plain(run(call('list_concat', tuple(1), ifDev(tuple(2)), tuple(3)), roots).value), [1, 3]);
  const whole = run(ifDev('x'), roots);
  t.deepEqual(whole.diagnostics, []);
  t.is(whole.value, null, 'a whole value that is omitted is null (as if not given)');
  const undecided = run(tuple(cond(path('u'), 1, call('omitted'))), roots).value as unknown[];
  t.is(undecided.length, 1, 'an unknown condition keeps the item, as unknown');
  t.true(isUnknown(undecided[0]));
});

test('Heat if returns either value as it is (no HCL type unification)', (t) => {
  const roots = { condition: { prod: true } };
  t.is(run(cond(path('condition.prod'), 5432, 'x'), roots).value, 5432);
  t.deepEqual(plain(run(cond(call('equals', 1, 1), tuple('a'), 'x'), roots).value), ['a']);
  t.deepEqual(run(cond(call('not', true), tuple('a'), 'x'), roots).diagnostics, []);
  // HCL keeps its rules.
  t.is(run(cond(true, 5432, 'x')).value, '5432');
});

test('resource_facade and Fn::MemberListToMap', (t) => {
  checkFails(t, [
    ['resource_facade', ['metadata'], /dbstack stacks are not nested/, 0],
    ['resource_facade', ['other'], /should be one of: metadata, deletion_policy, update_policy/, 0],
  ]);
  check(t, [
    ['Fn::MemberListToMap', ['Name', 'Value', ['.member.0.Name=key', '.member.0.Value=door', '.member.1.Name=colour', '.member.1.Value=green']], { key: 'door', colour: 'green' }],
    ['Fn::MemberListToMap', ['Name', 'Value', ['.member.0.Name=a=b', '.member.0.Value=x=y', 'ignored=1']], { 'a=b': 'x=y' }],
  ]);
  checkFails(t, [['Fn::MemberListToMap', ['Name', 'Value', ['nope']], /has no "="/, 2]]);
});
