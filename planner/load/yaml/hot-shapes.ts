import type { Expr } from '../../expr/ast.js';
import { findEntry } from './context.js';
import { call, stringValue, type TemplateEnv } from './hot-env.js';
import { atLeast, HOT_FUNCTIONS, LIST_JOIN_MULTIPLE, REPEAT_PERMUTATIONS } from './hot-versions.js';
import { objectOf } from './to-expr.js';
import type { YMap, YNode } from './tree.js';

/**
 * Argument shapes of the HOT functions that compile to plain calls (see the conventions in
 * hot-intrinsics.ts) and the checks Heat makes on them when it parses a template.
 */
type Shape =
  | { kind: 'map'; required: string[]; optional: string[]; form: string }
  | { kind: 'list'; min: number; max?: number; variadic?: boolean; form: string }
  | { kind: 'one'; form: string };

const SHAPES: Record<string, Shape> = {
  str_replace: { kind: 'map', required: ['template', 'params'], optional: [], form: '{template: STRING, params: {…}}' },
  repeat: { kind: 'map', required: ['for_each', 'template'], optional: ['permutations'], form: '{for_each: {…}, template: …}' },
  yaql: { kind: 'map', required: ['expression'], optional: ['data'], form: '{expression: STRING, data: …}' },
  make_url: {
    kind: 'map',
    required: [],
    optional: ['scheme', 'username', 'password', 'host', 'port', 'path', 'query', 'fragment'],
    form: '{scheme, host, port, path, query, …}',
  },
  list_join: { kind: 'list', min: 2, form: '[DELIMITER, LIST, …]' },
  digest: { kind: 'list', min: 2, max: 2, form: '[ALGORITHM, VALUE]' },
  str_split: { kind: 'list', min: 2, max: 3, form: '[DELIMITER, STRING, INDEX?]' },
  map_merge: { kind: 'list', min: 0, variadic: true, form: '[MAP, MAP, …]' },
  map_replace: { kind: 'list', min: 2, max: 2, form: '[MAP, {keys: {…}, values: {…}}]' },
  filter: { kind: 'list', min: 2, max: 2, form: '[VALUES, LIST]' },
  list_concat: { kind: 'list', min: 0, variadic: true, form: '[LIST, LIST, …]' },
  contains: { kind: 'list', min: 2, max: 2, form: '[VALUE, SEQUENCE]' },
  equals: { kind: 'list', min: 2, max: 2, form: '[VALUE, VALUE]' },
  resource_facade: { kind: 'one', form: 'metadata, deletion_policy or update_policy' },
  'Fn::Join': { kind: 'list', min: 2, max: 2, form: '[DELIMITER, LIST]' },
  'Fn::Select': { kind: 'list', min: 2, max: 2, form: '[INDEX, LIST]' },
  'Fn::Split': { kind: 'list', min: 2, max: 2, form: '[DELIMITER, STRING]' },
  'Fn::Replace': { kind: 'list', min: 2, max: 2, form: '[{PLACEHOLDER: VALUE}, TEMPLATE]' },
  'Fn::MemberListToMap': { kind: 'list', min: 3, max: 3, form: '[KEY_NAME, VALUE_NAME, LIST]' },
  'Fn::Base64': { kind: 'one', form: 'a string' },
  'Fn::GetAZs': { kind: 'one', form: 'a region name' },
  'Fn::ResourceFacade': { kind: 'one', form: 'metadata, deletion_policy or update_policy' },
};
SHAPES['str_replace_strict'] = SHAPES['str_replace']!;
SHAPES['str_replace_vstrict'] = SHAPES['str_replace']!;
SHAPES['list_concat_unique'] = SHAPES['list_concat']!;

const FACADE = ['metadata', 'deletion_policy', 'update_policy'];

/** Compiles a call with a checked argument shape; undefined (after an error) if malformed. */
export function callShape(env: TemplateEnv, map: YMap, name: string, args: YNode, sub: (n: YNode) => Expr): Expr | undefined {
  const shape = SHAPES[name];
  if (!shape) return undefined;
  const bad = (): undefined => void env.ctx.error(`${name} takes ${shape.kind === 'one' ? '' : 'the form '}${shape.form}.`, args);
  switch (shape.kind) {
    case 'map': {
      if (args.kind !== 'map') return bad();
      const entries = env.ctx.entries(args);
      let ok = true;
      for (const r of shape.required) {
        if (!findEntry(entries, r)) {
          env.ctx.error(`${name} needs "${r}" (the form is ${shape.form}).`, args);
          ok = false;
        }
      }
      const valid = [...shape.required, ...shape.optional];
      for (const e of entries) {
        if (!valid.includes(e.name)) {
          env.ctx.unknownKey(e.name, e.key, `the arguments of ${name}`, valid);
          ok = false;
        } else if (name === 'repeat' && e.name === 'permutations' && !atLeast(env.version, REPEAT_PERMUTATIONS)) {
          env.ctx.error(`repeat's permutations needs heat_template_version ${REPEAT_PERMUTATIONS} or later; this template is ${env.version}.`, e.key);
          ok = false;
        }
      }
      if (!ok) return undefined;
      return call(env, map, name, [objectOf(env.ctx, args, sub)]);
    }
    case 'list': {
      if (args.kind === 'map' && shape.variadic) {
        const e = sub(args);
        if (e.kind !== 'object') return call(env, map, name, [e], true);
      }
      if (args.kind !== 'seq') return bad();
      const n = args.items.length;
      const max = name === 'list_join' && !atLeast(env.version, LIST_JOIN_MULTIPLE) ? 2 : shape.max;
      if (n < shape.min || (max !== undefined && n > max)) {
        const count = max === shape.min ? `${shape.min}` : max === undefined ? `at least ${shape.min}` : `${shape.min} to ${max}`;
        env.ctx.error(`${name} takes ${count} arguments (the form is ${shape.form}); here it has ${n}.`, args);
        return undefined;
      }
      if (name === 'map_replace') checkReplacements(env, args.items[1]!);
      const items = args.items.map(sub);
      if (name === 'Fn::Join') return call(env, map, 'list_join', items);
      if (name === 'Fn::Replace') {
        const [params, template] = items as [Expr, Expr];
        const range = env.ctx.range(args);
        const obj: Expr = {
          kind: 'object',
          items: [
            { key: { kind: 'literal', value: 'template', range: template.range }, value: template },
            { key: { kind: 'literal', value: 'params', range: params.range }, value: params },
          ],
          range,
        };
        return call(env, map, 'str_replace', [obj]);
      }
      return call(env, map, name, items);
    }
    case 'one': {
      if (name === 'resource_facade' || name === 'Fn::ResourceFacade') {
        const what = stringValue(args);
        if (what === undefined || !FACADE.includes(what)) return bad();
        return call(env, map, 'resource_facade', [sub(args)]);
      }
      if (args.kind === 'seq') return bad();
      return call(env, map, name, [sub(args)]);
    }
  }
}

function checkReplacements(env: TemplateEnv, node: YNode): void {
  if (node.kind !== 'map') return;
  if (node.pairs.length === 1) {
    const k = node.pairs[0]!.key;
    if (k.kind === 'scalar' && typeof k.value === 'string' && HOT_FUNCTIONS[k.value]) return;
  }
  for (const e of env.ctx.entries(node)) {
    if (e.name !== 'keys' && e.name !== 'values') env.ctx.unknownKey(e.name, e.key, 'the replacements of map_replace', ['keys', 'values']);
  }
}
