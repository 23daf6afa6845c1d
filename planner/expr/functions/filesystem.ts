import { statSync } from 'node:fs';
import { FileReadError, readRegularFile } from '../../load/read-file.js';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import type { Diagnostic } from '../../../core/diagnostics.js';
import { parseHclTemplate } from '../../load/hcl/parse.js';
import type { Expr } from '../ast.js';
import { isObject, type Value, type ValueObject } from '../../../core/value.js';
import { argString } from './args.js';
import { FunctionError, type CallContext, type FunctionDef } from './def.js';

/** file (and HOT get_file), fileexists, filebase64, templatefile (relative to the context's baseDir), basename, dirname. */

const utf8 = new TextDecoder('utf-8', { fatal: true });
const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

function pathOf(call: CallContext, p: string): string {
  if (isAbsolute(p)) return p;
  if (call.baseDir === undefined) throw new FunctionError(`${call.name}() cannot read files here: no base directory is configured for relative paths`, 0);
  return resolve(call.baseDir, p);
}

function readBytes(call: CallContext, p: string): Buffer {
  const full = pathOf(call, p);
  try {
    return readRegularFile(full);
  } catch (e) {
    if (!(e instanceof FileReadError)) throw e;
    if (e.code === 'ENOENT') throw new FunctionError(`no file exists at ${JSON.stringify(p)}`, 0);
    throw new FunctionError(`${JSON.stringify(p)} ${e.reason}`, 0);
  }
}

function readText(call: CallContext, p: string): string {
  const bytes = readBytes(call, p);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new FunctionError(`contents of ${JSON.stringify(p)} are not valid UTF-8; use filebase64() to read binary files`, 0);
  }
}

interface ParsedTemplate {
  text: string;
  expr: Expr;
  diagnostics: Diagnostic[];
}

/** Parsed template files, reused while their text is unchanged. */
const templates = new Map<string, ParsedTemplate>();

function templatefile(call: CallContext, p: string, vars: Value): Value {
  if (!isObject(vars)) throw new FunctionError('the variables argument must be a map or object', 1);
  for (const k of Object.keys(vars)) {
    if (!IDENT.test(k)) throw new FunctionError(`invalid template variable name ${JSON.stringify(k)}: must start with a letter, followed by letters, digits, underscores or dashes`, 1);
  }
  const full = pathOf(call, p);
  const text = readText(call, p);
  let t = templates.get(full);
  if (!t || t.text !== text) {
    const r = parseHclTemplate(text, full, { line: 1, col: 1 });
    t = { text, expr: r.expr, diagnostics: r.diagnostics };
    if (templates.size >= 256) templates.clear();
    templates.set(full, t);
  }
  if (t.diagnostics.length > 0) {
    for (const d of t.diagnostics) call.report(d);
    throw new FunctionError(`the template ${JSON.stringify(p)} has syntax errors`, 0);
  }
  const r = call.evalIsolated(t.expr, vars as ValueObject);
  if (r.diagnostics.length > 0) {
    for (const d of r.diagnostics) call.report(d);
    throw new FunctionError(`the template ${JSON.stringify(p)} could not be rendered`, 0);
  }
  return r.value;
}

export const filesystemFunctions: FunctionDef[] = [
  { name: 'file', minArgs: 1, maxArgs: 1, impl: ([p], call) => readText(call, argString(p!, 0)) },
  // HOT get_file: Heat's client sends the files a template names, read relative to the template.
  { name: 'get_file', minArgs: 1, maxArgs: 1, impl: ([p], call) => readText(call, argString(p!, 0)) },
  { name: 'filebase64', minArgs: 1, maxArgs: 1, impl: ([p], call) => readBytes(call, argString(p!, 0)).toString('base64') },
  {
    name: 'fileexists',
    minArgs: 1,
    maxArgs: 1,
    impl: ([p], call) => {
      const path = argString(p!, 0);
      try {
        const st = statSync(pathOf(call, path));
        if (st.isDirectory()) throw new FunctionError(`${JSON.stringify(path)} is a directory, not a file`, 0);
        return st.isFile();
      } catch (e) {
        if (e instanceof FunctionError) throw e;
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw new FunctionError(`cannot stat ${JSON.stringify(path)}: ${(e as Error).message}`, 0);
      }
    },
  },
  { name: 'templatefile', minArgs: 2, maxArgs: 2, impl: ([p, v], call) => templatefile(call, argString(p!, 0), v!) },
  { name: 'basename', minArgs: 1, maxArgs: 1, impl: ([p]) => basename(argString(p!, 0)) },
  { name: 'dirname', minArgs: 1, maxArgs: 1, impl: ([p]) => dirname(argString(p!, 0)) },
];
