import { goQuote, toJsonText } from '../../../core/json.js';
import { describeValueType, primitiveToString, toBoolLoose, toNumberLoose } from '../../../core/primitives.js';
import type { Value } from '../../../core/value.js';
import { argString, graphemeCount, graphemes } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';
import { formatFloat } from './format-number.js';

/**
 * `format` and `formatlist` with cty's verbs: %v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q
 * and %%, flags (space + - 0 #), width, .precision and [n] argument indexes.
 */
export interface Verb {
  raw: string;
  offset: number;
  argNum: number;
  mode: string;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  width: number;
  prec: number;
}

/** A format error; `arg` is 0 for the format string, or the (1-based) value argument. */
class FormatFail extends Error {
  constructor(
    message: string,
    readonly arg = 0,
  ) {
    super(message);
  }
}

export function formatString(fmt: string, args: readonly Value[]): string {
  let out = '';
  let next = 1;
  let highest = 0;
  const n = fmt.length;
  let p = 0;
  while (p < n) {
    const c = fmt[p]!;
    if (c !== '%') {
      out += c;
      p++;
      continue;
    }
    if (fmt[p + 1] === '%') {
      out += '%';
      p += 2;
      continue;
    }
    const start = p++;
    const v: Verb = { raw: '', offset: start, argNum: next, mode: '', zero: false, sharp: false, plus: false, minus: false, space: false, width: -1, prec: -1 };
    for (; p < n; p++) {
      const f = fmt[p];
      if (f === '0') v.zero = true;
      else if (f === '#') v.sharp = true;
      else if (f === '-') v.minus = true;
      else if (f === '+') v.plus = true;
      else if (f === ' ') v.space = true;
      else break;
    }
    if (p < n && fmt[p]! >= '1' && fmt[p]! <= '9') {
      v.width = 0;
      while (p < n && fmt[p]! >= '0' && fmt[p]! <= '9') v.width = v.width * 10 + Number(fmt[p++]);
    }
    if (fmt[p] === '.') {
      p++;
      v.prec = 0;
      while (p < n && fmt[p]! >= '0' && fmt[p]! <= '9') v.prec = v.prec * 10 + Number(fmt[p++]);
    }
    if (fmt[p] === '[') {
      p++;
      if (!(fmt[p]! >= '1' && fmt[p]! <= '9')) throw new FormatFail(`invalid format string starting at offset ${start}`);
      v.argNum = 0;
      while (p < n && fmt[p]! >= '0' && fmt[p]! <= '9') v.argNum = v.argNum * 10 + Number(fmt[p++]);
      if (fmt[p] !== ']') throw new FormatFail(`invalid format string starting at offset ${start}`);
      p++;
    }
    if (p >= n) throw new FormatFail(`invalid format string starting at offset ${start}`);
    const m = fmt.codePointAt(p)!;
    const mode = String.fromCodePoint(m);
    if (!/^[A-Za-z]$/.test(mode)) throw new FormatFail(`unrecognized format character ${JSON.stringify(mode)} at offset ${p}`);
    p++;
    v.mode = mode;
    v.raw = fmt.slice(start, p);
    if (v.width > 1_000_000 || v.prec > 1_000_000) throw new FormatFail(`width or precision too large in ${JSON.stringify(v.raw)}`);
    if (v.argNum > highest) highest = v.argNum;
    out += formatOne(v, args);
    next = v.argNum + 1;
  }
  if (highest < args.length) {
    const first = highest + 1;
    throw new FormatFail(
      highest === 0 ? 'too many arguments; no verbs in format string' : `too many arguments; only ${highest} used by format string`,
      first,
    );
  }
  return out;
}

