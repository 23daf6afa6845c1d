/**
 * The YAML node tree the loaders read: maps, sequences and scalars with source offsets.
 * Built either by the fast parser (`fast-parse.ts`, the common subset of YAML that stack
 * files use) or, for everything else, from the `yaml` package's document (`from-yaml.ts`).
 * Values follow the YAML 1.2 core schema (so `2013-05-23` is a string).
 */
export type YNode = YScalar | YMap | YSeq;

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface YScalar {
  kind: 'scalar';
  value: null | boolean | number | string;
  style: ScalarStyle;
  /** Offsets into the source text; `end` is exclusive. An absent value has start === end. */
  start: number;
  end: number;
}

export interface YPair {
  key: YNode;
  value: YNode;
}

export interface YMap {
  kind: 'map';
  pairs: YPair[];
  flow: boolean;
  start: number;
  end: number;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  flow: boolean;
  start: number;
  end: number;
}

export interface YTree {
  root: YNode | null;
  /** Keys that repeat an earlier key of the same map. */
  duplicates: YNode[];
  /** Scalars or collections carrying a tag the core schema does not know (`!Ref x`). */
  unknownTags: { node: YNode; tag: string }[];
}

export function nullAt(offset: number): YScalar {
  return { kind: 'scalar', value: null, style: 'plain', start: offset, end: offset };
}

// V8 specialises an object field to the kind of the first values stored in it and throws away
// optimized code when a later value is more general (a number after strings). Storing every
// kind once, before any parsing, lets the parser's optimized code live for the whole file.
for (const v of [true, 1, 0.5, 'x', null]) nullAt(0).value = v;

/** Records duplicate keys of one map into `out` (scalar keys equal by value, as `yaml` does). */
export function findDuplicates(pairs: YPair[], out: YNode[]): void {
  const n = pairs.length;
  if (n < 2) return;
  if (n <= 8) {
    for (let i = 1; i < n; i++) {
      const a = pairs[i]!.key;
      if (a.kind !== 'scalar') continue;
      for (let j = 0; j < i; j++) {
        const b = pairs[j]!.key;
        if (b.kind === 'scalar' && b.value === a.value) {
          out.push(a);
          break;
        }
      }
    }
    return;
  }
  const seen = new Set<unknown>();
  for (let i = 0; i < n; i++) {
    const k = pairs[i]!.key;
    if (k.kind !== 'scalar' || k.value !== k.value) continue;
    if (seen.has(k.value)) out.push(k);
    else seen.add(k.value);
  }
}

/** Plain JS value of a node (for constraint specs, mappings, tests). */
export function toPlain(node: YNode | null | undefined): unknown {
  if (!node) return null;
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const o = Object.create(null) as Record<string, unknown>;
      for (const p of node.pairs) o[p.key.kind === 'scalar' ? String(p.key.value) : '?'] = toPlain(p.value);
      return o;
    }
  }
}
