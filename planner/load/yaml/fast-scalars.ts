/**
 * Scalar rules for the fast YAML parser, written to give exactly what the `yaml` package gives
 * (YAML 1.2 core schema). Anything unusual makes the caller bail out to the `yaml` package.
 */

const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const NAN_INF = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** The value of a plain scalar under the core schema. */
export function resolvePlain(str: string): null | boolean | number | string {
  const c = str.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (OCT.test(str)) return parseInt(str.substring(2), 8);
    if (INT.test(str)) return parseInt(str, 10);
    if (HEX.test(str)) return parseInt(str.substring(2), 16);
    if (NAN_INF.test(str)) return str.slice(-3).toLowerCase() === 'nan' ? NaN : str[0] === '-' ? -Infinity : Infinity;
    if (FLOAT_EXP.test(str) || FLOAT.test(str)) return parseFloat(str);
    return str;
  }
  if (c === 110 || c === 78 || c === 126) return NULL.test(str) ? null : str;
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL.test(str) ? str[0] === 't' || str[0] === 'T' : str;
  return str;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  '\t': '\t',
};

/**
 * Reads a one-line double-quoted scalar starting at `start` (the opening quote).
 * Returns the value and the offset after the closing quote, or undefined to bail out.
 */
export function readDoubleQuoted(s: string, start: number): { value: string; end: number } | undefined {
  let res = '';
  let i = start + 1;
  let run = i;
  for (;;) {
    DQ_STOP.lastIndex = i;
    if (!DQ_STOP.test(s)) return undefined;
    i = DQ_STOP.lastIndex - 1;
    const ch = s.charCodeAt(i);
    if (ch === 10) return undefined;
    if (ch === 34) {
      res += s.slice(run, i);
      return { value: res, end: i + 1 };
    }
    if (ch === 92) {
      res += s.slice(run, i);
      const next = s[i + 1];
      if (next === undefined || next === '\n') return undefined;
      const esc = ESCAPES[next];
      if (esc !== undefined) {
        res += esc;
        i += 2;
      } else if (next === 'x' || next === 'u' || next === 'U') {
        const n = next === 'x' ? 2 : next === 'u' ? 4 : 8;
        const hex = s.substr(i + 2, n);
        if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) return undefined;
        res += String.fromCodePoint(code);
        i += 2 + n;
      } else return undefined;
      run = i;
      continue;
    }
  }
}

const DQ_STOP = /["\\\n]/g;

/** Reads a one-line single-quoted scalar starting at `start`; undefined to bail out. */
export function readSingleQuoted(s: string, start: number): { value: string; end: number } | undefined {
  let i = start + 1;
  let res = '';
  let run = i;
  for (;;) {
    const ch = s.charCodeAt(i);
    if (i >= s.length || ch === 10) return undefined;
    if (ch === 39) {
      if (s.charCodeAt(i + 1) === 39) {
        res += s.slice(run, i + 1);
        i += 2;
        run = i;
        continue;
      }
      res += s.slice(run, i);
      return { value: res, end: i + 1 };
    }
    i++;
  }
}

/** One line of a block scalar: its indentation and its text after the indentation. */
export interface BlockLine {
  indent: number;
  text: string;
}

/**
 * The value of a block scalar from its lines (as the `yaml` package's resolveBlockScalar does),
 * for clip (`chomp` '') and strip ('-') chomping; keep ('+') is left to the `yaml` package.
 */
export function foldBlockLines(lines: BlockLine[], trimIndent: number, folded: boolean, chomp: '' | '-'): string {
  let chompStart = lines.length;
  for (let i = lines.length - 1; i >= 0; --i) {
    if (lines[i]!.text === '') chompStart = i;
    else break;
  }
  if (chompStart === 0) return '';
  let contentStart = 0;
  while (lines[contentStart]!.text === '') contentStart++;
  let value = '\n'.repeat(contentStart);
  let sep = '';
  let prevMoreIndented = false;
  for (let i = contentStart; i < chompStart; ++i) {
    const { indent, text } = lines[i]!;
    const lead = indent > trimIndent ? ' '.repeat(indent - trimIndent) : '';
    if (!folded) {
      value += sep + lead + text;
      sep = '\n';
    } else if (indent > trimIndent || text[0] === '\t') {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + lead + text;
      sep = '\n';
      prevMoreIndented = true;
    } else if (text === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + text;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  return chomp === '-' ? value : value + '\n';
}

/** Folds the lines of a multi-line plain scalar (each already trimmed; '' for an empty line). */
export function foldPlainLines(lines: string[]): string {
  let res = lines[0]!;
  let sep = ' ';
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!;
    if (l === '') {
      if (sep === '\n') res += sep;
      else sep = '\n';
    } else {
      res += sep + l;
      sep = ' ';
    }
  }
  return res;
}
