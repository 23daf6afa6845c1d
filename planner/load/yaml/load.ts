import { dirname, resolve } from 'node:path';
import { type Diagnostic, DiagnosticError } from '../../../core/diagnostics.js';
import { emptyDocument, type Language, type StackDocument } from '../../model/document.js';
import { loadCfn } from './cfn.js';
import { LoadCtx } from './context.js';
import { type LoadOptions, readLocalFile } from './hot-env.js';
import { loadHot } from './hot.js';
import { loadNative } from './native.js';
import { readYaml } from './read.js';

export { checkParameterValue } from './param-check.js';
export type { LoadOptions, ReadFile } from './hot-env.js';

const CFN_VERSION_KEYS = ['AWSTemplateFormatVersion', 'HeatTemplateFormatVersion'];

/**
 * Loads one YAML or JSON stack file: a Heat HOT template (`heat_template_version`), a
 * CloudFormation-format template (`AWSTemplateFormatVersion` / `HeatTemplateFormatVersion`),
 * or dbstack's native YAML format (anything else). Never throws for any input: every problem
 * is a diagnostic with the range of the offending YAML node.
 */
export function loadYamlStack(text: string, file: string, options: LoadOptions = {}): { document: StackDocument; diagnostics: Diagnostic[] } {
  const ctx = new LoadCtx(file, text);
  let document: StackDocument;
  try {
    document = load(ctx, options);
  } catch (e) {
    if (!(e instanceof DiagnosticError)) throw e;
    ctx.diags.push(e.diagnostic);
    document = documentFor(file, guessLanguage(text));
  }
  return { document, diagnostics: ctx.diags };
}

function load(ctx: LoadCtx, options: LoadOptions): StackDocument {
  const { root, ok } = readYaml(ctx);
  if (!ok) return documentFor(ctx.file, guessLanguage(ctx.text));
  if (root === null || (root.kind === 'scalar' && root.value === null)) return documentFor(ctx.file, 'yaml');
  if (root.kind !== 'map') {
    ctx.error('A stack file must be a mapping (key: value pairs) at the top level.', root);
    return documentFor(ctx.file, 'yaml');
  }
  const keys = root.pairs.map((p) => (p.key.kind === 'scalar' ? p.key.value : undefined));
  const dir = dirname(resolve(ctx.file));
  const readFile = options.readFile ?? readLocalFile;
  const isHot = keys.includes('heat_template_version');
  const cfnKeys = CFN_VERSION_KEYS.filter((k) => keys.includes(k));
  if (isHot) {
    for (const p of root.pairs) {
      if (p.key.kind === 'scalar' && CFN_VERSION_KEYS.includes(String(p.key.value)))
        ctx.error(`A template has either heat_template_version or ${p.key.value}, not both.`, p.key);
    }
    return loadHot(ctx, root, dir, readFile);
  }
  if (cfnKeys.length) return loadCfn(ctx, root, dir, readFile);
  return loadNative(ctx, root);
}

function documentFor(file: string, language: Language): StackDocument {
  const doc = emptyDocument();
  doc.files.push({ path: file, language });
  return doc;
}

function guessLanguage(text: string): Language {
  if (/^\s*["']?heat_template_version["']?\s*:/m.test(text)) return 'hot';
  if (/["']?(AWS|Heat)TemplateFormatVersion["']?\s*:/.test(text)) return 'cfn';
  return 'yaml';
}
