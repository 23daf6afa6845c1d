import { RE2JS, RE2JSException } from 're2js';

/**
 * RE2 (Go regexp) patterns, compiled by re2js: the same syntax Terraform accepts
 * (`(?P<name>…)`, `(?i)`, `\z`, `\Q…\E`, `\pL`, `[[:alpha:]]`) and matching in time linear in
 * the input, so no pattern can hang a plan. Backreferences and lookaround are RE2 syntax errors.
 */
export class PatternError extends Error {}

/** One match: the whole text, its groups (null when a group did not take part), and named groups. */
export interface Re2Match {
  index: number;
  end: number;
  /** [0] the whole match, [i] group i. */
  groups: (string | null)[];
}

export interface Re2Pattern {
  re: RE2JS;
  groupCount: number;
  /** Group names by index (1-based), in order. */
  names: Map<string, number>;
}

const cache = new Map<string, Re2Pattern | PatternError>();

/** The compiled pattern; throws `PatternError` for invalid RE2 syntax. */
export function compileRe2(pattern: string): Re2Pattern {
  let r = cache.get(pattern);
  if (r === undefined) {
    try {
      const re = RE2JS.compile(pattern);
      r = { re, groupCount: re.groupCount(), names: new Map(Object.entries(re.namedGroups())) };
    } catch (e) {
      if (!(e instanceof RE2JSException)) throw e;
      r = new PatternError(e.message.replace(/^error parsing regexp: /, ''));
    }
    if (cache.size >= 1000) cache.clear();
    cache.set(pattern, r);
  }
  if (r instanceof PatternError) throw r;
  return r;
}

/**
 * Every match as Go's FindAll / ReplaceAll see them: non-overlapping, and an empty match right
 * after a previous match is skipped. `limit` stops after that many matches (1 for `regex`).
 */
export function forEachMatch(p: Re2Pattern, s: string, visit: (m: Re2Match) => void, limit = Infinity): void {
  // The matcher's own find() resumes at the previous end, one character on after an empty match.
  const m = p.re.matcher(s);
  let prevEnd = -1;
  let found = 0;
  while (found < limit && m.find()) {
    const start = m.start();
    const end = m.end();
    const adjacentEmpty = start === end && start === prevEnd;
    prevEnd = end;
    if (adjacentEmpty) continue;
    const groups: (string | null)[] = [];
    for (let i = 0; i <= p.groupCount; i++) groups.push(m.group(i));
    visit({ index: start, end, groups });
    found++;
  }
}
