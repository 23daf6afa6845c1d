import type { Expr, ObjectExpr, ScopeRefExpr } from '../expr/ast.js';
import { aliasedTypes, aliasFor, type AliasEntry } from '../model/aliases.js';
import { didYouMean, error, type Diagnostic } from '../../core/diagnostics.js';
import type { ResourceDecl, StackDocument } from '../model/document.js';
import { formatRange } from '../../core/source.js';
import { applyAlias } from './apply-alias.js';
import { decodeBody, type BlockSpecs } from './decode.js';
import { forEachRef } from './expr-build.js';
import { isNativeType, nativeBlockSpecs, nativeTypes, type ResourceMode } from './schema-info.js';

/** A resource declaration with its native type and its body decoded into one object expression. */
export type { ResourceMode };

export interface PreparedResource {
  decl: ResourceDecl;
  mode: ResourceMode;
  /** Native type; for an unsupported type, the type as written (and `supported: false`). */
  type: string;
  name: string;
  /** `database_instance.orders`, `data.network.app`. */
  address: string;
  supported: boolean;
  body: ObjectExpr;
}

export function resourceAddress(mode: ResourceMode, type: string, name: string): string {
  return mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
}

/**
 * Maps every resource onto its native type (alias table), decodes bodies, and rewrites
 * references written against foreign type names (`openstack_db_instance_v1.db.id`,
 * `get_attr [db, hostname]`) into native ones, so everything downstream sees one vocabulary.
 */
export function prepareResources(doc: StackDocument, diags: Diagnostic[]): PreparedResource[] {
  const prepared: PreparedResource[] = [];
  const byAddress = new Map<string, PreparedResource>();
  const unsupported = new Map<string, ResourceDecl[]>();
  for (const decl of doc.resources) {
    const mode = decl.mode;
    const alias = aliasFor(mode, decl.sourceType);
    const native = alias?.native ?? decl.sourceType;
    const supported = alias !== undefined || isNativeType(mode, decl.sourceType);
    if (!supported) {
      const list = unsupported.get(decl.sourceType) ?? [];
      list.push(decl);
      unsupported.set(decl.sourceType, list);
    }
    const address = resourceAddress(mode, native, decl.name);
    const clash = byAddress.get(address);
    if (clash) {
      diags.push(
        error(`${decl.sourceType} \`${decl.name}\` and ${clash.decl.sourceType} \`${clash.name}\` are both ${address}`, decl.nameRange, `Rename one of them; the other is at ${formatRange(clash.decl.nameRange)}.`),
      );
      continue;
    }
    let body: ObjectExpr = { kind: 'object', items: [], range: decl.body.range };
    if (supported) {
      const specs: BlockSpecs = alias ? terraformBlockSpecs(alias) : nativeBlockSpecs(mode, native);
      body = decodeBody(decl.body, specs, diags);
      if (alias) applyAlias(body, alias, address, diags);
    }
    const p: PreparedResource = { decl, mode, type: native, name: decl.name, address, supported, body };
    prepared.push(p);
    byAddress.set(address, p);
  }
  for (const [type, decls] of unsupported) diags.push(unsupportedTypeDiagnostic(type, decls));
  rewriteForeignRefs(doc, prepared);
  return prepared;
}

/** Terraform blocks of an aliased type decode by the alias table's `blocks`; nested ones have none. */
function terraformBlockSpecs(alias: AliasEntry): BlockSpecs {
  const top = Object.fromEntries(
    Object.entries(alias.blocks ?? {}).map(([name, kind]) => [name, { property: name, single: kind === 'single' }]),
  );
  return (path) => (path.length === 0 ? top : {});
}

function unsupportedTypeDiagnostic(type: string, decls: ResourceDecl[]): Diagnostic {
  const mode = decls[0]!.mode;
  const where = decls.map((d) => `${d.name} at ${formatRange(d.typeRange)}`).join(', ');
  const supported = [...nativeTypes(mode), ...aliasedTypes(mode)].sort();
  const hint = didYouMean(type, supported);
  return error(
    `unsupported ${mode === 'data' ? 'data source' : 'resource'} type \`${type}\`${hint ? ` — did you mean \`${hint}\`?` : ''}`,
    decls[0]!.typeRange,
    `Used by ${where}. dbstack manages databases and the infrastructure they need; supported types: ${supported.join(', ')}.`,
  );
}

/** Every expression of the document that may hold references. */
function documentExprs(doc: StackDocument, prepared: PreparedResource[]): Expr[] {
  const out: Expr[] = [];
  for (const p of prepared) {
    out.push(p.body, ...p.decl.dependsOn);
    if (p.decl.count) out.push(p.decl.count);
    if (p.decl.forEach) out.push(p.decl.forEach);
    if (p.decl.condition) out.push(p.decl.condition);
  }
  for (const l of doc.locals) out.push(l.value);
  for (const o of doc.outputs) out.push(o.value, ...(o.condition ? [o.condition] : []));
  for (const c of doc.conditions) out.push(c.expr);
  for (const pr of doc.providers) for (const a of pr.body.attributes) out.push(a.value);
  return out;
}

/** Every reference is rewritten, also to undeclared foreign types (so the graph can name them). */
function rewriteForeignRefs(doc: StackDocument, prepared: PreparedResource[]): void {
  const rewrite = (ref: ScopeRefExpr): void => {
    if (ref.root === 'data') {
      const t = ref.steps[0];
      const alias = t?.kind === 'attr' ? aliasFor('data', t.name) : undefined;
      if (!alias || t?.kind !== 'attr') return;
      t.name = alias.native;
      renameAttr(ref, 2, alias);
      return;
    }
    const alias = aliasFor('managed', ref.root);
    if (!alias) return;
    ref.root = alias.native;
    renameAttr(ref, 1, alias);
  };
  for (const e of documentExprs(doc, prepared)) forEachRef(e, rewrite);
}

/** Renames the attribute step after `TYPE.NAME` (skipping a `[count]` index). */
function renameAttr(ref: ScopeRefExpr, at: number, alias: AliasEntry): void {
  let i = at;
  if (ref.steps[i]?.kind === 'index') i++;
  const step = ref.steps[i];
  if (step?.kind === 'attr' && alias.attributes?.[step.name]) step.name = alias.attributes[step.name]!;
}
