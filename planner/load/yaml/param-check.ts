import { compileRe2, forEachMatch, PatternError } from '../../expr/functions/re2.js';
import { error, warning, type Diagnostic } from '../../../core/diagnostics.js';
import type { ParamConstraint, VariableDecl } from '../../model/document.js';
import type { Range } from '../../../core/source.js';
import { isUnknown } from '../../../core/value.js';

/**
 * Checks a concrete value against a HOT/CFN parameter's type and constraints, as Heat does
 * (heat/engine/parameters.py and constraints.py). `range` locates the value (default: the
 * declaration). A custom constraint is reported as a warning: dbstack cannot check it.
 * The HOT types are string | number | json | comma_delimited_list | boolean (CFN parameters
 * are loaded with the same names).
 */
export function checkParameterValue(decl: VariableDecl, value: unknown, range?: Range): Diagnostic[] {
  const at = range ?? decl.range;
  const out: Diagnostic[] = [];
  if (mayBeUnknown(value)) return out;
  const type = decl.type?.kind === 'literal' && typeof decl.type.value === 'string' ? decl.type.value : undefined;
  const converted = convert(type, value);
  if ('problem' in converted) {
    out.push(error(`The value ${show(value)} of parameter "${decl.name}" ${converted.problem}.`, at));
    return out;
  }
  const v = converted.value;
  for (const c of decl.constraints) {
    const problem = violation(c, v, type);
    if (problem === undefined) continue;
    if (problem === CUSTOM) {
      out.push(warning(`The custom constraint ${String(c.spec)} of parameter "${decl.name}" is not checked by dbstack.`, at));
      continue;
    }
    out.push(error(`The value ${show(value)} of parameter "${decl.name}" ${problem}.`, at, c.description));
  }
  return out;
}

const CUSTOM = Symbol('custom');

/** Values not known until apply (the evaluator's `Unknown`) cannot be checked now. */
function mayBeUnknown(v: unknown): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(mayBeUnknown);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(mayBeUnknown);
  return false;
}
const TRUE_STRINGS = ['1', 't', 'true', 'on', 'y', 'yes'];
const FALSE_STRINGS = ['0', 'f', 'false', 'off', 'n', 'no'];
const NUMERIC = /^\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\s*$/;

function show(v: unknown): string {
  try {
    const s = JSON.stringify(v);
    return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + '...' : s;
  } catch {
    return String(v);
  }
}

/** Heat's Schema.str_to_num. */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && NUMERIC.test(v)) return Number(v);
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function convert(type: string | undefined, v: unknown): { value: unknown } | { problem: string } {
  switch (type) {
    case 'string':
      if (typeof v === 'string') return { value: v };
      if (typeof v === 'number' || typeof v === 'boolean') return { value: String(v) };
      return { problem: 'is not a string' };
    case 'number': {
      const n = toNumber(v);
      return n === undefined ? { problem: 'is not a number' } : { value: n };
    }
    case 'boolean': {
      if (typeof v === 'boolean') return { value: v };
      const s = typeof v === 'string' || typeof v === 'number' ? String(v).toLowerCase() : undefined;
      if (s !== undefined && TRUE_STRINGS.includes(s)) return { value: true };
      if (s !== undefined && FALSE_STRINGS.includes(s)) return { value: false };
      return { problem: `is not a boolean (use true or false)` };
    }
    case 'comma_delimited_list':
      if (typeof v === 'string') return { value: v === '' ? [] : v.split(',') };
      if (Array.isArray(v)) return { value: v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) };
      if (typeof v === 'number' || typeof v === 'boolean') return { value: [String(v)] };
      return { problem: 'is not a comma-delimited list' };
    case 'json':
      if (isPlainObject(v) || Array.isArray(v)) return { value: v };
      if (typeof v === 'string') {
        try {
          const parsed: unknown = JSON.parse(v);
          if (isPlainObject(parsed) || Array.isArray(parsed)) return { value: parsed };
        } catch {
          // reported below
        }
      }
      return { problem: 'is not a JSON map or list' };
    default:
      return { value: v };
  }
}

