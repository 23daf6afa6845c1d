import type { Block, Body } from '../../model/body.js';
import { didYouMean, error, type Diagnostic } from '../../../core/diagnostics.js';
import { emptyDocument, type StackDocument } from '../../model/document.js';
import { formatRange, rangeBetween, type Range } from '../../../core/source.js';
import { localDecls, outputDecl, providerDecl, variableDecl } from './decls.js';
import { parseHcl } from './parse.js';
import { resourceDecl } from './resource.js';

/**
 * Loads one HCL/Terraform stack file into a StackDocument (language `hcl`): resources and data
 * sources with their types as written, variables, locals, outputs, providers. `terraform {}` is
 * accepted and ignored; `module` is refused. Names declared twice in the file are reported at
 * the second declaration. Never throws.
 */
export function loadHclStack(text: string, file: string): { document: StackDocument; diagnostics: Diagnostic[] } {
  const { body, diagnostics } = parseHcl(text, file);
  const document = buildHclDocument(body, file, diagnostics);
  return { document, diagnostics };
}

const TOP_LEVEL = ['resource', 'data', 'variable', 'locals', 'output', 'provider', 'terraform', 'module'];

/** The declarations of a parsed file body; problems are appended to `diags`. */
export function buildHclDocument(body: Body, file: string, diags: Diagnostic[]): StackDocument {
  const doc = emptyDocument();
  doc.files.push({ path: file, language: 'hcl' });
  const seen = new Map<string, Range>();
  const unique = (key: string, what: string, at: Range): boolean => {
    const first = seen.get(key);
    if (first) {
      diags.push(error(`${what} is declared twice`, at, `First declared at ${formatRange(first)}.`));
      return false;
    }
    seen.set(key, at);
    return true;
  };
  for (const a of body.attributes) {
    diags.push(error(`unexpected argument \`${a.name}\` at the top level of the file`, a.nameRange, 'A stack file holds blocks: resource, data, variable, locals, output, provider, terraform. Put values in a `locals` block.'));
  }
  for (const b of body.blocks) {
    switch (b.type) {
      case 'resource':
      case 'data': {
        if (!hasLabels(b, ['TYPE', 'NAME'], diags)) break;
        const mode = b.type === 'data' ? 'data' : 'managed';
        const decl = resourceDecl(b, mode, diags);
        const what = `${mode === 'data' ? 'data source' : 'resource'} \`${mode === 'data' ? 'data.' : ''}${decl.sourceType}.${decl.name}\``;
        if (unique(`${b.type}.${decl.sourceType}.${decl.name}`, what, headerRange(b))) doc.resources.push(decl);
        break;
      }
      case 'variable':
        if (hasLabels(b, ['NAME'], diags) && unique(`var.${b.labels[0]}`, `variable \`${b.labels[0]}\``, headerRange(b))) doc.variables.push(variableDecl(b, diags));
        break;
      case 'output': {
        if (!hasLabels(b, ['NAME'], diags) || !unique(`output.${b.labels[0]}`, `output \`${b.labels[0]}\``, headerRange(b))) break;
        const o = outputDecl(b, diags);
        if (o) doc.outputs.push(o);
        break;
      }
      case 'locals':
        localDecls(b, diags).forEach((l, i) => {
          // One local per attribute, in order: the attribute's name is where a duplicate points.
          if (unique(`local.${l.name}`, `local value \`${l.name}\``, b.body.attributes[i]!.nameRange)) doc.locals.push(l);
        });
        break;
      case 'provider': {
        if (!hasLabels(b, ['NAME'], diags)) break;
        const p = providerDecl(b, diags);
        const what = `provider \`${p.name}\`${p.alias !== undefined ? ` with alias \`${p.alias}\`` : ' (without an alias)'}`;
        if (unique(`provider.${p.name}.${p.alias ?? ''}`, what, headerRange(b))) doc.providers.push(p);
        break;
      }
      case 'terraform':
        break;
      case 'module':
        diags.push(error('modules are not supported yet', headerRange(b), 'Copy the module\'s resources into this stack for now.'));
        break;
      default: {
        const near = didYouMean(b.type, TOP_LEVEL);
        diags.push(
          error(`unknown block type \`${b.type}\`${near ? ` — did you mean \`${near}\`?` : ''}`, b.typeRange, 'A stack file holds resource, data, variable, locals, output, provider and terraform blocks.'),
        );
      }
    }
  }
  return doc;
}

/**
 * Concatenates the documents of several files, in order. It does not look for names declared
 * in two files: the caller does (`planner/load/index.ts`), as each file's own duplicates were
 * already reported by `loadHclStack`.
 */
export function mergeDocuments(docs: StackDocument[]): StackDocument {
  const out = emptyDocument();
  for (const d of docs) {
    out.files.push(...d.files);
    out.description ??= d.description;
    out.variables.push(...d.variables);
    out.locals.push(...d.locals);
    out.resources.push(...d.resources);
    out.outputs.push(...d.outputs);
    out.providers.push(...d.providers);
    out.conditions.push(...d.conditions);
    out.parameterGroups.push(...d.parameterGroups);
  }
  if (out.description === undefined) delete out.description;
  return out;
}

/** The type and labels of a block: where "declared twice" and similar errors point. */
function headerRange(b: Block): Range {
  return b.labelRanges.length ? rangeBetween(b.typeRange, b.labelRanges[b.labelRanges.length - 1]!) : b.typeRange;
}

function hasLabels(b: Block, names: string[], diags: Diagnostic[]): boolean {
  if (b.labels.length === names.length) return true;
  const form = `${b.type} ${names.map((n) => `"${n}"`).join(' ')} { … }`;
  const at = b.labels.length > names.length ? rangeBetween(b.labelRanges[names.length]!, b.labelRanges[b.labelRanges.length - 1]!) : headerRange(b);
  diags.push(
    error(
      `a \`${b.type}\` block needs ${names.length === 1 ? 'one label' : `${names.length} labels`} (${names.join(' and ').toLowerCase()}), found ${b.labels.length}`,
      at,
      `Write it as \`${form}\`.`,
    ),
  );
  return false;
}
