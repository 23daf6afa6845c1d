/**
 * Per-instance broker identities on a RUNNING Mosquitto 2 via its dynamic-security plugin:
 * commands are JSON published to `$CONTROL/dynamic-security/v1`, answers arrive on
 * `$CONTROL/dynamic-security/v1/response`. No config file rewrite, no SIGHUP, no restart.
 *
 * Each command carries a `correlationData` string so concurrent calls on one admin
 * connection find their own answers; every answer's `error` field is checked and turned
 * into an Error carrying Mosquitto's own text.
 */
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { newGuestCredential, type BrokerCredential } from './credentials.js';
import { CONDUCTOR_ROLE, CONDUCTOR_USERNAME, conductorAcls, DENY_BY_DEFAULT, guestAcls, guestRoleName, type DynsecAcl } from './dynsec-acls.js';
import { connectMqtt, endMqtt } from '../guest/protocol/mqtt-connect.js';
import { assertInstanceId } from '../guest/protocol/topics.js';

export const DYNSEC_TOPIC = '$CONTROL/dynamic-security/v1';
export const DYNSEC_RESPONSE_TOPIC = `${DYNSEC_TOPIC}/response`;

export interface DynsecAdminOptions {
  url: string;
  username: string;
  password: string;
  /** Per command batch (default 10 s). */
  timeoutMs?: number;
}

export type DynsecCommand = { command: string } & Record<string, unknown>;

export class DynsecError extends Error {
  constructor(readonly command: string, readonly mosquittoError: string, subject: string) {
    super(`mosquitto dynamic-security ${command} ${subject}: ${mosquittoError}`);
    this.name = 'DynsecError';
  }
}

interface Answer { error?: string; data?: unknown }
interface Waiter { resolve(r: Answer): void }

const isNotFound = (e: unknown) => e instanceof DynsecError && /not found/i.test(e.mosquittoError);
const isExists = (e: unknown) => e instanceof DynsecError && /already/i.test(e.mosquittoError);

function subjectOf(c: DynsecCommand): string {
  const s = c.username ?? c.rolename ?? c.groupname;
  return typeof s === 'string' ? `'${s}'` : '';
}

export class DynsecAdmin {
  private readonly waiters = new Map<string, Waiter>();
  private counter = 0;
  private readonly prefix = randomBytes(4).toString('hex');

  private constructor(private readonly client: MqttClient, private readonly url: string, private readonly timeoutMs: number) {
    client.on('message', (topic, payload) => {
      if (topic !== DYNSEC_RESPONSE_TOPIC) return;
      let body: { responses?: { correlationData?: unknown; error?: unknown; data?: unknown }[] };
      try { body = JSON.parse(payload.toString()); } catch { return; }
      for (const r of body.responses ?? []) {
        const w = typeof r.correlationData === 'string' ? this.waiters.get(r.correlationData) : undefined;
        if (!w) continue;
        this.waiters.delete(r.correlationData as string);
        w.resolve(typeof r.error === 'string' ? { error: r.error } : { data: r.data });
      }
    });
  }

  static async connect(opts: DynsecAdminOptions): Promise<DynsecAdmin> {
    let client: MqttClient;
    try {
      // No reconnect: an admin session is short, and a refused login must surface at once.
      client = await connectMqtt({ ...opts, reconnectPeriodMs: 0, connectTimeoutMs: opts.timeoutMs ?? 10_000 });
    } catch (e) {
      throw new Error(`cannot log in to the Mosquitto dynamic-security admin at ${opts.url} as '${opts.username}' ` +
        `(check the admin username and password): ${(e as Error).message}`);
    }
    const admin = new DynsecAdmin(client, opts.url, opts.timeoutMs ?? 10_000);
    try {
      const granted = await client.subscribeAsync(DYNSEC_RESPONSE_TOPIC, { qos: 1 });
      if (granted.some((g) => g.qos === 128)) throw new Error(`'${opts.username}' may not subscribe to ${DYNSEC_RESPONSE_TOPIC}`);
    } catch (e) {
      await endMqtt(client, true);
      throw new Error(`Mosquitto dynamic-security admin at ${opts.url}: ${(e as Error).message}`);
    }
    return admin;
  }

