import type { Diagnostic } from '../../core/diagnostics.js';
import type { Style } from './style.js';

/**
 * Renders a diagnostic for a person: the sentence, where it is, the source line with a caret
 * under the range, and what to do.
 */
function renderDiagnostic(d: Diagnostic, sourceLines: (file: string) => string[] | undefined, style: Style): string {
  const label = d.severity === 'error' ? style.red(style.bold('error')) : style.yellow(style.bold('warning'));
  const lines = [`${label}${style.bold(`: ${d.summary}`)}`];
  if (d.range) {
    const r = d.range;
    lines.push(`  ${style.cyan('-->')} ${r.file}:${r.line}:${r.col}`);
    const text = sourceLines(r.file)?.[r.line - 1];
    if (text !== undefined) {
      const shown = text.replace(/\t/g, ' ').replace(/\r$/, '');
      const gutter = String(r.line);
      const pad = ' '.repeat(gutter.length);
      const endCol = r.endLine === r.line ? Math.max(r.endCol, r.col + 1) : shown.length + 1;
      const width = Math.max(1, Math.min(endCol, shown.length + 1) - r.col);
      lines.push(`${pad} ${style.cyan('|')}`);
      lines.push(`${style.cyan(gutter)} ${style.cyan('|')} ${shown}`);
      lines.push(`${pad} ${style.cyan('|')} ${' '.repeat(Math.max(0, r.col - 1))}${(d.severity === 'error' ? style.red : style.yellow)('^'.repeat(width))}`);
    }
  } else if (d.address) {
    lines.push(`  ${style.cyan('-->')} ${d.address}`);
  }
  if (d.detail) for (const l of d.detail.split('\n')) lines.push(`  ${style.dim('=')} ${l}`);
  return lines.join('\n');
}

export function renderDiagnostics(diags: readonly Diagnostic[], sources: Map<string, string>, style: Style): string {
  // Each file is split into lines once, however many diagnostics point into it.
  const split = new Map<string, string[]>();
  const lines = (file: string): string[] | undefined => {
    if (!split.has(file) && sources.has(file)) split.set(file, sources.get(file)!.split('\n'));
    return split.get(file);
  };
  return diags.map((d) => renderDiagnostic(d, lines, style)).join('\n\n');
}

/** Terraform's `validate -json` shape, so existing tooling reads it. */
export function diagnosticsJson(diags: readonly Diagnostic[]): object {
  const errors = diags.filter((d) => d.severity === 'error').length;
  return {
    format_version: '1.0',
    valid: errors === 0,
    error_count: errors,
    warning_count: diags.length - errors,
    diagnostics: diags,
  };
}
