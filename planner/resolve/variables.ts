import { evaluate } from '../expr/evaluate.js';
import { convertValue, describeType, hotParameterType, parseTypeConstraint, type TypeSpec } from '../expr/types.js';
import { newObject, unknown, type Value, type ValueObject } from '../../core/value.js';
import { parseHclExpression } from '../load/hcl/parse.js';
import { checkParameterValue } from '../load/yaml/hot-parameters.js';
import { didYouMean, error, type Diagnostic } from '../../core/diagnostics.js';
import type { Language, StackDocument, VariableDecl } from '../model/document.js';

/** A value given for a variable on the command line, in a file, or in the environment. */
export interface VariableInput {
  /** Raw text (`-var name=text`, `TF_VAR_name`): parsed according to the variable's type. */
  raw?: string;
  value?: Value;
  /** Where it came from, for messages: `-var`, `DBSTACK_VAR_name`, `prod.tfvars:3`. */
  source: string;
}

export interface ResolvedVariables {
  values: ValueObject;
  sensitive: Set<string>;
}

const noRoots = { root: () => undefined };

/**
 * Values for every declared variable: the given input converted to the declared type, else the
 * default, else (when `requireValues`) an error naming the variable and how to set it, or
 * unknown (for `validate`, which checks a stack without values).
 */
export function resolveVariables(
  doc: StackDocument,
  inputs: Record<string, VariableInput>,
  diags: Diagnostic[],
  requireValues: boolean,
): ResolvedVariables {
  const values = newObject();
  const sensitive = new Set<string>();
  const language = doc.files[0]?.language ?? 'hcl';
  const declared = new Set(doc.variables.map((v) => v.name));
  for (const name of Object.keys(inputs)) {
    if (!declared.has(name)) {
      const hint = didYouMean(name, declared);
      diags.push(error(`a value was given for \`${name}\` (${inputs[name]!.source}), but the stack declares no such variable`, undefined, hint ? `Did you mean \`${hint}\`?` : undefined));
    }
  }
  for (const decl of doc.variables) {
    if (decl.sensitive) sensitive.add(decl.name);
    const type = declaredType(decl, language, diags);
    values[decl.name] = valueFor(decl, type, inputs[decl.name], diags, requireValues, language);
  }
  for (const decl of doc.variables) checkValidations(decl, values, diags);
  return { values, sensitive };
}

function declaredType(decl: VariableDecl, language: Language, diags: Diagnostic[]): TypeSpec | undefined {
  if (!decl.type) return undefined;
  if (language === 'hot' || language === 'cfn') {
    const name = decl.type.kind === 'literal' ? String(decl.type.value) : '';
    const t = hotParameterType(name);
    if (!t) diags.push(error(`unknown parameter type \`${name}\` — use string, number, json, comma_delimited_list or boolean`, decl.type.range));
    return t;
  }
  const parsed = parseTypeConstraint(decl.type);
  if ('diagnostic' in parsed) {
    diags.push(parsed.diagnostic);
    return undefined;
  }
  return parsed.type;
}

function valueFor(
  decl: VariableDecl,
  type: TypeSpec | undefined,
  input: VariableInput | undefined,
  diags: Diagnostic[],
  requireValues: boolean,
  language: Language,
): Value {
  let value: Value;
  let where = decl.range;
  let source = 'default';
  if (input) {
    source = input.source;
    value = input.value !== undefined ? input.value : parseRaw(input.raw ?? '', type, input.source, diags);
    if (value === null && decl.nullable === false) {
      diags.push(error(`variable \`${decl.name}\` is not nullable, but ${input.source} gives it null`, decl.range, 'Give it a value, or leave it out to use its default.'));
      return unknown;
    }
  } else if (decl.default) {
    const r = evaluate(decl.default, noRoots);
    diags.push(...r.diagnostics);
    value = r.value;
    where = decl.default.range;
  } else if (requireValues) {
    diags.push(
      error(
        `no value for required variable \`${decl.name}\``,
        decl.range,
        `Set it with \`-var ${decl.name}=VALUE\`, a variables file (\`-var-file\`), or the environment variable DBSTACK_VAR_${decl.name}.`,
      ),
    );
    return unknown;
  } else {
    return unknown;
  }
  const hot = language === 'hot' || language === 'cfn';
  if (type) {
    const c = convertValue(value, type);
    // A HOT default is checked by the loader already (with the template's own words).
    if ('error' in c && hot && !input) return unknown;
    if ('error' in c) {
      diags.push(error(`invalid value for variable \`${decl.name}\` (${source}): ${c.error}`, where, `The variable's type is ${describeType(type)}.`));
      return unknown;
    }
    value = c.value;
  }
  if (hot && input) {
    for (const d of checkParameterValue(decl, value)) diags.push({ ...d, summary: `${d.summary} (${source})` });
  }
  return value;
}

/** `-var x=text`: strings stay text; other types are read as an expression, as Terraform does. */
function parseRaw(raw: string, type: TypeSpec | undefined, source: string, diags: Diagnostic[]): Value {
  if (!type || describeType(type) === 'string') return raw;
  const parsed = parseHclExpression(raw, source, { line: 1, col: 1 });
  if (parsed.diagnostics.length) {
    const tooLarge = parsed.diagnostics.filter((d) => /too large a number/.test(d.summary));
    if (tooLarge.length) {
      diags.push(...tooLarge);
      return unknown;
    }
    // Not an expression: hand the text to the type conversion, which says what was expected.
    return raw;
  }
  const r = evaluate(parsed.expr, noRoots);
  diags.push(...r.diagnostics);
  return r.value;
}

function checkValidations(decl: VariableDecl, values: ValueObject, diags: Diagnostic[]): void {
  if (!decl.validations.length) return;
  const scope = { root: (n: string) => (n === 'var' ? newObject([[decl.name, values[decl.name]!]]) : undefined) };
  for (const v of decl.validations) {
    const r = evaluate(v.condition, scope);
    diags.push(...r.diagnostics);
    if (r.value !== false) continue;
    const msg = v.errorMessage ? evaluate(v.errorMessage, scope).value : undefined;
    diags.push(error(`invalid value for variable \`${decl.name}\`: ${typeof msg === 'string' ? msg : 'its validation condition is false'}`, v.condition.range));
  }
}
