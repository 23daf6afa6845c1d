import test, { type ExecutionContext } from 'ava';
import type { Expr } from '../../../planner/expr/ast.js';
import { convertValue, describeType, hotParameterType, parseTypeConstraint, type TypeSpec } from '../../../planner/expr/types.js';
import { isUnknown, unknown } from '../../../core/value.js';
import { call, lit, obj, path, plain, ref, tpl, tuple, value } from '../../support/expr-builders.js';

function parsed(t: ExecutionContext, e: Expr): TypeSpec {
  const r = parseTypeConstraint(e);
  if ('diagnostic' in r) {
    t.fail(r.diagnostic.summary + ': ' + (r.diagnostic.detail ?? ''));
    throw new Error('unreachable');
  }
  return r.type;
}

function rejects(t: ExecutionContext, e: Expr, where: { range: unknown }, detail: RegExp): void {
  const r = parseTypeConstraint(e);
  if (!('diagnostic' in r)) return void t.fail(`accepted ${describeType(r.type)}`);
  t.is(r.diagnostic.severity, 'error');
  t.regex(`${r.diagnostic.summary}: ${r.diagnostic.detail ?? ''}`, detail);
  t.deepEqual(r.diagnostic.range, where.range);
}

function converts(t: ExecutionContext, type: TypeSpec, input: unknown, expected: unknown): void {
  const r = convertValue(value(input), type);
  if ('error' in r) return void t.fail(`${describeType(type)} from ${JSON.stringify(input)}: ${r.error}`);
  t.deepEqual(plain(r.value), expected, `${describeType(type)} from ${JSON.stringify(input)}`);
}

function refuses(t: ExecutionContext, type: TypeSpec, input: unknown, message: RegExp): void {
  const r = convertValue(value(input), type);
  if (!('error' in r)) return void t.fail(`${describeType(type)} accepted ${JSON.stringify(input)}`);
  t.regex(r.error, message);
}

const S: TypeSpec = { kind: 'string' };
const N: TypeSpec = { kind: 'number' };
const B: TypeSpec = { kind: 'bool' };

test('parses HCL type constraints', (t) => {
  t.deepEqual(parsed(t, ref('string')), S);
  t.deepEqual(parsed(t, ref('any')), { kind: 'any' });
  t.deepEqual(parsed(t, call('list', ref('string'))), { kind: 'list', element: S });
  t.deepEqual(parsed(t, call('map', call('set', ref('number')))), { kind: 'map', element: { kind: 'set', element: N } });
  t.deepEqual(parsed(t, call('tuple', tuple(ref('string'), ref('bool')))), { kind: 'tuple', elements: [S, B] });
  const o = parsed(t, call('object', obj({ name: ref('string'), port: call('optional', ref('number'), 5432), tags: call('optional', call('map', ref('string'))) })));
  t.is(describeType(o), 'object({name = string, port = optional(number), tags = optional(map(string))})');
  t.is(o.kind === 'object' ? o.attributes.port!.default : undefined, 5432);
  const bareKeys = parsed(t, call('object', obj([[ref('a'), ref('number')]])));
  t.is(describeType(bareKeys), 'object({a = number})');
});

test('rejects malformed type constraints with a located diagnostic', (t) => {
  const bare = ref('list');
  rejects(t, bare, bare, /list type constructor requires one argument/);
  const typo = ref('strng');
  rejects(t, typo, typo, /`strng` is not a type keyword; did you mean `string`\?/);
  const quoted = lit('string');
  rejects(t, quoted, quoted, /Invalid quoted type constraint: Write the type without quotes: `string`/);
  const quotedTpl = tpl('list');
  rejects(t, quotedTpl, quotedTpl, /`list\(string\)`/);
  const opt = call('optional', ref('string'));
  rejects(t, opt, opt, /only valid as the type of an object attribute/);
  const twoArgs = call('list', ref('string'), ref('number'));
  rejects(t, twoArgs, twoArgs, /takes exactly 1 argument/);
  const badTuple = call('tuple', ref('string'));
  rejects(t, badTuple, badTuple.args[0]!, /takes a list of element types/);
  const badDefault = lit('x');
  rejects(t, call('object', obj({ n: call('optional', ref('number'), badDefault) })), badDefault, /Invalid default value for optional attribute: a number is required, got "x"/);
  const refDefault = path('var.x');
  rejects(t, call('object', obj({ n: call('optional', ref('number'), refDefault) })), refDefault, /A default must be a constant value/);
  const other = call('upper', ref('string'));
  rejects(t, other, other, /`upper` is not a type constructor/);
  const dotted = path('string.x');
  rejects(t, dotted, dotted, /Invalid type specification/);
});

