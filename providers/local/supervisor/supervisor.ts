/**
 * The local cloud: broker + one agent process per instance + volumes on disk. Everything
 * here is driven by the control server (server.ts) and main.ts.
 */
import { RetainedMirror } from './retained-mirror.js';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { newConductorCredential, newGuestCredential, type BrokerCredential } from '../../../messaging/credentials.js';
import { guestUsername } from '../../../guest/protocol/topics.js';
import { AGENT_DATASTORES, DEFAULT_HEARTBEAT_MS, STATE_FILE_NAME } from '../../../guest/agent/config.js';
import { freePort, portIsFree } from '../../../guest/datastores/ports.js';
import type { DatastoreType } from '../../../guest/datastores/types.js';
import { newInstanceKey } from '../../../guest/protocol/seal.js';
import { join } from 'node:path';
import type { CreateInstanceRequest, LocalBrokerKind, LocalInstance, SupervisorInfo, UpdateInstanceRequest } from '../supervisor-api.js';
import { AgentProcess } from './agent-process.js';
import { startLocalBroker, type LocalBroker } from './broker.js';
import type { StateLayout } from './paths.js';
import { InstanceRecords, writeJsonAtomic, type StoredInstance } from './instance-records.js';

/** A request the caller got wrong (4xx); the message is shown to the user as is. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}

export interface SupervisorOptions {
  layout: StateLayout;
  broker: LocalBrokerKind;
  /** Test-only engine speed-ups in agent configs (DBSTACK_TEST_FAST=1). */
  fast: boolean;
  log: (line: string) => void;
}

interface Live extends StoredInstance { proc: AgentProcess; deleting?: Promise<void> }
interface BrokerFile { conductor: BrokerCredential; port?: number }

const HOST = '127.0.0.1';

function loadBrokerFile(file: string): BrokerFile {
  if (existsSync(file)) {
    const b = JSON.parse(readFileSync(file, 'utf8')) as BrokerFile;
    if (b.conductor?.username && b.conductor.password) return b;
  }
  const fresh = { conductor: newConductorCredential() };
  writeJsonAtomic(file, fresh);
  return fresh;
}

function validateCreate(body: unknown): CreateInstanceRequest {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof b.name !== 'string' || b.name.length === 0) problems.push('name must be a non-empty string');
  if (!AGENT_DATASTORES.includes(b.datastore as DatastoreType)) problems.push(`datastore must be one of ${AGENT_DATASTORES.join(', ')}`);
  if (!Number.isInteger(b.volumeSize) || (b.volumeSize as number) < 1) problems.push('volumeSize must be a positive integer (GiB)');
  const labels = b.labels ?? {};
  if (typeof labels !== 'object' || labels === null || Object.values(labels).some((v) => typeof v !== 'string')) problems.push('labels must map names to strings');
  if (problems.length) throw new HttpError(400, `invalid instance request: ${problems.join('; ')}`);
  return { name: b.name as string, datastore: b.datastore as DatastoreType, volumeSize: b.volumeSize as number, labels: labels as Record<string, string> };
}

export class LocalSupervisor {
  readonly startedAt = new Date().toISOString();
  private readonly instances = new Map<string, Live>();
  private readonly records: InstanceRecords;
  private closing: Promise<void> | undefined;
  /** Ports of registered instances, never handed to another one. */
  private readonly reserved = new Set<number>();

  private constructor(private readonly o: SupervisorOptions, private readonly conductor: BrokerCredential, private readonly broker: LocalBroker, private readonly mirror: RetainedMirror) {
    this.records = new InstanceRecords(o.layout);
  }

  static async start(o: SupervisorOptions): Promise<LocalSupervisor> {
    const bf = loadBrokerFile(o.layout.brokerFile);
    const stored = new InstanceRecords(o.layout).loadAll((id, why) => o.log(`instance ${id} skipped: ${why}`));
    const broker = await startLocalBroker({
      kind: o.broker, conductor: bf.conductor, guests: stored.map((s) => ({ username: guestUsername(s.record.id), password: s.agent.password })),
      ...(bf.port ? { preferredPort: bf.port } : {}), mosquittoDir: o.layout.mosquittoDir, log: o.log,
    });
    writeJsonAtomic(o.layout.brokerFile, { conductor: bf.conductor, port: broker.port });
    o.log(`broker (${broker.kind}) listening on ${broker.url}`);
    const mirror = await RetainedMirror.start(broker.url, bf.conductor, stored.map((s) => s.record.id), o.layout.instanceDir, o.log);
    const sup = new LocalSupervisor(o, bf.conductor, broker, mirror);
    for (const s of stored) sup.reserved.add(s.record.port);
    await Promise.all(stored.map((s) => sup.resume(s)));
    return sup;
  }

  /** Starts a registered instance's agent again after `local up` (port re-allocated only if taken). */
  private async resume(s: StoredInstance): Promise<void> {
    const proc = this.agentProcess(s.record.id);
    await proc.reapLeftovers();
    if (!(await portIsFree(s.record.port))) {
      const port = await this.allocatePort();
      this.o.log(`instance ${s.record.id}: port ${s.record.port} is taken; moving to ${port}`);
      s.record.port = port;
      s.agent.port = port;
    }
    s.agent.brokerUrl = this.broker.url;
    s.agent.fast = this.o.fast;
    this.records.save(s);
    this.instances.set(s.record.id, { ...s, proc });
    proc.start();
  }

