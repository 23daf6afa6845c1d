import type { Expr, ObjectExpr, ObjectItem } from '../expr/ast.js';
import type { Block, Body } from '../model/body.js';
import { didYouMean, error, type Diagnostic } from '../../core/diagnostics.js';
import { rangeBetween } from '../../core/source.js';
import { findItem, forEachRef, objectExpr, str } from './expr-build.js';

/** How the blocks nested in a body decode: block type → the attribute it fills. */
export interface BlockSpec {
  property: string;
  /** The attribute the block's one label fills (`database "orders"` → `name = "orders"`). */
  label?: string;
  /** One object rather than a list of objects. */
  single?: boolean;
}

/** Block specs for the body at a path (`[]` is the resource body, `['databases']` a nested one). */
export type BlockSpecs = (path: string[]) => Record<string, BlockSpec>;

let dynamicCounter = 0;

/**
 * Decodes a body into one object expression: attributes as items, repeated blocks as a tuple
 * of objects, single blocks as an object, `dynamic` blocks as `for` expressions. The result is
 * what schema validation and evaluation see; every item keeps its source range.
 */
export function decodeBody(body: Body, specs: BlockSpecs, diags: Diagnostic[], path: string[] = []): ObjectExpr {
  const items: ObjectItem[] = body.attributes.map((a) => ({
    key: str(a.name, a.nameRange),
    value: a.value,
    bareKey: true,
  }));
  const spec = specs(path);
  const groups = new Map<string, { spec: BlockSpec; exprs: Expr[]; first: Block }>();
  for (const block of body.blocks) {
    const isDynamic = block.type === 'dynamic';
    const blockType = isDynamic ? block.labels[0] : block.type;
    if (blockType === undefined) {
      diags.push(error('a `dynamic` block needs one label: the type of block it generates', block.typeRange));
      continue;
    }
    const s = spec[blockType];
    if (!s) {
      const hint = didYouMean(blockType, Object.keys(spec));
      const known = Object.keys(spec);
      diags.push(
        error(
          `unexpected block \`${blockType}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`,
          isDynamic ? block.labelRanges[0] : block.typeRange,
          known.length ? `Blocks allowed here: ${known.join(', ')}.` : 'No blocks are allowed here; set attributes with `name = value`.',
        ),
      );
      continue;
    }
    if (findItem(objectExpr(items, body.range), s.property)) {
      diags.push(error(`\`${s.property}\` is set both as an attribute and by a \`${blockType}\` block`, block.typeRange));
      continue;
    }
    const sub = [...path, s.property];
    const expr = isDynamic ? decodeDynamic(block, s, specs, diags, sub) : decodeStatic(block, s, specs, diags, sub);
    if (!expr) continue;
    const g = groups.get(blockType);
    if (g) g.exprs.push(expr);
    else groups.set(blockType, { spec: s, exprs: [expr], first: block });
  }
  for (const [blockType, g] of groups) {
    const keyRange = g.first.type === 'dynamic' ? g.first.labelRanges[0]! : g.first.typeRange;
    if (g.spec.single) {
      if (g.exprs.length > 1 || g.exprs[0]!.kind === 'for') {
        diags.push(error(`only one \`${blockType}\` block is allowed here`, keyRange));
        continue;
      }
      items.push({ key: str(g.spec.property, keyRange), value: g.exprs[0]!, bareKey: true });
      continue;
    }
    items.push({ key: str(g.spec.property, keyRange), value: combineLists(g.exprs), bareKey: true });
  }
  return objectExpr(items, body.range);
}