test('converts primitives as Terraform does', (t) => {
  converts(t, S, 42, '42');
  converts(t, S, 1.5, '1.5');
  converts(t, S, true, 'true');
  converts(t, N, '42', 42);
  converts(t, N, '-1.5e3', -1500);
  converts(t, B, 'true', true);
  converts(t, B, 'false', false);
  converts(t, S, null, null);
  converts(t, { kind: 'any' }, { a: [1] }, { a: [1] });
  refuses(t, N, 'forty', /a number is required, got "forty"/);
  refuses(t, N, ' 1', /a number is required/);
  refuses(t, N, true, /a number is required, got bool/);
  refuses(t, B, 'True', /use lowercase "true"/);
  refuses(t, B, 1, /a bool is required, got number/);
  refuses(t, S, ['a'], /a string is required, got list/);
});

test('converts collections and structural types', (t) => {
  converts(t, { kind: 'list', element: S }, ['a', 1, true], ['a', '1', 'true']);
  converts(t, { kind: 'set', element: S }, ['b', 'a', 'b'], ['a', 'b']);
  converts(t, { kind: 'map', element: N }, { a: '1', b: 2 }, { a: 1, b: 2 });
  converts(t, { kind: 'tuple', elements: [S, N] }, [1, '2'], ['1', 2]);
  refuses(t, { kind: 'list', element: N }, [1, 'x'], /^element 1: a number is required, got "x"$/);
  refuses(t, { kind: 'map', element: N }, { k: 'x' }, /^element "k": a number is required/);
  refuses(t, { kind: 'list', element: S }, { a: 1 }, /a list\(string\) is required, got object/);
  refuses(t, { kind: 'tuple', elements: [S] }, [1, 2], /a tuple of 1 element is required, got 2/);
});

test('objects: optional attributes get null or their default, extra attributes are dropped', (t) => {
  const r = parseTypeConstraint(call('object', obj({ name: ref('string'), port: call('optional', ref('number'), 5432), note: call('optional', ref('string')) })));
  const type = 'type' in r ? r.type : ({ kind: 'any' } as TypeSpec);
  converts(t, type, { name: 'db', extra: true }, { name: 'db', port: 5432, note: null });
  converts(t, type, { name: 'db', port: '6543' }, { name: 'db', port: 6543, note: null });
  converts(t, type, { name: 'db', port: null }, { name: 'db', port: 5432, note: null });
  refuses(t, type, { port: 1 }, /^attribute "name" is required$/);
  refuses(t, type, { name: 'x', port: 'p' }, /^attribute "port": a number is required, got "p"$/);
  refuses(t, { kind: 'list', element: type }, [{ name: [] }], /^element 0: attribute "name": a string is required, got list$/);
});

test('unknown stays unknown through conversion', (t) => {
  const r = convertValue(unknown, S);
  t.true('value' in r && isUnknown(r.value));
  converts(t, { kind: 'list', element: S }, [unknown, 1], ['(unknown)', '1']);
});

test('HOT parameter types convert as Heat does', (t) => {
  t.is(hotParameterType('nope'), undefined);
  t.is(hotParameterType('toString'), undefined);
  const b = hotParameterType('boolean')!;
  for (const s of ['true', 'yes', 'on', '1', 't', 'y', 'TRUE', ' Yes ']) converts(t, b, s, true);
  for (const s of ['false', 'no', 'off', '0', 'f', 'n']) converts(t, b, s, false);
  converts(t, b, 1, true);
  converts(t, b, true, true);
  refuses(t, b, 'maybe', /Unrecognized value "maybe", acceptable values are: '0', '1', 'f', 'false', 'n', 'no', 'off', 'on', 't', 'true', 'y', 'yes'/);
  refuses(t, b, 2, /Unrecognized value "2"/);
  const cdl = hotParameterType('comma_delimited_list')!;
  converts(t, cdl, 'a,b, c', ['a', 'b', ' c']);
  converts(t, cdl, '', []);
  converts(t, cdl, ['x', 1, true], ['x', '1', 'True']);
  refuses(t, cdl, 5, /comma-delimited list/);
  const json = hotParameterType('json')!;
  converts(t, json, '{"a": [1]}', { a: [1] });
  converts(t, json, { a: 1 }, { a: 1 });
  converts(t, json, '', {});
  refuses(t, json, '{', /Value must be valid JSON/);
  refuses(t, json, '5', /a JSON map or list/);
  const num = hotParameterType('number')!;
  converts(t, num, ' 42 ', 42);
  converts(t, num, '1.5', 1.5);
  refuses(t, num, 'x', /Value must be a number/);
  const str = hotParameterType('String')!;
  converts(t, str, 5, '5');
  converts(t, str, true, 'True');
  t.is(describeType(cdl), 'comma_delimited_list');
});
