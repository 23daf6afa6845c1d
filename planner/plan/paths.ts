import { isObject, isUnknown, newObject, type Value } from '../../core/value.js';
import type { Path } from './types.js';

/** A schema path pattern: `*` matches any list index or map key. */
export type Pattern = string[];

export function matches(path: Path, pattern: Pattern): boolean {
  return pattern.length <= path.length && pattern.every((p, i) => p === '*' || p === String(path[i]));
}

/** True if some pattern is a prefix of `path` (the path lies inside a marked attribute). */
export function underAny(path: Path, patterns: Pattern[]): boolean {
  return patterns.some((p) => matches(path, p));
}

export function parsePath(dotted: string): Pattern {
  return dotted.split('.').filter(Boolean);
}

export function getAt(v: Value | undefined, path: Path): Value | undefined {
  let cur = v;
  for (const seg of path) {
    if (Array.isArray(cur) && typeof seg === 'number') cur = cur[seg];
    else if (cur !== undefined && isObject(cur as Value)) cur = (cur as Record<string, Value>)[String(seg)];
    else return undefined;
  }
  return cur;
}

/** A copy of `v` with `path` set to `x` (containers on the way are copied, not mutated). */
export function setAt(v: Value, path: Path, x: Value): Value {
  if (path.length === 0) return x;
  const [head, ...rest] = path;
  if (Array.isArray(v) && typeof head === 'number') {
    const copy = v.slice();
    copy[head] = setAt(copy[head] ?? null, rest, x);
    return copy;
  }
  const copy = newObject(isObject(v) ? Object.entries(v) : []);
  copy[String(head)] = setAt(copy[String(head)] ?? null, rest, x);
  return copy;
}

/**
 * The leaf paths where `before` and `after` differ. Objects recurse by key (a missing key is
 * null); lists recurse by index, extra elements count as changed in full; an unknown `after`
 * always counts as a change.
 */
export function changedPaths(before: Value | undefined, after: Value | undefined, path: Path = [], out: Path[] = []): Path[] {
  const b = before ?? null;
  const a = after ?? null;
  if (isUnknown(a)) {
    out.push(path);
    return out;
  }
  if (isObject(a) || isObject(b)) {
    if ((a !== null && !isObject(a)) || (b !== null && !isObject(b))) {
      out.push(path);
      return out;
    }
    const keys = new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})]);
    for (const k of [...keys].sort()) changedPaths(b ? (b as Record<string, Value>)[k] : null, a ? (a as Record<string, Value>)[k] : null, [...path, k], out);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i++) {
      if (i >= a.length || i >= b.length) out.push([...path, i]);
      else changedPaths(b[i], a[i], [...path, i], out);
    }
    return out;
  }
  if (!deepEqual(a, b)) out.push(path);
  return out;
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (isUnknown(a) || isUnknown(b)) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]!));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== null);
    const kb = Object.keys(b).filter((k) => b[k] !== null);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k]!, b[k] ?? null));
  }
  return false;
}

/** Concrete paths in `v` that match any pattern (for sensitive markings). */
export function concretePaths(v: Value | undefined, patterns: Pattern[]): Path[] {
  const out: Path[] = [];
  for (const p of patterns) expand(v, p, [], out);
  return out;
}

function expand(v: Value | undefined, pattern: Pattern, at: Path, out: Path[]): void {
  if (v === undefined || v === null) return;
  if (pattern.length === 0) {
    out.push(at);
    return;
  }
  const [head, ...rest] = pattern;
  if (head === '*') {
    if (Array.isArray(v)) v.forEach((x, i) => expand(x, rest, [...at, i], out));
    else if (isObject(v)) for (const [k, x] of Object.entries(v)) expand(x, rest, [...at, k], out);
    return;
  }
  if (Array.isArray(v) && /^\d+$/.test(head!)) expand(v[Number(head)], rest, [...at, Number(head)], out);
  else if (isObject(v)) expand(v[head!], rest, [...at, head!], out);
}

/** The paths without repeats (first occurrence kept). */
export function dedupe<P extends readonly (string | number)[]>(paths: P[]): P[] {
  const seen = new Set<string>();
  return paths.filter((p) => {
    const k = JSON.stringify(p);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
