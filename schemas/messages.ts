import type { ErrorObject } from 'ajv';
import { didYouMean } from '../core/diagnostics.js';
import * as catalog from './catalog.js';
import { ONE_OF_REQUIRED } from './collapse.js';
import type { SchemaKind } from './files.js';
import { pointerSteps, showPath, valueAt } from './paths.js';
import type { Step } from './schema-tree.js';

/** One ajv error as one plain sentence, and where in the value it points. */
export interface Described {
  summary: string;
  detail?: string;
  path: Step[];
  kind: 'key' | 'value';
}

export interface Context {
  mode: SchemaKind;
  type: string;
  address: string;
  /** The value as validated (unknowns replaced, nulls dropped). */
  data: unknown;
}

const FORMATS: Record<string, string> = {
  cidr: 'a CIDR block such as 10.0.0.0/24',
  'ip-address': 'an IP address such as 10.0.0.5',
  cron: 'a five-field cron expression such as "0 2 * * *"',
  'timeout-duration': 'a duration such as "30m" or "1h30m"',
  'broker-url': 'an MQTT broker URL such as mqtts://mq.example:8883',
  'http-url': 'an http(s) URL such as https://keystone.example:5000/v3',
  uuid: 'a UUID',
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
};

const TYPE_NOUN: Record<string, string> = {
  integer: 'whole number',
  number: 'number',
  string: 'string',
  boolean: 'boolean',
  array: 'list',
  object: 'object',
  null: 'null',
};

export function describe(e: ErrorObject, ctx: Context): Described {
  const path = pointerSteps(e.instancePath, ctx.data);
  const subject = path.length ? `\`${showPath(path)}\`` : ctx.address;
  const value = valueAt(ctx.data, path);
  const secret = catalog.attributeInfo(ctx.mode, ctx.type, path)?.sensitive === true;
  const got = (): string => (secret ? `got ${article(kindOf(value))}` : `got ${render(value)}`);
  const p = e.params as Record<string, unknown>;
  const at = (summary: string, detail?: string): Described => clean({ summary, detail, path, kind: 'value' });

  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const candidates = catalog.settableAttributes(ctx.mode, ctx.type, path);
      const hint = didYouMean(key, candidates);
      const summary = `unknown attribute \`${showPath([...path, key])}\` in ${ctx.address}`;
      return hint !== undefined
        ? { summary: `${summary} — did you mean \`${showPath([...path, hint])}\`?`, path: [...path, key], kind: 'key' }
        : clean({ summary, detail: list('Attributes here: ', candidates), path: [...path, key], kind: 'key' });
    }
    case 'required': {
      const missing = String(p.missingProperty);
      const block = catalog.attributeInfo(ctx.mode, ctx.type, [...path, missing])?.block;
      const detail = block ? `Set it as \`${missing} = …\` or write a ${blockExample(block)} block.` : undefined;
      return at(`${ctx.address} is missing required attribute \`${showPath([...path, missing])}\``, detail);
    }
    case ONE_OF_REQUIRED: {
      const alts = (p.alternatives as string[][]).map((names) => names.map((n) => `\`${n}\``).join(' and '));
      return at(`${subject} needs ${alts.length === 1 ? '' : 'one of '}${joinOr(alts)}`);
    }
    case 'type':
      return at(`${subject} must be ${typePhrase(p.type)}, ${typeGot(value, p.type, secret)}`);
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      const hint = typeof value === 'string' && !secret ? didYouMean(value, allowed) : undefined;
      const must = allowed.length === 1 ? `must be ${allowed[0]}` : `must be one of ${allowed.join(', ')}`;
      return at(`${subject} ${must}, ${got()}${hint !== undefined ? ` — did you mean "${hint}"?` : ''}`);
    }
    case 'const':
      return at(`${subject} must be ${render(p.allowedValue)}, ${got()}`);
    case 'minimum':
      return at(`${subject} must be at least ${String(p.limit)}, ${got()}`);
    case 'maximum':
      return at(`${subject} must be at most ${String(p.limit)}, ${got()}`);
    case 'exclusiveMinimum':
      return at(`${subject} must be greater than ${String(p.limit)}, ${got()}`);
    case 'exclusiveMaximum':
      return at(`${subject} must be less than ${String(p.limit)}, ${got()}`);
    case 'multipleOf':
      return at(`${subject} must be a multiple of ${String(p.multipleOf)}, ${got()}`);
    case 'minLength': {
      if (p.limit === 1) return at(`${subject} must not be empty`);
      return at(`${subject} must be at least ${String(p.limit)} characters long${secret ? '' : `, got ${render(value)}`}`);
    }
    case 'maxLength':
      return at(`${subject} must be at most ${String(p.limit)} characters long${secret ? '' : `, got ${length(value)}`}`);
    case 'minItems': {
      const n = Number(p.limit);
      const block = catalog.attributeInfo(ctx.mode, ctx.type, path)?.block;
      const detail = block && !block.single ? `Write at least ${n === 1 ? 'one' : n} ${blockExample(block)} ${plural('block', n)}.` : undefined;
      return at(`${subject} must have at least ${n} ${plural('element', n)}, got ${lengthOf(value)}`, detail);
    }
    case 'maxItems': {
      const n = Number(p.limit);
      return at(`${subject} must have at most ${n} ${plural('element', n)}, got ${lengthOf(value)}`);
    }
    case 'uniqueItems': {
      const later = Number(p.i);
      const item = Array.isArray(value) ? value[later] : undefined;
      const summary = secret ? `${subject} has a duplicate element` : `${subject} lists ${render(item)} more than once`;
      return clean({ summary, path: [...path, later], kind: 'value' });
    }
    case 'format': {
      const format = String(p.format);
      return at(`${subject} must be ${FORMATS[format] ?? `a valid ${format}`}, ${got()}`);
    }
    case 'pattern':
      return at(`${subject} must match the pattern ${String(p.pattern)}, ${got()}`);
    case 'errorMessage':
      // ajv-errors: the schema's own wording for the wrapped keyword (usually a pattern).
      return at(`${subject} ${e.message ?? 'is not valid'}, ${got()}`);
    case 'dependentRequired': {
      const prop = String(p.property);
      const missing = String(p.missingProperty);
      return clean({
        summary: `\`${showPath([...path, prop])}\` requires \`${showPath([...path, missing])}\` to be set as well`,
        path: [...path, prop],
        kind: 'key',
      });
    }
    case 'not':
      return conflict(e, ctx, path) ?? at(`${subject} has a value that is not allowed here`);
    case 'oneOf':
      return at(`${subject} matches more than one of its allowed forms; make it match exactly one`);
    case 'anyOf':
      return at(`${subject} does not match any of its allowed forms`);
    case 'minProperties':
      return at(p.limit === 1 ? `${subject} must not be empty` : `${subject} must have at least ${String(p.limit)} entries`);
    case 'propertyNames':
      return clean({ summary: `${subject} has an invalid name \`${String(p.propertyName)}\``, path: [...path, String(p.propertyName)], kind: 'key' });
    default:
      return at(`${subject} ${e.message ?? 'is not valid'}`);
  }
}

