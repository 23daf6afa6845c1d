import type { Document, Node as YamlNode } from 'yaml';
import { MAX_DEPTH } from './fast-scan.js';
import { findDuplicates, nullAt, type ScalarStyle, type YNode, type YPair, type YTree } from './tree.js';

/** Problems found while converting (besides the `yaml` package's own errors). */
export interface ConvertProblem {
  message: string;
  start: number;
  end: number;
}

/**
 * Converts a document of the `yaml` package into the loaders' node tree. Aliases are expanded
 * (the result is always a finite tree): the expansion is bounded by `budget` nodes, so an
 * "alias bomb" gives an error instead of exhausting memory.
 */
export function fromYamlDocument(
  doc: Document.Parsed,
  text: string,
  budget: number,
  yaml: Pick<typeof import('yaml'), 'isAlias' | 'isMap' | 'isScalar' | 'isSeq'>,
): { tree: YTree; problems: ConvertProblem[] } {
  const { isAlias, isMap, isScalar, isSeq } = yaml;
  const problems: ConvertProblem[] = [];
  const tree: YTree = { root: null, duplicates: [], unknownTags: [] };
  let left = budget;
  let exhausted = false;

  const styleOf = (type: string | undefined): ScalarStyle =>
    type === 'QUOTE_DOUBLE' ? 'double' : type === 'QUOTE_SINGLE' ? 'single' : type === 'BLOCK_LITERAL' ? 'literal' : type === 'BLOCK_FOLDED' ? 'folded' : 'plain';

  const convert = (n: unknown, at: number, depth: number): YNode => {
    if (n === null || n === undefined) return nullAt(at);
    const node = n as YamlNode;
    const start = node.range?.[0] ?? at;
    let end = node.range?.[1] ?? at;
    // Block collections and block scalars end after their final line break; end at the text.
    while (end > start && /\s/.test(text[end - 1]!)) end--;
    if (--left < 0 || depth > MAX_DEPTH) {
      if (!exhausted) {
        exhausted = true;
        problems.push({
          message: depth > MAX_DEPTH ? `The YAML nests deeper than ${MAX_DEPTH} levels.` : 'The YAML expands to too many nodes (through aliases).',
          start,
          end,
        });
      }
      return nullAt(start);
    }
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target) return nullAt(start);
      const r = convert(target, start, depth + 1);
      return r;
    }
    let result: YNode;
    if (isScalar(node)) {
      let v = node.value;
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') v = String(v);
      result = { kind: 'scalar', value: v as null | string | number | boolean, style: styleOf(node.type), start, end };
    } else if (isMap(node)) {
      const pairs: YPair[] = [];
      for (const p of node.items) {
        const keyAt = (p.key as YamlNode | null)?.range?.[0] ?? (p.value as YamlNode | null)?.range?.[0] ?? start;
        const key = convert(p.key, keyAt, depth + 1);
        const value = convert(p.value, key.end, depth + 1);
        pairs.push({ key, value });
      }
      findDuplicates(pairs, tree.duplicates);
      result = { kind: 'map', pairs, flow: !!node.flow, start, end };
    } else if (isSeq(node)) {
      const items = node.items.map((i) => convert(i, start, depth + 1));
      result = { kind: 'seq', items, flow: !!node.flow, start, end };
    } else {
      return nullAt(start);
    }
    const tag = (node as { tag?: string }).tag;
    if (tag && !tag.startsWith('tag:yaml.org,2002:')) tree.unknownTags.push({ node: result, tag });
    return result;
  };

  tree.root = doc.contents ? convert(doc.contents, 0, 0) : null;
  return { tree, problems };
}
