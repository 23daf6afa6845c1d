import { isAbsolute, resolve } from 'node:path';
import type { Expr, Step } from '../../expr/ast.js';
import { didYouMean } from '../../../core/diagnostics.js';
import type { Range } from '../../../core/source.js';
import type { Span } from './context.js';
import { attr, invalid, pathStep, ref, stringValue, type TemplateEnv } from './hot-env.js';
import { HOT_PSEUDO_PARAMS } from './hot-versions.js';
import type { YMap, YNode } from './tree.js';

/** CloudFormation pseudo parameters → attributes of the `stack` scope. */
export const CFN_PSEUDO_PARAMS: Readonly<Record<string, string>> = {
  'AWS::StackName': 'name',
  'AWS::StackId': 'id',
  'AWS::Region': 'region',
};

function suggestion(name: string, candidates: Iterable<string>): string {
  const hint = didYouMean(name, candidates);
  return hint ? ` Did you mean "${hint}"?` : '';
}

/**
 * A parameter reference: `var.NAME` (steps [NAME, …path]) or, for a pseudo parameter,
 * `stack.name` / `stack.id` / `stack.project_id` / `stack.region`.
 */
export function paramRef(env: TemplateEnv, nameNode: YNode, path: Step[], whole: Span): Expr | undefined {
  const name = stringValue(nameNode);
  if (name === undefined) return undefined;
  const range = env.ctx.range(whole);
  const pseudo = HOT_PSEUDO_PARAMS[name] ?? CFN_PSEUDO_PARAMS[name];
  if (pseudo !== undefined) return ref('stack', [attr(pseudo, env.ctx.range(nameNode)), ...path], range);
  if (!env.params.has(name)) return undefined;
  return ref('var', [attr(name, env.ctx.range(nameNode)), ...path], range);
}

/** A reference to resource `name`: root = its type as written, steps [name, …steps]. */
export function resourceRef(env: TemplateEnv, fn: string, nameNode: YNode, steps: (nameRange: Range) => Step[], whole: Span): Expr {
  const name = stringValue(nameNode);
  if (name === undefined) {
    env.ctx.error(`${fn} needs the name of a resource here.`, nameNode);
    return invalid(env, whole);
  }
  if (!env.resources.has(name)) {
    env.ctx.error(`${fn} refers to resource "${name}", which is not declared in this template.${suggestion(name, env.resources.keys())}`, nameNode);
    return invalid(env, whole);
  }
  const type = env.resources.get(name);
  if (type === undefined) return invalid(env, whole);
  const nameRange = env.ctx.range(nameNode);
  return ref(type, [attr(name, nameRange), ...steps(nameRange)], env.ctx.range(whole));
}

/** HOT `get_param: NAME` or `get_param: [NAME, path…]`. */
export function getParam(env: TemplateEnv, map: YMap, args: YNode, compile: (n: YNode) => Expr): Expr {
  let nameNode: YNode | undefined;
  let rest: YNode[] = [];
  if (args.kind === 'seq') {
    nameNode = args.items[0];
    rest = args.items.slice(1);
  } else if (args.kind === 'scalar') nameNode = args;
  if (!nameNode || stringValue(nameNode) === undefined) {
    env.ctx.error('get_param takes a parameter name, or a list of a parameter name and a path: [NAME, key, …].', nameNode ?? args);
    return invalid(env, map);
  }
  const path = rest.map((n) => pathStep(env, n, compile));
  const r = paramRef(env, nameNode, path, map);
  if (r) return r;
  const name = stringValue(nameNode)!;
  env.ctx.error(`get_param refers to parameter "${name}", which is not declared in this template.${suggestion(name, env.params)}`, nameNode);
  return invalid(env, map);
}

/** HOT `get_resource: NAME` → [NAME, id]. */
export function getResource(env: TemplateEnv, map: YMap, args: YNode): Expr {
  if (args.kind !== 'scalar' || typeof args.value !== 'string') {
    env.ctx.error('get_resource takes the name of a resource.', args);
    return invalid(env, map);
  }
  return resourceRef(env, 'get_resource', args, (r) => [attr('id', r)], map);
}

/** HOT `get_attr: [RESOURCE, ATTRIBUTE, path…]` (or `[RESOURCE]` for all attributes). */
export function getAttr(env: TemplateEnv, map: YMap, args: YNode, minItems: number, compile: (n: YNode) => Expr): Expr {
  if (args.kind !== 'seq' || args.items.length < minItems) {
    const form = minItems === 1 ? '[RESOURCE] or [RESOURCE, ATTRIBUTE, path…]' : '[RESOURCE, ATTRIBUTE, path…]';
    env.ctx.error(`get_attr takes a list of the form ${form}.`, args);
    return invalid(env, map);
  }
  const [res, ...rest] = args.items;
  const steps = rest.map((n) => pathStep(env, n, compile));
  return resourceRef(env, 'get_attr', res!, () => steps, map);
}

/**
 * `Ref: NAME` (CFN, and HOT 2013-05-23): a parameter → var, a resource → [NAME, id],
 * a pseudo parameter → stack.
 */
export function cfnRef(env: TemplateEnv, map: YMap, args: YNode): Expr {
  const name = stringValue(args);
  if (name === undefined) {
    env.ctx.error('Ref takes the name of a parameter or resource.', args);
    return invalid(env, map);
  }
  const p = paramRef(env, args, [], map);
  if (p) return p;
  if (env.resources.has(name)) return resourceRef(env, 'Ref', args, (r) => [attr('id', r)], map);
  const known = [...env.params, ...env.resources.keys(), ...Object.keys(CFN_PSEUDO_PARAMS)];
  env.ctx.error(`Ref refers to "${name}", which is neither a parameter nor a resource of this template.${suggestion(name, known)}`, args);
  return invalid(env, map);
}

/** `get_file: PATH` → the file's content as a string literal, read now. */
export function getFile(env: TemplateEnv, map: YMap, args: YNode): Expr {
  const p = stringValue(args);
  if (p === undefined) {
    env.ctx.error('get_file takes the path of a file.', args);
    return invalid(env, map);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) && !p.startsWith('file://')) {
    env.ctx.error(`get_file can only read local files; "${p}" is a URL.`, args);
    return invalid(env, map);
  }
  const local = p.startsWith('file://') ? p.slice('file://'.length) : p;
  const abs = isAbsolute(local) ? local : resolve(env.dir, local);
  try {
    return { kind: 'literal', value: env.readFile(abs), range: env.ctx.range(map) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'the file does not exist' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    env.ctx.error(`get_file cannot read "${p}": ${why}.`, args, `Relative paths are read from the template's directory (${env.dir}).`);
    return invalid(env, map);
  }
}
