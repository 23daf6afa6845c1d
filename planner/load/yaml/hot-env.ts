import type { Expr, CallExpr, ScopeRefExpr, Step } from '../../expr/ast.js';
import type { Range } from '../../../core/source.js';
import { decodeText, readRegularFile } from '../read-file.js';
import type { LoadCtx, Span } from './context.js';
import type { HotVersion } from './hot-versions.js';
import type { YMap, YNode } from './tree.js';

/** How the host gives `get_file` its content (tests substitute their own). */
export type ReadFile = (absolutePath: string) => string;

export interface LoadOptions {
  /** Reads a file for `get_file`; the default reads the local file system. */
  readFile?: ReadFile;
}

const MAX_FILE = 16 * 1024 * 1024;

/** The default `get_file` reader: regular files only, at most 16 MiB. */
export const readLocalFile: ReadFile = (p) => {
  const decoded = decodeText(readRegularFile(p, MAX_FILE), p, 'file');
  if ('diagnostic' in decoded) throw new Error(decoded.diagnostic.summary);
  return decoded.text;
};

/** Everything HOT/CFN expression compilation needs to know about the template. */
export interface TemplateEnv {
  ctx: LoadCtx;
  /** HOT version (CFN templates use the latest, only for the shared helpers). */
  version: HotVersion;
  params: Set<string>;
  /** Resource name → type as written (undefined when the type is missing or invalid). */
  resources: Map<string, string | undefined>;
  conditions: Set<string>;
  /** Directory of the template, for `get_file`. */
  dir: string;
  readFile: ReadFile;
  /** Conversion hooks, made once per template by the HOT or CFN compiler. */
  hotHooks?: unknown;
  cfnHooks?: unknown;
}

/** A null literal standing for an expression that could not be compiled (already reported). */
/**
 * What an erroneous construct compiles to, once its error is reported: a call to `invalid()`,
 * which evaluates to unknown so validation does not report a second, derived error.
 */
export function invalid(env: TemplateEnv, at: Span): CallExpr {
  const range = env.ctx.range(at);
  return { kind: 'call', name: 'invalid', args: [], nameRange: range, range };
}

export function attr(name: string, range: Range): Step {
  return { kind: 'attr', name, range };
}

export function ref(root: string, steps: Step[], range: Range): ScopeRefExpr {
  return { kind: 'ref', root, steps, range };
}

/** A path item of get_param/get_attr: a string → attr step, anything else → index step. */
export function pathStep(env: TemplateEnv, node: YNode, compile: (n: YNode) => Expr): Step {
  const range = env.ctx.range(node);
  if (node.kind === 'scalar' && typeof node.value === 'string') return attr(node.value, range);
  return { kind: 'index', key: compile(node), range };
}

/** The string value of a scalar, else undefined. */
export function stringValue(node: YNode): string | undefined {
  return node.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

/** A call node for the single-key function map `map`. */
/** HOT functions whose name means something else in the one function registry (HCL's contains). */
const REGISTRY_NAMES: Record<string, string> = { contains: 'hot:contains' };

export function call(env: TemplateEnv, map: YMap, name: string, args: Expr[], expandFinal = false): Expr {
  const e: Expr = { kind: 'call', name: REGISTRY_NAMES[name] ?? name, args, nameRange: env.ctx.range(map.pairs[0]!.key), range: env.ctx.range(map) };
  if (expandFinal) e.expandFinal = true;
  return e;
}
