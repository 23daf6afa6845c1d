import { newObject, type Value } from '../value.js';
import { argString } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';
import { compileRe2, forEachMatch, PatternError } from './re2.js';

/** `regex`, `regexall` and `replace` (plain, or RE2 when the substring is `/…/`). */

interface Groups {
  count: number;
  names: string[];
}

const groupCache = new WeakMap<RegExp, Groups>();

function compile(pattern: string, argIndex: number): RegExp {
  try {
    return compileRe2(pattern);
  } catch (e) {
    if (e instanceof PatternError) throw new FunctionError(`invalid regexp pattern: ${e.message}`, argIndex);
    throw e;
  }
}

function groupsOf(re: RegExp): Groups {
  let g = groupCache.get(re);
  if (!g) {
    const m = new RegExp(`(?:${re.source})|`, re.flags.replace('g', '')).exec('')!;
    g = { count: m.length - 1, names: m.groups ? Object.keys(m.groups) : [] };
    groupCache.set(re, g);
  }
  return g;
}

/** The result shape Terraform gives a match: the string, a list of groups, or a map of named groups. */
function shape(re: RegExp): 'string' | 'list' | 'object' {
  const g = groupsOf(re);
  if (g.count === 0) return 'string';
  if (g.names.length === 0) return 'list';
  if (g.names.length === g.count) return 'object';
  throw new FunctionError('invalid regexp pattern: cannot mix both named and unnamed capture groups', 0);
}

function result(m: RegExpExecArray, kind: 'string' | 'list' | 'object'): Value {
  if (kind === 'string') return m[0];
  if (kind === 'list') {
    const out: Value[] = [];
    for (let i = 1; i < m.length; i++) out.push(m[i] ?? null);
    return out;
  }
  const o = newObject();
  for (const [k, v] of Object.entries(m.groups ?? {})) o[k] = v ?? null;
  return o;
}

/** Go's regexp template expansion: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, m: RegExpExecArray): string {
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    if (template[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string | undefined;
    let next = i + 1;
    if (template[i + 1] === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (/^[A-Za-z0-9_]+$/.test(inner)) {
        name = inner;
        next = close + 1;
      }
    } else {
      const w = /^[A-Za-z0-9_]+/.exec(template.slice(i + 1));
      if (w) {
        name = w[0];
        next = i + 1 + w[0].length;
      }
    }
    if (name === undefined) {
      out += '$';
      continue;
    }
    if (/^\d+$/.test(name)) out += m[Number(name)] ?? '';
    else out += m.groups?.[name] ?? '';
    i = next - 1;
  }
  return out;
}

function regexReplace(str: string, pattern: string, template: string): string {
  const re = compile(pattern, 1);
  let out = '';
  let last = 0;
  forEachMatch(re, str, (m) => {
    out += str.slice(last, m.index) + expand(template, m);
    last = m.index + m[0].length;
  });
  return out + str.slice(last);
}

export const regexFunctions: FunctionDef[] = [
  {
    name: 'regex',
    minArgs: 2,
    maxArgs: 2,
    impl: ([p, s]) => {
      const re = compile(argString(p!, 0), 0);
      const str = argString(s!, 1);
      re.lastIndex = 0;
      const m = re.exec(str);
      re.lastIndex = 0;
      if (!m) throw new FunctionError('pattern did not match any part of the given string');
      return result(m, shape(re));
    },
  },
  {
    name: 'regexall',
    minArgs: 2,
    maxArgs: 2,
    impl: ([p, s]) => {
      const re = compile(argString(p!, 0), 0);
      const str = argString(s!, 1);
      const kind = shape(re);
      const out: Value[] = [];
      forEachMatch(re, str, (m) => out.push(result(m, kind)));
      return out;
    },
  },
  {
    name: 'replace',
    minArgs: 3,
    maxArgs: 3,
    impl: ([s, sub, rep]) => {
      const str = argString(s!, 0);
      const substr = argString(sub!, 1);
      const replacement = argString(rep!, 2);
      if (substr.length > 1 && substr.startsWith('/') && substr.endsWith('/')) {
        return regexReplace(str, substr.slice(1, -1), replacement);
      }
      return str.replaceAll(substr, () => replacement);
    },
  },
];
