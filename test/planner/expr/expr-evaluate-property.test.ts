import test from 'ava';
import fc from 'fast-check';
import type { BinaryOp, Expr, Step } from '../../../planner/expr/ast.js';
import { evaluate } from '../../../planner/expr/evaluate.js';
import { functionNames } from '../../../planner/expr/functions/function-table.js';
import { isObject, Unknown, unknown, type Value } from '../../../core/value.js';
import type { Range } from '../../../core/source.js';
import { ctx } from '../../support/expr-builders.js';

/**
 * Random expression trees — well-formed and nonsensical alike, over every node kind and every
 * registered function — must never make `evaluate` throw, and every diagnostic must carry a
 * range.
 */

const R: Range = { file: 'fuzz.hcl', line: 1, col: 1, endLine: 1, endCol: 2 };
const NAMES = ['var', 'local', 'each', 'count', 'self', 'database_instance', 'v', 'k', 'x', 'nosuch'];
const ATTRS = ['a', 'b', 'host', 'port', 'list', 'map', 'u', 'n', 's', '0', '1', 'key', 'value', 'index', 'orders', 'nested'];
const OPS: BinaryOp[] = ['||', '&&', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'];
const FUNCS = [...functionNames(), 'nosuchfn'];

const scalar = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0.5, -0, 1e21, 1e-7, Infinity, 2 ** 53 + 2, 32, 24, 8),
  fc.string({ maxLength: 8 }),
  fc.constantFrom('', 'true', 'false', '1', '10.0.0.0/16', 'fd00::/56', '%s-%d', '%v', '/a+/', 'a,b', '(\\d+)', '2018-01-02T23:12:01Z', '1h', 'sha256', 'YYYY-MM-DD', '{"a":1}', 'a: 1', 'x,y\n1,2'),
);

const root = {
  var: { a: 1, s: 'str', n: null, list: [1, '2', unknown], map: { x: 'y', u: unknown }, nested: { list: [{ a: 1 }, { a: unknown }] } },
  local: { u: unknown, a: [['x'], []], b: { k: [1, 2] } },
  each: { key: 'k', value: { host: 'h', port: 5432 } },
  count: { index: 0 },
  self: unknown,
  database_instance: { orders: { host: 'db', port: 5432, list: ['a', 'b'] } },
};

const { expr } = fc.letrec<{ expr: Expr; step: Step }>((tie) => ({
  step: fc.oneof(
    fc.constantFrom(...ATTRS).map((name): Step => ({ kind: 'attr', name, range: R })),
    tie('expr').map((key): Step => ({ kind: 'index', key, range: R })),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar.map((value): Expr => ({ kind: 'literal', value, range: R })),
    fc.record({ root: fc.constantFrom(...NAMES), steps: fc.array(tie('step'), { maxLength: 3 }) }).map((r): Expr => ({ kind: 'ref', ...r, range: R })),
    fc.constant<Expr>({ kind: 'splatItem', range: R }),
    fc.array(tie('expr'), { maxLength: 4 }).map((items): Expr => ({ kind: 'tuple', items, range: R })),
    fc
      .array(fc.record({ key: tie('expr'), value: tie('expr'), bareKey: fc.boolean() }), { maxLength: 3 })
      .map((items): Expr => ({ kind: 'object', items, range: R })),
    fc.record({ parts: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }), single: fc.boolean() }).map((r): Expr => ({ kind: 'template', ...r, range: R })),
    fc.record({ target: tie('expr'), key: tie('expr') }).map((r): Expr => ({ kind: 'index', ...r, range: R })),
    fc.record({ target: tie('expr'), name: fc.constantFrom(...ATTRS) }).map((r): Expr => ({ kind: 'getattr', ...r, range: R })),
    fc.record({ source: tie('expr'), each: tie('expr'), style: fc.constantFrom('full' as const, 'attr' as const) }).map((r): Expr => ({ kind: 'splat', ...r, range: R })),
    fc
      .record({ name: fc.constantFrom(...FUNCS), args: fc.array(tie('expr'), { maxLength: 4 }), expandFinal: fc.boolean() })
      .map((r): Expr => ({ kind: 'call', ...r, nameRange: R, range: R })),
    fc.record({ op: fc.constantFrom('!' as const, '-' as const), operand: tie('expr') }).map((r): Expr => ({ kind: 'unary', ...r, range: R })),
    fc.record({ op: fc.constantFrom(...OPS), left: tie('expr'), right: tie('expr') }).map((r): Expr => ({ kind: 'binary', ...r, range: R })),
    fc.record({ cond: tie('expr'), then: tie('expr'), else: tie('expr') }).map((r): Expr => ({ kind: 'conditional', ...r, range: R })),
    fc
      .record({
        keyVar: fc.option(fc.constantFrom('k', 'var'), { nil: undefined }),
        valueVar: fc.constantFrom('v', 'x', 'each'),
        collection: tie('expr'),
        key: fc.option(tie('expr'), { nil: undefined }),
        value: tie('expr'),
        cond: fc.option(tie('expr'), { nil: undefined }),
        grouping: fc.boolean(),
        result: fc.constantFrom('tuple' as const, 'object' as const, 'string' as const),
      })
      .map((r): Expr => {
        const e: Expr = { kind: 'for', valueVar: r.valueVar, collection: r.collection, value: r.value, result: r.result, grouping: r.grouping, range: R };
        if (r.keyVar !== undefined) e.keyVar = r.keyVar;
        if (r.key !== undefined) e.key = r.key;
        if (r.cond !== undefined) e.cond = r.cond;
        return e;
      }),
    tie('expr').map((inner): Expr => ({ kind: 'paren', expr: inner, range: R })),
  ),
}));

function wellFormed(v: Value, depth = 0): boolean {
  if (depth > 200) return true;
  if (v === null || v instanceof Unknown) return true;
  if (Array.isArray(v)) return v.every((x) => x !== undefined && wellFormed(x, depth + 1));
  if (isObject(v)) return Object.keys(v).every((k) => v[k] !== undefined && wellFormed(v[k]!, depth + 1));
  return ['string', 'number', 'boolean'].includes(typeof v);
}

test('evaluate never throws and every diagnostic has a range (3,000 random trees)', (t) => {
  const context = ctx(root);
  let withErrors = 0;
  fc.assert(
    fc.property(expr, (e) => {
      const r = evaluate(e, context);
      if (r.diagnostics.length > 0) withErrors++;
      for (const d of r.diagnostics) {
        if (!d.range || typeof d.range.line !== 'number' || typeof d.summary !== 'string' || d.summary === '') return false;
      }
      return r.value !== undefined && wellFormed(r.value);
    }),
    { seed: 20240611, numRuns: 3000 },
  );
  t.true(withErrors > 300, `a useful share of trees produce errors (${withErrors})`);
});

test('evaluate is deterministic', (t) => {
  const context = ctx(root);
  fc.assert(
    fc.property(expr, (e) => {
      const a = evaluate(e, context);
      const b = evaluate(e, context);
      return JSON.stringify(a.diagnostics) === JSON.stringify(b.diagnostics) && JSON.stringify(a.value) === JSON.stringify(b.value);
    }),
    { seed: 7, numRuns: 500 },
  );
  t.pass();
});
