/**
 * The contract between the local provider (in the CLI) and the supervisor process that is the
 * local cloud: it hosts the MQTT broker, runs one guest agent process per instance (restarting
 * a crashed one) and keeps each instance's volume (a directory) across `local down` / `local up`.
 */
import type { BrokerCredential } from '../../messaging/credentials.js';
import type { DatastoreType } from '../../guest/datastores/types.js';

/** `embedded` = aedes inside the supervisor; `mosquitto` = a private Mosquitto 2 process it runs with its own password file and ACL. */
export type LocalBrokerKind = 'embedded' | 'mosquitto';

export interface LocalCloudOptions {
  /** The local cloud's directory (default `.dbstack/local`): volumes, agent configs, logs, control socket. */
  stateDir: string;
  /** Broker to run; default `embedded` (or `DBSTACK_LOCAL_BROKER`). */
  broker?: LocalBrokerKind;
}

export interface SupervisorInfo {
  pid: number;
  stateDir: string;
  broker: LocalBrokerKind;
  /** mqtt://127.0.0.1:PORT */
  brokerUrl: string;
  /** The control plane's broker credential (user `conductor`). */
  conductor: BrokerCredential;
  startedAt: string;
  instances: number;
}

export interface CreateInstanceRequest {
  /** Name shown by `dbstack local status`. */
  name: string;
  datastore: DatastoreType;
  /** Size of the volume in GiB (recorded; a directory has no quota). */
  volumeSize: number;
  /** Stack lineage and resource address: lets a crashed apply find (adopt) what it created. */
  labels: Record<string, string>;
}

export interface LocalInstance {
  /** Instance id (lower-case uuid); also the guest's MQTT identity `guest-<id>`. */
  id: string;
  name: string;
  datastore: DatastoreType;
  volumeSize: number;
  labels: Record<string, string>;
  host: string;
  port: number;
  /** The volume: the engine's data directory. */
  dataDir: string;
  /** base64 AES-256 key sealing this instance's guest messages. */
  key: string;
  agent: { running: boolean; pid?: number; restarts: number; lastExit?: string };
  createdAt: string;
}

/** Body of `PATCH /v1/instances/:id`: a volume only grows (shrinking → 409). */
export interface UpdateInstanceRequest {
  volumeSize?: number;
  name?: string;
}

/** `DIR/supervisor.json`, written once the supervisor answers requests, removed on shutdown. */
export interface SupervisorRuntime {
  pid: number;
  stateDir: string;
  /** The control socket (HTTP/JSON). */
  socket: string;
  broker: LocalBrokerKind;
  brokerUrl: string;
  startedAt: string;
}

export const DEFAULT_LOCAL_STATE_DIR = '.dbstack/local';
export const SUPERVISOR_FILE = 'supervisor.json';
export const SUPERVISOR_LOG = 'supervisor.log';

/** HTTP over the supervisor's unix socket; every response body is JSON, errors are `{ error }` with status 4xx/5xx. */
export const SUPERVISOR_ROUTES = {
  info: 'GET /v1/info',
  list: 'GET /v1/instances',
  create: 'POST /v1/instances',
  get: 'GET /v1/instances/:id',
  resize: 'PATCH /v1/instances/:id',
  delete: 'DELETE /v1/instances/:id',
  shutdown: 'POST /v1/shutdown',
} as const;
