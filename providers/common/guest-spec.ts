/**
 * The desired spec of one guest, changed by several resources: the instance itself (engine,
 * version, its inline databases and users, its configuration group) and separately declared
 * `database` / `database_user` resources. The retained desired message on the broker is the
 * record; each change reads it, edits only the entries its owner declared, publishes the next
 * generation and waits for the guest to converge. Changes to one instance run one at a time.
 */
import { ConvergeFailedError, type Conductor } from '../../guest/protocol/conductor.js';
import type { DesiredSpec, JsonObject, JsonValue, StatusMessage } from '../../guest/protocol/messages.js';
import { ProviderError } from '../provider.js';

/** Who declared an entry: `instance` (inline blocks) or a resource address. */
export type Owner = string;
export const INSTANCE_OWNER = 'instance';

export interface GuestRef {
  instanceId: string;
  key: string;
}

export type SpecEdit = (spec: DesiredSpec) => DesiredSpec;

const queues = new Map<string, Promise<unknown>>();

/** Runs `fn` after every earlier change to the same instance has finished. */
function serialized<T>(instanceId: string, fn: () => Promise<T>): Promise<T> {
  const prev = queues.get(instanceId) ?? Promise.resolve();
  const next = prev.then(fn, fn);
  queues.set(instanceId, next.catch(() => {}));
  return next;
}

export interface ConvergeOptions {
  signal: AbortSignal;
  progress(message: string): void;
  /** True when the instance was just created: no retained desired is expected. */
  fresh?: boolean;
  timeoutMs?: number;
}

/**
 * Applies `edit` to the instance's current desired spec, publishes it as the next generation
 * and resolves with the guest's status once it has converged (or rejects with the guest's error).
 */
export function changeSpec(conductor: Conductor, g: GuestRef, edit: SpecEdit, o: ConvergeOptions): Promise<StatusMessage> {
  return serialized(g.instanceId, async () => {
    // A just-created instance has no desired state yet: nothing to read back.
    const current = o.fresh ? undefined : await conductor.readDesired(g.instanceId, g.key);
    if (!current && !o.fresh) {
      throw new ProviderError(`instance ${g.instanceId} has no desired state on the broker (was the broker's data lost?); replace the instance with -replace`);
    }
    const status = o.fresh ? undefined : await conductor.readStatus(g.instanceId, g.key, { timeoutMs: 1000 });
    const generation = Math.max(current?.generation ?? 0, status?.observedGeneration ?? 0) + 1;
    const spec = edit(current?.spec ?? {});
    const unwatch = await conductor.watchStatus(g.instanceId, g.key, (st) => {
      if (st.observedGeneration === generation && st.phase === 'converging') o.progress('guest converging');
    });
    try {
      await conductor.publishDesired(g.instanceId, g.key, generation, spec);
      return await conductor.waitConverged(g.instanceId, g.key, generation, { signal: o.signal, timeoutMs: o.timeoutMs ?? 600_000 });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof ConvergeFailedError && current) throw new ProviderError(`${message}${await restorePrevious(conductor, g, generation + 1, current.spec, o)}`);
      throw new ProviderError(message);
    } finally {
      unwatch();
    }
  });
}

/**
 * The guest rolled the failed generation back; the record (the retained desired) must follow,
 * or every later change would carry the refused entries again (and fail again, destroy included).
 * So the spec before the change is published as the next generation. Answers a note for the error.
 */
async function restorePrevious(conductor: Conductor, g: GuestRef, generation: number, spec: DesiredSpec, o: ConvergeOptions): Promise<string> {
  try {
    await conductor.publishDesired(g.instanceId, g.key, generation, spec);
    await conductor.waitConverged(g.instanceId, g.key, generation, { signal: o.signal, timeoutMs: o.timeoutMs ?? 600_000 });
    return '; the instance is back at its previous spec';
  } catch (e) {
    return `; putting the previous spec back failed too: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** Replaces the entries of `list` owned by `owner` with `entries` (each tagged with the owner). */
export function replaceOwned(list: JsonValue | undefined, owner: Owner, entries: JsonObject[]): JsonObject[] {
  const kept = (Array.isArray(list) ? list : []).filter((e): e is JsonObject => typeof e === 'object' && e !== null && !Array.isArray(e) && e.owner !== owner);
  const names = new Set(entries.map((e) => `${e.name}@${e.host ?? ''}`));
  const clash = kept.find((e) => names.has(`${e.name}@${e.host ?? ''}`));
  if (clash) throw new ProviderError(`${String(clash.name)} is already declared by ${String(clash.owner)}; declare it in one place only`);
  return [...kept, ...entries.map((e) => ({ ...e, owner }))];
}
