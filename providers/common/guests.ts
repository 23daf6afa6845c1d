/** How a provider reaches the guest of an instance it manages (by the instance's resource id). */
import type { Conductor } from '../../guest/protocol/conductor.js';
import type { StatusMessage } from '../../guest/protocol/messages.js';
import type { ProviderContext } from '../provider.js';
import type { GuestRef } from './guest-spec.js';

export interface GuestDirectory {
  /** The guest of the instance with this resource id, or undefined when the instance is gone. */
  guestOf(ctx: ProviderContext, instanceId: string): Promise<GuestRef | undefined>;
  conductor(): Promise<Conductor>;
  /** What the guest sees inside the engine now (see LocalCloud.observe). */
  observe(g: GuestRef): Promise<StatusMessage | undefined>;
}
