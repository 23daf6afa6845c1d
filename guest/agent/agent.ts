/**
 * The guest agent: receives desired states over the guest protocol, converges the local
 * datastore engine (serially, in generation order) and publishes status and progress events.
 *
 * State file (`config.stateFile`, JSON, 0600): `{ lastAcceptedSeq, observedGeneration, phase, error?,
 * managed? }`, written after each handled desired state once the data directory exists. A
 * restarted agent passes `lastAcceptedSeq` to AgentLink (so the retained desired it already
 * handled, or an older one, is rejected as a replay), restarts the engine and republishes its
 * last outcome. `managed` (managed.ts) is what lets a later spec drop what an earlier one declared.
 *
 * Engine work is serial: desired states, the heartbeat's supervision (engine-watchdog.ts) and startup
 * run one at a time under one lock, so a restart never races a reconcile.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadDriver } from '../datastores/load-driver.js';
import { AgentLink } from '../protocol/agent-link.js';
import type { DesiredMessage, JsonObject, JsonValue, RpcRequest, StatusMessage } from '../protocol/messages.js';
import type { AgentConfig } from './config.js';
import { parseManaged, type Managed } from './managed.js';
import { Reconciler, type ObservedStatus } from './reconcile.js';
import { EngineWatchdog } from './engine-watchdog.js';

export interface AgentState {
  lastAcceptedSeq: number;
  observedGeneration: number;
  phase: 'ready' | 'failed';
  error?: string;
  /** What specs declared (absent in files of older agents: then nothing is dropped). */
  managed?: Managed;
}

export interface RunAgentOptions {
  signal: AbortSignal;
  /** One line per notable thing (default: stderr). */
  log?: (line: string) => void;
}

export type Status = Omit<StatusMessage, 'at'>;
const SHUTDOWN_WAIT_MS = 60_000;

export function readAgentState(file: string): AgentState | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const s = JSON.parse(readFileSync(file, 'utf8')) as AgentState;
    if (Number.isSafeInteger(s.lastAcceptedSeq) && Number.isSafeInteger(s.observedGeneration)) return s;
  } catch { /* unreadable: start afresh */ }
  return undefined;
}

