import { createHash } from 'node:crypto';
import { compareStrings, describeValueType, hasKey } from '../../../core/primitives.js';
import { isObject, type Value, type ValueObject } from '../../../core/value.js';
import { FunctionError, type FunctionDef } from './def.js';
import { pyJson, pyQuote, pyStr } from './python.js';

/**
 * Heat HOT string intrinsics, per heat/engine/hot/functions.py. Mapping arguments arrive as
 * one object argument (`str_replace`, `make_url`); list arguments as separate arguments.
 */

type ReplaceMode = 'plain' | 'json' | 'strict' | 'vstrict';

function replacement(fn: string, mode: ReplaceMode, param: string, v: Value): string {
  const empty = (): never => {
    throw new FunctionError(`${fn} has an undefined or empty value for param ${param}, must be a defined non-empty value`, 0);
  };
  if (v === null) return mode === 'vstrict' ? empty() : '';
  const s = pyStr(v);
  if (s !== undefined) return mode === 'vstrict' && s === '' ? empty() : s;
  if (mode === 'plain') throw new FunctionError(`"${fn}" params must be strings or numbers, param ${param} is not valid`, 0);
  if (mode === 'vstrict' && (Array.isArray(v) ? v.length === 0 : Object.keys(v as ValueObject).length === 0)) empty();
  return pyJson(v);
}

/** Longer keys first; equal lengths in lexical order (Heat's sort). */
function replaceOrder(keys: string[]): string[] {
  return [...keys].sort(compareStrings).sort((a, b) => b.length - a.length);
}

/** Heat's str_replace: each key splits the text; replaced values are never re-scanned. */
export function strReplace(fn: string, mode: ReplaceMode, template: Value, params: Value, argIndex: number): string {
  if (typeof template !== 'string') throw new FunctionError(`"${fn}" template must be a string`, argIndex);
  if (!isObject(params)) throw new FunctionError(`"${fn}" params must be a map`, argIndex);
  const keys = replaceOrder(Object.keys(params));
  const values = keys.map((k) => replacement(fn, mode, k, params[k]!));
  const found = new Set<string>();
  const strict = mode === 'strict' || mode === 'vstrict';
  const run = (s: string, k: number): string => {
    if (k === keys.length) return s;
    const parts = s.split(keys[k]!);
    if (strict && parts.length > 1) found.add(keys[k]!);
    return parts.map((p) => run(p, k + 1)).join(values[k]!);
  };
  const out = run(template, 0);
  if (strict) {
    const missing = keys.filter((k) => !found.has(k));
    if (missing.length > 0) throw new FunctionError(`The following params were not found in the template: ${missing.join(',')}`, argIndex);
  }
  return out;
}

function replaceDef(name: string, mode: ReplaceMode): FunctionDef {
  return {
    name,
    minArgs: 1,
    maxArgs: 1,
    impl: ([a]) => {
      if (!isObject(a!)) throw new FunctionError(`Arguments to "${name}" must be a map`, 0);
      if (!hasKey(a, 'template') || !hasKey(a, 'params')) {
        throw new FunctionError(`"${name}" syntax should be ${name}: {template: "This is var1 template var2", params: {var1: a, var2: string}}`, 0);
      }
      return strReplace(name, mode, a.template!, a.params!, 0);
    },
  };
}

function joinItem(s: Value): string {
  if (s === null) return '';
  if (typeof s === 'string') return s;
  if (Array.isArray(s) || isObject(s)) return pyJson(s);
  throw new FunctionError(`Items to join must be string, map or list not ${JSON.stringify(s)}`);
}

function listJoin(args: Value[]): string {
  const delim = args[0]!;
  const strings: Value[] = [];
  for (let i = 1; i < args.length; i++) {
    const l = args[i]!;
    if (l === null || l === '' || (Array.isArray(l) && l.length === 0)) continue;
    if (!Array.isArray(l)) throw new FunctionError('"list_join" must operate on a list', i);
    strings.push(...l);
  }
  if (typeof delim !== 'string') throw new FunctionError('"list_join" delimiter must be a string', 0);
  return strings.map(joinItem).join(delim);
}

function strSplit(args: Value[]): Value {
  const [delim, str, index] = args;
  if (str === null) return null;
  if (typeof delim !== 'string') throw new FunctionError('"str_split" delimiter must be a string', 0);
  if (typeof str !== 'string') throw new FunctionError(`"str_split" can only split a string, not ${describeValueType(str!)}`, 1);
  if (delim === '') throw new FunctionError('"str_split": empty separator', 0);
  const parts = str.split(delim);
  if (index === undefined) return parts;
  const i = typeof index === 'number' ? index : typeof index === 'string' && /^\s*[-+]?\d+\s*$/.test(index) ? Number(index) : NaN;
  if (!Number.isInteger(i)) throw new FunctionError('Incorrect index to "str_split" should be: "str_split" : [ ",", "apples,pears", <index>]', 2);
  const at = i < 0 ? parts.length + i : i;
  if (at < 0 || at >= parts.length) throw new FunctionError(`Incorrect index to "str_split" should be between 0 and ${parts.length - 1}`, 2);
  return parts[at]!;
}

