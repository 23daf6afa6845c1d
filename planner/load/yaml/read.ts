import { createRequire } from 'node:module';
import type { LoadCtx } from './context.js';
import { textTooDeepAt } from '../../expr/depth.js';
import { fastParse } from './fast-parse.js';
import { MAX_DEPTH } from './fast-scan.js';
import { fromYamlDocument } from './from-yaml.js';
import type { YNode } from './tree.js';

/**
 * Reads the YAML (or JSON) text of `ctx` into a node tree. Syntax errors are reported into
 * `ctx` and give `ok: false`; the tree is then not to be interpreted further.
 */
/** The `yaml` package, loaded only when a file needs it (the fast parser handles most). */
let yamlPackage: typeof import('yaml') | undefined;
export function yamlModule(): typeof import('yaml') {
  return (yamlPackage ??= createRequire(import.meta.url)('yaml') as typeof import('yaml'));
}

export function readYaml(ctx: LoadCtx): { root: YNode | null; ok: boolean } {
  let tooDeepAt: number | undefined;
  const fast = fastParse(ctx.text, (at) => (tooDeepAt = at));
  if (tooDeepAt !== undefined) {
    ctx.error(TOO_DEEP, { start: tooDeepAt, end: tooDeepAt + 1 }, TOO_DEEP_HINT);
    return { root: null, ok: false };
  }
  let tree = fast;
  if (!tree) {
    // The `yaml` package recurses: refuse text nested too deeply for it before it runs.
    const deep = textTooDeepAt(ctx.text, MAX_DEPTH);
    if (deep >= 0) {
      ctx.error(TOO_DEEP, { start: deep, end: deep + 1 }, TOO_DEEP_HINT);
      return { root: null, ok: false };
    }
    let doc;
    try {
      doc = yamlModule().parseDocument(ctx.text, {
        version: '1.2',
        schema: 'core',
        uniqueKeys: false,
        prettyErrors: false,
        keepSourceTokens: false,
      });
    } catch (e) {
      if (e instanceof RangeError) {
        ctx.error(TOO_DEEP, { start: 0, end: 0 }, TOO_DEEP_HINT);
        return { root: null, ok: false };
      }
      throw e;
    }
    let ok = true;
    for (const err of doc.errors) {
      ok = false;
      ctx.error(yamlMessage(err.code, err.message), { start: err.pos[0], end: err.pos[1] });
    }
    for (const w of doc.warnings) {
      if (w.code === 'TAG_RESOLVE_FAILED') continue;
      ctx.warn(yamlMessage(w.code, w.message), { start: w.pos[0], end: w.pos[1] });
    }
    if (!ok) return { root: null, ok: false };
    const converted = fromYamlDocument(doc, ctx.text, ctx.text.length + 100_000, yamlModule());
    for (const p of converted.problems) ctx.error(p.message, p);
    if (converted.problems.length) return { root: null, ok: false };
    tree = converted.tree;
  }
  for (const d of tree.duplicates) {
    const name = d.kind === 'scalar' ? String(d.value) : 'key';
    ctx.error(`The key "${name}" appears more than once in this mapping.`, d, 'Each key may be given only once; remove or rename one of them.');
  }
  for (const t of tree.unknownTags) {
    ctx.error(
      `The YAML tag ${t.tag} is not supported.`,
      t.node,
      t.tag.startsWith('!') ? `Write the function as a mapping instead, e.g. {${t.tag.slice(1)}: …}.` : undefined,
    );
  }
  return { root: tree.root, ok: true };
}

const TOO_DEEP = `The YAML nests deeper than ${MAX_DEPTH} levels.`;
const TOO_DEEP_HINT = 'Flatten the structure, for example by splitting it into several values.';

function yamlMessage(code: string, message: string): string {
  if (/call stack/i.test(message)) return TOO_DEEP;
  if (code === 'MULTIPLE_DOCS') return 'A stack file must hold a single YAML document (remove the second "---").';
  let m = message.replace(/\s+at line \d+, column \d+[\s\S]*$/, '').trim();
  if (!/[.!?]$/.test(m)) m += '.';
  return m;
}
