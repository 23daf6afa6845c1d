/**
 * The guest agent's configuration, as cloud-init user data carries it (a JSON file).
 *
 * `fast` and `heartbeatMs` exist for tests: `fast: true` passes `{ fast: true }` to the
 * datastore driver (initdb --no-sync, smaller buffers, appendfsync no) and must never be set
 * in production user data; `heartbeatMs` shortens the 30 s status heartbeat.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { DatastoreType } from '../datastores/types.js';
import { instanceIdProblem } from '../protocol/topics.js';

export const AGENT_DATASTORES: readonly DatastoreType[] = ['postgresql', 'mariadb', 'mysql', 'redis'];
export const DEFAULT_HEARTBEAT_MS = 30_000;
export const STATE_FILE_NAME = 'dbstack-agent-state.json';

export interface AgentConfig {
  instanceId: string;
  /** mqtt://host:port or mqtts://host:port */
  brokerUrl: string;
  /** Broker password of `guest-<instanceId>`. */
  password: string;
  /** base64 AES-256 instance key (32 bytes). */
  key: string;
  datastore: DatastoreType;
  /** Absolute path of the engine's data directory. */
  dataDir: string;
  /** TCP port the engine listens on. */
  port: number;
  /** Where the agent keeps its last accepted seq and observed generation (default `<dataDir>/dbstack-agent-state.json`). */
  stateFile: string;
  /** Address the engine listens on (default 127.0.0.1). */
  host?: string;
  /** Status heartbeat period (default 30 000 ms). */
  heartbeatMs: number;
  /** TEST ONLY: driver speed-ups that trade durability (see guest/datastores/README.md). */
  fast: boolean;
}

export class AgentConfigError extends Error {
  constructor(readonly problems: string[], source = 'agent config') {
    super(`${source}: ${problems.join('; ')}`);
    this.name = 'AgentConfigError';
  }
}

const KNOWN = new Set(['instanceId', 'brokerUrl', 'password', 'key', 'datastore', 'dataDir', 'port', 'stateFile', 'host', 'heartbeatMs', 'fast']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates a parsed JSON value; collects every problem before throwing AgentConfigError. */
export function parseAgentConfig(raw: unknown, source = 'agent config'): AgentConfig {
  if (!isObject(raw)) throw new AgentConfigError(['expected a JSON object'], source);
  const problems: string[] = [];
  const str = (name: string, required = true): string | undefined => {
    const v = raw[name];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.length === 0) {
      problems.push(v === undefined ? `${name} is required` : `${name} must be a non-empty string`);
      return undefined;
    }
    return v;
  };
  for (const k of Object.keys(raw)) if (!KNOWN.has(k)) problems.push(`unknown field '${k}'`);

  const instanceId = str('instanceId');
  if (instanceId !== undefined) {
    const p = instanceIdProblem(instanceId);
    if (p) problems.push(`instanceId: ${p}`);
  }
  const brokerUrl = str('brokerUrl');
  if (brokerUrl !== undefined && !/^mqtts?:\/\/[^/\s]+$/.test(brokerUrl)) problems.push(`brokerUrl '${brokerUrl}' must look like mqtt://host:port or mqtts://host:port`);
  const password = str('password');
  const key = str('key');
  if (key !== undefined && Buffer.from(key, 'base64').length !== 32) problems.push('key must be a base64-encoded 32-byte key');
  const datastore = str('datastore');
  if (datastore !== undefined && !AGENT_DATASTORES.includes(datastore as DatastoreType)) {
    problems.push(`datastore '${datastore}' is not one of ${AGENT_DATASTORES.join(', ')}`);
  }
  const dataDir = str('dataDir');
  if (dataDir !== undefined && !isAbsolute(dataDir)) problems.push(`dataDir '${dataDir}' must be an absolute path`);
  const stateFile = str('stateFile', false);
  if (stateFile !== undefined && !isAbsolute(stateFile)) problems.push(`stateFile '${stateFile}' must be an absolute path`);
  const host = str('host', false);
  const port = raw.port;
  if (port === undefined) problems.push('port is required');
  else if (!Number.isInteger(port) || (port as number) < 1 || (port as number) > 65535) problems.push(`port must be an integer 1..65535, got ${JSON.stringify(port)}`);
  const hb = raw.heartbeatMs;
  if (hb !== undefined && (!Number.isInteger(hb) || (hb as number) < 10)) problems.push(`heartbeatMs must be an integer >= 10, got ${JSON.stringify(hb)}`);
  if (raw.fast !== undefined && typeof raw.fast !== 'boolean') problems.push('fast must be true or false');

  if (problems.length > 0) throw new AgentConfigError(problems, source);
  return {
    instanceId: instanceId!, brokerUrl: brokerUrl!, password: password!, key: key!,
    datastore: datastore as DatastoreType, dataDir: dataDir!, port: port as number,
    stateFile: stateFile ?? join(dataDir!, STATE_FILE_NAME),
    ...(host !== undefined ? { host } : {}),
    heartbeatMs: (hb as number | undefined) ?? DEFAULT_HEARTBEAT_MS,
    fast: raw.fast === true,
  };
}

/** Reads and validates the config file; every failure is an AgentConfigError naming the file. */
export function loadAgentConfig(file: string): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AgentConfigError([`cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`], file);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AgentConfigError([`not valid JSON: ${(e as Error).message}`], file);
  }
  return parseAgentConfig(raw, file);
}
