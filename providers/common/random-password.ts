/**
 * `random_password` (Terraform's random_password, HOT's OS::Heat::RandomString): generated
 * locally with the CSPRNG, the same on every provider. Nothing exists in the cloud, so read
 * returns the recorded object and delete forgets it.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { newObject, type Value, type ValueObject } from '../../core/value.js';
import { ProviderError, type ResourceObject, type ResourceType } from '../provider.js';

const SETS = {
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  lower: 'abcdefghijklmnopqrstuvwxyz',
  numeric: '0123456789',
  special: '!@#$%&*()-_=+[]{}<>:?',
};
/** HOT `sequence` names. */
const NAMED: Record<string, string> = {
  lettersdigits: SETS.upper + SETS.lower + SETS.numeric,
  letters: SETS.upper + SETS.lower,
  lowercase: SETS.lower,
  uppercase: SETS.upper,
  digits: SETS.numeric,
  hexdigits: '0123456789abcdef',
  octdigits: '01234567',
};

const num = (c: ValueObject, k: string, d: number) => (typeof c[k] === 'number' ? (c[k] as number) : d);
const bool = (c: ValueObject, k: string) => c[k] !== false;

export function generatePassword(config: ValueObject): string {
  const length = num(config, 'length', 32);
  const pick = (set: string) => set[randomInt(set.length)]!;
  if (typeof config.character_set === 'string') {
    const set = NAMED[config.character_set] ?? config.character_set;
    return Array.from({ length }, () => pick(set)).join('');
  }
  const special = typeof config.override_special === 'string' ? config.override_special : SETS.special;
  const classes: [string, number][] = [];
  if (bool(config, 'upper')) classes.push([SETS.upper, num(config, 'min_upper', 0)]);
  if (bool(config, 'lower')) classes.push([SETS.lower, num(config, 'min_lower', 0)]);
  if (bool(config, 'numeric')) classes.push([SETS.numeric, num(config, 'min_numeric', 0)]);
  if (bool(config, 'special') && special) classes.push([special, num(config, 'min_special', 0)]);
  const all = classes.map(([s]) => s).join('');
  const minimum = classes.reduce((n, [, m]) => n + m, 0);
  if (!all) throw new ProviderError('random_password: every character class is switched off; enable at least one of upper, lower, numeric, special');
  if (minimum > length) throw new ProviderError(`random_password: the minimum counts add up to ${minimum}, more than length ${length}`);
  const chars = classes.flatMap(([set, min]) => Array.from({ length: min }, () => pick(set)));
  while (chars.length < length) chars.push(pick(all));
  // Fisher–Yates, so the guaranteed characters are not all at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

function object(config: ValueObject, result: string, id: string): ResourceObject {
  const attributes = newObject(Object.entries(config) as [string, Value][]);
  attributes.result = result;
  return { id, attributes };
}

export const randomPassword: ResourceType = {
  async create(_ctx, config) {
    return object(config, generatePassword(config), randomUUID());
  },
  async read(_ctx, prior) {
    return { id: prior.id, attributes: prior.attributes };
  },
  async update(_ctx, prior, config) {
    // Every generating argument forces a new password; what is left (none today) updates in place.
    return object(config, String(prior.attributes.result ?? generatePassword(config)), prior.id);
  },
  async delete() {},
};