function decodeStatic(block: Block, s: BlockSpec, specs: BlockSpecs, diags: Diagnostic[], path: string[]): Expr | undefined {
  const want = s.label ? 1 : 0;
  if (block.labels.length !== want) {
    diags.push(
      error(
        want
          ? `a \`${block.type}\` block needs one label: its \`${s.label}\` (e.g. \`${block.type} "name" { … }\`)`
          : `a \`${block.type}\` block takes no labels`,
        block.labelRanges[want] ?? block.typeRange,
      ),
    );
    return undefined;
  }
  const obj = decodeBody(block.body, specs, diags, path);
  if (s.label) {
    if (findItem(obj, s.label)) {
      diags.push(error(`\`${s.label}\` is already given by the block label`, findItem(obj, s.label)!.key.range));
    } else {
      obj.items.unshift({ key: str(s.label, block.labelRanges[0]!), value: str(block.labels[0]!, block.labelRanges[0]!), bareKey: true });
    }
  }
  obj.range = block.range;
  return obj;
}

/**
 * `dynamic "x" { for_each = C  iterator = it  labels = [L]  content { … } }` becomes
 * `[for k, v in C : { …content with it.key → k, it.value → v… }]`.
 */
function decodeDynamic(block: Block, s: BlockSpec, specs: BlockSpecs, diags: Diagnostic[], path: string[]): Expr | undefined {
  const attr = (n: string) => block.body.attributes.find((a) => a.name === n);
  const forEach = attr('for_each');
  const content = block.body.blocks.filter((b) => b.type === 'content');
  if (!forEach) {
    diags.push(error('a `dynamic` block needs `for_each`', block.typeRange));
    return undefined;
  }
  if (content.length !== 1) {
    diags.push(error('a `dynamic` block needs exactly one `content` block', block.typeRange));
    return undefined;
  }
  for (const a of block.body.attributes) {
    if (!['for_each', 'iterator', 'labels'].includes(a.name)) {
      diags.push(error(`unexpected attribute \`${a.name}\` in a \`dynamic\` block (allowed: for_each, iterator, labels, content)`, a.nameRange));
    }
  }
  const itAttr = attr('iterator');
  let iterator = block.labels[0]!;
  if (itAttr) {
    if (itAttr.value.kind === 'ref' && itAttr.value.steps.length === 0) iterator = itAttr.value.root;
    else diags.push(error('`iterator` must be a plain name', itAttr.value.range));
  }
  const obj = decodeBody(content[0]!.body, specs, diags, path);
  const labels = attr('labels');
  if (s.label) {
    const l = labels?.value;
    if (!l || l.kind !== 'tuple' || l.items.length !== 1) {
      diags.push(error(`a dynamic \`${block.labels[0]}\` block needs \`labels = [NAME]\``, labels?.range ?? block.typeRange));
      return undefined;
    }
    obj.items.unshift({ key: str(s.label, l.range), value: l.items[0]!, bareKey: true });
  }
  const n = ++dynamicCounter;
  const keyVar = `__dynamic${n}_key`;
  const valueVar = `__dynamic${n}_value`;
  forEachRef(obj, (ref) => {
    if (ref.root !== iterator) return;
    const first = ref.steps[0];
    if (first?.kind === 'attr' && (first.name === 'key' || first.name === 'value')) {
      ref.root = first.name === 'key' ? keyVar : valueVar;
      ref.steps = ref.steps.slice(1);
    }
  });
  return {
    kind: 'for',
    keyVar,
    valueVar,
    collection: forEach.value,
    value: obj,
    result: 'tuple',
    range: rangeBetween(block.typeRange, block.range),
  };
}

/** Static blocks form one tuple; dynamic ones are appended with `concat`. */
function combineLists(exprs: Expr[]): Expr {
  const statics = exprs.filter((e) => e.kind !== 'for');
  const dynamics = exprs.filter((e) => e.kind === 'for');
  const range = rangeBetween(exprs[0]!.range, exprs[exprs.length - 1]!.range);
  const tuple: Expr = { kind: 'tuple', items: statics, range };
  if (dynamics.length === 0) return tuple;
  const args = statics.length ? [tuple, ...dynamics] : dynamics;
  if (args.length === 1) return args[0]!;
  return { kind: 'call', name: 'concat', args, nameRange: range, range };
}
