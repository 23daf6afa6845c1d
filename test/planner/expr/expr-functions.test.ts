import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionNames, lookupFunction } from '../../../planner/expr/functions/function-table.js';
import { isUnknown, unknown } from '../../../core/value.js';
import { check, checkFails } from '../../support/function-cases.js';
import { call, callFn, lit, plain, run, vx } from '../../support/expr-builders.js';

/** Expected results are Terraform's documented examples where there is one. */
test('the registry lists every function once, by name', (t) => {
  const names = functionNames();
  t.is(new Set(names).size, names.length);
  for (const n of ['abs', 'format', 'cidrsubnets', 'try', 'templatefile', 'str_replace', 'hot:contains', 'Fn::Select']) t.truthy(lookupFunction(n), n);
  t.is(lookupFunction('nope'), undefined);
});

test('numeric functions', (t) => {
  check(t, [
    ['abs', [-12.4], 12.4],
    ['ceil', [4.1], 5],
    ['floor', ['4.9'], 4],
    ['log', [16, 2], 4],
    ['max', [12, 54, 3], 54],
    ['min', [12, 54, 3], 3],
    ['parseint', ['100', 10], 100],
    ['parseint', ['FF', 16], 255],
    ['parseint', ['-10', 16], -16],
    ['parseint', ['1011111011101111', 2], 48879],
    ['parseint', ['aA', 62], 656],
    ['pow', [3, 2], 9],
    ['signum', [-13], -1],
    ['signum', [0], 0],
  ]);
  checkFails(t, [
    ['parseint', ['12', 2], /cannot parse "12" as a base 2 integer/, 0],
    ['parseint', ['1', 63], /base must be a whole number between 2 and 62/, 1],
    ['abs', ['x'], /must be a number; "x" is not a number/, 0],
    ['log', [-1, 10], /not a real number/],
  ]);
});

test('string functions', (t) => {
  check(t, [
    ['chomp', ['hello\r\n\n'], 'hello'],
    ['endswith', ['hello world', 'world'], true],
    ['startswith', ['hello world', 'world'], false],
    ['strcontains', ['hello world', 'wor'], true],
    ['indent', [2, '[\n  foo,\n  bar,\n]\n'], '[\n    foo,\n    bar,\n  ]\n  '],
    ['join', [', ', ['foo', 'bar', 'baz']], 'foo, bar, baz'],
    ['join', ['-', ['a'], ['b', 1, true]], 'a-b-1-true'],
    ['lower', ['HELLO'], 'hello'],
    ['upper', ['hello'], 'HELLO'],
    ['title', ['hello world-wide web_x'], 'Hello World-Wide Web_x'],
    ['split', [',', 'foo,bar,baz'], ['foo', 'bar', 'baz']],
    ['split', [',', ''], ['']],
    ['strrev', ['hello'], 'olleh'],
    ['strrev', ['e\u0301x'], 'xe\u0301'],
    ['substr', ['hello world', 1, 4], 'ello'],
    ['substr', ['🤔🤷', 0, 1], '🤔'],
    ['substr', ['hello world', -5, -1], 'world'],
    ['substr', ['hello world', 6, 10], 'world'],
    ['substr', ['hello', 10, 1], ''],
    ['trim', ['?!hello?!', '!?'], 'hello'],
    ['trim', ['foobar', 'far'], 'oob'],
    ['trimprefix', ['helloworld', 'hello'], 'world'],
    ['trimsuffix', ['helloworld', 'world'], 'hello'],
    ['trimspace', ['  hello\n\n'], 'hello'],
    ['replace', ['1 + 2 + 3', '+', '-'], '1 - 2 - 3'],
    ['replace', ['a$b', '$', '$1'], 'a$1b'],
    ['replace', ['hello world', '/w.*d/', 'everybody'], 'hello everybody'],
    ['replace', ['hello world', '/(h)(e)/', '$2$1'], 'ehllo world'],
    ['replace', ['hello', '/(?P<first>h)/', '${first}${first}'], 'hhello'],
    ['replace', ['abc', '/b/', '$$'], 'a$c'],
    ['replace', ['abc', '/x*/', '-'], '-a-b-c-'],
    ['replace', ['baaac', '/a*/', '-'], '-b-c-'],
  ]);
  checkFails(t, [
    ['join', ['-', ['a', null]], /element 1 of list 1 is null/, 1],
    ['indent', [-1, 'x'], /must not be negative/, 0],
    ['upper', [['x']], /argument 1 must be a string, not list/, 0],
    ['replace', ['x', '/(/', 'y'], /invalid regexp pattern/, 1],
  ]);
});

