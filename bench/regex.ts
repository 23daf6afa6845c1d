/**
 * bench/regex: regex(), regexall() and replace() on 10,000-character inputs, including the
 * patterns that make a backtracking engine take exponential time (`^(a+)+$` against "aaa…!").
 * Target (issue 9): each call ≤ 10 ms on 10,000 characters, i.e. linear-time matching.
 */
import type { CallContext } from '../planner/expr/functions/def.js';
import { lookupFunction } from '../planner/expr/functions/function-table.js';
import type { Value } from '../core/value.js';

const N = 10_000;
const TARGET_MS = 10;
const RUNS = 50;

const call = (name: string, args: Value[]): Value => {
  const f = lookupFunction(name)!;
  const ctx = { name, argCount: args.length, baseDir: undefined } as unknown as CallContext;
  return f.impl(args, ctx);
};

const cases: { what: string; fn: string; args: Value[] }[] = [
  { what: 'nested quantifier ^(a+)+$, no match', fn: 'regexall', args: ['^(a+)+$', `${'a'.repeat(N)}!`] },
  { what: 'alternation ^(a|aa)+$, no match', fn: 'regexall', args: ['^(a|aa)+$', `${'a'.repeat(N)}!`] },
  { what: '(x+x+)+y, no match', fn: 'regexall', args: ['(x+x+)+y', 'x'.repeat(N)] },
  { what: 'regex with groups, match at the end', fn: 'regexall', args: ['(\\d+)-(\\d+)$', `${'a'.repeat(N - 7)}123-456`] },
  { what: 'regexall of every word', fn: 'regexall', args: ['[a-z]+', 'abc '.repeat(N / 4)] },
  { what: 'replace /(a)(b)/ with $2$1', fn: 'replace', args: ['ab'.repeat(N / 2), '/(a)(b)/', '$2$1'] },
  { what: 'replace /(a+)+$/ (no match)', fn: 'replace', args: [`${'a'.repeat(N)}!`, '/(a+)+$/', 'x'] },
];

const rows: string[] = [];
let worst = 0;
for (const c of cases) {
  call(c.fn, c.args); // warm up: compile the pattern, JIT the matcher
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    call(c.fn, c.args);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)]!;
  const max = times[RUNS - 1]!;
  worst = Math.max(worst, median);
  rows.push(`${c.what.padEnd(42)} ${c.fn.padEnd(9)} median ${median.toFixed(2).padStart(7)} ms   max ${max.toFixed(2).padStart(7)} ms`);
}
process.stdout.write(`regex functions on ${N.toLocaleString('en')} characters (${RUNS} runs each)\n${rows.join('\n')}\n`);
process.stdout.write(`worst median ${worst.toFixed(2)} ms — target ≤ ${TARGET_MS} ms: ${worst <= TARGET_MS ? 'met' : 'NOT met'}\n`);
if (worst > TARGET_MS) process.exitCode = 1;
