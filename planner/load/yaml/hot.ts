import type { Expr } from '../../expr/ast.js';
import type { Body } from '../../model/body.js';
import type { ConditionDecl, OutputDecl, ResourceDecl, StackDocument } from '../../model/document.js';
import { emptyDocument } from '../../model/document.js';
import { findEntry, type LoadCtx } from './context.js';
import { invalid, type ReadFile, type TemplateEnv } from './hot-env.js';
import { hotCondition, hotValue } from './hot-intrinsics.js';
import { hotParameter, scalarText } from './hot-parameters.js';
import {
  atLeast,
  CONDITIONS_SINCE,
  HOT_FUNCTIONS,
  HOT_OUTPUT_KEYS,
  HOT_RESOURCE_KEYS,
  HOT_SECTIONS,
  type HotVersion,
  LATEST_HOT,
  LOWERCASE_DELETION_POLICY_SINCE,
  resolveHotVersion,
  validHotVersionNames,
} from './hot-versions.js';
import { checkConditionCycles, deletionPolicy, dependsOn, propertiesBody } from './template-common.js';
import type { YMap, YNode } from './tree.js';

type Entry = ReturnType<LoadCtx['entries']>[number];

/** Placeholder until a resource's properties are read. */
const EMPTY_BODY: Body = { attributes: [], blocks: [], range: { file: '', line: 1, col: 1, endLine: 1, endCol: 1 } };

/** Loads a Heat Orchestration Template (the root map has `heat_template_version`). */
export function loadHot(ctx: LoadCtx, root: YMap, dir: string, readFile: ReadFile): StackDocument {
  const doc = emptyDocument();
  doc.files.push({ path: ctx.file, language: 'hot' });
  const top = ctx.entries(root);
  const version = templateVersion(ctx, findEntry(top, 'heat_template_version')!);
  const sections = new Map<string, Entry>();
  for (const e of top) {
    if (!HOT_SECTIONS.includes(e.name)) ctx.unknownKey(e.name, e.key, 'a HOT template', HOT_SECTIONS);
    else if (e.name === 'conditions' && !atLeast(version, CONDITIONS_SINCE))
      ctx.error(`The conditions section needs heat_template_version ${CONDITIONS_SINCE} or later; this template is ${version}.`, e.key);
    else sections.set(e.name, e);
  }
  const section = (name: string): Entry[] => {
    const e = sections.get(name);
    if (!e) return [];
    const m = ctx.expectMap(e.value, `the ${name} section`);
    return m ? ctx.entries(m) : [];
  };
  const params = section('parameters');
  const resources = section('resources');
  const conditions = section('conditions');
  const env: TemplateEnv = {
    ctx,
    version,
    params: new Set(params.map((p) => p.name)),
    resources: new Map(resources.map((r) => [r.name, resourceType(r.value)])),
    conditions: new Set(conditions.map((c) => c.name)),
    dir,
    readFile,
  };

  const description = sections.get('description');
  if (description) doc.description = scalarText(ctx, description.value, 'description');
  for (const p of params) doc.variables.push(hotParameter(ctx, p.name, p.pair, version));
  const groups = sections.get('parameter_groups');
  if (groups) parameterGroups(ctx, groups.value, env, doc);
  for (const c of conditions) doc.conditions.push(conditionDecl(env, c));
  checkConditionCycles(env, doc.conditions);
  const value = (n: YNode) => hotValue(env, n);
  for (const r of resources) {
    const decl = resourceDecl(env, r, value);
    if (decl) doc.resources.push(decl);
  }
  for (const o of section('outputs')) doc.outputs.push(outputDecl(env, o));
  return doc;
}

function templateVersion(ctx: LoadCtx, e: Entry): HotVersion {
  const raw = e.value.kind === 'scalar' && e.value.value !== null ? String(e.value.value) : undefined;
  const v = raw === undefined ? undefined : resolveHotVersion(raw);
  if (v) return v;
  ctx.error(
    raw === undefined ? 'heat_template_version needs a value.' : `heat_template_version ${raw} is not a version dbstack knows.`,
    raw === undefined ? e.key : e.value,
    `Valid versions are: ${validHotVersionNames().join(', ')}.`,
  );
  return LATEST_HOT;
}

function resourceType(node: YNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  for (const p of node.pairs) {
    if (p.key.kind === 'scalar' && p.key.value === 'type') return p.value.kind === 'scalar' && typeof p.value.value === 'string' ? p.value.value : undefined;
  }
  return undefined;
}

function isFunctionMap(m: YMap): boolean {
  const k = m.pairs.length === 1 ? m.pairs[0]!.key : undefined;
  return !!k && k.kind === 'scalar' && typeof k.value === 'string' && HOT_FUNCTIONS[k.value] !== undefined;
}

