import type { Expr, ScopeRefExpr } from '../../expr/ast.js';
import type { Block, Body } from '../../model/body.js';
import { didYouMean, error, type Diagnostic } from '../../../core/diagnostics.js';
import type { Lifecycle, ResourceDecl } from '../../model/document.js';
import type { Range } from '../../../core/source.js';

/**
 * `resource "TYPE" "NAME" { … }` and `data "TYPE" "NAME" { … }`: the meta-arguments (`count`,
 * `for_each`, `depends_on`, `provider`, `lifecycle`) are taken out of the body into the
 * declaration; everything else, `dynamic` blocks included, stays in the body as written.
 */
export function resourceDecl(block: Block, mode: 'managed' | 'data', diags: Diagnostic[]): ResourceDecl {
  const body: Body = { attributes: [], blocks: [], range: block.body.range };
  const decl: ResourceDecl = {
    mode,
    sourceType: block.labels[0]!,
    typeRange: block.labelRanges[0]!,
    name: block.labels[1]!,
    nameRange: block.labelRanges[1]!,
    body,
    dependsOn: [],
    lifecycle: {},
    language: 'hcl',
    range: block.range,
  };
  const what = `${mode === 'data' ? 'data source' : 'resource'} \`${decl.sourceType}.${decl.name}\``;
  for (const a of block.body.attributes) {
    switch (a.name) {
      case 'count':
      case 'for_each': {
        const other = a.name === 'count' ? decl.forEach : decl.count;
        if (other) diags.push(error(`${what} sets both \`count\` and \`for_each\``, a.nameRange, 'Use one of them: `count` for a number of copies, `for_each` for one copy per map or set element.'));
        if (a.name === 'count') decl.count = a.value;
        else decl.forEach = a.value;
        break;
      }
      case 'depends_on':
        decl.dependsOn = dependsOn(a.value, diags);
        break;
      case 'provider': {
        const p = providerRef(a.value);
        if (p !== undefined) decl.provider = p;
        else diags.push(error('`provider` must name a provider configuration, like `openstack` or `openstack.west`', a.value.range));
        break;
      }
      default:
        body.attributes.push(a);
    }
  }
  for (const b of block.body.blocks) {
    if (b.type !== 'lifecycle') {
      body.blocks.push(b);
      continue;
    }
    if (mode === 'data') diags.push(error('a data source has no `lifecycle` block', b.typeRange, 'Data sources are read, never created or destroyed; remove the block.'));
    else if (decl.lifecycle.range) diags.push(error(`${what} has two \`lifecycle\` blocks`, b.typeRange, 'Put all lifecycle settings in one block.'));
    else decl.lifecycle = lifecycle(b, diags);
  }
  return decl;
}

/** `depends_on = [a.b, data.c.d]`: a list of plain references. */
function dependsOn(value: Expr, diags: Diagnostic[]): ScopeRefExpr[] {
  if (value.kind !== 'tuple') {
    diags.push(error('`depends_on` must be a list of references, like `[database_instance.orders]`', value.range));
    return [];
  }
  const out: ScopeRefExpr[] = [];
  for (const item of value.items) {
    if (item.kind === 'ref' && isStatic(item)) out.push(item);
    else if (item.kind === 'literal' && typeof item.value === 'string') {
      diags.push(error('a `depends_on` entry must be a reference, not a string', item.range, `Write it without quotes: \`${item.value}\`.`));
    } else diags.push(error('a `depends_on` entry must be a reference to a resource or data source, like `database_instance.orders`', item.range));
  }
  return out;
}

/** A reference whose index steps (if any) are constants. */
function isStatic(ref: ScopeRefExpr): boolean {
  return ref.steps.every((s) => s.kind === 'attr' || s.key.kind === 'literal');
}

/** `provider = openstack.west` (or the legacy string `"openstack.west"`). */
function providerRef(value: Expr): string | undefined {
  if (value.kind === 'literal' && typeof value.value === 'string' && /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)?$/.test(value.value)) return value.value;
  if (value.kind !== 'ref' || value.steps.length > 1) return undefined;
  const step = value.steps[0];
  if (!step) return value.root;
  return step.kind === 'attr' ? `${value.root}.${step.name}` : undefined;
}

const LIFECYCLE_ARGS = ['prevent_destroy', 'create_before_destroy', 'ignore_changes'];

function lifecycle(block: Block, diags: Diagnostic[]): Lifecycle {
  const lc: Lifecycle = { range: block.range };
  if (block.labels.length) diags.push(error('a `lifecycle` block takes no labels', block.labelRanges[0]));
  for (const a of block.body.attributes) {
    if (a.name === 'prevent_destroy') lc.preventDestroy = a.value;
    else if (a.name === 'create_before_destroy') lc.createBeforeDestroy = a.value;
    else if (a.name === 'ignore_changes') {
      const ic = ignoreChanges(a.value, diags);
      if (ic) lc.ignoreChanges = ic;
    } else {
      const near = didYouMean(a.name, LIFECYCLE_ARGS);
      diags.push(error(`unknown lifecycle setting \`${a.name}\`${near ? ` — did you mean \`${near}\`?` : ''}`, a.nameRange, `A lifecycle block sets ${LIFECYCLE_ARGS.join(', ')}.`));
    }
  }
  for (const b of block.body.blocks) {
    diags.push(error(`\`${b.type}\` blocks are not supported in \`lifecycle\``, b.typeRange, `A lifecycle block sets ${LIFECYCLE_ARGS.join(', ')}.`));
  }
  return lc;
}

/** `ignore_changes = all` or a list of attribute references/strings, as dotted paths. */
function ignoreChanges(value: Expr, diags: Diagnostic[]): Lifecycle['ignoreChanges'] {
  if ((value.kind === 'ref' && value.root === 'all' && value.steps.length === 0) || (value.kind === 'literal' && value.value === 'all')) return 'all';
  if (value.kind !== 'tuple') {
    diags.push(error('`ignore_changes` must be `all` or a list of attribute names, like `[volume.size, users]`', value.range));
    return undefined;
  }
  const paths: { path: string; range: Range }[] = [];
  for (const item of value.items) {
    const path = item.kind === 'literal' && typeof item.value === 'string' ? item.value : item.kind === 'ref' ? refPath(item) : undefined;
    if (path !== undefined) paths.push({ path, range: item.range });
    else diags.push(error('an `ignore_changes` entry must be an attribute name, like `volume.size`', item.range));
  }
  return { paths };
}

/** `volume.size` → "volume.size", `network[0].uuid` → "network.0.uuid"; undefined if not constant. */
function refPath(ref: ScopeRefExpr): string | undefined {
  let out = ref.root;
  for (const s of ref.steps) {
    if (s.kind === 'attr') out += '.' + s.name;
    else if (s.key.kind === 'literal' && (typeof s.key.value === 'number' || typeof s.key.value === 'string')) out += '.' + String(s.key.value);
    else return undefined;
  }
  return out;
}
