import type { Body } from '../../model/body.js';
import type { ParamConstraint, ResourceDecl, StackDocument, VariableDecl } from '../../model/document.js';
import { emptyDocument } from '../../model/document.js';
import { findEntry, type LoadCtx } from './context.js';
import { CFN_FUNCTIONS, type CfnEnv, cfnCondition, cfnValue } from './cfn-intrinsics.js';
import { invalid, type ReadFile } from './hot-env.js';
import { booleanOf, checkDefault, constraintSpec, scalarText } from './hot-parameters.js';
import { LATEST_HOT } from './hot-versions.js';
import { toNumber } from './param-check.js';
import { checkConditionCycles, deletionPolicy, dependsOn, propertiesBody } from './template-common.js';
import { dataExpr } from './to-expr.js';
import type { YMap, YNode } from './tree.js';

type Entry = ReturnType<LoadCtx['entries']>[number];

/** Placeholder until a resource's properties are read. */
const EMPTY_BODY: Body = { attributes: [], blocks: [], range: { file: '', line: 1, col: 1, endLine: 1, endCol: 1 } };

const SECTIONS = ['AWSTemplateFormatVersion', 'HeatTemplateFormatVersion', 'Description', 'Mappings', 'Parameters', 'Resources', 'Outputs', 'Conditions'];
const VERSIONS: Record<string, string> = { AWSTemplateFormatVersion: '2010-09-09', HeatTemplateFormatVersion: '2012-12-12' };
const RESOURCE_KEYS = ['Type', 'Properties', 'Metadata', 'DependsOn', 'DeletionPolicy', 'UpdatePolicy', 'Description', 'Condition'];
const OUTPUT_KEYS = ['Value', 'Description', 'Condition'];
const PARAM_KEYS = ['Type', 'Default', 'NoEcho', 'AllowedValues', 'AllowedPattern', 'MaxLength', 'MinLength', 'MaxValue', 'MinValue', 'Description', 'ConstraintDescription', 'Label'];
/** CFN parameter types → the HOT names the rest of dbstack uses. */
const PARAM_TYPES: Record<string, string> = {
  String: 'string',
  Number: 'number',
  CommaDelimitedList: 'comma_delimited_list',
  Json: 'json',
  Boolean: 'boolean',
};

/** Loads a CloudFormation-format template (AWSTemplateFormatVersion / HeatTemplateFormatVersion). */
export function loadCfn(ctx: LoadCtx, root: YMap, dir: string, readFile: ReadFile): StackDocument {
  const doc = emptyDocument();
  doc.files.push({ path: ctx.file, language: 'cfn' });
  const sections = new Map<string, Entry>();
  for (const e of ctx.entries(root)) {
    if (!SECTIONS.includes(e.name)) ctx.unknownKey(e.name, e.key, 'a CloudFormation-format template', SECTIONS);
    else sections.set(e.name, e);
  }
  const versionKeys = [...sections.keys()].filter((k) => k in VERSIONS);
  if (versionKeys.length > 1) ctx.error('A template has either AWSTemplateFormatVersion or HeatTemplateFormatVersion, not both.', sections.get(versionKeys[1]!)!.key);
  for (const k of versionKeys) {
    const v = sections.get(k)!.value;
    const raw = v.kind === 'scalar' && v.value !== null ? String(v.value) : undefined;
    if (raw !== VERSIONS[k]) ctx.error(`${k} ${raw ?? '(empty)'} is not supported; the only version is ${VERSIONS[k]}.`, v.end > v.start ? v : sections.get(k)!.key);
  }
  const section = (name: string): Entry[] => {
    const e = sections.get(name);
    if (!e) return [];
    const m = ctx.expectMap(e.value, `the ${name} section`);
    return m ? ctx.entries(m) : [];
  };
  const params = section('Parameters');
  const resources = section('Resources');
  const conditions = section('Conditions');
  const mappings = new Map<string, YMap>();
  for (const m of section('Mappings')) {
    const node = ctx.expectMap(m.value, `mapping "${m.name}"`);
    if (node) mappings.set(m.name, node);
  }
  const mappingsNode = sections.get('Mappings')?.value;
  const env: CfnEnv = {
    ctx,
    version: LATEST_HOT,
    params: new Set(params.map((p) => p.name)),
    resources: new Map(resources.map((r) => [r.name, resourceType(r.value)])),
    conditions: new Set(conditions.map((c) => c.name)),
    dir,
    readFile,
    mappings,
  };
  if (mappingsNode?.kind === 'map') env.mappingsNode = mappingsNode;
  const description = sections.get('Description');
  if (description) doc.description = scalarText(ctx, description.value, 'Description');
  for (const p of params) doc.variables.push(parameter(ctx, p));
  for (const c of conditions) doc.conditions.push({ name: c.name, expr: cfnCondition(env, c.value), range: ctx.pairRange(c.pair) });
  checkConditionCycles(env, doc.conditions);
  for (const r of resources) {
    const decl = resource(env, r);
    if (decl) doc.resources.push(decl);
  }
  for (const o of section('Outputs')) {
    const out = { name: o.name, value: invalid(env, o.key), sensitive: false, range: ctx.pairRange(o.pair) } as StackDocument['outputs'][number];
    const m = ctx.expectMap(o.value, `output "${o.name}"`);
    for (const e of m ? ctx.entries(m) : []) {
      if (e.name === 'Value') out.value = cfnValue(env, e.value);
      else if (e.name === 'Description') out.description = scalarText(ctx, e.value, `Description of output "${o.name}"`);
      else if (e.name === 'Condition') out.condition = cfnCondition(env, e.value);
      else ctx.unknownKey(e.name, e.key, `output "${o.name}"`, OUTPUT_KEYS);
    }
    doc.outputs.push(out);
  }
  return doc;
}

