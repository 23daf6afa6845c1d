/**
 * Guest side of the guest protocol: receives (and verifies) the desired state, publishes
 * status and events, answers RPCs. The MQTT Last Will is a sealed, retained `offline`
 * status, sealed once at connect time (the broker publishes it verbatim).
 */
import type { MqttClient } from 'mqtt';
import {
  asDesired, asRpcRequest, type DesiredMessage, type EventMessage, type JsonValue, type RpcRequest, type StatusMessage,
} from './messages.js';
import { connectMqtt, endMqtt, type MqttConnectOptions } from './mqtt-connect.js';
import { clockSeq, open, ReplayGuard, seal } from './seal.js';
import { guestUsername, instanceTopics, type InstanceTopics, type TopicKind } from './topics.js';

export interface AgentRejection {
  kind: TopicKind;
  reason: string;
}

export interface AgentLinkOptions extends Omit<MqttConnectOptions, 'will' | 'username'> {
  instanceId: string;
  key: string;
  /** Defaults to `guest-<instance-id>`. */
  username?: string;
  /** Gets every verified desired state with a seq above all earlier ones, one at a time. */
  onDesired: (desired: DesiredMessage, seq: number) => void | Promise<void>;
  /** Answers one-off commands; a thrown error becomes the response's error text. */
  onRpc?: (req: RpcRequest) => JsonValue | undefined | Promise<JsonValue | undefined>;
  /** Every message dropped as forged, replayed or malformed, with the reason. */
  onReject?: (r: AgentRejection) => void;
  /** Last accepted desired seq, persisted by the agent across restarts (default: none). */
  lastAcceptedSeq?: number;
  /** observedGeneration to put in the Last Will's offline status. */
  observedGeneration?: number;
}

export class AgentLink {
  private readonly desiredGuard: ReplayGuard;
  private readonly rpcGuard = new ReplayGuard();
  private chain: Promise<void> = Promise.resolve();
  private observedGeneration: number;

  private constructor(readonly client: MqttClient, private readonly opts: AgentLinkOptions, readonly topics: InstanceTopics) {
    this.desiredGuard = new ReplayGuard(opts.lastAcceptedSeq ?? -1);
    this.observedGeneration = opts.observedGeneration ?? 0;
    client.on('message', (topic, payload) => this.dispatch(topic, payload));
  }

  static async connect(opts: AgentLinkOptions): Promise<AgentLink> {
    const topics = instanceTopics(opts.instanceId);
    const offline: StatusMessage = {
      observedGeneration: opts.observedGeneration ?? 0, phase: 'offline', at: new Date().toISOString(),
    };
    const client = await connectMqtt({
      ...opts,
      username: opts.username ?? guestUsername(opts.instanceId),
      will: {
        topic: topics.status,
        payload: Buffer.from(seal(opts.key, opts.instanceId, 'status', clockSeq(), offline)),
        qos: 1,
        retain: true,
      },
    });
    const link = new AgentLink(client, opts, topics);
    try {
      const filters = [topics.desired, ...(opts.onRpc ? [topics['rpc/request']] : [])];
      const granted = await client.subscribeAsync(filters, { qos: 1 });
      const refused = granted.filter((g) => g.qos === 128).map((g) => g.topic);
      if (refused.length > 0) throw new Error(`broker refused subscription to ${refused.join(', ')}`);
    } catch (e) {
      await endMqtt(client, true);
      throw e;
    }
    return link;
  }

  get lastAcceptedSeq(): number {
    return this.desiredGuard.lastAccepted;
  }

  /** Publishes a sealed status (retained, QoS 1); `at` defaults to now. */
  async publishStatus(status: Omit<StatusMessage, 'at'> & { at?: string }): Promise<void> {
    const full: StatusMessage = { ...status, at: status.at ?? new Date().toISOString() };
    this.observedGeneration = Math.max(this.observedGeneration, full.observedGeneration);
    await this.publish('status', full, true);
  }

  async publishEvent(event: Omit<EventMessage, 'at'> & { at?: string }): Promise<void> {
    await this.publish('events', { ...event, at: event.at ?? new Date().toISOString() }, false);
  }

  /** Disconnects cleanly (no Last Will); with `offline`, first publishes an offline status. */
  async close({ offline = false } = {}): Promise<void> {
    if (offline && this.client.connected) {
      await this.publishStatus({ observedGeneration: this.observedGeneration, phase: 'offline' }).catch(() => {});
    }
    await endMqtt(this.client);
  }

  private async publish(kind: 'status' | 'events' | 'rpc/response', payload: unknown, retain: boolean): Promise<void> {
    const sealed = seal(this.opts.key, this.opts.instanceId, kind, clockSeq(), payload);
    await this.client.publishAsync(this.topics[kind], sealed, { qos: 1, retain });
  }

  private reject(kind: TopicKind, reason: string): void {
    this.opts.onReject?.({ kind, reason });
  }

  private dispatch(topic: string, payload: Buffer): void {
    if (topic === this.topics.desired) this.onDesiredPayload(payload);
    else if (topic === this.topics['rpc/request'] && this.opts.onRpc) this.onRpcPayload(payload);
  }

  private onDesiredPayload(payload: Buffer): void {
    if (payload.length === 0) return; // retained message cleared
    const opened = open(this.opts.key, this.opts.instanceId, 'desired', payload);
    if (!opened.ok) return this.reject('desired', opened.reason);
    const replay = this.desiredGuard.check(opened.seq);
    if (replay) return this.reject('desired', replay);
    const desired = asDesired(opened.payload);
    if (!desired) return this.reject('desired', 'desired payload has the wrong shape');
    this.desiredGuard.commit(opened.seq);
    const seq = opened.seq;
    this.chain = this.chain.then(() => this.opts.onDesired(desired, seq)).catch((e: unknown) =>
      this.reject('desired', `onDesired handler failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  private onRpcPayload(payload: Buffer): void {
    const opened = open(this.opts.key, this.opts.instanceId, 'rpc/request', payload);
    if (!opened.ok) return this.reject('rpc/request', opened.reason);
    const replay = this.rpcGuard.check(opened.seq);
    if (replay) return this.reject('rpc/request', replay);
    const req = asRpcRequest(opened.payload);
    if (!req) return this.reject('rpc/request', 'rpc request has the wrong shape');
    this.rpcGuard.commit(opened.seq);
    void (async () => {
      let response: { id: string; result?: JsonValue; error?: string };
      try {
        const result = await this.opts.onRpc!(req);
        response = result === undefined ? { id: req.id } : { id: req.id, result };
      } catch (e) {
        response = { id: req.id, error: e instanceof Error ? e.message : String(e) };
      }
      await this.publish('rpc/response', response, false).catch(() => {});
    })();
  }
}
