import type { Expr } from '../../expr/ast.js';
import type { Body } from '../../model/body.js';
import { DiagnosticError, error, type Diagnostic } from '../../../core/diagnostics.js';
import { parseBodyItems } from './bodies.js';
import { parseExpression } from './expressions.js';
import { lex } from './lexer.js';
import { Parser } from './parser.js';
import { parseBareTemplate } from './templates.js';
import { Tok } from './tokens.js';

/**
 * Parses an HCL configuration file (native syntax) into a body of attributes and blocks.
 * Never throws: every problem is a diagnostic with a range, and parsing goes on after an error.
 */
export function parseHcl(text: string, file: string): { body: Body; diagnostics: Diagnostic[] } {
  const p = new Parser(lex(text, 'config'), file);
  const body: Body = { attributes: [], blocks: [], range: p.range(0, text.length) };
  guarded(p, () => parseBodyItems(p, -1, [0, 0], body));
  return { body, diagnostics: p.diags };
}

/**
 * Parses a bare template — the content of a string without its quotes, such as a YAML scalar
 * `db-${var.name}` — with `text[0]` placed at `origin`. Text without `${`/`%{` gives a literal
 * string; exactly `${x}` gives a `single` template.
 */
export function parseHclTemplate(text: string, file: string, origin: { line: number; col: number }): { expr: Expr; diagnostics: Diagnostic[] } {
  const p = new Parser(lex(text, 'template'), file, origin);
  let expr: Expr | undefined;
  guarded(p, () => (expr = parseBareTemplate(p)));
  return { expr: expr ?? { kind: 'literal', value: null, range: p.range(0, text.length) }, diagnostics: p.diags };
}

/** Parses one expression (newlines allowed anywhere), with `text[0]` placed at `origin`. */
export function parseHclExpression(text: string, file: string, origin: { line: number; col: number }): { expr: Expr; diagnostics: Diagnostic[] } {
  const p = new Parser(lex(text, 'config'), file, origin);
  let expr: Expr | undefined;
  guarded(p, () => {
    p.pushNewlines(false);
    expr = parseExpression(p);
    const k = p.peek();
    if (!p.recovery && p.ty[k] !== Tok.EOF) p.fail(`expected the end of the expression, found ${p.describe(k)}`, k);
  });
  return { expr: expr ?? { kind: 'literal', value: null, range: p.range(0, text.length) }, diagnostics: p.diags };
}

/** Runs a parse, turning the nesting guard (and, as a last resort, a stack overflow) into a diagnostic. */
function guarded(p: Parser, run: () => void): void {
  try {
    run();
  } catch (e) {
    if (e instanceof DiagnosticError) p.diags.push(e.diagnostic);
    else if (e instanceof RangeError) p.diags.push(error('the text is nested too deeply to parse', p.range(0, 0)));
    else throw e;
  }
}
