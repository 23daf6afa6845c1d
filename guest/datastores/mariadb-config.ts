import type mysql from 'mysql2/promise';
import type { ConfigCheck } from './types.js';
import { checkSetting, numOrUndef, textOrUndef, type SettingRule } from './config-rules.js';

const TYPES: Record<string, SettingRule['type']> = {
  INT: 'integer', 'INT UNSIGNED': 'integer', BIGINT: 'integer', 'BIGINT UNSIGNED': 'integer',
  DOUBLE: 'real', BOOLEAN: 'bool', ENUM: 'enum', SET: 'set', FLAGSET: 'string', VARCHAR: 'string',
};

/** Setting rules read from information_schema.SYSTEM_VARIABLES; READ_ONLY ⇒ set at startup (restart). */
export async function mariaRules(c: mysql.Connection): Promise<Map<string, SettingRule>> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    `SELECT VARIABLE_NAME, VARIABLE_SCOPE, VARIABLE_TYPE, NUMERIC_MIN_VALUE, NUMERIC_MAX_VALUE, ENUM_VALUE_LIST, READ_ONLY
       FROM information_schema.SYSTEM_VARIABLES`);
  const rules = new Map<string, SettingRule>();
  for (const r of rows) {
    const name = String(r.VARIABLE_NAME).toLowerCase();
    const type = TYPES[String(r.VARIABLE_TYPE)] ?? 'string';
    rules.set(name, {
      name,
      type,
      min: numOrUndef(r.NUMERIC_MIN_VALUE),
      max: numOrUndef(r.NUMERIC_MAX_VALUE),
      bounds: [textOrUndef(r.NUMERIC_MIN_VALUE), textOrUndef(r.NUMERIC_MAX_VALUE)],
      enumValues: r.ENUM_VALUE_LIST ? String(r.ENUM_VALUE_LIST).split(',') : undefined,
      restart: r.READ_ONLY === 'YES',
      readOnly: r.VARIABLE_SCOPE === 'SESSION ONLY',
      source: `information_schema.SYSTEM_VARIABLES, ${r.VARIABLE_TYPE}${r.READ_ONLY === 'YES' ? ', READ_ONLY' : ''}`,
    });
  }
  return rules;
}

export function mariaValidate(rules: Map<string, SettingRule>, values: Record<string, unknown>): ConfigCheck {
  const errors: string[] = [];
  const restartRequired: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const rule = rules.get(name.toLowerCase().replace(/-/g, '_'));
    if (!rule) { errors.push(`${name}: unknown setting (not in information_schema.SYSTEM_VARIABLES)`); continue; }
    const err = checkSetting(rule, value);
    if (err) errors.push(err);
    else if (rule.restart) restartRequired.push(name);
  }
  return { errors, restartRequired };
}

/** The value as SET GLOBAL wants it: numbers unquoted, booleans as ON/OFF. */
export function mariaValue(rule: SettingRule, v: unknown): string | number {
  if (typeof v === 'boolean') return v ? 'ON' : 'OFF';
  if ((rule.type === 'integer' || rule.type === 'real') && /^[-+]?\d+(\.\d+)?$/.test(String(v).trim())) return Number(v);
  return String(v);
}
