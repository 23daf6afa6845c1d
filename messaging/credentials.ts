/**
 * Broker credentials and the topic ACL shared by the embedded (aedes) and Mosquitto brokers.
 *
 * - guest `guest-<instance-id>`: SUBSCRIBE only to its own `desired` and `rpc/request`
 *   (exact topics, no wildcards); PUBLISH only to its own `status`, `events`, `rpc/response`.
 * - `conductor` (the control plane): anything under `dbstack/v1/#`.
 * - anyone else: nothing.
 */
import { randomBytes } from 'node:crypto';
import { GUEST_PREFIX, guestUsername, instanceTopic, isValidInstanceId, TOPIC_ROOT } from '../guest/protocol/topics.js';

export interface BrokerCredential {
  username: string;
  password: string;
}

export const CONDUCTOR_USERNAME = 'conductor';

export const GUEST_SUBSCRIBE_KINDS = ['desired', 'rpc/request'] as const;
export const GUEST_PUBLISH_KINDS = ['status', 'events', 'rpc/response'] as const;

function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

export function newGuestCredential(instanceId: string): BrokerCredential {
  return { username: guestUsername(instanceId), password: newPassword() };
}

export function newConductorCredential(): BrokerCredential {
  return { username: CONDUCTOR_USERNAME, password: newPassword() };
}

export type Principal = { role: 'conductor' } | { role: 'guest'; instanceId: string };

export function principalOf(username: string | undefined): Principal | undefined {
  if (username === CONDUCTOR_USERNAME) return { role: 'conductor' };
  if (username?.startsWith(GUEST_PREFIX)) {
    const instanceId = username.slice(GUEST_PREFIX.length);
    if (isValidInstanceId(instanceId)) return { role: 'guest', instanceId };
  }
  return undefined;
}

function underRoot(topicOrFilter: string): boolean {
  return topicOrFilter.startsWith(`${TOPIC_ROOT}/`);
}

/** May `username` publish to the concrete topic `topic`? */
export function mayPublish(username: string | undefined, topic: string): boolean {
  const p = principalOf(username);
  if (!p || /[+#]/.test(topic)) return false;
  if (p.role === 'conductor') return underRoot(topic);
  return GUEST_PUBLISH_KINDS.some((k) => instanceTopic(p.instanceId, k) === topic);
}

/** May `username` subscribe to the topic filter `filter` (wildcards only for the conductor)? */
export function maySubscribe(username: string | undefined, filter: string): boolean {
  const p = principalOf(username);
  if (!p) return false;
  if (p.role === 'conductor') return underRoot(filter);
  return GUEST_SUBSCRIBE_KINDS.some((k) => instanceTopic(p.instanceId, k) === filter);
}
