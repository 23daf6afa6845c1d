/** Engine-neutral checks of one setting against rules read from the engine's own catalog. */
export interface SettingRule {
  name: string;
  type: 'bool' | 'integer' | 'real' | 'enum' | 'set' | 'string';
  min?: number;
  max?: number;
  /** Bounds as the engine printed them (exact for 64-bit values); used in messages. */
  bounds?: [string | undefined, string | undefined];
  enumValues?: string[];
  restart: boolean;
  readOnly?: boolean;
  /** Where the rule came from, quoted in messages (e.g. 'pg_settings'). */
  source: string;
}

const BOOL = new Set(['on', 'off', 'true', 'false', 'yes', 'no', '1', '0']);

/** Returns an error message or undefined when `value` satisfies `rule`. */
export function checkSetting(rule: SettingRule, value: unknown): string | undefined {
  const v = typeof value === 'string' ? value.trim() : value;
  if (v === null || v === undefined || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
    return `${rule.name}: value must be a string, number or boolean`;
  }
  if (rule.readOnly) return `${rule.name}: read-only in this engine (${rule.source})`;
  const s = String(v);
  switch (rule.type) {
    case 'bool':
      return BOOL.has(s.toLowerCase()) ? undefined : `${rule.name}: expected a boolean (on/off), got '${s}'`;
    case 'integer':
    case 'real': {
      if (!/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
        // values with units (e.g. '128MB') are checked by the engine when applied
        if (/^[-+]?\d+(\.\d+)?\s*[a-zA-Z]+$/.test(s)) return undefined;
        return `${rule.name}: expected ${rule.type === 'integer' ? 'an integer' : 'a number'}, got '${s}'`;
      }
      const n = Number(s);
      if (rule.type === 'integer' && !Number.isInteger(n)) return `${rule.name}: expected an integer, got '${s}'`;
      if ((rule.min !== undefined && n < rule.min) || (rule.max !== undefined && n > rule.max)) {
        const lo = rule.bounds?.[0] ?? rule.min ?? '-inf';
        const hi = rule.bounds?.[1] ?? rule.max ?? 'inf';
        return `${rule.name}: ${s} is out of range [${lo}, ${hi}] (${rule.source})`;
      }
      return undefined;
    }
    case 'enum': {
      const ok = (rule.enumValues ?? []).some((e) => e.toLowerCase() === s.toLowerCase());
      return ok ? undefined : `${rule.name}: '${s}' is not one of ${(rule.enumValues ?? []).join(', ')} (${rule.source})`;
    }
    case 'set': {
      const allowed = new Set((rule.enumValues ?? []).map((e) => e.toLowerCase()));
      const bad = s.split(',').map((x) => x.trim()).filter((x) => x && !allowed.has(x.toLowerCase()));
      return bad.length ? `${rule.name}: ${bad.join(', ')} not in ${(rule.enumValues ?? []).join(', ')} (${rule.source})` : undefined;
    }
    default:
      return undefined;
  }
}

export function textOrUndef(x: unknown): string | undefined {
  return x === null || x === undefined || x === '' ? undefined : String(x);
}

export function numOrUndef(x: unknown): number | undefined {
  if (x === null || x === undefined || x === '') return undefined;
  const n = Number(x);
  return Number.isFinite(n) ? n : undefined;
}
