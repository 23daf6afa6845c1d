/** Payload types carried (sealed) on the guest protocol topics. */

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * What the control plane wants an instance to be. The spec is deliberately a generic
 * JSON object (datastore, version, config values, databases, users with passwords,
 * backup policy); the datastore drivers own its detailed shape.
 */
export interface DesiredSpec extends JsonObject {}

export interface DesiredMessage {
  generation: number;
  spec: DesiredSpec;
}

export type StatusPhase = 'starting' | 'converging' | 'ready' | 'failed' | 'offline';
export const STATUS_PHASES: readonly StatusPhase[] = ['starting', 'converging', 'ready', 'failed', 'offline'];

export interface StatusMessage {
  observedGeneration: number;
  phase: StatusPhase;
  datastore?: JsonObject;
  databases?: JsonValue;
  users?: JsonValue;
  config?: JsonObject;
  health?: JsonObject;
  /** The guest's own error text when phase is `failed`. */
  error?: string;
  /** ISO-8601 time the guest produced this status. */
  at: string;
}

export interface EventMessage {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  generation?: number;
  at: string;
  data?: JsonObject;
}

export interface RpcRequest {
  id: string;
  method: string;
  params?: JsonValue;
}

export interface RpcResponse {
  id: string;
  result?: JsonValue;
  error?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Shape checks run after unsealing: authenticity does not imply a well-formed payload. */
export function asDesired(v: unknown): DesiredMessage | undefined {
  if (!isObject(v) || !Number.isSafeInteger(v.generation) || (v.generation as number) < 0) return undefined;
  if (!isObject(v.spec)) return undefined;
  return v as unknown as DesiredMessage;
}

export function asStatus(v: unknown): StatusMessage | undefined {
  if (!isObject(v) || !Number.isSafeInteger(v.observedGeneration)) return undefined;
  if (!STATUS_PHASES.includes(v.phase as StatusPhase) || typeof v.at !== 'string') return undefined;
  return v as unknown as StatusMessage;
}

export function asRpcRequest(v: unknown): RpcRequest | undefined {
  if (!isObject(v) || typeof v.id !== 'string' || typeof v.method !== 'string') return undefined;
  return v as unknown as RpcRequest;
}

export function asRpcResponse(v: unknown): RpcResponse | undefined {
  if (!isObject(v) || typeof v.id !== 'string') return undefined;
  return v as unknown as RpcResponse;
}