test('format and formatlist: cty verbs, flags, width, precision, argument indexes', (t) => {
  check(t, [
    ['format', ['Hello, %s!', 'Ander'], 'Hello, Ander!'],
    ['format', ['There are %d lights', 4], 'There are 4 lights'],
    ['format', ['%-5s|%5s|', 'ab', 'cd'], 'ab   |   cd|'],
    ['format', ['%05.1f|%8.3f|%.0f', 3.14159, 3.14159, 2.5], '003.1|   3.142|3'],
    ['format', ['%x %X %o %b %#x %+d % d %05d %-4d|', 255, 255, 8, 5, 255, 5, 5, -42, 7], 'ff FF 10 101 0xff +5  5 -0042 7   |'],
    ['format', ['%e|%E|%.2e', 1234.5678, 1234.5678, 0], '1.234568e+03|1.234568E+03|0.00e+00'],
    ['format', ['%g %g %g %G %.3g', 1e-5, 100000, 1000000, 1e-5, 1234.5678], '1e-05 100000 1e+06 1E-05 1.23e+03'],
    ['format', ['%v %v %v %v %v', 'a', 1.5, true, null, ['x', 1]], 'a 1.5 true null ["x",1]'],
    ['format', ['%#v %q %t', 'a', 'say "hi"', 'true'], '"a" "say \\"hi\\"" true'],
    ['format', ['%.3s|%5.1s|', 'abcdef', 'xyz'], 'abc|    x|'],
    ['format', ['%[2]s %[1]s %s', 'a', 'b'], 'b a b'],
    ['format', ['100%%'], '100%'],
    ['format', ['%v', { b: 1, a: [true] }], '{"a":[true],"b":1}'],
    ['formatlist', ['Hello, %s!', ['Valentina', 'Ander']], ['Hello, Valentina!', 'Hello, Ander!']],
    ['formatlist', ['%s, %s!', 'Salutations', ['Valentina', 'Ander']], ['Salutations, Valentina!', 'Salutations, Ander!']],
    ['formatlist', ['%s', []], []],
    ['formatlist', ['x'], ['x']],
  ]);
  checkFails(t, [
    ['format', ['%d', 'x'], /unsupported value for "%d" at 0: a number is required/, 1],
    ['format', ['%d', 1.5], /an integer is required/, 1],
    ['format', ['%s %s', 'a'], /not enough arguments for "%s" at 3: need index 2 but have 1 total/, 0],
    ['format', ['%s', 'a', 'b'], /too many arguments; only 1 used by format string/, 2],
    ['format', ['plain', 'b'], /too many arguments; no verbs in format string/, 1],
    ['format', ['%z', 1], /unsupported format verb "z"/, 0],
    ['format', ['%s', null], /null value cannot be formatted/, 1],
    ['format', ['%', 1], /invalid format string starting at offset 0/, 0],
    ['formatlist', ['%s %s', ['a'], ['b', 'c']], /argument 3 has length 2, which is inconsistent with argument 2 of length 1/, 2],
  ]);
  t.true(isUnknown(callFn('format', ['%s', unknown]).value));
});

