/**
 * Per-instance payload sealing (AES-256-GCM).
 *
 * Envelope on the wire: JSON `{v:1, kind, seq, nonce, ct}` with `nonce` (12 bytes) and
 * `ct` (ciphertext || 16-byte tag) base64-encoded. The additional authenticated data binds
 * protocol version, instance id, topic kind and seq, so an envelope sealed for instance A
 * or for `status` fails authentication when presented as B's or as `desired`, and a seq
 * cannot be rewritten to defeat replay protection.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TopicKind } from './topics.js';

export interface SealedEnvelope {
  v: 1;
  kind: TopicKind;
  seq: number;
  nonce: string;
  ct: string;
}

export type OpenResult<T = unknown> =
  | { ok: true; seq: number; payload: T }
  | { ok: false; reason: string };

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** A new per-instance key: 32 random bytes, base64. */
export function newInstanceKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function keyBytes(key: string): Buffer {
  const raw = Buffer.from(key, 'base64');
  if (raw.length !== KEY_BYTES) throw new Error(`instance key must be ${KEY_BYTES} bytes of base64, got ${raw.length} bytes`);
  return raw;
}

function aad(instanceId: string, kind: TopicKind, seq: number): Buffer {
  return Buffer.from(`dbstack/v1\u0000${instanceId}\u0000${kind}\u0000${seq}`, 'utf8');
}

export function seal(key: string, instanceId: string, kind: TopicKind, seq: number, payload: unknown): string {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error(`seq must be a non-negative safe integer, got ${seq}`);
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyBytes(key), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(instanceId, kind, seq));
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final(), cipher.getAuthTag()]);
  const env: SealedEnvelope = { v: 1, kind, seq, nonce: nonce.toString('base64'), ct: body.toString('base64') };
  return JSON.stringify(env);
}

/** Verifies and decrypts an envelope expected for `instanceId`/`kind`. Never throws. */
export function open<T = unknown>(key: string, instanceId: string, kind: TopicKind, raw: Buffer | string): OpenResult<T> {
  let env: Partial<SealedEnvelope>;
  try {
    env = JSON.parse(typeof raw === 'string' ? raw : raw.toString('utf8'));
  } catch {
    return { ok: false, reason: 'payload is not a JSON envelope' };
  }
  if (typeof env !== 'object' || env === null || env.v !== 1) return { ok: false, reason: 'unsupported envelope version' };
  if (env.kind !== kind) return { ok: false, reason: `envelope kind ${JSON.stringify(env.kind)} does not match topic kind ${kind}` };
  if (!Number.isSafeInteger(env.seq) || (env.seq as number) < 0) return { ok: false, reason: 'envelope seq is not a non-negative integer' };
  if (typeof env.nonce !== 'string' || typeof env.ct !== 'string') return { ok: false, reason: 'envelope lacks nonce or ciphertext' };
  const nonce = Buffer.from(env.nonce, 'base64');
  const body = Buffer.from(env.ct, 'base64');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) return { ok: false, reason: 'envelope nonce or ciphertext has the wrong length' };
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyBytes(key), nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(instanceId, kind, env.seq as number));
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return { ok: false, reason: `authentication failed (forged, corrupted, or sealed with another key, instance or kind)` };
  }
  try {
    return { ok: true, seq: env.seq as number, payload: JSON.parse(plain.toString('utf8')) as T };
  } catch {
    return { ok: false, reason: 'sealed payload is not JSON' };
  }
}

/**
 * Replay protection: accepts only a seq strictly greater than the last accepted one.
 * Call `check` after authentication succeeded and `commit` once the message is accepted.
 */
export class ReplayGuard {
  constructor(private last = -1) {}

  get lastAccepted(): number {
    return this.last;
  }

  check(seq: number): string | undefined {
    if (seq <= this.last) return `replayed or stale message: seq ${seq} <= last accepted ${this.last}`;
    return undefined;
  }

  commit(seq: number): void {
    if (seq > this.last) this.last = seq;
  }
}

/** Span reserved per generation in a desired seq: seq = generation * SPAN + publish counter. */
export const DESIRED_SEQ_SPAN = 1_000_000;

export function desiredSeq(generation: number, counter: number): number {
  if (!Number.isSafeInteger(generation) || generation < 0) throw new Error(`generation must be a non-negative integer, got ${generation}`);
  if (!Number.isSafeInteger(counter) || counter < 0 || counter >= DESIRED_SEQ_SPAN) throw new Error(`publish counter out of range: ${counter}`);
  const seq = generation * DESIRED_SEQ_SPAN + counter;
  if (!Number.isSafeInteger(seq)) throw new Error(`generation ${generation} too large for a desired seq`);
  return seq;
}

/**
 * Monotonic time-based seq for kinds whose sender may restart (status, events, rpc):
 * microsecond-ish wall clock, bumped to stay strictly increasing within a process.
 */
let lastClockSeq = 0;
export function clockSeq(): number {
  const now = Date.now() * 1000;
  lastClockSeq = now > lastClockSeq ? now : lastClockSeq + 1;
  return lastClockSeq;
}
