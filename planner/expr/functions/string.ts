import { describeValueType, primitiveToString } from '../../../core/primitives.js';
import type { Value } from '../../../core/value.js';
import { argInt, argList, argString, graphemes } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';

/** Terraform's string functions (cty stdlib semantics; characters are grapheme clusters). */

function join(args: readonly Value[]): string {
  const sep = argString(args[0]!, 0);
  const parts: string[] = [];
  for (let a = 1; a < args.length; a++) {
    const list = argList(args[a]!, a);
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      if (v === null) throw new FunctionError(`element ${i} of list ${a} is null; cannot concatenate null values`, a);
      const s = primitiveToString(v);
      if (s === undefined) throw new FunctionError(`element ${i} of list ${a} must be a string, not ${describeValueType(v)}`, a);
      parts.push(s);
    }
  }
  return parts.join(sep);
}

function substr(str: string, offset: number, length: number): string {
  const chars = graphemes(str);
  if (offset < 0) offset += chars.length;
  else if (length === 0) return '';
  if (offset < 0) offset = 0;
  if (offset >= chars.length) return '';
  const end = length < 0 ? chars.length : Math.min(chars.length, offset + length);
  return chars.slice(offset, end).join('');
}

/** Go's strings.Title: upper-cases letters that follow a separator. */
function title(s: string): string {
  let out = '';
  let prevSep = true;
  for (const ch of s) {
    out += prevSep ? ch.toUpperCase() : ch;
    prevSep = !/[\p{L}\p{N}_]/u.test(ch);
  }
  return out;
}

function cutset(s: string, set: string, start: boolean, end: boolean): string {
  const chars = new Set(Array.from(set));
  const cps = Array.from(s);
  let i = 0;
  let j = cps.length;
  if (start) while (i < j && chars.has(cps[i]!)) i++;
  if (end) while (j > i && chars.has(cps[j - 1]!)) j--;
  return cps.slice(i, j).join('');
}

const TRAILING_NEWLINES = /(?:\r\n?|\n)*$/;

export const stringFunctions: FunctionDef[] = [
  { name: 'chomp', minArgs: 1, maxArgs: 1, impl: ([s]) => argString(s!, 0).replace(TRAILING_NEWLINES, '') },
  { name: 'endswith', minArgs: 2, maxArgs: 2, impl: ([s, x]) => argString(s!, 0).endsWith(argString(x!, 1)) },
  { name: 'startswith', minArgs: 2, maxArgs: 2, impl: ([s, x]) => argString(s!, 0).startsWith(argString(x!, 1)) },
  { name: 'strcontains', minArgs: 2, maxArgs: 2, impl: ([s, x]) => argString(s!, 0).includes(argString(x!, 1)) },
  {
    name: 'indent',
    minArgs: 2,
    maxArgs: 2,
    impl: ([n, s]) => {
      const spaces = argInt(n!, 0);
      const str = argString(s!, 1);
      if (spaces < 0) throw new FunctionError('the number of spaces must not be negative', 0);
      if (spaces > 4096) throw new FunctionError('the number of spaces must be at most 4096', 0);
      return str.replaceAll('\n', `\n${' '.repeat(spaces)}`);
    },
  },
  {
    name: 'join',
    minArgs: 2,
    maxArgs: Infinity,
    impl: (args) => join(args),
  },
  { name: 'lower', minArgs: 1, maxArgs: 1, impl: ([s]) => argString(s!, 0).toLowerCase() },
  { name: 'upper', minArgs: 1, maxArgs: 1, impl: ([s]) => argString(s!, 0).toUpperCase() },
  { name: 'title', minArgs: 1, maxArgs: 1, impl: ([s]) => title(argString(s!, 0)) },
  {
    name: 'split',
    minArgs: 2,
    maxArgs: 2,
    impl: ([sep, s]) => {
      const d = argString(sep!, 0);
      const str = argString(s!, 1);
      return d === '' ? Array.from(str) : str.split(d);
    },
  },
  { name: 'strrev', minArgs: 1, maxArgs: 1, impl: ([s]) => graphemes(argString(s!, 0)).reverse().join('') },
  {
    name: 'substr',
    minArgs: 3,
    maxArgs: 3,
    impl: ([s, o, l]) => substr(argString(s!, 0), argInt(o!, 1), argInt(l!, 2)),
  },
  { name: 'trim', minArgs: 2, maxArgs: 2, impl: ([s, c]) => cutset(argString(s!, 0), argString(c!, 1), true, true) },
  {
    name: 'trimprefix',
    minArgs: 2,
    maxArgs: 2,
    impl: ([s, p]) => {
      const str = argString(s!, 0);
      const pre = argString(p!, 1);
      return str.startsWith(pre) ? str.slice(pre.length) : str;
    },
  },
  {
    name: 'trimsuffix',
    minArgs: 2,
    maxArgs: 2,
    impl: ([s, p]) => {
      const str = argString(s!, 0);
      const suf = argString(p!, 1);
      return suf !== '' && str.endsWith(suf) ? str.slice(0, str.length - suf.length) : str;
    },
  },
  { name: 'trimspace', minArgs: 1, maxArgs: 1, impl: ([s]) => argString(s!, 0).trim() },
];
