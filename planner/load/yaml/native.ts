import type { Body } from '../../model/body.js';
import type { Lifecycle, ResourceDecl, StackDocument, VariableDecl } from '../../model/document.js';
import { emptyDocument } from '../../model/document.js';
import { findEntry, type LoadCtx } from './context.js';
import { booleanOf, scalarText } from './hot-parameters.js';
import { dependencyRef, nativeExpr, typeExpr } from './native-expr.js';
import { dataExpr } from './to-expr.js';
import type { YMap, YNode, YPair } from './tree.js';

/**
 * dbstack's native YAML format: the HCL language's names in YAML.
 *   description: TEXT
 *   variables: {NAME: {type, default, description, sensitive, nullable, validation: [{condition, error_message}]}}
 *   locals:    {NAME: VALUE}
 *   provider:  {NAME: {…settings, alias?}}  (or a list of such mappings for several configurations)
 *   data:      {NAME: {type, properties, count, for_each, depends_on, provider}}
 *   resources: {NAME: {type, properties, depends_on, count, for_each, lifecycle, provider}}
 *   outputs:   {NAME: {value, sensitive, description}}
 * Values are YAML data in which a string with `${…}` or `%{…}` is an HCL template (parsed by
 * the HCL loader's parseHclTemplate); variable defaults are literal data, as in Terraform, and a
 * variable's type is an HCL type constraint written as text.
 */
export function loadNative(ctx: LoadCtx, root: YMap): StackDocument {
  const doc = emptyDocument();
  doc.files.push({ path: ctx.file, language: 'yaml' });
  const entries = ctx.entries(root);
  const section = (name: string) => {
    const e = findEntry(entries, name);
    const m = e ? ctx.expectMap(e.value, `the ${name} section`) : undefined;
    return m ? ctx.entries(m) : [];
  };
  for (const e of entries) if (!SECTIONS.includes(e.name)) ctx.unknownKey(e.name, e.key, 'a dbstack YAML stack file', SECTIONS);
  const description = findEntry(entries, 'description');
  if (description) doc.description = scalarText(ctx, description.value, 'description');
  const resources = section('resources');
  const types = new Map(resources.map((r) => [r.name, typeOf(r.value)]));
  for (const v of section('variables')) doc.variables.push(variable(ctx, v.name, v.pair));
  for (const l of section('locals')) doc.locals.push({ name: l.name, value: nativeExpr(ctx, l.value), range: ctx.pairRange(l.pair) });
  for (const p of section('provider')) {
    const configs = p.value.kind === 'seq' ? p.value.items : [p.value];
    for (const c of configs) provider(ctx, p.name, c, ctx.pairRange(p.pair), doc);
  }
  for (const d of section('data')) {
    const decl = resource(ctx, d.name, d.pair, 'data', types);
    if (decl) doc.resources.push(decl);
  }
  for (const r of resources) {
    const decl = resource(ctx, r.name, r.pair, 'managed', types);
    if (decl) doc.resources.push(decl);
  }
  for (const o of section('outputs')) {
    const out: StackDocument['outputs'][number] = {
      name: o.name,
      value: { kind: 'literal', value: null, range: ctx.range(o.key) },
      sensitive: false,
      range: ctx.pairRange(o.pair),
    };
    const m = ctx.expectMap(o.value, `output "${o.name}"`);
    const oe = m ? ctx.entries(m) : [];
    for (const e of oe) {
      if (e.name === 'value') out.value = nativeExpr(ctx, e.value);
      else if (e.name === 'sensitive') out.sensitive = booleanOf(ctx, e.value, `"sensitive" setting of output "${o.name}"`) ?? false;
      else if (e.name === 'description') out.description = scalarText(ctx, e.value, `description of output "${o.name}"`);
      else ctx.unknownKey(e.name, e.key, `output "${o.name}"`, OUTPUT_KEYS);
    }
    if (!findEntry(oe, 'value')) ctx.error(`Output "${o.name}" has no value.`, o.key);
    doc.outputs.push(out);
  }
  return doc;
}

