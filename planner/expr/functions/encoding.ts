import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { lineColAt, MAX_TEXT_DEPTH, MAX_VALUE_DEPTH, textTooDeepAt } from '../depth.js';
import { fromPlain, parseJsonValue, toJsonText } from '../../../core/json.js';
import { isObject, newObject, type Value } from '../../../core/value.js';
import { argString } from './args.js';
import { parseCsv } from './csv.js';
import { FunctionError, type FunctionDef } from './def.js';

/** base64, JSON, YAML, CSV and URL encodings, as Terraform's functions. */

const where = (text: string, at: number): string => {
  const { line, col } = lineColAt(text, at);
  return `at line ${line}, column ${col} of the string`;
};
const utf8 = new TextDecoder('utf-8', { fatal: true });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64Utf8(s: string, argIndex: number): string {
  if (s.length % 4 !== 0 || !BASE64.test(s)) throw new FunctionError('failed to decode base64 data: the string is not valid base64', argIndex);
  try {
    return utf8.decode(Buffer.from(s, 'base64'));
  } catch {
    throw new FunctionError('the result of decoding the provided string is not valid UTF-8', argIndex);
  }
}

/** Go's url.QueryEscape: unreserved characters stay, space → "+", the rest %XX. */
function urlencode(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (b === 0x20) out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function toPlain(v: Value): unknown {
  if (Array.isArray(v)) return v.map(toPlain);
  if (isObject(v)) {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(o, k, { value: toPlain(v[k]!), enumerable: true, writable: true, configurable: true });
    return o;
  }
  return v;
}

export const encodingFunctions: FunctionDef[] = [
  { name: 'base64encode', minArgs: 1, maxArgs: 1, impl: ([s]) => Buffer.from(argString(s!, 0), 'utf8').toString('base64') },
  { name: 'base64decode', minArgs: 1, maxArgs: 1, impl: ([s]) => decodeBase64Utf8(argString(s!, 0), 0) },
  {
    name: 'jsonencode',
    minArgs: 1,
    maxArgs: 1,
    impl: ([v]) => {
      try {
        return toJsonText(v!);
      } catch (e) {
        throw new FunctionError((e as Error).message, 0);
      }
    },
  },
  {
    name: 'jsondecode',
    minArgs: 1,
    maxArgs: 1,
    impl: ([s]) => {
      const text = argString(s!, 0);
      const deep = textTooDeepAt(text, MAX_VALUE_DEPTH);
      if (deep >= 0) throw new FunctionError(`the JSON nests deeper than ${MAX_VALUE_DEPTH} levels (${where(text, deep)})`, 0);
      try {
        return parseJsonValue(text);
      } catch (e) {
        if (e instanceof FunctionError) throw e;
        throw new FunctionError(`invalid JSON: ${(e as Error).message}`, 0);
      }
    },
  },
  { name: 'urlencode', minArgs: 1, maxArgs: 1, impl: ([s]) => urlencode(argString(s!, 0)) },
  {
    name: 'csvdecode',
    minArgs: 1,
    maxArgs: 1,
    impl: ([s]) => {
      const rows = parseCsv(argString(s!, 0));
      const header = rows[0]!;
      return rows.slice(1).map((r) => newObject(header.map((h, i) => [h, r[i]!])));
    },
  },
  {
    name: 'yamlencode',
    minArgs: 1,
    maxArgs: 1,
    impl: ([v]) => {
      return stringifyYaml(toPlain(v!), {
        defaultStringType: 'QUOTE_DOUBLE',
        defaultKeyType: 'QUOTE_DOUBLE',
        sortMapEntries: true,
        indentSeq: false,
        lineWidth: 0,
      });
    },
  },
  {
    name: 'yamldecode',
    minArgs: 1,
    maxArgs: 1,
    impl: ([s]) => {
      let doc: unknown;
      const text = argString(s!, 0);
      const deep = textTooDeepAt(text, MAX_TEXT_DEPTH);
      if (deep >= 0) throw new FunctionError(`the YAML nests deeper than ${MAX_TEXT_DEPTH} levels (${where(text, deep)})`, 0);
      try {
        doc = parseYaml(text, { schema: 'core', maxAliasCount: 100, uniqueKeys: true, logLevel: 'error' });
      } catch (e) {
        throw new FunctionError(`invalid YAML: ${(e as Error).message.split('\n')[0]}`, 0);
      }
      try {
        return fromPlain(doc ?? null);
      } catch (e) {
        throw new FunctionError(`unsupported YAML value: ${(e as Error).message}`, 0);
      }
    },
  },
];
