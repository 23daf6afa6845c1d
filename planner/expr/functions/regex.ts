import { newObject, type Value } from '../../../core/value.js';
import { argString } from './args.js';
import { FunctionError, type FunctionDef } from './def.js';
import { compileRe2, forEachMatch, PatternError, type Re2Match, type Re2Pattern } from './re2.js';

/** `regex`, `regexall` and `replace` (plain, or RE2 when the substring is `/…/`). */

function compile(pattern: string, argIndex: number): Re2Pattern {
  try {
    return compileRe2(pattern);
  } catch (e) {
    if (e instanceof PatternError) throw new FunctionError(`invalid regexp pattern: ${e.message} (RE2 syntax: no backreferences or lookaround)`, argIndex);
    throw e;
  }
}

/** The result shape Terraform gives a match: the string, a list of groups, or a map of named groups. */
function shape(p: Re2Pattern): 'string' | 'list' | 'object' {
  if (p.groupCount === 0) return 'string';
  if (p.names.size === 0) return 'list';
  if (p.names.size === p.groupCount) return 'object';
  throw new FunctionError('invalid regexp pattern: cannot mix both named and unnamed capture groups', 0);
}

function result(m: Re2Match, p: Re2Pattern, kind: 'string' | 'list' | 'object'): Value {
  if (kind === 'string') return m.groups[0]!;
  if (kind === 'list') return m.groups.slice(1);
  const o = newObject();
  for (const [k, i] of p.names) o[k] = m.groups[i] ?? null;
  return o;
}

/**
 * Go's regexp template expansion (`$1`, `${1}`, `$name`, `${name}`, `$$`), parsed once into
 * literal text and group indexes (-1: a group that does not exist, which expands to nothing).
 */
function parseTemplate(template: string, p: Re2Pattern): (string | number)[] {
  const parts: (string | number)[] = [];
  let text = '';
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c !== '$') {
      text += c;
      continue;
    }
    if (template[i + 1] === '$') {
      text += '$';
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
      text += '$';
      continue;
    }
    parts.push(text);
    text = '';
    parts.push((/^\d+$/.test(name) ? Number(name) : p.names.get(name)) ?? -1);
    i = next - 1;
  }
  parts.push(text);
  return parts;
}

function expand(parts: (string | number)[], m: Re2Match): string {
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : (m.groups[part] ?? '');
  return out;
}

function regexReplace(str: string, pattern: string, template: string): string {
  const re = compile(pattern, 1);
  const parts = parseTemplate(template, re);
  let out = '';
  let last = 0;
  forEachMatch(re, str, (m) => {
    out += str.slice(last, m.index) + expand(parts, m);
    last = m.end;
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
      const kind = shape(re);
      let found: Value | undefined;
      forEachMatch(re, str, (m) => (found = result(m, re, kind)), 1);
      if (found === undefined) throw new FunctionError('pattern did not match any part of the given string');
      return found;
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
      forEachMatch(re, str, (m) => out.push(result(m, re, kind)));
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
