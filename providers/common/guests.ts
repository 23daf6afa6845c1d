/** How a provider reaches the guest of an instance it manages (by the instance's resource id). */
import type { Conductor } from '../../guest/protocol/conductor.js';
import { asStatus, type StatusMessage } from '../../guest/protocol/messages.js';
import type { ProviderContext } from '../provider.js';
import type { GuestRef } from './guest-spec.js';

export interface GuestDirectory {
  /** The guest of the instance with this resource id, or undefined when the instance is gone. */
  guestOf(ctx: ProviderContext, instanceId: string): Promise<GuestRef | undefined>;
  conductor(): Promise<Conductor>;
  /** What the guest sees inside the engine now (see LocalCloud.observe). */
  observe(g: GuestRef): Promise<StatusMessage | undefined>;
}

/**
 * What the guest sees inside the engine right now: it is asked to observe (the `observe` RPC),
 * so drift made a moment ago shows; a guest that does not answer in time gives its last
 * retained status.
 */
export async function observeGuest(conductor: Conductor, g: GuestRef): Promise<StatusMessage | undefined> {
  try {
    const fresh = asStatus(await conductor.rpc(g.instanceId, g.key, 'observe', undefined, { timeoutMs: 10_000 }));
    if (fresh) return fresh;
  } catch {
    /* offline or busy: the retained status */
  }
  return conductor.readStatus(g.instanceId, g.key);
}
