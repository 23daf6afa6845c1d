/**
 * How dbstack marks the cloud objects it creates, so a create interrupted by a crash can be
 * found again (adopt) instead of orphaned or duplicated. Tags only: never secrets.
 */
import { createHash } from 'node:crypto';
import type { ProviderContext } from '../../provider.js';
import { newObject, type Value, type ValueObject } from '../../../core/value.js';

/** Nova limits tags to 60 characters without ',' or '/'; Neutron's list filter splits on ','. */
const MAX_TAG = 60;

export function lineageTag(lineage: string): string {
  return safeTag('dbstack-lineage=', lineage);
}

export function addressTag(address: string): string {
  return safeTag('dbstack-address=', address);
}

/** The two tags of the object at ctx.address in ctx.stack. */
export function ownerTags(ctx: Pick<ProviderContext, 'address' | 'stack'>): string[] {
  return [lineageTag(ctx.stack.lineage), addressTag(ctx.address)];
}

/** Long or awkward values (`x["a,b"]`) become a stable hash, still unique per value. */
function safeTag(prefix: string, value: string): string {
  const tag = prefix + value;
  if (tag.length <= MAX_TAG && !/[,/]/.test(value)) return tag;
  return `${prefix}#${createHash('sha256').update(value).digest('hex').slice(0, MAX_TAG - prefix.length - 1)}`;
}

/** The resource's own name (`network.app` → `app`), the default for a cloud object's name. */
export function defaultName(address: string): string {
  const dot = address.indexOf('.');
  return dot < 0 ? address : address.slice(dot + 1);
}

/** An attributes object without the undefined entries. */
export function attrs(entries: Record<string, Value | undefined>): ValueObject {
  return newObject(Object.entries(entries).filter((e): e is [string, Value] => e[1] !== undefined));
}

/** Reads optional config values by type. */
export function bool(o: ValueObject, k: string): boolean | undefined {
  const v = o[k];
  return typeof v === 'boolean' ? v : undefined;
}
export function num(o: ValueObject, k: string): number | undefined {
  const v = o[k];
  return typeof v === 'number' ? v : undefined;
}
