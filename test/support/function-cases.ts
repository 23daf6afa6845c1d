import type { ExecutionContext } from 'ava';
import { isUnknown, unknown } from '../../core/value.js';
import { call, callFn, plain, run, vx } from './expr-builders.js';

/** A function call and the value it must give. */
export type Case = [name: string, args: unknown[], expected: unknown];
/** A function call that must fail with one located error (at an argument when argIndex is given). */
export type Fail = [name: string, args: unknown[], message: RegExp, argIndex?: number];

export function check(t: ExecutionContext, cases: Case[]): void {
  for (const [name, args, expected] of cases) {
    const r = callFn(name, args);
    t.deepEqual(r.diagnostics, [], `${name}(${JSON.stringify(args)}): ${r.diagnostics.map((d) => d.summary).join('; ')}`);
    t.deepEqual(plain(r.value), expected, `${name}(${JSON.stringify(args)})`);
  }
}

export function checkFails(t: ExecutionContext, cases: Fail[]): void {
  for (const [name, args, message, argIndex] of cases) {
    const e = call(name, ...args.map(vx));
    const r = run(e, { u: unknown });
    const what = `${name}(${JSON.stringify(args)})`;
    t.true(isUnknown(r.value), what);
    t.is(r.diagnostics.length, 1, `${what}: ${JSON.stringify(r.diagnostics.map((d) => d.summary))}`);
    t.regex(r.diagnostics[0]?.summary ?? '', message, what);
    t.deepEqual(r.diagnostics[0]?.range, argIndex === undefined ? e.range : e.args[argIndex]!.range, `${what} location`);
  }
}
