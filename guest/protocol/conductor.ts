/**
 * Control-plane side of the guest protocol: publishes sealed desired states, watches sealed
 * statuses, waits for convergence and runs one-off RPCs.
 */
import { randomUUID } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { asDesired, asRpcResponse, asStatus, type DesiredMessage, type DesiredSpec, type JsonValue, type StatusMessage } from './messages.js';
import { connectMqtt, endMqtt, type MqttConnectOptions } from './mqtt-connect.js';
import { clockSeq, desiredSeq, open, seal } from './seal.js';
import { instanceTopic, parseInstanceTopic, type TopicKind } from './topics.js';

export interface Rejected {
  instanceId: string;
  kind: TopicKind;
  reason: string;
}

/** The guest reported `failed` for the awaited generation; `message` is the guest's own text. */
export class ConvergeFailedError extends Error {
  constructor(message: string, readonly status: StatusMessage) {
    super(message);
    this.name = 'ConvergeFailedError';
  }
}

export class ConvergeTimeoutError extends Error {
  constructor(message: string, readonly lastStatus: StatusMessage | undefined) {
    super(message);
    this.name = 'ConvergeTimeoutError';
  }
}

type StatusListener = (s: StatusMessage) => void;
interface Watch { key: string; latest?: StatusMessage; listeners: Set<StatusListener> }
interface Pending { resolve(v: JsonValue | undefined): void; reject(e: Error): void; timer: NodeJS.Timeout }

export class Conductor {
  /** Called for every status/response that failed authentication or shape checks. */
  onReject: (r: Rejected) => void = () => {};
  private readonly watches = new Map<string, Watch>();
  private readonly subscriptions = new Map<string, Promise<void>>();
  private readonly rpcKeys = new Map<string, string>();
  private readonly pending = new Map<string, Pending>();
  private readonly counters = new Map<string, { generation: number; counter: number }>();
  private readonly desiredReads = new Map<string, { key: string; found?: DesiredMessage; listeners: Set<() => void> }>();

  private constructor(readonly client: MqttClient) {
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
  }

  static async connect(opts: MqttConnectOptions): Promise<Conductor> {
    return new Conductor(await connectMqtt(opts));
  }

  /** Publishes the sealed desired state (retained, QoS 1); returns the seq used. */
  async publishDesired(instanceId: string, key: string, generation: number, spec: DesiredSpec): Promise<number> {
    const prev = this.counters.get(instanceId);
    const counter = prev && prev.generation === generation ? prev.counter + 1 : 0;
    const seq = desiredSeq(generation, counter);
    this.counters.set(instanceId, { generation, counter });
    const payload = seal(key, instanceId, 'desired', seq, { generation, spec });
    await this.client.publishAsync(instanceTopic(instanceId, 'desired'), payload, { qos: 1, retain: true });
    return seq;
  }

  /**
   * The retained desired state of an instance (what the last apply published), or undefined
   * when none is retained. The broker sends retained messages right after the SUBACK; a short
   * settle time covers their delivery.
   */
  async readDesired(instanceId: string, key: string, { settleMs = 300 } = {}): Promise<DesiredMessage | undefined> {
    let r = this.desiredReads.get(instanceId);
    if (!r) {
      r = { key, listeners: new Set() };
      this.desiredReads.set(instanceId, r);
    }
    r.key = key;
    const read = r;
    const arrived = new Promise<void>((resolve) => read.listeners.add(resolve));
    await this.subscribe(instanceTopic(instanceId, 'desired'));
    if (!read.found) await Promise.race([arrived, new Promise((resolve) => setTimeout(resolve, settleMs))]);
    return read.found;
  }

