/**
 * Guest protocol topic names: everything lives under
 * `dbstack/v1/instances/<instance-id>/<kind>`.
 */

export const TOPIC_ROOT = 'dbstack/v1';
export const INSTANCES_ROOT = `${TOPIC_ROOT}/instances`;

export const TOPIC_KINDS = ['desired', 'status', 'events', 'rpc/request', 'rpc/response'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

/**
 * Instance ids must be usable as one MQTT topic level, inside a broker username
 * (`guest-<id>`), and as a token in a Mosquitto password/ACL file. So beyond the MQTT
 * rule (no `+`, `#`, `/`) we also refuse whitespace, `:` and control characters by
 * allowing only a conservative alphabet (UUIDs and slugs fit).
 */
const INSTANCE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Returns why `id` is not a valid instance id, or undefined when it is. */
export function instanceIdProblem(id: string): string | undefined {
  if (typeof id !== 'string' || id.length === 0) return 'instance id is empty';
  if (/[+#/]/.test(id)) return `instance id ${JSON.stringify(id)} contains an MQTT wildcard or separator (+ # /)`;
  if (!INSTANCE_ID.test(id)) {
    return `instance id ${JSON.stringify(id)} must be 1-128 characters of A-Z a-z 0-9 . _ - and start with a letter or digit`;
  }
  return undefined;
}

export function isValidInstanceId(id: string): boolean {
  return instanceIdProblem(id) === undefined;
}

export function assertInstanceId(id: string): void {
  const problem = instanceIdProblem(id);
  if (problem) throw new Error(problem);
}

/** The broker username a guest agent logs in with (the control plane's credentials and ACLs use the same). */
export const GUEST_PREFIX = 'guest-';

export function guestUsername(instanceId: string): string {
  assertInstanceId(instanceId);
  return `${GUEST_PREFIX}${instanceId}`;
}

export function instanceTopic(instanceId: string, kind: TopicKind): string {
  assertInstanceId(instanceId);
  return `${INSTANCES_ROOT}/${instanceId}/${kind}`;
}

export type InstanceTopics = Record<TopicKind, string>;

export function instanceTopics(instanceId: string): InstanceTopics {
  const out = {} as InstanceTopics;
  for (const kind of TOPIC_KINDS) out[kind] = instanceTopic(instanceId, kind);
  return out;
}

/** Splits a concrete topic (no wildcards) into instance id and kind, or undefined. */
export function parseInstanceTopic(topic: string): { instanceId: string; kind: TopicKind } | undefined {
  const prefix = `${INSTANCES_ROOT}/`;
  if (!topic.startsWith(prefix)) return undefined;
  const rest = topic.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const instanceId = rest.slice(0, slash);
  const kind = rest.slice(slash + 1) as TopicKind;
  if (!isValidInstanceId(instanceId) || !TOPIC_KINDS.includes(kind)) return undefined;
  return { instanceId, kind };
}