test('regex and regexall', (t) => {
  check(t, [
    ['regex', ['[a-z]+', '53453453.345345aaabbbccc23454'], 'aaabbbccc'],
    ['regex', ['(\\d\\d\\d\\d)-(\\d\\d)-(\\d\\d)', '2019-02-01'], ['2019', '02', '01']],
    ['regex', ['^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?', 'https://terraform.io/docs/'], { scheme: 'https', authority: 'terraform.io' }],
    ['regex', ['(a)|(b)', 'b'], [null, 'b']],
    ['regex', ['(?i)HELLO', 'say hello'], 'hello'],
    ['regex', ['[[:digit:]]+\\z', 'ab12'], '12'],
    ['regex', ['\\Q1.5\\E', 'v1.5'], '1.5'],
    ['regex', ['a{2}|x{', 'x{'], 'x{'],
    ['regexall', ['[a-z]+', '1234abcd5678efgh9'], ['abcd', 'efgh']],
    ['regexall', ['(\\d)(\\w)', '1a 2b'], [['1', 'a'], ['2', 'b']]],
    ['regexall', ['x', 'abc'], []],
    // Go's FindAll: an empty match right after a match is skipped; astral characters step whole.
    ['regexall', ['a*', 'baaac'], ['', 'aaa', '']],
    ['regexall', ['x*', '\u{1F600}x\u{1F600}'], ['', 'x', '']],
    ['regexall', ['(a)|(b)', 'ab'], [['a', null], [null, 'b']]],
    ['regexall', ['(?P<k>\\w+)=(?P<v>\\w+)', 'a=1 b=2'], [{ k: 'a', v: '1' }, { k: 'b', v: '2' }]],
    // Linear time: a pattern that backtracks exponentially elsewhere answers at once here.
    ['regexall', ['^(a+)+$', `${'a'.repeat(10000)}!`], []],
  ]);
  checkFails(t, [
    ['regex', ['x', 'abc'], /pattern did not match any part of the given string/],
    ['regex', ['(a)\\1', 'aa'], /invalid regexp pattern: invalid escape sequence.*RE2 syntax: no backreferences or lookaround/, 0],
    ['regexall', ['a(?=b)', 'ab'], /invalid regexp pattern: .*\(\?=/, 0],
    ['regex', ['(?<!a)b', 'b'], /invalid regexp pattern/, 0],
    ['regex', ['(?P<a>x)(y)', 'xy'], /cannot mix both named and unnamed capture groups/, 0],
    ['regexall', ['[', 'x'], /invalid regexp pattern/, 0],
  ]);
});

test('collection functions', (t) => {
  check(t, [
    ['alltrue', [['true', true]], true],
    ['alltrue', [[]], true],
    ['alltrue', [[true, false]], false],
    ['anytrue', [['true']], true],
    ['anytrue', [[]], false],
    ['chunklist', [['a', 'b', 'c', 'd', 'e'], 2], [['a', 'b'], ['c', 'd'], ['e']]],
    ['chunklist', [['a', 'b'], 0], [['a', 'b']]],
    ['coalesce', ['', 'b'], 'b'],
    ['coalesce', [null, 1, 2], 1],
    ['coalesce', [1, 'x'], '1'],
    ['coalescelist', [[], ['c', 'd']], ['c', 'd']],
    ['compact', [['a', '', 'b', null, 'c']], ['a', 'b', 'c']],
    ['concat', [['a', ''], ['b', 'c']], ['a', '', 'b', 'c']],
    ['contains', [['a', 'b', 'c'], 'a'], true],
    ['contains', [[{ a: 1 }], { a: 1 }], true],
    ['contains', [['1'], 1], false],
    ['distinct', [['a', 'b', 'a', 'c', 'd', 'b']], ['a', 'b', 'c', 'd']],
    ['element', [['a', 'b', 'c'], 1], 'b'],
    ['element', [['a', 'b', 'c'], 3], 'a'],
    ['flatten', [[['a', 'b'], [], ['c']]], ['a', 'b', 'c']],
    ['flatten', [[[['a', 'b'], []], ['c'], 'd']], ['a', 'b', 'c', 'd']],
    ['index', [['a', 'b', 'c'], 'b'], 1],
    ['keys', [{ d: 3, a: 1, c: 2 }], ['a', 'c', 'd']],
    ['values', [{ d: 1, a: 3, c: 2 }], [3, 2, 1]],
    ['length', [[]], 0],
    ['length', [{ a: 'b' }], 1],
    ['length', ['hello'], 5],
    ['length', ['👾🕹️'], 2],
    ['lookup', [{ a: 'ay', b: 'bee' }, 'a', 'what?'], 'ay'],
    ['lookup', [{ a: 'ay', b: 'bee' }, 'c', 'what?'], 'what?'],
    ['matchkeys', [['i-123', 'i-abc', 'i-def'], ['us-west', 'us-east', 'us-east'], ['us-east']], ['i-abc', 'i-def']],
    ['merge', [{ a: 'b', c: 'd' }, { e: 'f', c: 'z' }], { a: 'b', c: 'z', e: 'f' }],
    ['merge', [{ a: 'b' }, null, { a: [1, 2] }], { a: [1, 2] }],
    ['one', [[]], null],
    ['one', [['hello']], 'hello'],
    ['range', [3], [0, 1, 2]],
    ['range', [1, 4], [1, 2, 3]],
    ['range', [1, 8, 2], [1, 3, 5, 7]],
    ['range', [1, 3, 0.5], [1, 1.5, 2, 2.5]],
    ['range', [4, 1], [4, 3, 2]],
    ['range', [10, 5, -2], [10, 8, 6]],
    ['range', [0], []],
    ['reverse', [[1, 2, 3]], [3, 2, 1]],
    ['slice', [['a', 'b', 'c', 'd'], 1, 3], ['b', 'c']],
    ['sort', [['e', 'd', 'a', 'x']], ['a', 'd', 'e', 'x']],
    ['sort', [[10, 9]], ['10', '9']],
    ['sum', [[10, 13, 6, 4.5]], 33.5],
    ['transpose', [{ a: ['1', '2'], b: ['2', '3'] }], { 1: ['a'], 2: ['a', 'b'], 3: ['b'] }],
    ['zipmap', [['a', 'b'], [1, 2]], { a: 1, b: 2 }],
    ['setintersection', [['a', 'b'], ['b', 'c'], ['b', 'd']], ['b']],
    ['setproduct', [['development', 'staging'], ['app1', 'app2']], [['development', 'app1'], ['development', 'app2'], ['staging', 'app1'], ['staging', 'app2']]],
    ['setsubtract', [['a', 'b', 'c'], ['a', 'c']], ['b']],
    ['setunion', [['b', 'a'], ['b', 'c'], ['d']], ['a', 'b', 'c', 'd']],
  ]);
  checkFails(t, [
    ['element', [[], 0], /cannot use element function with an empty list/, 0],
    ['element', [['a'], -1], /negative index/, 1],
    ['index', [['a'], 'z'], /item not found/, 1],
    ['length', [null], /must not be null/, 0],
    ['length', [5], /must be a string, a list or a map, not number/, 0],
    ['lookup', [{ a: 1 }, 'b'], /the given map has no key "b"/, 1],
    ['one', [['a', 'b']], /either zero or one elements/, 0],
    ['range', [1, 0, 1], /end must be greater than start when step is positive/, 1],
    ['range', [0, 1, 0], /step must not be zero/, 2],
    ['range', [0, 2000], /more than 1024 values were generated/],
    ['slice', [['a'], 0, 2], /end index must not be greater than the length of the list/, 2],
    ['sum', [[]], /cannot sum an empty list/, 0],
    ['zipmap', [['a'], [1, 2]], /number of keys \(1\) does not match number of values \(2\)/],
    ['coalesce', [null, ''], /no non-null, non-empty-string arguments/],
    ['merge', [{ a: 1 }, ['x']], /arguments must be maps or objects, not list/, 1],
    ['chunklist', [['a'], -1], /size argument must be positive/, 1],
  ]);
});

test('collection functions with unknowns', (t) => {
  const u = unknown;
  const cases: [string, unknown[], unknown][] = [
    ['length', [[u, u]], 2],
    ['length', [u], '(unknown)'],
    ['concat', [[1], [u]], [1, '(unknown)']],
    ['concat', [[1], u], '(unknown)'],
    ['anytrue', [[u, true]], true],
    ['anytrue', [[u, false]], '(unknown)'],
    ['alltrue', [[u, false]], false],
    ['keys', [{ a: u }], ['a']],
    ['values', [{ a: u }], ['(unknown)']],
    ['lookup', [{ a: u, b: 1 }, 'b'], 1],
    ['merge', [{ a: u }, { b: 1 }], { a: '(unknown)', b: 1 }],
    ['element', [[u, 'x'], 1], 'x'],
    ['flatten', [[[1], [u]]], '(unknown)'], // the unknown might be a list
    ['flatten', [[[1], u]], '(unknown)'],
    ['coalesce', [null, u, 'x'], '(unknown)'],
    ['coalesce', ['a', u], 'a'],
    ['sort', [['b', u]], '(unknown)'],
    ['one', [[u]], '(unknown)'],
    ['reverse', [[u, 1]], [1, '(unknown)']],
  ];
  for (const [name, args, expected] of cases) {
    const r = callFn(name, args);
    t.deepEqual(r.diagnostics, [], name);
    t.deepEqual(plain(r.value), expected, `${name}(${args.length} args)`);
  }
});

test('encoding functions', (t) => {
  check(t, [
    ['base64encode', ['Hello World'], 'SGVsbG8gV29ybGQ='],
    ['base64decode', ['SGVsbG8gV29ybGQ='], 'Hello World'],
    ['jsonencode', [{ hello: 'world', a: [1, true, null] }], '{"a":[1,true,null],"hello":"world"}'],
    ['jsonencode', ['<&>'], '"\\u003c\\u0026\\u003e"'],
    ['jsondecode', ['{"hello": "world", "n": [1.5]}'], { hello: 'world', n: [1.5] }],
    ['jsondecode', ['true'], true],
    ['urlencode', ['Hello World!'], 'Hello+World%21'],
    ['urlencode', ['☃'], '%E2%98%83'],
    ['urlencode', ['foo:bar@localhost?foo=bar&bar=baz'], 'foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz'],
    ['csvdecode', ['a,b,c\n1,2,3\n4,"5,x",6\n'], [{ a: '1', b: '2', c: '3' }, { a: '4', b: '5,x', c: '6' }]],
    ['yamlencode', [{ a: 'b', c: 'd' }], '"a": "b"\n"c": "d"\n'],
    ['yamlencode', [{ foo: [1, 2, 3], bar: 'baz' }], '"bar": "baz"\n"foo":\n- 1\n- 2\n- 3\n'],
    ['yamldecode', ['hello: world\nlist: [1, 2]\nwhen: 2024-01-01'], { hello: 'world', list: [1, 2], when: '2024-01-01' }],
  ]);
  checkFails(t, [
    ['base64decode', ['%%%'], /not valid base64/, 0],
    ['base64decode', ['/w=='], /not valid UTF-8/, 0],
    ['jsondecode', ['{'], /invalid JSON/, 0],
    ['csvdecode', ['a,b\n1\n'], /record on line 2: wrong number of fields/, 0],
    ['yamldecode', ['a: [1'], /invalid YAML/, 0],
  ]);
  t.true(isUnknown(callFn('jsonencode', [{ a: unknown }]).value));
});

test('hash functions; uuid and bcrypt are unknown at plan time', (t) => {
  check(t, [
    ['md5', ['hello world'], '5eb63bbbe01eeed093cb22bb8f5acdc3'],
    ['sha1', ['hello world'], '2aae6c35c94fcfb415dbe95f408b9ce91ee846ed'],
    ['sha256', ['hello world'], 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'],
    [
      'sha512',
      ['hello world'],
      '309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f',
    ],
    ['base64sha256', ['hello world'], 'uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek='],
    ['base64sha512', ['hello world'], 'MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw=='],
    ['uuidv5', ['dns', 'www.terraform.io'], 'a5008fae-b28c-5ba5-96cd-82b4c53552d6'],
    ['uuidv5', ['url', 'https://www.terraform.io/'], '9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5'],
    ['uuid', [], '(unknown)'],
    ['bcrypt', ['secret'], '(unknown)'],
  ]);
});

test('ip functions (IPv4 and IPv6)', (t) => {
  check(t, [
    ['cidrhost', ['10.12.112.0/20', 16], '10.12.112.16'],
    ['cidrhost', ['10.12.112.0/20', 268], '10.12.113.12'],
    ['cidrhost', ['fd00:fd12:3456:7890:00a2::/72', 34], 'fd00:fd12:3456:7890::22'],
    ['cidrhost', ['10.0.0.0/24', -1], '10.0.0.255'],
    ['cidrnetmask', ['172.16.0.0/12'], '255.240.0.0'],
    ['cidrsubnet', ['172.16.0.0/12', 4, 2], '172.18.0.0/16'],
    ['cidrsubnet', ['10.1.2.0/24', 4, 15], '10.1.2.240/28'],
    ['cidrsubnet', ['fd00:fd12:3456:7890::/56', 16, 162], 'fd00:fd12:3456:7800:a200::/72'],
    ['cidrsubnets', ['10.1.0.0/16', 4, 4, 8, 4], ['10.1.0.0/20', '10.1.16.0/20', '10.1.32.0/24', '10.1.48.0/20']],
    [
      'cidrsubnets',
      ['fd00:fd12:3456:7890::/56', 16, 16, 16, 32],
      ['fd00:fd12:3456:7800::/72', 'fd00:fd12:3456:7800:100::/72', 'fd00:fd12:3456:7800:200::/72', 'fd00:fd12:3456:7800:300::/88'],
    ],
    ['cidrsubnets', ['10.0.0.0/8'], []],
  ]);
  checkFails(t, [
    ['cidrhost', ['10.0.0.0/30', 4], /prefix of 30 does not accommodate a host numbered 4/, 1],
    ['cidrhost', ['10.0.0.0/33', 1], /invalid CIDR expression/, 0],
    ['cidrnetmask', ['fd00::/8'], /only IPv4/, 0],
    ['cidrsubnet', ['10.0.0.0/30', 4, 0], /insufficient address space to extend prefix of 30 by 4/, 1],
    ['cidrsubnet', ['10.0.0.0/24', 2, 4], /prefix extension of 2 does not accommodate a subnet numbered 4/, 2],
    ['cidrsubnets', ['10.0.0.0/30', 1, 1, 1], /not enough remaining address space for a subnet with a prefix of 31 bits after 10\.0\.0\.2\/31/, 3],
    ['cidrsubnets', ['10.0.0.0/24', 0], /must extend prefix by at least one bit/, 1],
  ]);
});

test('type conversion functions', (t) => {
  check(t, [
    ['tostring', [1], '1'],
    ['tostring', [true], 'true'],
    ['tostring', [null], null],
    ['tonumber', ['1.5'], 1.5],
    ['tobool', ['true'], true],
    ['tolist', [['a', 'b', 3]], ['a', 'b', '3']],
    ['toset', [['c', 'b', 'b']], ['b', 'c']],
    ['tomap', [{ a: 1, b: 'x' }], { a: '1', b: 'x' }],
    ['sensitive', ['x'], 'x'],
  ]);
  checkFails(t, [
    ['tostring', [['a']], /cannot convert list to string/, 0],
    ['tonumber', ['no'], /a number is required, got "no"/, 0],
    ['tobool', ['yes'], /a bool is required/, 0],
    ['tolist', [{}], /cannot convert object to list/, 0],
    ['tolist', [[1, true]], /all elements must have the same type/, 0],
  ]);
});

test('time functions', (t) => {
  check(t, [
    ['formatdate', ['DD MMM YYYY hh:mm ZZZ', '2018-01-02T23:12:01Z'], '02 Jan 2018 23:12 UTC'],
    ['formatdate', ['EEEE, DD-MMM-YY hh:mm:ss ZZZ', '2018-01-02T23:12:01-08:00'], 'Tuesday, 02-Jan-18 23:12:01 -0800'],
    ['formatdate', ['EEE, DD MMM YYYY hh:mm:ss Z', '2018-01-02T23:12:01-08:00'], 'Tue, 02 Jan 2018 23:12:01 -08:00'],
    ['formatdate', ["MMM D, YYYY 'at' H:mm aa", '2018-01-02T23:12:01Z'], 'Jan 2, 2018 at 11:12 pm'],
    ['formatdate', ["YYYY-MM-DD'T'hh:mm:ssZ", '2018-01-02T23:12:01Z'], '2018-01-02T23:12:01Z'],
    ['formatdate', ["h 'o''clock' ZZZZZ", '2018-01-02T03:12:01+05:30'], "3 o'clock +05:30"],
    ['timeadd', ['2017-11-22T00:00:00Z', '10m'], '2017-11-22T00:10:00Z'],
    ['timeadd', ['2017-11-22T00:00:00Z', '-1h30m'], '2017-11-21T22:30:00Z'],
    ['timeadd', ['2017-11-22T00:00:00+05:30', '1.5h'], '2017-11-22T01:30:00+05:30'],
    ['timeadd', ['2024-02-28T23:00:00.9Z', '24h0.2s'], '2024-02-29T23:00:01Z'],
    ['timecmp', ['2017-11-22T00:00:00Z', '2017-11-22T01:00:00+01:00'], 0],
    ['timecmp', ['2017-11-22T00:00:00Z', '2017-11-22T00:00:01Z'], -1],
    ['timestamp', [], '(unknown)'],
  ]);
  checkFails(t, [
    ['timeadd', ['2017-11-22', '1h'], /missing required time introducer 'T'/, 0],
    ['timeadd', ['2017-02-30T00:00:00Z', '1h'], /day out of range/, 0],
    ['timeadd', ['2017-11-22T00:00:00Z', '1y'], /unknown unit "y"/, 1],
    ['timeadd', ['2017-11-22T00:00:00Z', 'h'], /invalid duration/, 1],
    ['formatdate', ['YYY', '2017-11-22T00:00:00Z'], /invalid date format verb "YYY": year must either be "YY" or "YYYY"/, 0],
    ['formatdate', ["'x", '2017-11-22T00:00:00Z'], /unterminated literal/, 0],
  ]);
});

test('filesystem functions read relative to baseDir', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'dbstack-expr-'));
  writeFileSync(join(dir, 'a.txt'), 'hello\n');
  writeFileSync(join(dir, 'bin'), Buffer.from([0xff, 0xfe]));
  writeFileSync(join(dir, 't.tpl'), 'Hello ${name}!%{ for i in items } [${i}]%{ endfor }');
  writeFileSync(join(dir, 'bad.tpl'), 'Hello ${nmae}');
  const roots = { u: unknown };
  const ok = (e: ReturnType<typeof call>, expected: unknown): void => {
    const r = run(e, roots, dir);
    t.deepEqual(r.diagnostics, []);
    t.deepEqual(plain(r.value), expected);
  };
  ok(call('file', 'a.txt'), 'hello\n');
  ok(call('filebase64', 'bin'), '//4=');
  ok(call('fileexists', 'a.txt'), true);
  ok(call('fileexists', 'nope.txt'), false);
  ok(call('templatefile', 't.tpl', vx({ name: 'db', items: [1, 2] })), 'Hello db! [1] [2]');
  ok(call('basename', '/a/b/c.txt'), 'c.txt');

  const missing = call('file', 'nope.txt');
  const r1 = run(missing, roots, dir);
  t.regex(r1.diagnostics[0]!.summary, /no file exists at "nope.txt"/);
  t.deepEqual(r1.diagnostics[0]!.range, missing.args[0]!.range);
  t.regex(run(call('file', 'bin'), roots, dir).diagnostics[0]!.summary, /not valid UTF-8/);
  t.regex(run(call('file', 'a.txt'), roots).diagnostics[0]!.summary, /no base directory/);

  const bad = run(call('templatefile', 'bad.tpl', vx({ name: 'x' })), roots, dir);
  t.is(bad.diagnostics.length, 2);
  t.regex(bad.diagnostics[0]!.summary, /Unknown reference `nmae` — did you mean `name`\?/);
  t.is(bad.diagnostics[0]!.range!.file, join(dir, 'bad.tpl'));
  t.regex(bad.diagnostics[1]!.summary, /templatefile\(\): the template "bad.tpl" could not be rendered/);
  t.true(isUnknown(run(call('templatefile', 't.tpl', vx({ name: unknown, items: [] })), roots, dir).value));
});

test('an argument can be any expression: numbers convert to strings for string parameters', (t) => {
  t.is(run(call('upper', lit(12))).value, '12');
  t.is(run(call('abs', lit('-3'))).value, 3);
});