function resourceType(node: YNode): string | undefined {
  if (node.kind !== 'map') return undefined;
  const p = node.pairs.find((x) => x.key.kind === 'scalar' && x.key.value === 'Type');
  return p && p.value.kind === 'scalar' && typeof p.value.value === 'string' ? p.value.value : undefined;
}

function isFunctionMap(m: YMap): boolean {
  const k = m.pairs.length === 1 ? m.pairs[0]!.key : undefined;
  return !!k && k.kind === 'scalar' && typeof k.value === 'string' && CFN_FUNCTIONS.includes(k.value);
}

function parameter(ctx: LoadCtx, p: Entry): VariableDecl {
  const decl: VariableDecl = { name: p.name, range: ctx.pairRange(p.pair), sensitive: false, constraints: [], validations: [] };
  const body = ctx.expectMap(p.value, `parameter "${p.name}"`);
  if (!body) {
    if (p.value.kind === 'scalar' && p.value.value === null) ctx.error(`Parameter "${p.name}" needs at least a Type.`, p.key);
    return decl;
  }
  const entries = ctx.entries(body);
  let description: string | undefined;
  const constraint = (kind: ParamConstraint['kind'], spec: unknown, at: YNode): void => {
    if (spec !== undefined) decl.constraints.push({ kind, spec, range: ctx.range(at) });
  };
  const bounds: Record<'length' | 'range', { min?: number; max?: number; at?: YNode }> = { length: {}, range: {} };
  for (const e of entries) {
    switch (e.name) {
      case 'Type': {
        const t = e.value.kind === 'scalar' && typeof e.value.value === 'string' ? PARAM_TYPES[e.value.value] : undefined;
        if (t) decl.type = { kind: 'literal', value: t, range: ctx.range(e.value) };
        else ctx.error(`Parameter "${p.name}" has a Type that is not one of ${Object.keys(PARAM_TYPES).join(', ')}.`, e.value);
        break;
      }
      case 'Default':
        if (!(e.value.kind === 'scalar' && e.value.value === null)) decl.default = dataExpr(ctx, e.value);
        break;
      case 'NoEcho':
        decl.sensitive = booleanOf(ctx, e.value, `NoEcho setting of parameter "${p.name}"`) ?? false;
        break;
      case 'Description':
        decl.description = scalarText(ctx, e.value, `Description of parameter "${p.name}"`);
        break;
      case 'Label':
        decl.label = scalarText(ctx, e.value, `Label of parameter "${p.name}"`);
        break;
      case 'ConstraintDescription':
        description = scalarText(ctx, e.value, 'ConstraintDescription');
        break;
      case 'AllowedValues':
        constraint('allowed_values', constraintSpec(ctx, 'allowed_values', e.value), e.value);
        break;
      case 'AllowedPattern':
        constraint('allowed_pattern', constraintSpec(ctx, 'allowed_pattern', e.value), e.value);
        break;
      case 'MinLength':
      case 'MaxLength':
      case 'MinValue':
      case 'MaxValue': {
        const n = toNumber(e.value.kind === 'scalar' ? e.value.value : undefined);
        if (n === undefined) ctx.error(`${e.name} of parameter "${p.name}" must be a number.`, e.value);
        else {
          const b = bounds[e.name.endsWith('Length') ? 'length' : 'range'];
          b[e.name.startsWith('Min') ? 'min' : 'max'] = n;
          b.at ??= e.value;
        }
        break;
      }
      default:
        ctx.unknownKey(e.name, e.key, `parameter "${p.name}"`, PARAM_KEYS);
    }
  }
  for (const kind of ['length', 'range'] as const) {
    const { min, max, at } = bounds[kind];
    if (at) constraint(kind, { ...(min !== undefined && { min }), ...(max !== undefined && { max }) }, at);
  }
  if (description !== undefined) for (const c of decl.constraints) c.description = description;
  if (!findEntry(entries, 'Type')) ctx.error(`Parameter "${p.name}" has no Type.`, p.key, `Add "Type:" with one of ${Object.keys(PARAM_TYPES).join(', ')}.`);
  checkDefault(ctx, decl, body);
  return decl;
}