/** `dependentSchemas: {A: {not: {required: [B]}}}` — A and B exclude each other. */
function conflict(e: ErrorObject, ctx: Context, path: Step[]): Described | undefined {
  const m = /\/dependentSchemas\/([^/]+)\/not$/.exec(e.schemaPath);
  if (!m) return undefined;
  const a = m[1]!.replace(/~1/g, '/').replace(/~0/g, '~');
  const not = catalog.schemaAtSchemaPath(ctx.mode, ctx.type, e.schemaPath);
  const b = Array.isArray(not?.required) ? String(not.required[0]) : undefined;
  if (b === undefined) return undefined;
  return {
    summary: `\`${showPath([...path, a])}\` and \`${showPath([...path, b])}\` cannot both be set in ${ctx.address}; use one or the other`,
    path: [...path, b],
    kind: 'key',
  };
}

function typePhrase(t: unknown): string {
  const types = (Array.isArray(t) ? t : String(t).split(',')).map(String);
  if (types.length === 1) return types[0] === 'boolean' ? 'true or false' : article(TYPE_NOUN[types[0]!] ?? types[0]!);
  return article(joinOr(types.map((x) => TYPE_NOUN[x] ?? x)));
}

function typeGot(value: unknown, expected: unknown, secret: boolean): string {
  const wantsInteger = (Array.isArray(expected) ? expected : [expected]).map(String).includes('integer');
  if (typeof value === 'number' && wantsInteger && !secret) return `got ${render(value)}`;
  if (secret || (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')) {
    return `got ${article(kindOf(value))}`;
  }
  return `got ${TYPE_NOUN[kindOf(value)] ?? kindOf(value)} ${render(value)}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** A value as it appears in a message: strings quoted and shortened. */
function render(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  return article(kindOf(v));
}

function article(noun: string): string {
  if (noun === 'null') return noun;
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function length(v: unknown): number {
  return typeof v === 'string' ? [...v].length : 0;
}

function lengthOf(v: unknown): number {
  return Array.isArray(v) ? v.length : 0;
}

function plural(word: string, n: number): string {
  return n === 1 ? word : `${word}s`;
}

function joinOr(items: string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function list(prefix: string, names: string[]): string | undefined {
  return names.length ? `${prefix}${names.join(', ')}.` : undefined;
}

function blockExample(block: catalog.BlockInfo): string {
  return block.label ? `\`${block.name} "…" { … }\`` : `\`${block.name} { … }\``;
}

function clean(d: Described): Described {
  if (d.detail === undefined) delete d.detail;
  return d;
}