  private agentProcess(id: string): AgentProcess {
    const l = this.o.layout;
    return new AgentProcess({ instanceId: id, configFile: l.agentConfig(id), logFile: l.agentLog(id), pidFile: l.agentPidFile(id), log: this.o.log });
  }

  private async allocatePort(): Promise<number> {
    for (;;) {
      const p = await freePort(HOST);
      const used = this.reserved.has(p) || [...this.instances.values()].some((i) => i.record.port === p);
      if (!used && p !== this.broker.port) {
        this.reserved.add(p);
        return p;
      }
    }
  }

  info(): SupervisorInfo {
    return {
      pid: process.pid, stateDir: this.o.layout.dir, broker: this.broker.kind, brokerUrl: this.broker.url,
      conductor: this.conductor, startedAt: this.startedAt, instances: this.instances.size,
    };
  }

  get brokerUrl(): string { return this.broker.url; }

  private view(i: Live): LocalInstance {
    const { proc } = i;
    return {
      ...i.record, key: i.agent.key,
      agent: { running: proc.running, ...(proc.pid ? { pid: proc.pid } : {}), restarts: proc.restarts, ...(proc.lastExit ? { lastExit: proc.lastExit } : {}) },
    };
  }

  list(): LocalInstance[] {
    return [...this.instances.values()].map((i) => this.view(i));
  }

  private find(id: string): Live {
    const i = this.instances.get(id);
    if (!i) throw new HttpError(404, `no local instance ${id}`);
    return i;
  }

  get(id: string): LocalInstance { return this.view(this.find(id)); }

  async create(body: unknown): Promise<LocalInstance> {
    if (this.closing) throw new HttpError(503, 'the local cloud is shutting down; run `dbstack local up` and retry');
    const req = validateCreate(body);
    const id = randomUUID();
    const cred = newGuestCredential(id);
    const l = this.o.layout;
    const port = await this.allocatePort();
    const dataDir = l.dataDir(id);
    const s: StoredInstance = {
      record: { id, name: req.name, datastore: req.datastore, volumeSize: req.volumeSize, labels: req.labels, host: HOST, port, dataDir, createdAt: new Date().toISOString() },
      agent: {
        instanceId: id, brokerUrl: this.broker.url, password: cred.password, key: newInstanceKey(), datastore: req.datastore,
        dataDir, port, stateFile: join(dataDir, STATE_FILE_NAME), heartbeatMs: DEFAULT_HEARTBEAT_MS, fast: this.o.fast,
      },
    };
    try {
      await this.broker.addGuest(cred);
      if (this.closing) throw new HttpError(503, 'the local cloud is shutting down; run `dbstack local up` and retry');
    } catch (e) {
      await this.broker.removeGuest(cred.username).catch(() => {});
      throw e;
    }
    this.records.save(s);
    const proc = this.agentProcess(id);
    const live: Live = { ...s, proc };
    this.instances.set(id, live);
    proc.start();
    this.o.log(`instance ${id} (${req.name}, ${req.datastore}) created on port ${port}`);
    return this.view(live);
  }

  update(id: string, body: unknown): LocalInstance {
    const i = this.find(id);
    const b = (typeof body === 'object' && body !== null ? body : {}) as UpdateInstanceRequest;
    if (b.volumeSize !== undefined) {
      if (!Number.isInteger(b.volumeSize) || b.volumeSize < 1) throw new HttpError(400, 'volumeSize must be a positive integer (GiB)');
      if (b.volumeSize < i.record.volumeSize) {
        throw new HttpError(409, `volume of ${id} is ${i.record.volumeSize} GiB and cannot shrink to ${b.volumeSize} GiB; volumes only grow — replace the instance to get a smaller one`);
      }
    }
    if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length === 0)) throw new HttpError(400, 'name must be a non-empty string');
    if (b.volumeSize !== undefined) i.record.volumeSize = b.volumeSize;
    if (b.name !== undefined) i.record.name = b.name;
    this.records.save(i);
    return this.view(i);
  }

  /** Stops the agent (and its engine), revokes the guest credential, removes config and volume. */
  delete(id: string): Promise<void> {
    const i = this.find(id);
    i.deleting ??= (async () => {
      await i.proc.stop();
      await this.broker.removeGuest(guestUsername(id));
      this.records.remove(id);
      this.instances.delete(id);
      this.reserved.delete(i.record.port);
      this.o.log(`instance ${id} deleted`);
    })();
    return i.deleting;
  }

  /** Stops every agent (in parallel) and the broker; instance dirs and volumes stay. */
  shutdown(): Promise<void> {
    this.closing ??= (async () => {
      this.o.log(`stopping ${this.instances.size} agent(s)`);
      await Promise.all([...this.instances.values()].map((i) => i.proc.stop().catch((e: Error) => this.o.log(`agent ${i.record.id}: ${e.message}`))));
      await this.mirror.close().catch(() => {});
      await this.broker.close();
    })();
    return this.closing;
  }
}