function resource(env: CfnEnv, r: Entry): ResourceDecl | undefined {
  const ctx = env.ctx;
  const body = ctx.expectMap(r.value, `resource "${r.name}"`);
  if (!body) {
    if (r.value.kind === 'scalar' && r.value.value === null) ctx.error(`Resource "${r.name}" needs at least a Type.`, r.key);
    return undefined;
  }
  const entries = ctx.entries(body);
  const typeEntry = findEntry(entries, 'Type');
  const sourceType = env.resources.get(r.name);
  if (!typeEntry) ctx.error(`Resource "${r.name}" has no Type.`, r.key);
  else if (sourceType === undefined) ctx.error(`The Type of resource "${r.name}" must be a string.`, typeEntry.value);
  const value = (n: YNode) => cfnValue(env, n);
  const decl: ResourceDecl = {
    mode: 'managed',
    sourceType: sourceType ?? '',
    typeRange: ctx.range(typeEntry ? typeEntry.value : r.key),
    name: r.name,
    nameRange: ctx.range(r.key),
    body: EMPTY_BODY,
    dependsOn: [],
    lifecycle: {},
    language: 'cfn',
    range: ctx.pairRange(r.pair),
  };
  for (const e of entries) {
    switch (e.name) {
      case 'Type':
        break;
      case 'Properties':
        decl.body = propertiesBody(env, e.value, r.key, value, isFunctionMap);
        break;
      case 'DependsOn':
        decl.dependsOn = dependsOn(env, e.value, r.name, 'DependsOn');
        break;
      case 'DeletionPolicy': {
        const p = deletionPolicy(env, e.value, false, 'DeletionPolicy');
        if (p) decl.deletionPolicy = p;
        break;
      }
      case 'Condition':
        decl.condition = cfnCondition(env, e.value);
        break;
      case 'Metadata':
      case 'UpdatePolicy':
        cfnValue(env, e.value);
        break;
      case 'Description':
        scalarText(ctx, e.value, `Description of resource "${r.name}"`);
        break;
      default:
        ctx.unknownKey(e.name, e.key, `resource "${r.name}"`, RESOURCE_KEYS);
    }
  }
  if (decl.body === EMPTY_BODY) decl.body = propertiesBody(env, undefined, r.key, value, isFunctionMap);
  return decl;
}