function parameterGroups(ctx: LoadCtx, node: YNode, env: TemplateEnv, doc: StackDocument): void {
  if (node.kind === 'scalar' && node.value === null) return;
  if (node.kind !== 'seq') {
    ctx.error('The parameter_groups section must be a list of groups.', node);
    return;
  }
  const seen = new Map<string, string | undefined>();
  for (const g of node.items) {
    if (g.kind !== 'map') {
      ctx.error('Each parameter group must be a mapping with label, description and parameters.', g);
      continue;
    }
    const group: StackDocument['parameterGroups'][number] = { parameters: [], range: ctx.range(g) };
    for (const e of ctx.entries(g)) {
      if (e.name === 'label') group.label = scalarText(ctx, e.value, 'label of a parameter group');
      else if (e.name === 'description') group.description = scalarText(ctx, e.value, 'description of a parameter group');
      else if (e.name === 'parameters') {
        if (e.value.kind !== 'seq') {
          ctx.error('The parameters of a parameter group must be a list of parameter names.', e.value);
          continue;
        }
        for (const p of e.value.items) {
          const name = p.kind === 'scalar' && p.value !== null ? String(p.value) : undefined;
          if (name === undefined) ctx.error('A parameter group lists parameter names.', p);
          else if (!env.params.has(name)) ctx.error(`Parameter group lists "${name}", which is not a parameter of this template.`, p);
          else if (seen.has(name)) ctx.error(`Parameter "${name}" is already in another parameter group.`, p);
          else {
            seen.set(name, group.label);
            group.parameters.push(name);
          }
        }
      } else ctx.unknownKey(e.name, e.key, 'a parameter group', ['label', 'description', 'parameters']);
    }
    doc.parameterGroups.push(group);
  }
}

function conditionDecl(env: TemplateEnv, c: Entry): ConditionDecl {
  return { name: c.name, expr: hotCondition(env, c.value, true), range: env.ctx.pairRange(c.pair) };
}

function resourceDecl(env: TemplateEnv, r: Entry, value: (n: YNode) => Expr): ResourceDecl | undefined {
  const ctx = env.ctx;
  const body = r.value;
  if (body.kind !== 'map') {
    ctx.error(`Resource "${r.name}" must be a mapping with at least a type.`, body.end > body.start ? body : r.key);
    return undefined;
  }
  const entries = ctx.entries(body);
  const typeEntry = findEntry(entries, 'type');
  const sourceType = env.resources.get(r.name);
  if (!typeEntry) ctx.error(`Resource "${r.name}" has no type.`, r.key, 'Add "type:" with the resource type, e.g. OS::Trove::Instance.');
  else if (sourceType === undefined) ctx.error(`The type of resource "${r.name}" must be a string such as OS::Trove::Instance.`, typeEntry.value);
  const decl: ResourceDecl = {
    mode: 'managed',
    sourceType: sourceType ?? '',
    typeRange: ctx.range(typeEntry ? typeEntry.value : r.key),
    name: r.name,
    nameRange: ctx.range(r.key),
    body: EMPTY_BODY,
    dependsOn: [],
    lifecycle: {},
    language: 'hot',
    range: ctx.pairRange(r.pair),
  };
  const v = env.version;
  for (const e of entries) {
    switch (e.name) {
      case 'type':
        break;
      case 'properties':
        decl.body = propertiesBody(env, e.value, r.key, value, isFunctionMap);
        break;
      case 'depends_on':
        decl.dependsOn = dependsOn(env, e.value, r.name, 'depends_on');
        break;
      case 'deletion_policy': {
        const p = deletionPolicy(env, e.value, atLeast(v, LOWERCASE_DELETION_POLICY_SINCE), 'deletion_policy');
        if (p) decl.deletionPolicy = p;
        break;
      }
      case 'condition':
      case 'external_id':
        if (!atLeast(v, CONDITIONS_SINCE)) {
          ctx.error(`A resource's ${e.name} needs heat_template_version ${CONDITIONS_SINCE} or later; this template is ${v}.`, e.key);
        } else if (e.name === 'condition') decl.condition = hotCondition(env, e.value);
        else {
          hotValue(env, e.value);
          ctx.warn(`external_id is ignored: dbstack does not adopt existing resources, so "${r.name}" would be created.`, e.key);
        }
        break;
      case 'metadata':
      case 'update_policy':
        // Accepted and not used by dbstack; compiled only to report errors inside.
        hotValue(env, e.value);
        break;
      case 'description':
        scalarText(ctx, e.value, `description of resource "${r.name}"`);
        break;
      default:
        ctx.unknownKey(e.name, e.key, `resource "${r.name}"`, HOT_RESOURCE_KEYS);
    }
  }
  if (decl.body === EMPTY_BODY) decl.body = propertiesBody(env, undefined, r.key, value, isFunctionMap);
  return decl;
}

function outputDecl(env: TemplateEnv, o: Entry): OutputDecl {
  const ctx = env.ctx;
  const decl: OutputDecl = { name: o.name, value: invalid(env, o.key), sensitive: false, range: ctx.pairRange(o.pair) };
  if (o.value.kind !== 'map') {
    ctx.error(`Output "${o.name}" must be a mapping with a value.`, o.value.end > o.value.start ? o.value : o.key);
    return decl;
  }
  const entries = ctx.entries(o.value);
  for (const e of entries) {
    if (e.name === 'value') decl.value = hotValue(env, e.value);
    else if (e.name === 'description') decl.description = scalarText(ctx, e.value, `description of output "${o.name}"`);
    else if (e.name === 'condition') {
      if (atLeast(env.version, CONDITIONS_SINCE)) decl.condition = hotCondition(env, e.value);
      else ctx.error(`An output's condition needs heat_template_version ${CONDITIONS_SINCE} or later; this template is ${env.version}.`, e.key);
    } else ctx.unknownKey(e.name, e.key, `output "${o.name}"`, HOT_OUTPUT_KEYS);
  }
  if (!findEntry(entries, 'value')) ctx.warn(`Output "${o.name}" has no value.`, o.key);
  return decl;
}
