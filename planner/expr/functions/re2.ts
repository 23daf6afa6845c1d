/**
 * RE2 (Go regexp) patterns as JavaScript RegExps, compiled once and cached. Covers the syntax
 * Terraform users write: `(?P<name>…)`, leading `(?i)`/`(?s)`/`(?m)`, `\z`, `\A`, `\Q…\E`,
 * `\pL`, `\x{…}`, POSIX classes `[[:alpha:]]`, escaped punctuation and literal braces.
 */
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7f',
  blank: '\\t ',
  cntrl: '\\x00-\\x1f\\x7f',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

export class PatternError extends Error {}

function hex(c: string): string {
  return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

function translate(p: string): { source: string; flags: string } {
  let flags = 'u';
  let i = 0;
  const lead = /^\(\?([imsU]+)\)/.exec(p);
  if (lead) {
    for (const f of lead[1]!) {
      if (f === 'U') throw new PatternError('the ungreedy flag (?U) is not supported');
      if (!flags.includes(f)) flags += f;
    }
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  while (i < p.length) {
    const c = p[i]!;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) throw new PatternError('trailing backslash at end of expression');
      if (n === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = end < 0 ? p.slice(i + 2) : p.slice(i + 2, end);
        for (const ch of lit) out += /[A-Za-z0-9]/.test(ch) || ch.charCodeAt(0) > 0x7f ? ch : hex(ch);
        i = end < 0 ? p.length : end + 2;
        continue;
      }
      if (n === 'z' && !inClass) out += '(?![\\s\\S])';
      else if (n === 'A' && !inClass) out += '(?<![\\s\\S])';
      else if (n === 'a') out += '\\x07';
      else if ((n === 'p' || n === 'P') && p[i + 2] !== '{') {
        const cls = p[i + 2];
        if (!cls || !/[A-Za-z]/.test(cls)) throw new PatternError(`invalid character class range: \\${n}`);
        out += `\\${n}{${cls}}`;
        i += 3;
        continue;
      } else if (n === 'x' && p[i + 2] === '{') {
        const end = p.indexOf('}', i + 3);
        if (end < 0) throw new PatternError('invalid escape sequence: \\x{');
        out += `\\u{${p.slice(i + 3, end)}}`;
        i = end + 1;
        continue;
      } else if (n >= '0' && n <= '7' && (n !== '0' || /[0-7]/.test(p[i + 2] ?? ''))) {
        const m = /^[0-7]{1,3}/.exec(p.slice(i + 1))![0];
        out += `\\u{${parseInt(m, 8).toString(16)}}`;
        i += 1 + m.length;
        continue;
      } else if (/[A-Za-z0-9]/.test(n)) out += `\\${n}`;
      else out += n.charCodeAt(0) < 0x80 ? hex(n) : n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && p[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(i));
        if (m && POSIX[m[2]!] !== undefined) {
          if (m[1]) throw new PatternError('negated POSIX classes are not supported');
          out += POSIX[m[2]!];
          i += m[0].length;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c === '[' ? '\\[' : c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (p[i] === '^') out += p[i++];
      if (p[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && p[i + 1] === '?') {
      if (p.startsWith('(?P<', i)) {
        out += '(?<';
        i += 4;
        continue;
      }
      if (p[i + 2] === ':' || p[i + 2] === '<') {
        out += '(?';
        i += 2;
        continue;
      }
      throw new PatternError('inline flags and group modifiers other than (?:…) are only supported at the start of the pattern');
    }
    if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(p.slice(i));
      if (!m) {
        out += '\\{';
        i++;
        continue;
      }
      if (Number(m[1]) > 1000 || (m[3] && Number(m[3]) > 1000)) throw new PatternError(`invalid repeat count: ${m[0]}`);
      out += m[0];
      i += m[0].length;
      continue;
    }
    if (c === '}') out += '\\}';
    else out += c;
    i++;
  }
  if (inClass) throw new PatternError('missing closing ]');
  return { source: out, flags: `${flags}g` };
}

const cache = new Map<string, RegExp | PatternError>();

/** The compiled global RegExp for an RE2 pattern; throws `PatternError` for invalid ones. */
export function compileRe2(pattern: string): RegExp {
  let r = cache.get(pattern);
  if (r === undefined) {
    try {
      const t = translate(pattern);
      r = new RegExp(t.source, t.flags);
    } catch (e) {
      r = e instanceof PatternError ? e : new PatternError((e as Error).message.replace(/^Invalid regular expression: /, ''));
    }
    if (cache.size >= 1000) cache.clear();
    cache.set(pattern, r);
  }
  if (r instanceof PatternError) throw r;
  return r;
}

/**
 * Every match as Go's FindAll / ReplaceAll see them: non-overlapping, and an empty match right
 * after a previous match is skipped.
 */
export function forEachMatch(re: RegExp, s: string, visit: (m: RegExpExecArray) => void): void {
  let pos = 0;
  let prevEnd = -1;
  while (pos <= s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    let accept = true;
    if (end === pos) {
      if (m.index === prevEnd) accept = false;
      pos += (s.codePointAt(pos) ?? 0) > 0xffff ? 2 : 1;
    } else pos = end;
    prevEnd = end;
    if (accept) visit(m);
  }
  re.lastIndex = 0;
}
