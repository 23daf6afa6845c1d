import { compareStrings, formatNumber } from '../../core/primitives.js';
import { isObject, Unknown, type Value } from '../../core/value.js';

/**
 * Values for humans, in HCL literal syntax: strings quoted and escaped, object keys sorted,
 * short collections of scalars on one line, longer ones one item per line, and
 * `(known after apply)` for unknown values.
 */
export interface RenderOptions {
  /** Indentation of the first line's context (continuation lines start here). Default "". */
  indent?: string;
  /** Inline collections up to this many characters. Default 60. */
  inlineWidth?: number;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MAX_DEPTH = 100;

export function renderValue(v: Value, options: RenderOptions = {}): string {
  return render(v, options.indent ?? '', options.inlineWidth ?? 60, 0);
}

/** A string as an HCL quoted string literal. */
export function renderString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if ((c === '$' || c === '%') && s[i + 1] === '{') out += c + c;
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

function renderKey(k: string): string {
  return IDENT.test(k) ? k : renderString(k);
}

function isScalar(v: Value): boolean {
  return v === null || typeof v !== 'object' || v instanceof Unknown;
}

function render(v: Value, indent: string, width: number, depth: number): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return '(known after apply)';
  if (typeof v === 'string') return renderString(v);
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (depth >= MAX_DEPTH) return Array.isArray(v) ? '[…]' : '{…}';
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    if (v.every(isScalar)) {
      const line = `[${v.map((x) => render(x, inner, width, depth + 1)).join(', ')}]`;
      if (line.length <= width) return line;
    }
    return `[\n${v.map((x) => `${inner}${render(x, inner, width, depth + 1)},\n`).join('')}${indent}]`;
  }
  if (!isObject(v)) return String(v);
  const keys = Object.keys(v).sort(compareStrings);
  if (keys.length === 0) return '{}';
  if (keys.every((k) => isScalar(v[k]!))) {
    const line = `{ ${keys.map((k) => `${renderKey(k)} = ${render(v[k]!, inner, width, depth + 1)}`).join(', ')} }`;
    if (line.length <= width) return line;
  }
  const names = keys.map(renderKey);
  const pad = Math.max(...names.map((n) => n.length));
  const lines = keys.map((k, i) => `${inner}${names[i]!.padEnd(pad)} = ${render(v[k]!, inner, width, depth + 1)}\n`);
  return `{\n${lines.join('')}${indent}}`;
}
