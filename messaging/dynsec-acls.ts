/**
 * Mosquitto dynamic-security ACL lists for dbstack's principals, derived from the same
 * rules as credentials.ts (GUEST_SUBSCRIBE_KINDS / GUEST_PUBLISH_KINDS), so the embedded
 * broker, the file-based Mosquitto ACL and the dynsec roles cannot drift apart.
 *
 * Dynsec splits "read" into two checks: `subscribePattern` (may the SUBSCRIBE filter be
 * accepted) and `publishClientReceive` (may a matching message be delivered). Guests get
 * both, on exact topics only; with the default access set to deny (DENY_BY_DEFAULT), a
 * guest's subscription to anything else is refused AND nothing else is ever delivered.
 */
import { CONDUCTOR_USERNAME, GUEST_PUBLISH_KINDS, GUEST_SUBSCRIBE_KINDS } from './credentials.js';
import { guestUsername, instanceTopic, TOPIC_ROOT } from '../guest/protocol/topics.js';

export type DynsecAclType =
  | 'publishClientSend' | 'publishClientReceive'
  | 'subscribeLiteral' | 'subscribePattern'
  | 'unsubscribeLiteral' | 'unsubscribePattern';

export interface DynsecAcl {
  acltype: DynsecAclType;
  topic: string;
  allow: boolean;
  priority?: number;
}

/** Role (and client) name of an instance's guest: the same as its broker username. */
export const guestRoleName = (instanceId: string): string => guestUsername(instanceId);
export const CONDUCTOR_ROLE = 'dbstack-conductor';
export { CONDUCTOR_USERNAME };

export function guestAcls(instanceId: string): DynsecAcl[] {
  const acls: DynsecAcl[] = [];
  for (const k of GUEST_SUBSCRIBE_KINDS) {
    const topic = instanceTopic(instanceId, k);
    acls.push({ acltype: 'subscribePattern', topic, allow: true }, { acltype: 'publishClientReceive', topic, allow: true });
  }
  for (const k of GUEST_PUBLISH_KINDS) acls.push({ acltype: 'publishClientSend', topic: instanceTopic(instanceId, k), allow: true });
  return acls;
}

export function conductorAcls(): DynsecAcl[] {
  const topic = `${TOPIC_ROOT}/#`;
  return (['subscribePattern', 'publishClientReceive', 'publishClientSend', 'unsubscribePattern'] as const)
    .map((acltype) => ({ acltype, topic, allow: true }));
}

/**
 * The broker-wide fallback for anything no role grants. `mosquitto_ctrl dynsec init` leaves
 * publishClientReceive = true (a client would receive whatever it manages to subscribe to);
 * we turn it off too, so delivery itself is denied unless granted. Unsubscribe stays allowed
 * (it exposes nothing).
 */
export const DENY_BY_DEFAULT: { acltype: 'publishClientSend' | 'publishClientReceive' | 'subscribe' | 'unsubscribe'; allow: boolean }[] = [
  { acltype: 'publishClientSend', allow: false },
  { acltype: 'publishClientReceive', allow: false },
  { acltype: 'subscribe', allow: false },
  { acltype: 'unsubscribe', allow: true },
];