const DIGESTS: Record<string, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
  sha3_224: 'sha3-224',
  sha3_256: 'sha3-256',
  sha3_384: 'sha3-384',
  sha3_512: 'sha3-512',
  blake2b: 'blake2b512',
  blake2s: 'blake2s256',
};

function digest(alg: Value, value: Value): string {
  if (typeof alg !== 'string' || typeof value !== 'string') throw new FunctionError('Argument to function "digest" must be a list of strings');
  const name = alg.toLowerCase();
  const node = Object.prototype.hasOwnProperty.call(DIGESTS, name) ? DIGESTS[name]! : undefined;
  if (!node) throw new FunctionError(`Algorithm must be one of ${Object.keys(DIGESTS).join(', ')}`, 0);
  // Heat hashes value.encode('latin-1').
  for (let i = 0; i < value.length; i++) {
    if (value.charCodeAt(i) > 0xff) throw new FunctionError('"digest" can only hash text whose characters are all in Latin-1', 1);
  }
  return createHash(node).update(Buffer.from(value, 'latin1')).digest('hex');
}

const URL_KEYS = ['scheme', 'username', 'password', 'host', 'port', 'path', 'query', 'fragment'];
const USES_NETLOC = new Set(['', 'ftp', 'http', 'gopher', 'nntp', 'telnet', 'imap', 'wais', 'file', 'mms', 'https', 'shttp', 'snews', 'prospero', 'rtsp', 'rtspu', 'rsync', 'svn', 'svn+ssh', 'sftp', 'nfs', 'git', 'git+ssh', 'ws', 'wss']);

function makeUrl(a: Value): string {
  if (!isObject(a)) throw new FunctionError('The arguments to "make_url" must be a map', 0);
  const invalid = Object.keys(a).filter((k) => !URL_KEYS.includes(k));
  if (invalid.length) throw new FunctionError(`Invalid arguments to "make_url": ${invalid.join(', ')}`, 0);
  const str = (k: string): string => {
    if (!hasKey(a, k)) return '';
    const v = a[k]!;
    if (typeof v !== 'string') throw new FunctionError(`The "${k}" argument to "make_url" must be a string`, 0);
    return v;
  };
  let port = '';
  if (hasKey(a, 'port')) {
    const p = a.port!;
    const n = typeof p === 'number' ? p : typeof p === 'string' && /^\s*[-+]?\d+\s*$/.test(p) ? Number(p) : NaN;
    if (!Number.isInteger(n)) throw new FunctionError(`Invalid URL port ${JSON.stringify(p)} for make_url`, 0);
    if (!(n > 0 && n <= 65535)) throw new FunctionError(`Invalid URL port ${n}, must be in range 1-65535`, 0);
    port = String(n);
  }
  let query = '';
  if (hasKey(a, 'query')) {
    const q = a.query!;
    if (!isObject(q)) throw new FunctionError('The "query" argument to "make_url" must be a map', 0);
    query = Object.keys(q)
      .map((k) => `${pyQuote(k, '', true)}=${pyQuote(pyStr(q[k]!) ?? pyJson(q[k]!), '', true)}`)
      .join('&')
      .replaceAll('%2F', '/');
  }
  const scheme = str('scheme');
  if (scheme.includes(':')) throw new FunctionError('URL "scheme" should not contain \':\'', 0);
  const username = pyQuote(str('username'), '');
  const password = pyQuote(str('password'), '');
  let netloc = '';
  if (username || password) netloc += username + (password ? `:${password}` : '') + '@';
  let host = str('host');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  host = pyQuote(host, ':');
  netloc += host.includes(':') ? `[${host}]` : host;
  if (port) netloc += `:${port}`;
  let url = pyQuote(str('path'));
  const fragment = pyQuote(str('fragment'));
  // urllib.parse.urlunsplit
  if (netloc || (scheme && USES_NETLOC.has(scheme) && url.slice(0, 2) !== '//')) {
    if (url && url[0] !== '/') url = `/${url}`;
    url = `//${netloc}${url}`;
  }
  if (scheme) url = `${scheme}:${url}`;
  if (query) url += `?${query}`;
  if (fragment) url += `#${fragment}`;
  return url;
}

export const hotStringFunctions: FunctionDef[] = [
  replaceDef('str_replace', 'json'),
  replaceDef('str_replace_strict', 'strict'),
  replaceDef('str_replace_vstrict', 'vstrict'),
  { name: 'list_join', minArgs: 2, maxArgs: Infinity, impl: (args) => listJoin(args) },
  { name: 'str_split', minArgs: 2, maxArgs: 3, impl: (args) => strSplit(args) },
  { name: 'digest', minArgs: 2, maxArgs: 2, impl: ([alg, v]) => digest(alg!, v!) },
  { name: 'make_url', minArgs: 1, maxArgs: 1, impl: ([a]) => makeUrl(a!) },
];
