import type { ErrorObject } from 'ajv';
import { didYouMean, error, type Diagnostic } from '../core/diagnostics.js';
import type { Range } from '../core/source.js';
import { isUnknown, type Value } from '../core/value.js';
import * as catalog from './catalog.js';
import { collapse } from './collapse.js';
import { schemaKey, type SchemaKind } from './files.js';
import { describe, type Described } from './messages.js';
import { escapePointer, isAtOrUnder, showPath } from './paths.js';
import type { Step } from './schema-tree.js';
import { validators } from './validators.js';

/**
 * Validates a resource's (or data source's, or provider's) evaluated configuration against
 * its schema and reports every problem as one plain sentence at the offending place.
 *
 * - Unknown values (known only after apply) are valid wherever they stand: they are replaced
 *   by a placeholder before validating, and errors at or under them are dropped (an anyOf
 *   branch failing only there counts as passing).
 * - A null attribute is an unset one (HCL `x = null`).
 * - Setting an attribute the provider computes (and does not accept from users) is an error.
 */

export type Locate = (path: (string | number)[], kind: 'key' | 'value') => Range | undefined;

export function validateResource(mode: SchemaKind, type: string, value: Value, address: string, locate: Locate): Diagnostic[] {
  const validate = validators[schemaKey(mode, type)];
  if (!validate) {
    const hint = didYouMean(type, catalog.resourceTypes(mode));
    const what = mode === 'managed' ? 'resource type' : mode === 'data' ? 'data source type' : 'provider';
    return [error(`unknown ${what} \`${type}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`, locate([], 'value'), undefined, address)];
  }
  if (isUnknown(value)) return [];

  const unknowns: string[] = [];
  const data = prepare(value, '', unknowns);
  const found: Described[] = [];
  const covered = [...unknowns];

  for (const path of computedOnlyPaths(mode, type, data)) {
    covered.push(path.map((s) => `/${escapePointer(String(s))}`).join(''));
    found.push({
      summary: `\`${showPath(path)}\` in ${address} is computed by the provider and cannot be set`,
      path,
      kind: 'key',
    });
  }

  const ignorable = (e: ErrorObject): boolean => covered.some((base) => isAtOrUnder(e.instancePath, base));
  const raw = validate(data) ? [] : [...(validate.errors ?? [])];
  const ctx = { mode, type, address, data };
  for (const e of quiet(collapse(raw, ignorable))) if (!ignorable(e)) found.push(describe(e, ctx));

  const seen = new Set<string>();
  const diags: Diagnostic[] = [];
  for (const d of found) {
    const key = `${d.summary}\u0000${JSON.stringify(d.path)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diags.push(error(d.summary, find(locate, d.path, d.kind), d.detail, address));
  }
  return sortByRange(diags);
}

export function validateProvider(name: string, value: Value, locate: Locate): Diagnostic[] {
  return validateResource('provider', name, value, `provider.${name}`, locate);
}

/**
 * Plain data for ajv: unknowns → unique placeholder strings (unique, so `uniqueItems` never
 * trips on two of them), null object members dropped, objects with ordinary prototypes (ajv's
 * helpers expect them). Records the JSON pointer of every unknown.
 */
function prepare(v: Value, ptr: string, unknowns: string[]): unknown {
  if (isUnknown(v)) {
    unknowns.push(ptr);
    return `\u0000(known after apply)#${unknowns.length}`;
  }
  if (Array.isArray(v)) return v.map((x, i) => prepare(x, `${ptr}/${i}`, unknowns));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = v[k]!;
      if (x === null) continue;
      const item = prepare(x, `${ptr}/${escapePointer(k)}`, unknowns);
      if (k === '__proto__') Object.defineProperty(out, k, { value: item, enumerable: true, writable: true, configurable: true });
      else out[k] = item;
    }
    return out;
  }
  return v;
}

/** At one place, an empty string also fails its pattern or format: report only "must not be empty". */
const REDUNDANT_WITH_EMPTY = new Set(['pattern', 'format', 'errorMessage']);

function quiet(errors: ErrorObject[]): ErrorObject[] {
  const empty = new Set(errors.filter((e) => e.keyword === 'minLength').map((e) => e.instancePath));
  return errors.filter((e) => !(REDUNDANT_WITH_EMPTY.has(e.keyword) && empty.has(e.instancePath)));
}

/** Paths of computed-only attributes present in the data (not descending into them). */
function computedOnlyPaths(mode: SchemaKind, type: string, data: unknown): Step[][] {
  const out: Step[][] = [];
  const visit = (v: unknown, path: Step[]): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, [...path, i]));
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const computedOnly = catalog.computedOnlyIn(mode, type, path);
    for (const k of Object.keys(v)) {
      if (computedOnly.has(k)) out.push([...path, k]);
      else visit((v as Record<string, unknown>)[k], [...path, k]);
    }
  };
  visit(data, []);
  return out;
}

/** The range for a path, falling back to the value, then to enclosing values. */
function find(locate: Locate, path: Step[], kind: 'key' | 'value'): Range | undefined {
  const direct = locate([...path], kind) ?? (kind === 'key' ? locate([...path], 'value') : undefined);
  if (direct) return direct;
  for (let n = path.length - 1; n >= 0; n--) {
    const r = locate(path.slice(0, n), 'value');
    if (r) return r;
  }
  return undefined;
}

function sortByRange(diags: Diagnostic[]): Diagnostic[] {
  return diags
    .map((d, i) => ({ d, i }))
    .sort((a, b) => {
      const ra = a.d.range;
      const rb = b.d.range;
      if (!ra || !rb || ra.file !== rb.file) return a.i - b.i;
      return ra.line - rb.line || ra.col - rb.col || a.i - b.i;
    })
    .map((x) => x.d);
}