function sameValue(type: string | undefined, a: unknown, b: unknown): boolean {
  if (type === 'number') {
    const x = toNumber(a);
    return x !== undefined && x === toNumber(b);
  }
  if (type === 'boolean') {
    const x = convert('boolean', a);
    const y = convert('boolean', b);
    return 'value' in x && 'value' in y && x.value === y.value;
  }
  if (typeof a === 'string' || typeof b === 'string') return String(a) === String(b);
  return a === b;
}

function bounds(spec: unknown): { min?: number; max?: number } {
  const s = isPlainObject(spec) ? spec : {};
  return { min: toNumber(s['min']), max: toNumber(s['max']) };
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (max === undefined) return `at least ${min}`;
  if (min === undefined) return `at most ${max}`;
  return `between ${min} and ${max}`;
}

/** A compiled `allowed_pattern`: does it match the whole value? */
export interface ParamPattern {
  matchesWhole(value: string): boolean;
}

/**
 * Compiles a Python-flavoured pattern (as Heat's) anchored at the start, as `re.match`. RE2
 * (linear time: a pattern like `(a+)+$` cannot hang a plan) takes almost every pattern Heat
 * templates use; only backreferences (`(?P=name)`) fall back to a JavaScript RegExp.
 */
export function patternToRegExp(pattern: string): ParamPattern | undefined {
  try {
    const re = compileRe2(`^(?:${pattern})`);
    return {
      matchesWhole: (value) => {
        let whole = false;
        forEachMatch(re, value, (m) => (whole = m.end === value.length), 1);
        return whole;
      },
    };
  } catch (e) {
    if (!(e instanceof PatternError)) throw e;
  }
  const js = pattern.replace(/\(\?P</g, '(?<').replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  for (const flags of ['u', '']) {
    try {
      const re = new RegExp(`^(?:${js})`, flags);
      return {
        matchesWhole: (value) => {
          const m = re.exec(value);
          return m !== null && m[0].length === value.length;
        },
      };
    } catch {
      // try the next flags
    }
  }
  return undefined;
}

function violation(c: ParamConstraint, v: unknown, type: string | undefined): string | typeof CUSTOM | undefined {
  switch (c.kind) {
    case 'allowed_values': {
      const allowed = Array.isArray(c.spec) ? c.spec : [];
      const ok = Array.isArray(v) ? v.every((x) => allowed.some((a) => sameValue(undefined, x, a))) : allowed.some((a) => sameValue(type, v, a));
      return ok ? undefined : `is not one of the allowed values ${show(allowed)}`;
    }
    case 'allowed_pattern': {
      if (typeof v !== 'string' || typeof c.spec !== 'string') return undefined;
      const re = patternToRegExp(c.spec);
      if (!re) return undefined;
      return re.matchesWhole(v) ? undefined : `does not match the pattern ${JSON.stringify(c.spec)}`;
    }
    case 'length': {
      const len = typeof v === 'string' || Array.isArray(v) ? v.length : isPlainObject(v) ? Object.keys(v).length : undefined;
      if (len === undefined) return undefined;
      const { min, max } = bounds(c.spec);
      if ((min !== undefined && len < min) || (max !== undefined && len > max)) return `has length ${len}; the length must be ${rangeText(min, max)}`;
      return undefined;
    }
    case 'range': {
      const n = toNumber(v);
      if (n === undefined) return undefined;
      const { min, max } = bounds(c.spec);
      if ((min !== undefined && n < min) || (max !== undefined && n > max)) return `is out of range; it must be ${rangeText(min, max)}`;
      return undefined;
    }
    case 'modulo': {
      const n = toNumber(v);
      const s = isPlainObject(c.spec) ? c.spec : {};
      const step = toNumber(s['step']);
      const offset = toNumber(s['offset']);
      if (n === undefined || step === undefined || offset === undefined || step === 0) return undefined;
      const r = ((n % step) + step) % step;
      return r === offset ? undefined : `is not a multiple of ${step} with an offset of ${offset}`;
    }
    case 'custom_constraint':
      return CUSTOM;
  }
}
