import { loadStackFiles } from '../../planner/load/index.js';
import { hasFatalErrors, type Diagnostic } from '../../core/diagnostics.js';
import { resolveStack, type ResolveOptions } from '../../planner/resolve/resolve.js';
import type { StackConfig } from '../../planner/resolve/stack-config.js';

/** Load + resolve stack files the way `dbstack validate` does (resolving past located errors). */
export function validateFiles(files: string[], options: ResolveOptions = {}): { diagnostics: Diagnostic[]; config?: StackConfig } {
  const loaded = loadStackFiles(files);
  if (hasFatalErrors(loaded.diagnostics)) return { diagnostics: loaded.diagnostics };
  const config = resolveStack(loaded.document, options);
  return { diagnostics: [...loaded.diagnostics, ...config.diagnostics], config };
}

export const errorsOf = (diags: Diagnostic[]) => diags.filter((d) => d.severity === 'error');

export function describe(diags: Diagnostic[]): string {
  return diags.map((d) => `${d.range ? `${d.range.file}:${d.range.line}:${d.range.col}: ` : ''}${d.summary}`).join('\n');
}