  /**
   * Sends `commands` as one message (Mosquitto runs them in order) and waits for every
   * answer; throws the first error. A broker without the plugin, or an admin without the
   * rights, answers nothing: that is a timeout naming the likely cause. Returns each
   * answer's `data` (e.g. getClient's), in command order.
   */
  async run(commands: DynsecCommand[]): Promise<unknown[]> {
    const sent = commands.map((c) => ({ ...c, correlationData: `${this.prefix}-${++this.counter}` }));
    const answers = sent.map((c) => new Promise<Answer>((resolve) => this.waiters.set(c.correlationData, { resolve })));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(
        `no answer from the Mosquitto dynamic-security plugin at ${this.url} within ${this.timeoutMs} ms ` +
        `(is the plugin loaded, and may this admin publish to ${DYNSEC_TOPIC}?)`)), this.timeoutMs);
    });
    try {
      await this.client.publishAsync(DYNSEC_TOPIC, JSON.stringify({ commands: sent }), { qos: 1 });
      const results = await Promise.race([Promise.all(answers), timeout]);
      results.forEach((r, i) => {
        if (r.error !== undefined) throw new DynsecError(sent[i]!.command, r.error, subjectOf(sent[i]!));
      });
      return results.map((r) => r.data);
    } finally {
      clearTimeout(timer);
      for (const c of sent) this.waiters.delete(c.correlationData);
    }
  }

  /** Runs one command; errors matching `ignore` count as success. */
  private async one(command: DynsecCommand, ignore?: (e: unknown) => boolean): Promise<void> {
    try { await this.run([command]); } catch (e) { if (!ignore?.(e)) throw e; }
  }

  private async putRole(rolename: string, textname: string, acls: DynsecAcl[]): Promise<void> {
    await this.one({ command: 'createRole', rolename, textname }, isExists);
    // One addRoleACL per entry: works on every 2.0.x (createRole's own `acls` list came later).
    for (const acl of acls) await this.one({ command: 'addRoleACL', rolename, priority: -1, ...acl }, isExists);
  }

  /**
   * Creates `guest-<id>` (role + client, fresh password) for a new instance. A leftover
   * identity of the same id (an interrupted create) is removed first, so a retry succeeds.
   */
  async addGuest(instanceId: string): Promise<BrokerCredential> {
    assertInstanceId(instanceId);
    const cred = newGuestCredential(instanceId);
    const rolename = guestRoleName(instanceId);
    await this.removeGuest(instanceId);
    await this.run([
      { command: 'createRole', rolename, textname: `dbstack guest ${instanceId}` },
      ...guestAcls(instanceId).map((acl) => ({ command: 'addRoleACL', rolename, priority: -1, ...acl })),
      {
        command: 'createClient', username: cred.username, password: cred.password,
        textname: `dbstack guest ${instanceId}`, roles: [{ rolename, priority: -1 }],
      },
    ]);
    return cred;
  }

  /** Deletes the client (which also disconnects it) and its role; "not found" is success. */
  async removeGuest(instanceId: string): Promise<void> {
    assertInstanceId(instanceId);
    await this.one({ command: 'deleteClient', username: guestRoleName(instanceId) }, isNotFound);
    await this.one({ command: 'deleteRole', rolename: guestRoleName(instanceId) }, isNotFound);
  }

  /**
   * One-time broker setup for dbstack: the default access becomes deny (DENY_BY_DEFAULT —
   * note this is broker-wide: other applications' clients need explicit roles too), and the
   * `conductor` client gets `cred.password` and a role over `dbstack/v1/#`. Safe to repeat
   * (a repeat re-keys the conductor; sessions logged in with the old password may be dropped).
   */
  async ensureConductor(cred: BrokerCredential): Promise<void> {
    if (cred.username !== CONDUCTOR_USERNAME) throw new Error(`conductor username must be '${CONDUCTOR_USERNAME}', got '${cred.username}'`);
    await this.run([{ command: 'setDefaultACLAccess', acls: DENY_BY_DEFAULT }]);
    await this.putRole(CONDUCTOR_ROLE, 'dbstack control plane', conductorAcls());
    try {
      await this.run([{
        command: 'createClient', username: cred.username, password: cred.password,
        textname: 'dbstack conductor', roles: [{ rolename: CONDUCTOR_ROLE, priority: -1 }],
      }]);
    } catch (e) {
      if (!isExists(e)) throw e;
      await this.run([{ command: 'setClientPassword', username: cred.username, password: cred.password }]);
      // Mosquitto 2.0 answers "Internal error" to adding a role the client already has: look first.
      const [data] = await this.run([{ command: 'getClient', username: cred.username }]);
      const roles = (data as { client?: { roles?: { rolename?: string }[] } } | undefined)?.client?.roles ?? [];
      if (!roles.some((r) => r.rolename === CONDUCTOR_ROLE)) {
        await this.run([{ command: 'addClientRole', username: cred.username, rolename: CONDUCTOR_ROLE, priority: -1 }]);
      }
    }
  }

  async close(): Promise<void> {
    await endMqtt(this.client);
  }
}
