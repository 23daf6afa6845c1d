/**
 * Evaluates a `provider "NAME" { … }` block: decoded with the provider's schema (blocks such as
 * `datastore "postgresql" { version "15" { … } }`), evaluated with the stack's variables (a
 * password may come from a sensitive variable), validated, every problem located.
 */
import { evaluate } from '../planner/expr/evaluate.js';
import { isObject, newObject, type ValueObject } from '../core/value.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { error } from '../core/diagnostics.js';
import type { ProviderDecl, StackDocument } from '../planner/model/document.js';
import { decodeBody } from '../planner/resolve/decode.js';
import { locate } from '../planner/resolve/locate.js';
import { resolveVariables, type VariableInput } from '../planner/resolve/variables.js';
import * as catalog from '../schemas/catalog.js';
import { coerceToSchema } from '../planner/resolve/coerce.js';
import { validateProvider } from '../schemas/validate.js';

export function providerSettings(doc: StackDocument, decl: ProviderDecl | undefined, variables: Record<string, VariableInput>, diags: Diagnostic[]): ValueObject {
  if (!decl) return newObject();
  const before = diags.length;
  const body = decodeBody(decl.body, (path) => catalog.blockAttributes('provider', decl.name, path) as never, diags);
  const vars = resolveVariables(doc, variables, [], false);
  const r = evaluate(body, { root: (n) => (n === 'var' ? vars.values : undefined), rootNames: () => ['var'] });
  diags.push(...r.diagnostics);
  const value = coerceToSchema('provider', decl.name, r.value);
  if (diags.length === before) diags.push(...validateProvider(decl.name, value, (path, kind) => locate(body, path, kind)));
  if (!isObject(value)) {
    diags.push(error(`provider "${decl.name}" must be a block of settings`, decl.range));
    return newObject();
  }
  return value;
}