function formatOne(v: Verb, args: readonly Value[]): string {
  const i = v.argNum - 1;
  if (i >= args.length) {
    throw new FormatFail(`not enough arguments for ${JSON.stringify(v.raw)} at ${v.offset}: need index ${v.argNum} but have ${args.length} total`);
  }
  const arg = args[i]!;
  const bad = (why: string): FormatFail => new FormatFail(`unsupported value for ${JSON.stringify(v.raw)} at ${v.offset}: ${why}`, v.argNum);
  if (v.mode !== 'v' && arg === null) throw bad('null value cannot be formatted');
  switch (v.mode) {
    case 'v':
      if (!v.sharp && typeof arg === 'string') return pad(v, arg);
      if (!v.sharp && typeof arg === 'number') return pad(v, formatFloat(arg, { ...v, mode: 'g', prec: -1, plus: false, space: false, width: -1 }));
      try {
        return pad(v, toJsonText(arg));
      } catch (e) {
        throw bad((e as Error).message);
      }
    case 't': {
      const b = toBoolLoose(arg);
      if (b === undefined) throw bad(`a bool is required, not ${describeValueType(arg)}`);
      return b ? 'true' : 'false';
    }
    case 'b':
    case 'd':
    case 'o':
    case 'x':
    case 'X':
    case 'e':
    case 'E':
    case 'f':
    case 'g':
    case 'G': {
      const num = toNumberLoose(arg);
      if (num === undefined) throw bad(`a number is required, not ${typeof arg === 'string' ? JSON.stringify(arg) : describeValueType(arg)}`);
      if ('bdoxX'.includes(v.mode)) {
        if (!Number.isInteger(num)) throw bad('an integer is required');
        return formatInteger(v, num);
      }
      return formatFloat(num, v);
    }
    case 's':
    case 'q': {
      let s = primitiveToString(arg);
      if (s === undefined) throw bad(`a string is required, not ${describeValueType(arg)}`);
      if (v.prec > 0) s = graphemes(s).slice(0, v.prec).join('');
      return pad(v, v.mode === 'q' ? goQuote(s) : s);
    }
    default:
      throw new FormatFail(`unsupported format verb ${JSON.stringify(v.mode)} in ${JSON.stringify(v.raw)} at offset ${v.offset}`);
  }
}

/** Width padding in characters (grapheme clusters), as cty pads strings and %v. */
function pad(v: Verb, s: string): string {
  if (v.width < 0) return s;
  const len = graphemeCount(s);
  if (len >= v.width) return s;
  const fill = (v.zero ? '0' : ' ').repeat(v.width - len);
  return v.minus ? s + fill : fill + s;
}

/** Go's integer formatting of %b %d %o %x %X with flags, width and precision. */
function formatInteger(v: Verb, num: number): string {
  const big = BigInt(num);
  const neg = big < 0n;
  const abs = neg ? -big : big;
  const base = v.mode === 'b' ? 2 : v.mode === 'o' ? 8 : v.mode === 'd' ? 10 : 16;
  let digits = abs.toString(base);
  if (v.mode === 'X') digits = digits.toUpperCase();
  if (v.prec >= 0) digits = v.prec === 0 && abs === 0n ? '' : digits.padStart(v.prec, '0');
  let prefix = neg ? '-' : v.plus ? '+' : v.space ? ' ' : '';
  if (v.sharp) {
    if (v.mode === 'b') prefix += '0b';
    else if (v.mode === 'o' && !digits.startsWith('0')) prefix += '0';
    else if (v.mode === 'x') prefix += '0x';
    else if (v.mode === 'X') prefix += '0X';
  }
  const len = prefix.length + digits.length;
  if (v.width <= len) return prefix + digits;
  if (v.minus) return prefix + digits + ' '.repeat(v.width - len);
  if (v.zero && v.prec < 0) return prefix + '0'.repeat(v.width - len) + digits;
  return ' '.repeat(v.width - len) + prefix + digits;
}

function formatCall(args: readonly Value[]): string {
  const fmt = argString(args[0]!, 0);
  try {
    return formatString(fmt, args.slice(1));
  } catch (e) {
    if (e instanceof FormatFail) throw new FunctionError(e.message, e.arg);
    throw e;
  }
}

function formatList(args: readonly Value[]): Value {
  const fmt = argString(args[0]!, 0);
  const rest = args.slice(1);
  let len = -1;
  let chooser = -1;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (!Array.isArray(a)) continue;
    if (len === -1) {
      len = a.length;
      chooser = i;
    } else if (a.length !== len) {
      throw new FunctionError(`argument ${i + 2} has length ${a.length}, which is inconsistent with argument ${chooser + 2} of length ${len}`, i + 1);
    }
  }
  if (len === -1) len = 1;
  const out: Value[] = [];
  const callArgs: Value[] = new Array(rest.length);
  for (let k = 0; k < len; k++) {
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      callArgs[i] = Array.isArray(a) ? a[k]! : a;
    }
    try {
      out.push(formatString(fmt, callArgs));
    } catch (e) {
      if (e instanceof FormatFail) throw new FunctionError(`error on format iteration ${k}: ${e.message}`, e.arg);
      throw e;
    }
  }
  return out;
}

export const formatFunctions: FunctionDef[] = [
  { name: 'format', minArgs: 1, maxArgs: Infinity, impl: (args) => formatCall(args) },
  { name: 'formatlist', minArgs: 1, maxArgs: Infinity, impl: (args) => formatList(args) },
];
