import { argInt, argNumber, argString } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

function parseInt_(s: string, base: number): number {
  if (base < 2 || base > 62) throw new FunctionError('the base must be a whole number between 2 and 62 inclusive', 1);
  let i = 0;
  let neg = false;
  if (s[0] === '-' || s[0] === '+') {
    neg = s[0] === '-';
    i = 1;
  }
  if (i >= s.length) throw new FunctionError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`, 0);
  let n = 0n;
  const b = BigInt(base);
  for (; i < s.length; i++) {
    // Bases up to 36 are case-insensitive, as Go's big.Int SetString.
    let d = DIGITS.indexOf(s[i]!);
    if (base <= 36 && d >= 36) d -= 26;
    if (d < 0 || d >= base) throw new FunctionError(`cannot parse ${JSON.stringify(s)} as a base ${base} integer`, 0);
    n = n * b + BigInt(d);
  }
  return Number(neg ? -n : n);
}

function real(n: number): number {
  if (Number.isNaN(n)) throw new FunctionError('the result is not a real number');
  return n;
}

export const numericFunctions: FunctionDef[] = [
  { name: 'abs', minArgs: 1, maxArgs: 1, impl: ([a]) => Math.abs(argNumber(a!, 0)) },
  { name: 'ceil', minArgs: 1, maxArgs: 1, impl: ([a]) => Math.ceil(argNumber(a!, 0)) },
  { name: 'floor', minArgs: 1, maxArgs: 1, impl: ([a]) => Math.floor(argNumber(a!, 0)) },
  {
    name: 'log',
    minArgs: 2,
    maxArgs: 2,
    impl: ([a, b]) => real(Math.log(argNumber(a!, 0)) / Math.log(argNumber(b!, 1))),
  },
  {
    name: 'max',
    minArgs: 1,
    maxArgs: Infinity,
    impl: (args) => args.reduce<number>((m, a, i) => Math.max(m, argNumber(a, i)), -Infinity),
  },
  {
    name: 'min',
    minArgs: 1,
    maxArgs: Infinity,
    impl: (args) => args.reduce<number>((m, a, i) => Math.min(m, argNumber(a, i)), Infinity),
  },
  {
    name: 'parseint',
    minArgs: 2,
    maxArgs: 2,
    impl: ([s, b]) => parseInt_(argString(s!, 0), argInt(b!, 1)),
  },
  { name: 'pow', minArgs: 2, maxArgs: 2, impl: ([a, b]) => real(Math.pow(argNumber(a!, 0), argNumber(b!, 1))) },
  { name: 'signum', minArgs: 1, maxArgs: 1, impl: ([a]) => Math.sign(argNumber(a!, 0)) || 0 },
];
