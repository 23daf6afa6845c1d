/**
 * Engine supervision, run by each heartbeat (under the agent's engine lock). Whatever the last
 * outcome — a failed generation included (its error stays in the status until a later generation
 * succeeds) — it re-observes the engine — never re-creating anything: a database dropped
 * behind the agent's back simply disappears from the status (drift that `plan` shows), and only
 * a new desired generation converges again. A dead server process is restarted at once from the
 * same data dir; a live but unhealthy one after UNHEALTHY_RESTART failed beats in a row (one
 * slow answer is no reason to kill a database). While down the status is `starting` with
 * `health: {ok: false, detail}`; a failed restart is `failed` and is retried on the next beat.
 */
import type { Status } from './agent.js';
import type { ObservedStatus, Reconciler } from './reconcile.js';

export const UNHEALTHY_RESTART = 3;

export interface EngineWatchdogHooks {
  publish(s: Status): Promise<void>;
  event(message: string, generation?: number, level?: 'info' | 'warn' | 'error'): void;
  withObserved(generation: number, o: ObservedStatus): Status;
  current(): Status;
  log(line: string): void;
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class EngineWatchdog {
  /** True from a restart attempt until the engine answers again. */
  private down = false;
  private unhealthyBeats = 0;
  /** The error of the last generation when it failed: kept in every status until one succeeds. */
  private failure?: string;

  constructor(private readonly r: Reconciler, private readonly h: EngineWatchdogHooks) {}

  /** A reconcile reached ready: the engine is known good. */
  healthy(): void {
    this.down = false;
    this.unhealthyBeats = 0;
  }

  /** The last generation failed (undefined: it succeeded). Supervision goes on either way. */
  generationFailed(error: string | undefined): void {
    this.failure = error;
  }

  /** The status for an observation: ready, or failed with the generation's error. */
  status(gen: number, o: ObservedStatus): Status {
    const s = this.h.withObserved(gen, o);
    return this.failure === undefined ? s : { ...s, phase: 'failed', error: this.failure };
  }

  /** One heartbeat: observe (and restart when needed), then publish the status. */
  async beat(): Promise<void> {
    const cur = this.h.current();
    if (!this.r.isRunning) return this.h.publish(cur);
    const gen = cur.observedGeneration;
    let o: ObservedStatus;
    try {
      o = await this.r.observe();
    } catch (e) {
      this.h.log(`heartbeat observe failed: ${errText(e)}`);
      o = { datastore: this.r.describe(), health: { ok: false, detail: errText(e) } };
    }
    if (o.health.ok === true) {
      if (this.down) this.h.event(`${this.r.driver.engine} server answers again`);
      this.healthy();
      return this.h.publish(this.status(gen, o));
    }
    this.unhealthyBeats++;
    const dead = !this.r.engineAlive();
    if (dead || this.down || this.unhealthyBeats >= UNHEALTHY_RESTART) return this.restart(gen, o, dead);
    const detail = String(o.health.detail ?? 'no detail');
    this.h.event(`${this.r.driver.engine} server unhealthy (${this.unhealthyBeats}/${UNHEALTHY_RESTART} before a restart): ${detail}`, undefined, 'warn');
    return this.h.publish(this.status(gen, o));
  }

  private async restart(gen: number, o: ObservedStatus, dead: boolean): Promise<void> {
    const engine = this.r.driver.engine;
    const why = `${engine} server ${dead ? 'process is gone' : 'is unhealthy'}: ${String(o.health.detail ?? 'no detail')}`;
    this.down = true;
    this.h.event(`${why}; restarting it`, undefined, 'warn');
    await this.h.publish({ observedGeneration: gen, phase: 'starting', datastore: o.datastore, health: { ok: false, detail: why } });
    try {
      await this.r.restart((m) => this.h.event(m));
      const after = await this.r.observe();
      if (after.health.ok !== true) throw new Error(String(after.health.detail ?? 'unhealthy after restart'));
      this.healthy();
      await this.h.publish(this.status(gen, after));
    } catch (e) {
      const error = `${why}; restart failed: ${errText(e)}`;
      this.h.event(`${error} (retried on the next heartbeat)`, undefined, 'error');
      await this.h.publish({ observedGeneration: gen, phase: 'failed', error, datastore: o.datastore, health: { ok: false, detail: why } });
    }
  }
}
