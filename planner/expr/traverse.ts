import { didYouMean } from '../../core/diagnostics.js';
import type { Expr, Step } from './ast.js';
import { describeValueType, formatNumber, hasKey, parseNumber, primitiveToString } from '../../core/primitives.js';
import { isObject, Unknown, unknown, type Value } from '../../core/value.js';

/**
 * Attribute access and indexing on values, as HCL does them. Each returns the value or a
 * `Fail`; the evaluator locates it and names the traversed value (`what`), which is only
 * computed when something failed.
 */
export class Fail {
  constructor(
    readonly summary: (what: string) => string,
    readonly detail?: (what: string) => string,
  ) {}
}

const DIGITS = /^\d+$/;

/** `target.name`. */
export function getAttr(target: Value, name: string): Value | Fail {
  if (target instanceof Unknown) return unknown;
  if (isObject(target)) {
    if (hasKey(target, name)) return target[name] ?? null;
    const hint = didYouMean(name, Object.keys(target));
    return new Fail((w) => `${w} has no attribute \`${name}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`);
  }
  if (target === null) {
    return new Fail(
      () => `Attempt to get attribute \`${name}\` from null value`,
      (w) => `${w} is null, so it has no attributes.`,
    );
  }
  if (Array.isArray(target)) {
    // Legacy index syntax `list.0`.
    if (DIGITS.test(name)) return indexList(target, Number(name));
    return new Fail(
      (w) => `${w} is a list and has no attribute \`${name}\``,
      (w) => `To read \`${name}\` of one element write ${w}[0].${name}; of every element, ${w}[*].${name}.`,
    );
  }
  const t = describeValueType(target);
  return new Fail((w) => `${w} is a ${t} and has no attribute \`${name}\``);
}

/** `target[key]`. */
export function index(target: Value, key: Value): Value | Fail {
  if (key === null) return new Fail((w) => `Invalid index into ${w}: the key is null`);
  if (target === null) return new Fail(() => 'Attempt to index null value', (w) => `${w} is null, so it has no elements.`);
  if (target instanceof Unknown) return unknown;
  if (Array.isArray(target)) {
    if (key instanceof Unknown) return unknown;
    const n = typeof key === 'number' ? key : typeof key === 'string' ? parseNumber(key) : undefined;
    if (n === undefined) {
      const t = describeValueType(key);
      return new Fail((w) => `Invalid index into ${w}: a list index must be a number, not ${t === 'string' ? JSON.stringify(key) : t}`);
    }
    return indexList(target, n);
  }
  if (isObject(target)) {
    if (key instanceof Unknown) return unknown;
    const k = primitiveToString(key);
    if (k === undefined) {
      const t = describeValueType(key);
      return new Fail((w) => `Invalid index into ${w}: a map key must be a string, not ${t}`);
    }
    if (hasKey(target, k)) return target[k] ?? null;
    const hint = didYouMean(k, Object.keys(target));
    return new Fail(
      (w) => `${w} has no element ${JSON.stringify(k)}${hint ? ` — did you mean ${JSON.stringify(hint)}?` : ''}`,
      () => 'The given key does not identify an element in this collection value.',
    );
  }
  const t = describeValueType(target);
  return new Fail((w) => `Invalid index: ${w} is a ${t} and has no elements`);
}

function indexList(list: Value[], n: number): Value | Fail {
  if (!Number.isInteger(n)) return new Fail((w) => `Invalid index into ${w}: ${formatNumber(n)} is not a whole number`);
  if (n < 0 || n >= list.length) {
    const len = list.length;
    return new Fail(
      (w) => `Invalid index into ${w}: index ${formatNumber(n)} is out of range`,
      () => `The list has ${len} element${len === 1 ? '' : 's'}${len ? `; valid indices are 0 to ${len - 1}` : ''}.`,
    );
  }
  return list[n] ?? null;
}

/** Text of a traversal step appended to a path, for messages. */
function stepText(step: Step): string {
  if (step.kind === 'attr') return DIGITS.test(step.name) ? `[${step.name}]` : `.${step.name}`;
  const k = step.key;
  if (k.kind === 'literal' && typeof k.value === 'number') return `[${formatNumber(k.value)}]`;
  if (k.kind === 'literal' && typeof k.value === 'string') return `[${JSON.stringify(k.value)}]`;
  if (k.kind === 'template' && k.parts.length === 1 && k.parts[0]!.kind === 'literal') {
    return `[${JSON.stringify(String(k.parts[0]!.value))}]`;
  }
  return '[…]';
}

/** The path of a reference up to (excluding) step `upTo`: `database_instance.orders`. */
export function refPath(e: { root: string; steps: Step[] }, upTo: number): string {
  let s = e.root;
  for (let i = 0; i < upTo && i < e.steps.length; i++) s += stepText(e.steps[i]!);
  return s;
}

/** A short name for an expression in messages: the reference path, or "this value". */
export function describeExpr(e: Expr): string {
  switch (e.kind) {
    case 'ref':
      return refPath(e, e.steps.length);
    case 'getattr':
      return `${describeExpr(e.target)}.${e.name}`;
    case 'index':
      return describeExpr(e.target) + stepText({ kind: 'index', key: e.key, range: e.range });
    case 'paren':
      return describeExpr(e.expr);
    case 'splatItem':
      return 'the element';
    default:
      return 'this value';
  }
}