function writeAgentState(file: string, state: AgentState): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
  renameSync(tmp, file);
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function connectWithRetry(make: () => Promise<AgentLink>, signal: AbortSignal, log: (l: string) => void): Promise<AgentLink | undefined> {
  for (let delay = 500; !signal.aborted; delay = Math.min(delay * 2, 15_000)) {
    try {
      return await make();
    } catch (e) {
      log(`broker connect failed: ${errText(e)}; retrying in ${delay} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(done, delay);
        function done() { clearTimeout(t); signal.removeEventListener('abort', done); r(); }
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
  return undefined;
}

/** Runs until `signal` aborts; then publishes offline, stops the engine and disconnects. */
export async function runAgent(config: AgentConfig, { signal, log = (l) => process.stderr.write(`${l}\n`) }: RunAgentOptions): Promise<void> {
  const saved = readAgentState(config.stateFile);
  const reconciler = new Reconciler(await loadDriver(config.datastore, { fast: config.fast }), {
    type: config.datastore, dataDir: config.dataDir, port: config.port, ...(config.host ? { host: config.host } : {}),
  });
  if (saved?.managed) reconciler.restoreManaged(parseManaged(saved.managed));
  let current: Status = { observedGeneration: saved?.observedGeneration ?? 0, phase: 'starting' };
  let link!: AgentLink;

  // One engine operation at a time: desired states, startup and the heartbeat's supervision.
  let lock: Promise<void> = Promise.resolve();
  let pending = 0;
  const exclusive = (fn: () => Promise<void>): Promise<void> => {
    pending++;
    const run = lock.then(fn).finally(() => { pending--; });
    lock = run.catch(() => {});
    return run;
  };

  const publish = async (s: Status) => {
    current = s;
    await link.publishStatus(s).catch((e: unknown) => log(`status publish failed: ${errText(e)}`));
  };
  const event = (message: string, generation?: number, level: 'info' | 'warn' | 'error' = 'info') => {
    log(`${generation !== undefined ? `[gen ${generation}] ` : ''}${message}`);
    void link.publishEvent({ level, message, ...(generation !== undefined ? { generation } : {}) }).catch(() => {});
  };
  const withObserved = (generation: number, o: ObservedStatus): Status => ({ observedGeneration: generation, phase: 'ready', ...o });
  const watchdog = new EngineWatchdog(reconciler, { publish, event, withObserved, current: () => current, log });

  let startupDone!: () => void;
  const startup = new Promise<void>((r) => (startupDone = r));
  const onDesired = async (d: DesiredMessage, seq: number) => {
    await startup; // a retained desired can arrive while a known engine is being restarted
    if (signal.aborted) return;
    await exclusive(async () => {
      if (signal.aborted) return;
      const gen = d.generation;
      const t0 = Date.now();
      let state: AgentState;
      try {
        const { error: _stale, ...last } = current;
        await publish({ ...last, observedGeneration: Math.max(current.observedGeneration, gen), phase: 'converging' });
        event(`converging to generation ${gen}`, gen);
        const observed = await reconciler.reconcile(d.spec, (m, level) => event(m, gen, level));
        watchdog.healthy();
        watchdog.generationFailed(undefined);
        await publish(withObserved(gen, observed));
        event(`ready at generation ${gen} (${Date.now() - t0} ms)`, gen);
        state = { lastAcceptedSeq: seq, observedGeneration: gen, phase: 'ready' };
      } catch (e) {
        const error = errText(e);
        watchdog.generationFailed(error);
        // What the engine holds after the rollback, so a refresh compares the truth (supervision goes on).
        const seen = reconciler.isRunning ? await reconciler.observe().catch(() => undefined) : undefined;
        await publish(seen ? watchdog.status(gen, seen) : { observedGeneration: gen, phase: 'failed', error, datastore: reconciler.describe() });
        event(`generation ${gen} failed: ${error}`, gen, 'error');
        state = { lastAcceptedSeq: seq, observedGeneration: gen, phase: 'failed', error };
      }
      // Written only once the data dir exists: a stray file would make initdb refuse the directory.
      if (reconciler.isInitialised) {
        try { writeAgentState(config.stateFile, { ...state, managed: reconciler.managed }); } catch (e) { log(`cannot write state file: ${errText(e)}`); }
      }
    });
  };

  // `observe`: a heartbeat now (re-observe, republish, supervise), so a refresh sees drift at once
  // `validateConfig`: the engine's own verdict on proposed settings (errors, restart needed),
  // so a plan can refuse a bad value and warn about a restart before anything is applied.
  const onRpc = async (req: RpcRequest): Promise<JsonValue> => {
    await startup;
    if (req.method === 'observe') {
      await exclusive(() => watchdog.beat());
      return current as unknown as JsonObject;
    }
    if (req.method === 'validateConfig') {
      const values = (req.params as { config?: Record<string, unknown> } | undefined)?.config ?? {};
      let verdict: JsonObject = {};
      await exclusive(async () => {
        await reconciler.ensureRunning((m) => event(m));
        const check = await reconciler.driver.validateConfig(values);
        verdict = { errors: check.errors, restartRequired: check.restartRequired };
      });
      return verdict;
    }
    throw new Error(`unknown method '${req.method}' (known: observe, validateConfig)`);
  };

  // A new instance starts its engine at once, while the broker connection and the first desired
  // state are on their way: initdb overlaps the control plane's round trips. A failure here is
  // reported by the first reconcile, which tries again.
  if (!saved) void exclusive(() => reconciler.ensureRunning((m) => log(m)).catch((e: unknown) => log(`early start failed: ${errText(e)}`)));

  const connected = await connectWithRetry(() => AgentLink.connect({
    url: config.brokerUrl, instanceId: config.instanceId, key: config.key, password: config.password,
    lastAcceptedSeq: saved?.lastAcceptedSeq ?? -1, observedGeneration: current.observedGeneration, onDesired,
    onRpc,
    onReject: (r) => log(`rejected ${r.kind}: ${r.reason}`),
  }), signal, log);
  if (!connected) return;
  link = connected;
  log(`connected to ${config.brokerUrl} as instance ${config.instanceId}`);

  await exclusive(async () => {
    await publish(current);
    if (!saved || signal.aborted) return;
    try {
      await reconciler.ensureRunning((m) => event(m));
      if (saved.phase === 'failed') watchdog.generationFailed(saved.error ?? 'failed before restart');
      await publish(watchdog.status(saved.observedGeneration, await reconciler.observe()));
    } catch (e) {
      await publish({ observedGeneration: saved.observedGeneration, phase: 'failed', error: `restart: ${errText(e)}` });
    }
  });
  startupDone();

  const heartbeat = setInterval(() => {
    if (pending > 0 || signal.aborted) return; // a reconcile or an earlier beat is still at work
    void exclusive(async () => {
      if (!signal.aborted) await watchdog.beat();
    }).catch((e: unknown) => log(`heartbeat failed: ${errText(e)}`));
  }, config.heartbeatMs);

  await new Promise<void>((r) => (signal.aborted ? r() : signal.addEventListener('abort', () => r(), { once: true })));
  clearInterval(heartbeat);
  log('shutting down');
  // Let an in-flight reconcile or restart finish so the engine is not stopped under it (bounded).
  for (const until = Date.now() + SHUTDOWN_WAIT_MS; pending > 0 && Date.now() < until;) await new Promise((r) => setTimeout(r, 50));
  if (pending > 0) log(`engine work still running after ${SHUTDOWN_WAIT_MS} ms; stopping anyway`);
  await link.close({ offline: true }).catch((e: unknown) => log(`disconnect: ${errText(e)}`));
  try {
    await reconciler.stop();
  } catch (e) {
    log(`engine stop failed: ${errText(e)}`);
    throw e;
  }
  log('stopped');
}
