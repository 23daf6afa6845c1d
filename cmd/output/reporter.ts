import type { Diagnostic } from '../../core/diagnostics.js';
import { renderDiagnostics } from './diagnostics.js';
import { colorEnabled, makeStyle, type Style } from './style.js';

/**
 * The one place command output goes through: diagnostics to stderr (rendered, or as JSON lines
 * with --json), results to stdout.
 */
export class Reporter {
  readonly style: Style;
  readonly errStyle: Style;
  constructor(readonly json = false, private readonly sources = new Map<string, string>()) {
    this.style = makeStyle(!json && colorEnabled(process.stdout));
    this.errStyle = makeStyle(!json && colorEnabled(process.stderr));
  }

  addSources(sources: Map<string, string>): void {
    for (const [k, v] of sources) this.sources.set(k, v);
  }

  diagnostics(diags: readonly Diagnostic[]): void {
    if (!diags.length) return;
    if (this.json) {
      for (const d of diags) process.stdout.write(JSON.stringify({ type: 'diagnostic', ...d }) + '\n');
      return;
    }
    process.stderr.write(renderDiagnostics(diags, this.sources, this.errStyle) + '\n\n');
  }

  out(text: string): void {
    process.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  /** A line for the human at the terminal (stderr), never part of the command's result. */
  err(text: string): void {
    process.stderr.write(text.endsWith('\n') ? text : text + '\n');
  }

  jsonLine(obj: object): void {
    process.stdout.write(JSON.stringify(obj) + '\n');
  }
}
