import { parseJsonValue, toJsonText } from '../core/json.js';
import { isObject, isUnknown, newObject, type Value } from '../core/value.js';
import type { PathElement, SensitivePath } from './types.js';

/** What a sensitive leaf is replaced by in stored JSON. Restoring goes by path, never by this text. */
export const SENSITIVE_MARKER = '(sensitive)';

export type ConcretePath = PathElement[];
export type Secret = [ConcretePath, Value];

/** JSON text of a value; throws `Error` if any part is unknown (unknown never reaches the state). */
export function encodeValue(v: Value, what: string): string {
  const at = unknownAt(v, []);
  if (at) throw new Error(`cannot store ${what}${formatPath(at)}: its value is not known until apply`);
  return toJsonText(v);
}

export function decodeValue(text: string): Value {
  return parseJsonValue(text);
}

function unknownAt(v: Value, path: PathElement[]): PathElement[] | undefined {
  if (isUnknown(v)) return path;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const r = unknownAt(v[i]!, [...path, i]);
      if (r) return r;
    }
  } else if (isObject(v)) {
    for (const k of Object.keys(v)) {
      const r = unknownAt(v[k]!, [...path, k]);
      if (r) return r;
    }
  }
  return undefined;
}

export function formatPath(path: readonly PathElement[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('');
}

export function validatePaths(paths: unknown, what: string): SensitivePath[] {
  if (paths === undefined) return [];
  const ok =
    Array.isArray(paths) &&
    paths.every((p) => Array.isArray(p) && p.every((e) => typeof e === 'string' || (typeof e === 'number' && Number.isInteger(e) && e >= 0)));
  if (!ok) throw new Error(`${what} must be a list of paths, each a list of keys, indexes or "*"`);
  return (paths as PathElement[][]).map((p) => [...p]);
}

/**
 * Copies `doc` with every value at `paths` replaced by the marker, and returns the removed
 * values with their concrete paths (`*` expanded). Overlapping paths are fine: restoring in
 * reverse order puts nested values back after their parents.
 */
export function redact(doc: Value, paths: readonly SensitivePath[]): { doc: Value; secrets: Secret[] } {
  const holder = { root: clone(doc) };
  const secrets: Secret[] = [];
  const seen = new Set<string>();
  const visit = (node: Value, path: SensitivePath, i: number, at: ConcretePath, set: (v: Value) => void): void => {
    if (i === path.length) {
      const id = JSON.stringify(at);
      if (seen.has(id)) return;
      seen.add(id);
      secrets.push([at, node]);
      set(SENSITIVE_MARKER);
      return;
    }
    const step = path[i]!;
    if (Array.isArray(node)) {
      const indexes = step === '*' ? node.map((_, k) => k) : listIndex(step, node.length);
      for (const k of indexes) visit(node[k]!, path, i + 1, [...at, k], (v) => (node[k] = v));
    } else if (isObject(node)) {
      const keys = step === '*' ? Object.keys(node) : Object.hasOwn(node, String(step)) ? [String(step)] : [];
      for (const k of keys) visit(node[k]!, path, i + 1, [...at, k], (v) => (node[k] = v));
    }
  };
  for (const p of paths) visit(holder.root, p, 0, [], (v) => (holder.root = v));
  return { doc: holder.root, secrets };
}

function listIndex(step: PathElement, length: number): number[] {
  const n = typeof step === 'number' ? step : /^(0|[1-9][0-9]*)$/.test(step) ? Number(step) : -1;
  return n >= 0 && n < length ? [n] : [];
}

/** Puts sealed values back (in place where possible); throws if a path no longer exists. */
export function restore(doc: Value, secrets: readonly Secret[]): Value {
  let root = doc;
  for (let s = secrets.length - 1; s >= 0; s--) {
    const [path, value] = secrets[s]!;
    if (path.length === 0) {
      root = value;
      continue;
    }
    let node: Value = root;
    for (let i = 0; i < path.length - 1; i++) node = child(node, path[i]!, path);
    const last = path[path.length - 1]!;
    if (Array.isArray(node) && typeof last === 'number' && last < node.length) node[last] = value;
    else if (isObject(node) && typeof last === 'string' && Object.hasOwn(node, last)) node[last] = value;
    else throw new Error(`sealed value for ${formatPath(path)} has no place in the stored document`);
  }
  return root;
}

function child(node: Value, step: PathElement, path: ConcretePath): Value {
  if (Array.isArray(node) && typeof step === 'number' && step < node.length) return node[step]!;
  if (isObject(node) && typeof step === 'string' && Object.hasOwn(node, step)) return node[step]!;
  throw new Error(`sealed value for ${formatPath(path)} has no place in the stored document`);
}

function clone(v: Value): Value {
  if (Array.isArray(v)) return v.map(clone);
  if (isObject(v)) return newObject(Object.keys(v).map((k) => [k, clone(v[k]!)]));
  return v;
}
