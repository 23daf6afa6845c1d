import { dirname, resolve } from 'node:path';
import { hasFatalErrors, type Diagnostic } from '../core/diagnostics.js';
import { loadStackFiles } from '../planner/load/index.js';
import { resolveStack, type ResolveOptions } from '../planner/resolve/resolve.js';
import type { StackConfig } from '../planner/resolve/stack-config.js';
import { collectVariables } from './variables.js';

export interface StackInputOptions {
  var?: string[];
  varFile?: string[];
}

export interface LoadedConfig {
  config?: StackConfig;
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

/** Load → resolve, as every command that reads stack files does (see hasFatalErrors). */
export function loadConfig(files: string[], opts: StackInputOptions, resolveOptions: ResolveOptions = {}): LoadedConfig {
  const loaded = loadStackFiles(files);
  const diagnostics = [...loaded.diagnostics];
  const variables = collectVariables(opts.var ?? [], opts.varFile ?? [], diagnostics, process.env, loaded.sources);
  if (hasFatalErrors(diagnostics)) return { diagnostics, sources: loaded.sources };
  const config = resolveStack(loaded.document, {
    variables,
    baseDir: files[0] ? dirname(resolve(files[0])) : process.cwd(),
    ...resolveOptions,
  });
  diagnostics.push(...config.diagnostics);
  return { config, diagnostics, sources: loaded.sources };
}
