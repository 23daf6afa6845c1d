import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { error, type Diagnostic } from '../../core/diagnostics.js';
import { emptyDocument, type StackDocument } from '../model/document.js';
import { formatRange, type Range } from '../../core/source.js';
import { loadHclStack } from './hcl/document.js';
import { readTextFile } from './read-file.js';
import { loadYamlStack } from './yaml/load.js';

const hclExtensions = new Set(['.tf', '.hcl']);
const yamlExtensions = new Set(['.yaml', '.yml', '.json', '.template']);

export interface LoadedStack {
  document: StackDocument;
  diagnostics: Diagnostic[];
  /** File text by path, for rendering diagnostics with their source line. */
  sources: Map<string, string>;
}

/**
 * Loads stack files: `.tf`/`.hcl` as HCL, `.yaml`/`.yml`/`.json`/`.template` as native YAML,
 * Heat HOT or CFN (detected from the content). A directory means every `.tf`/`.hcl` in it.
 */
export function loadStackFiles(paths: string[]): LoadedStack {
  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const docs: StackDocument[] = [];
  for (const path of expandPaths(paths, diagnostics)) {
    const read = readTextFile(path, 'stack file');
    if ('diagnostic' in read) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const text = read.text;
    sources.set(path, text);
    const loaded = loadStackText(text, path);
    diagnostics.push(...loaded.diagnostics);
    docs.push(loaded.document);
  }
  const document = mergeDocuments(docs, diagnostics);
  return { document, diagnostics, sources };
}

export function loadStackText(text: string, path: string): { document: StackDocument; diagnostics: Diagnostic[] } {
  return hclExtensions.has(extname(path).toLowerCase()) ? loadHclStack(text, path) : loadYamlStack(text, path);
}

function expandPaths(paths: string[], diags: Diagnostic[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      diags.push(error(`no such file or directory: ${p}`, undefined, 'Give the path of a stack file (.hcl, .tf, .yaml) or of a directory of .hcl/.tf files.'));
      continue;
    }
    if (!isDir) {
      const ext = extname(p).toLowerCase();
      if (!hclExtensions.has(ext) && !yamlExtensions.has(ext)) {
        diags.push(error(`${p}: unknown stack file type \`${ext || '(none)'}\``, undefined, 'Stack files end in .hcl or .tf (HCL), .yaml or .yml (native YAML or Heat HOT), .json or .template (CFN-format templates).'));
        continue;
      }
      out.push(p);
      continue;
    }
    const files = readdirSync(p).filter((f) => hclExtensions.has(extname(f).toLowerCase())).sort();
    if (!files.length) diags.push(error(`${p} holds no .hcl or .tf files`, undefined, 'Name YAML and HOT files explicitly: `dbstack validate stack.yaml`.'));
    out.push(...files.map((f) => join(p, f)));
  }
  return out;
}

/** Concatenates the documents of several files, reporting names declared in two files. */
export function mergeDocuments(docs: StackDocument[], diags: Diagnostic[]): StackDocument {
  if (docs.length === 1) return docs[0]!;
  const merged = emptyDocument();
  const seen = new Map<string, Range>();
  const check = (key: string, what: string, range: Range): boolean => {
    const first = seen.get(key);
    if (first && first.file !== range.file) {
      diags.push(error(`${what} is declared twice`, range, `First declared at ${formatRange(first)}.`));
      return false;
    }
    seen.set(key, range);
    return true;
  };
  for (const d of docs) {
    merged.files.push(...d.files);
    merged.description ??= d.description;
    merged.variables.push(...d.variables.filter((v) => check(`var.${v.name}`, `variable \`${v.name}\``, v.range)));
    merged.locals.push(...d.locals.filter((l) => check(`local.${l.name}`, `local value \`${l.name}\``, l.range)));
    merged.outputs.push(...d.outputs.filter((o) => check(`output.${o.name}`, `output \`${o.name}\``, o.range)));
    merged.resources.push(
      ...d.resources.filter((r) => check(`${r.mode}.${r.sourceType}.${r.name}`, `${r.mode === 'data' ? 'data source' : 'resource'} \`${r.sourceType}.${r.name}\``, r.range)),
    );
    merged.providers.push(...d.providers);
    merged.conditions.push(...d.conditions);
    merged.parameterGroups.push(...d.parameterGroups);
  }
  return merged;
}