const SECTIONS = ['description', 'variables', 'locals', 'provider', 'data', 'resources', 'outputs'];
const VARIABLE_KEYS = ['type', 'default', 'description', 'sensitive', 'nullable', 'validation'];
const RESOURCE_KEYS = ['type', 'properties', 'depends_on', 'count', 'for_each', 'lifecycle', 'provider'];
const DATA_KEYS = ['type', 'properties', 'depends_on', 'count', 'for_each', 'provider'];
const LIFECYCLE_KEYS = ['prevent_destroy', 'create_before_destroy', 'ignore_changes'];
const OUTPUT_KEYS = ['value', 'sensitive', 'description'];

function typeOf(node: YNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  const p = node.pairs.find((x) => x.key.kind === 'scalar' && x.key.value === 'type');
  return p && p.value.kind === 'scalar' && typeof p.value.value === 'string' ? p.value.value : undefined;
}

function variable(ctx: LoadCtx, name: string, pair: YPair): VariableDecl {
  const decl: VariableDecl = { name, range: ctx.pairRange(pair), sensitive: false, constraints: [], validations: [] };
  if (pair.value.kind === 'scalar' && pair.value.value === null) return decl;
  const m = ctx.expectMap(pair.value, `variable "${name}"`);
  for (const e of m ? ctx.entries(m) : []) {
    switch (e.name) {
      case 'type':
        if (e.value.kind === 'scalar') decl.type = typeExpr(ctx, e.value);
        else ctx.error(`The type of variable "${name}" must be written as text, e.g. "list(string)".`, e.value);
        break;
      case 'default':
        decl.default = dataExpr(ctx, e.value);
        break;
      case 'description':
        decl.description = scalarText(ctx, e.value, `description of variable "${name}"`);
        break;
      case 'sensitive':
        decl.sensitive = booleanOf(ctx, e.value, `"sensitive" setting of variable "${name}"`) ?? false;
        break;
      case 'nullable': {
        const b = booleanOf(ctx, e.value, `"nullable" setting of variable "${name}"`);
        if (b !== undefined) decl.nullable = b;
        break;
      }
      case 'validation':
        validations(ctx, name, e.value, decl);
        break;
      default:
        ctx.unknownKey(e.name, e.key, `variable "${name}"`, VARIABLE_KEYS);
    }
  }
  return decl;
}

function validations(ctx: LoadCtx, name: string, node: YNode, decl: VariableDecl): void {
  for (const v of node.kind === 'seq' ? node.items : [node]) {
    const m = ctx.expectMap(v, `a validation of variable "${name}"`);
    if (!m) continue;
    const entries = ctx.entries(m);
    const cond = findEntry(entries, 'condition');
    if (!cond) {
      ctx.error(`A validation of variable "${name}" needs a condition.`, v);
      continue;
    }
    const msg = findEntry(entries, 'error_message');
    decl.validations.push({ condition: nativeExpr(ctx, cond.value), ...(msg && { errorMessage: nativeExpr(ctx, msg.value) }), range: ctx.range(v) });
    for (const e of entries) if (e.name !== 'condition' && e.name !== 'error_message') ctx.unknownKey(e.name, e.key, 'a validation', ['condition', 'error_message']);
  }
}

function bodyOf(ctx: LoadCtx, node: YNode | undefined, fallback: YNode, skip: string[] = []): Body {
  const body: Body = { attributes: [], blocks: [], range: ctx.range(node && node.end > node.start ? node : fallback) };
  const m = node ? ctx.expectMap(node, 'the properties') : undefined;
  for (const e of m ? ctx.entries(m) : []) {
    if (skip.includes(e.name)) continue;
    body.attributes.push({ name: e.name, nameRange: ctx.range(e.key), value: nativeExpr(ctx, e.value), range: ctx.pairRange(e.pair) });
  }
  return body;
}

function provider(ctx: LoadCtx, name: string, node: YNode, range: ReturnType<LoadCtx['range']>, doc: StackDocument): void {
  const m = node.kind === 'scalar' && node.value === null ? undefined : ctx.expectMap(node, `provider "${name}"`);
  const decl: StackDocument['providers'][number] = { name, body: bodyOf(ctx, m, node, ['alias']), range };
  const alias = m ? findEntry(ctx.entries(m), 'alias') : undefined;
  if (alias) {
    const a = ctx.expectString(alias.value, `the alias of provider "${name}"`);
    if (a !== undefined) decl.alias = a;
  }
  doc.providers.push(decl);
}