  /** Resolves with the instance's latest status, waiting up to `timeoutMs` for the retained one; undefined if none. */
  async readStatus(instanceId: string, key: string, { timeoutMs = 2000 } = {}): Promise<StatusMessage | undefined> {
    let unwatch: (() => void) | undefined;
    const first = new Promise<StatusMessage | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      void this.watchStatus(instanceId, key, (st) => { clearTimeout(timer); resolve(st); }).then((u) => (unwatch = u));
    });
    const st = await first;
    unwatch?.();
    return st ?? this.latestStatus(instanceId);
  }

  /** Removes an instance's retained messages from the broker (after the instance is deleted). */
  async clearInstance(instanceId: string): Promise<void> {
    for (const kind of ['desired', 'status'] as const) {
      await this.client.publishAsync(instanceTopic(instanceId, kind), Buffer.alloc(0), { qos: 1, retain: true });
    }
    this.watches.delete(instanceId);
    this.desiredReads.delete(instanceId);
  }

  /** Calls `listener` with the latest known status (if any) and every later one. Returns an unwatch function. */
  async watchStatus(instanceId: string, key: string, listener: StatusListener): Promise<() => void> {
    let w = this.watches.get(instanceId);
    if (!w) {
      w = { key, listeners: new Set() };
      this.watches.set(instanceId, w);
    }
    w.key = key;
    w.listeners.add(listener);
    const latest = w.latest;
    if (latest) queueMicrotask(() => listener(latest));
    await this.subscribe(instanceTopic(instanceId, 'status'));
    const watch = w;
    return () => { watch.listeners.delete(listener); };
  }

  /** Latest verified status seen for the instance (after it was watched at least once). */
  latestStatus(instanceId: string): StatusMessage | undefined {
    return this.watches.get(instanceId)?.latest;
  }

  /**
   * Resolves with the first status showing `observedGeneration >= generation` and phase
   * `ready`; rejects with ConvergeFailedError (the guest's error text) on `failed` for that
   * generation, ConvergeTimeoutError after `timeoutMs`, or the abort reason on `signal`.
   */
  waitConverged(instanceId: string, key: string, generation: number,
    { timeoutMs = 600_000, signal }: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<StatusMessage> {
    return new Promise<StatusMessage>((resolve, reject) => {
      let done = false;
      let unwatch: (() => void) | undefined;
      let last: StatusMessage | undefined;
      const finish = (err: Error | undefined, st?: StatusMessage) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        unwatch?.();
        if (err) reject(err);
        else resolve(st!);
      };
      const onAbort = () => finish(signal?.reason instanceof Error ? signal.reason : new Error('waitConverged aborted'));
      const timer = setTimeout(() => {
        const lastText = last ? `last status: phase ${last.phase}, observedGeneration ${last.observedGeneration}` : 'no status received';
        finish(new ConvergeTimeoutError(
          `instance ${instanceId} did not converge to generation ${generation} within ${timeoutMs} ms (${lastText})`, last));
      }, timeoutMs);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      const onStatus = (st: StatusMessage) => {
        last = st;
        if (st.observedGeneration < generation) return;
        if (st.phase === 'ready') finish(undefined, st);
        else if (st.phase === 'failed') {
          finish(new ConvergeFailedError(st.error ?? `instance ${instanceId} failed generation ${generation} without an error text`, st));
        }
      };
      this.watchStatus(instanceId, key, onStatus).then(
        (u) => { if (done) u(); else unwatch = u; },
        (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
      );
    });
  }

  /** One-off command to the guest; resolves with its result or rejects with its error text. */
  async rpc(instanceId: string, key: string, method: string, params?: JsonValue, { timeoutMs = 60_000 } = {}): Promise<JsonValue | undefined> {
    this.rpcKeys.set(instanceId, key);
    await this.subscribe(instanceTopic(instanceId, 'rpc/response'));
    const id = randomUUID();
    const result = new Promise<JsonValue | undefined>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`rpc ${method} to instance ${instanceId} got no response within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
    const payload = seal(key, instanceId, 'rpc/request', clockSeq(), { id, method, ...(params === undefined ? {} : { params }) });
    try {
      await this.client.publishAsync(instanceTopic(instanceId, 'rpc/request'), payload, { qos: 1 });
    } catch (e) {
      const p = this.pending.get(id);
      if (p) { clearTimeout(p.timer); this.pending.delete(id); }
      throw e;
    }
    return result;
  }

  async close(): Promise<void> {
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('conductor closed'));
      this.pending.delete(id);
    }
    await endMqtt(this.client);
  }

  private subscribe(topic: string): Promise<void> {
    let s = this.subscriptions.get(topic);
    if (!s) {
      s = this.client.subscribeAsync(topic, { qos: 1 }).then((granted) => {
        if (granted.some((g) => g.qos === 128)) throw new Error(`broker refused subscription to ${topic}`);
      });
      s.catch(() => this.subscriptions.delete(topic));
      this.subscriptions.set(topic, s);
    }
    return s;
  }

  private dispatch(topic: string, payload: Buffer): void {
    const t = parseInstanceTopic(topic);
    if (!t || payload.length === 0) return;
    if (t.kind === 'desired') {
      const r = this.desiredReads.get(t.instanceId);
      const d = r && this.verified(t, r.key, payload, asDesired);
      if (!r || !d) return;
      r.found = d;
      for (const l of [...r.listeners]) l();
      r.listeners.clear();
    } else if (t.kind === 'status') {
      const w = this.watches.get(t.instanceId);
      const st = w && this.verified(t, w.key, payload, asStatus);
      if (!w || !st) return;
      w.latest = st;
      for (const l of [...w.listeners]) l(st);
    } else if (t.kind === 'rpc/response') {
      const key = this.rpcKeys.get(t.instanceId);
      const res = key && this.verified(t, key, payload, asRpcResponse);
      const p = res && this.pending.get(res.id);
      if (!res || !p) return;
      this.pending.delete(res.id);
      clearTimeout(p.timer);
      if (res.error !== undefined) p.reject(new Error(res.error));
      else p.resolve(res.result);
    }
  }

  /** The payload unsealed and shape-checked, or undefined (reported through onReject). */
  private verified<T>(t: { instanceId: string; kind: TopicKind }, key: string, payload: Buffer, shape: (v: unknown) => T | undefined): T | undefined {
    const opened = open(key, t.instanceId, t.kind, payload);
    const v = opened.ok ? shape(opened.payload) : undefined;
    if (v === undefined) this.onReject({ ...t, reason: opened.ok ? `${t.kind} payload has the wrong shape` : opened.reason });
    return v;
  }
}
