import type { Expr } from '../../expr/ast.js';
import type { Attribute, Block, Body } from '../../model/body.js';
import { didYouMean, error, type Diagnostic } from '../../../core/diagnostics.js';
import type { LocalDecl, OutputDecl, ProviderDecl, VariableDecl } from '../../model/document.js';

/** `variable`, `output`, `locals` and `provider` blocks → declarations. */

const VARIABLE_ARGS = ['type', 'default', 'description', 'sensitive', 'nullable'];
const OUTPUT_ARGS = ['value', 'description', 'sensitive'];

export function variableDecl(block: Block, diags: Diagnostic[]): VariableDecl {
  const name = block.labels[0]!;
  const decl: VariableDecl = { name, range: block.range, sensitive: false, constraints: [], validations: [] };
  const what = `variable \`${name}\``;
  for (const a of block.body.attributes) {
    switch (a.name) {
      case 'type':
        decl.type = a.value;
        break;
      case 'default':
        decl.default = a.value;
        break;
      case 'description': {
        const d = literalString(a, what, diags);
        if (d !== undefined) decl.description = d;
        break;
      }
      case 'sensitive':
        decl.sensitive = literalBool(a, what, diags) ?? false;
        break;
      case 'nullable': {
        const b = literalBool(a, what, diags);
        if (b !== undefined) decl.nullable = b;
        break;
      }
      default:
        unknownArgument(a, what, [...VARIABLE_ARGS, 'validation'], diags);
    }
  }
  for (const b of block.body.blocks) {
    if (b.type !== 'validation') {
      diags.push(error(`unexpected \`${b.type}\` block in ${what}`, b.typeRange, 'A variable block holds type, default, description, sensitive, nullable and validation blocks.'));
      continue;
    }
    let condition: Expr | undefined;
    let errorMessage: Expr | undefined;
    for (const a of b.body.attributes) {
      if (a.name === 'condition') condition = a.value;
      else if (a.name === 'error_message') errorMessage = a.value;
      else unknownArgument(a, `a validation of ${what}`, ['condition', 'error_message'], diags);
    }
    for (const nb of b.body.blocks) diags.push(error(`unexpected \`${nb.type}\` block in a validation`, nb.typeRange));
    if (!condition) {
      diags.push(error(`a validation of ${what} has no \`condition\``, b.typeRange, 'Write `condition = <an expression that is true for valid values>`.'));
      continue;
    }
    decl.validations.push(errorMessage ? { condition, errorMessage, range: b.range } : { condition, range: b.range });
  }
  return decl;
}

/** The output, or undefined (reported) when it has no value. */
export function outputDecl(block: Block, diags: Diagnostic[]): OutputDecl | undefined {
  const name = block.labels[0]!;
  const what = `output \`${name}\``;
  let value: Expr | undefined;
  let sensitive = false;
  let description: string | undefined;
  for (const a of block.body.attributes) {
    if (a.name === 'value') value = a.value;
    else if (a.name === 'sensitive') sensitive = literalBool(a, what, diags) ?? false;
    else if (a.name === 'description') description = literalString(a, what, diags);
    else unknownArgument(a, what, OUTPUT_ARGS, diags);
  }
  for (const b of block.body.blocks) diags.push(error(`unexpected \`${b.type}\` block in ${what}`, b.typeRange, 'An output block sets value, description and sensitive.'));
  if (!value) {
    diags.push(error(`${what} has no \`value\``, block.labelRanges[0] ?? block.typeRange, 'Write `value = <expression>` inside the block.'));
    return undefined;
  }
  const decl: OutputDecl = { name, value, sensitive, range: block.range };
  if (description !== undefined) decl.description = description;
  return decl;
}

export function localDecls(block: Block, diags: Diagnostic[]): LocalDecl[] {
  if (block.labels.length) diags.push(error('a `locals` block takes no labels', block.labelRanges[0]));
  for (const b of block.body.blocks) diags.push(error(`unexpected \`${b.type}\` block in \`locals\``, b.typeRange, 'A locals block holds only `name = value` arguments.'));
  return block.body.attributes.map((a) => ({ name: a.name, value: a.value, range: a.range }));
}

export function providerDecl(block: Block, diags: Diagnostic[]): ProviderDecl {
  const body: Body = { attributes: [], blocks: block.body.blocks, range: block.body.range };
  const decl: ProviderDecl = { name: block.labels[0]!, body, range: block.range };
  for (const a of block.body.attributes) {
    if (a.name !== 'alias') body.attributes.push(a);
    else {
      const alias = literalString(a, `provider \`${decl.name}\``, diags);
      if (alias !== undefined) decl.alias = alias;
    }
  }
  return decl;
}

function literalString(a: Attribute, what: string, diags: Diagnostic[]): string | undefined {
  if (a.value.kind === 'literal' && typeof a.value.value === 'string') return a.value.value;
  diags.push(error(`the \`${a.name}\` of ${what} must be a plain string`, a.value.range, 'It is read before anything is evaluated, so it cannot use references or interpolation.'));
  return undefined;
}

function literalBool(a: Attribute, what: string, diags: Diagnostic[]): boolean | undefined {
  if (a.value.kind === 'literal' && typeof a.value.value === 'boolean') return a.value.value;
  diags.push(error(`the \`${a.name}\` setting of ${what} must be \`true\` or \`false\``, a.value.range));
  return undefined;
}

function unknownArgument(a: Attribute, what: string, known: string[], diags: Diagnostic[]): void {
  const near = didYouMean(a.name, known);
  diags.push(error(`unknown argument \`${a.name}\` in ${what}${near ? ` — did you mean \`${near}\`?` : ''}`, a.nameRange, `Allowed here: ${known.join(', ')}.`));
}