function resource(ctx: LoadCtx, name: string, pair: YPair, mode: 'managed' | 'data', types: Map<string, string | undefined>): ResourceDecl | undefined {
  const what = mode === 'data' ? `data source "${name}"` : `resource "${name}"`;
  const m = ctx.expectMap(pair.value, what);
  if (!m) {
    if (pair.value.kind === 'scalar' && pair.value.value === null) ctx.error(`The ${what} needs at least a type.`, pair.key);
    return undefined;
  }
  const entries = ctx.entries(m);
  const typeEntry = findEntry(entries, 'type');
  const sourceType = typeEntry ? ctx.expectString(typeEntry.value, `the type of ${what}`) : undefined;
  if (!typeEntry) ctx.error(`The ${what} has no type.`, pair.key, mode === 'data' ? 'Add "type:", e.g. network.' : 'Add "type:", e.g. database_instance.');
  const decl: ResourceDecl = {
    mode,
    sourceType: sourceType ?? '',
    typeRange: ctx.range(typeEntry ? typeEntry.value : pair.key),
    name,
    nameRange: ctx.range(pair.key),
    body: bodyOf(ctx, undefined, pair.key),
    dependsOn: [],
    lifecycle: {},
    language: 'yaml',
    range: ctx.pairRange(pair),
  };
  for (const e of entries) {
    switch (e.name) {
      case 'type':
        break;
      case 'properties':
        decl.body = bodyOf(ctx, e.value, pair.key);
        break;
      case 'depends_on':
        for (const d of e.value.kind === 'seq' ? e.value.items : [e.value]) {
          const r = dependencyRef(ctx, d, types);
          if (r) decl.dependsOn.push(r);
        }
        break;
      case 'count':
        decl.count = nativeExpr(ctx, e.value);
        break;
      case 'for_each':
        decl.forEach = nativeExpr(ctx, e.value);
        break;
      case 'provider': {
        const p = ctx.expectString(e.value, `the provider of ${what}`);
        if (p !== undefined) decl.provider = p.replace(/^\$\{\s*(.*?)\s*\}$/, '$1');
        break;
      }
      case 'lifecycle':
        if (mode === 'managed') decl.lifecycle = lifecycle(ctx, e.value);
        else ctx.unknownKey(e.name, e.key, what, DATA_KEYS);
        break;
      default:
        ctx.unknownKey(e.name, e.key, what, mode === 'data' ? DATA_KEYS : RESOURCE_KEYS);
    }
  }
  return decl;
}

function lifecycle(ctx: LoadCtx, node: YNode): Lifecycle {
  const lc: Lifecycle = { range: ctx.range(node) };
  const m = ctx.expectMap(node, 'lifecycle');
  for (const e of m ? ctx.entries(m) : []) {
    if (e.name === 'prevent_destroy') lc.preventDestroy = nativeExpr(ctx, e.value);
    else if (e.name === 'create_before_destroy') lc.createBeforeDestroy = nativeExpr(ctx, e.value);
    else if (e.name === 'ignore_changes') {
      if (e.value.kind === 'scalar' && e.value.value === 'all') lc.ignoreChanges = 'all';
      else if (e.value.kind === 'seq') {
        const paths: { path: string; range: ReturnType<LoadCtx['range']> }[] = [];
        for (const p of e.value.items) {
          const s = ctx.expectString(p, 'each ignore_changes entry');
          if (s !== undefined) paths.push({ path: s.replace(/^\$\{\s*(.*?)\s*\}$/, '$1'), range: ctx.range(p) });
        }
        lc.ignoreChanges = { paths };
      } else ctx.error('ignore_changes is "all" or a list of attribute paths.', e.value);
    } else ctx.unknownKey(e.name, e.key, 'lifecycle', LIFECYCLE_KEYS);
  }
  return lc;
}
