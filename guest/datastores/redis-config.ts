import type { Redis } from 'ioredis';
import type { ConfigCheck } from './types.js';

/**
 * Settings whose trial value could have side effects even for an instant (eviction, files,
 * listeners, auth): for these only the current value is re-set, which still tells mutable from
 * immutable; their range is checked when applied.
 */
const NO_TRIAL = new Set(['save', 'dir', 'dbfilename', 'appendonly', 'appendfilename', 'appenddirname', 'requirepass', 'masterauth',
  'maxmemory', 'replicaof', 'slaveof', 'aclfile', 'logfile', 'unixsocket', 'pidfile', 'bind', 'port', 'tls-port', 'daemonize']);

/**
 * Redis exposes no types or bounds, so the rules are read by asking the engine itself:
 * CONFIG GET * gives the known names; each proposed value is tried atomically inside
 * MULTI (CONFIG SET name new; CONFIG SET name old) — no other client can observe it — and
 * Redis's own error text (e.g. "argument must be between 1 and 64 inclusive") is reported.
 * "can't set immutable config" ⇒ restart required.
 */
export async function redisValidate(r: Redis, values: Record<string, unknown>): Promise<ConfigCheck> {
  const errors: string[] = [];
  const restartRequired: string[] = [];
  const flat = (await r.config('GET', '*')) as string[];
  const current = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) current.set(flat[i]!, flat[i + 1]!);
  for (const [name, raw] of Object.entries(values)) {
    const key = name.toLowerCase();
    if (!current.has(key)) { errors.push(`${name}: unknown setting (not in CONFIG GET *)`); continue; }
    if (raw === null || raw === undefined || typeof raw === 'object') { errors.push(`${name}: value must be a string, number or boolean`); continue; }
    const old = current.get(key)!;
    const value = typeof raw === 'boolean' ? (raw ? 'yes' : 'no') : String(raw);
    const trial = NO_TRIAL.has(key) ? old : value;
    const res = (await r.multi().config('SET', key, trial).config('SET', key, old).exec()) ?? [];
    const err = res[0]?.[0];
    if (!err) continue;
    const msg = err.message.replace(/^ERR\s*/, '').replace(/^CONFIG SET failed \(possibly related to argument '[^']*'\) - /, '');
    if (/immutable/i.test(msg)) restartRequired.push(name);
    else errors.push(`${name}: ${msg} (CONFIG SET)`);
  }
  return { errors, restartRequired };
}

/** Replaces (or appends) `name value` directives in redis.conf text. */
export function setConfLines(text: string, values: Record<string, string>): string {
  const quote = (v: string) => (/[\s"]/.test(v) || v === '' ? JSON.stringify(v) : v);
  let lines = text.split('\n');
  for (const [k, v] of Object.entries(values)) {
    const re = new RegExp(`^\\s*${k.replace(/[-.]/g, '\\$&')}\\s`, 'i');
    lines = lines.filter((l) => !re.test(l + ' '));
    if (lines[lines.length - 1] === '') lines.pop();
    lines.push(`${k} ${quote(v)}`, '');
  }
  return lines.join('\n');
}
