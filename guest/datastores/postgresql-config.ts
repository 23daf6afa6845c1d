import type pg from 'pg';
import type { ConfigCheck } from './types.js';
import { checkSetting, numOrUndef, textOrUndef, type SettingRule } from './config-rules.js';

/** Setting rules read from pg_settings of the running server. */
export async function pgRules(c: pg.Client): Promise<Map<string, SettingRule>> {
  const r = await c.query('SELECT name, vartype, min_val, max_val, enumvals, context FROM pg_settings');
  const rules = new Map<string, SettingRule>();
  for (const row of r.rows) {
    const type = ({ bool: 'bool', integer: 'integer', real: 'real', enum: 'enum', string: 'string' } as const)[row.vartype as 'bool'] ?? 'string';
    rules.set(String(row.name).toLowerCase(), {
      name: row.name,
      type,
      min: numOrUndef(row.min_val),
      max: numOrUndef(row.max_val),
      bounds: [textOrUndef(row.min_val), textOrUndef(row.max_val)],
      enumValues: Array.isArray(row.enumvals) ? row.enumvals : typeof row.enumvals === 'string' ? row.enumvals.replace(/^\{|\}$/g, '').split(',') : undefined,
      restart: row.context === 'postmaster',
      readOnly: row.context === 'internal',
      source: `pg_settings, context ${row.context}`,
    });
  }
  return rules;
}

export function pgValidate(rules: Map<string, SettingRule>, values: Record<string, unknown>): ConfigCheck {
  const errors: string[] = [];
  const restartRequired: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const rule = rules.get(name.toLowerCase());
    if (!rule) { errors.push(`${name}: unknown setting (not in pg_settings)`); continue; }
    const err = checkSetting(rule, value);
    if (err) errors.push(err);
    else if (rule.restart) restartRequired.push(name);
  }
  return { errors, restartRequired };
}
