import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { lineColAt, MAX_TEXT_DEPTH, textTooDeepAt } from '../planner/expr/depth.js';
import { evaluate } from '../planner/expr/evaluate.js';
import { fromPlain } from '../core/json.js';
import type { Value } from '../core/value.js';
import { parseHcl } from '../planner/load/hcl/parse.js';
import { readTextFile } from '../planner/load/read-file.js';
import { error, type Diagnostic } from '../core/diagnostics.js';
import type { Range } from '../core/source.js';
import type { VariableInput } from '../planner/resolve/variables.js';

/**
 * Collects variable values the way Terraform users expect, later sources winning:
 * environment (`TF_VAR_x`, `DBSTACK_VAR_x`), then `-var-file` files (tfvars HCL, JSON, YAML, or
 * a Heat environment file's `parameters:`), then `-var x=value` / `-P x=value` in order.
 */
export function collectVariables(
  vars: string[],
  varFiles: string[],
  diags: Diagnostic[],
  env: NodeJS.ProcessEnv = process.env,
  sources?: Map<string, string>,
): Record<string, VariableInput> {
  const out = Object.create(null) as Record<string, VariableInput>;
  for (const prefix of ['TF_VAR_', 'DBSTACK_VAR_']) {
    for (const [k, v] of Object.entries(env)) {
      const name = k.slice(prefix.length);
      if (k.startsWith(prefix) && v !== undefined && allowedName(name, k, diags)) out[name] = { raw: v, source: k };
    }
  }
  for (const file of varFiles) Object.assign(out, readVarFile(file, diags, sources));
  for (const kv of vars) {
    const eq = kv.indexOf('=');
    if (eq <= 0) {
      diags.push(error(`-var needs NAME=VALUE, got \`${kv}\``, undefined, 'For example: -var app_password=s3cret'));
      continue;
    }
    const name = kv.slice(0, eq);
    if (allowedName(name, '-var', diags)) out[name] = { raw: kv.slice(eq + 1), source: '-var' };
  }
  return out;
}

/** Names that would reach into JavaScript objects' prototypes are never variable names. */
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

function allowedName(name: string, source: string, diags: Diagnostic[], range?: Range): boolean {
  if (!RESERVED.has(name)) return true;
  diags.push(error(`\`${name}\` (from ${source}) is not a valid variable name`, range, 'Variable names are letters, digits, `_` and `-`, and not __proto__, constructor or prototype.'));
  return false;
}

function readVarFile(file: string, diags: Diagnostic[], sources?: Map<string, string>): Record<string, VariableInput> {
  const read = readTextFile(file, 'variables file');
  if ('diagnostic' in read) {
    diags.push(read.diagnostic);
    return {};
  }
  const text = read.text;
  sources?.set(file, text);
  const out = Object.create(null) as Record<string, VariableInput>;
  const ext = extname(file).toLowerCase();
  if (ext === '.tfvars' || ext === '.hcl') {
    const parsed = parseHcl(text, file);
    diags.push(...parsed.diagnostics);
    for (const a of parsed.body.attributes) {
      const r = evaluate(a.value, { root: () => undefined });
      diags.push(...r.diagnostics);
      if (allowedName(a.name, file, diags, a.range)) out[a.name] = { value: r.value, source: `${file}:${a.range.line}` };
    }
    for (const b of parsed.body.blocks) diags.push(error(`a variables file holds only \`name = value\` lines`, b.typeRange));
    return out;
  }
  const deep = textTooDeepAt(text);
  if (deep >= 0) {
    const { line, col } = lineColAt(text, deep);
    diags.push(error(`variables file ${file} nests deeper than ${MAX_TEXT_DEPTH} levels`, { file, line, col, endLine: line, endCol: col + 1 }));
    return {};
  }
  let data: unknown;
  try {
    // `.json` files are JSON, strictly (YAML would read `{"a": }` as a null).
    data = ext === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const at = /at position (\d+)/.exec((e as Error).message);
    const pos = at ? lineColAt(text, Number(at[1])) : (e as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const raw = (e as Error).message;
    const message = ext === '.json' ? raw.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+[\s\S]*$/, '') : raw.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    diags.push(error(`cannot parse variables file ${file}: ${message}`, pos && { file, line: pos.line, col: pos.col, endLine: pos.line, endCol: pos.col + 1 }));
    return {};
  }
  if (data && typeof data === 'object' && 'parameters' in data && typeof (data as { parameters: unknown }).parameters === 'object') {
    data = (data as { parameters: unknown }).parameters; // a Heat environment file
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) {
    diags.push(error(`variables file ${file} must be a mapping of names to values`));
    return {};
  }
  for (const [k, v] of Object.entries(data)) {
    if (!allowedName(k, file, diags)) continue;
    let value: Value;
    try {
      value = fromPlain(v); // null-prototype objects all the way down
    } catch (e) {
      diags.push(error(`variables file ${file}: the value of \`${k}\` is not a plain value (${(e as Error).message})`));
      continue;
    }
    out[k] = { value, source: file };
  }
  return out;
}
