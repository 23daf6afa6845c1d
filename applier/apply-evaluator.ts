/**
 * Evaluates each resource's configuration at the moment it is applied. The plan holds
 * `(known after apply)` wherever a value comes from a resource created in the same apply;
 * here the stack is evaluated again against the state as it progresses, so those references
 * see the real ids and addresses. The action itself is never re-decided: a fresh evaluation
 * that disagrees with a value the plan showed as known is an error, never a silent change.
 */
import { isObject, isUnknown, type Value, type ValueObject } from '../core/value.js';
import type { StackDocument } from '../planner/model/document.js';
import { makePlan } from '../planner/plan/make-plan.js';
import type { OutputConfig } from '../planner/resolve/stack-config.js';
import type { Plan, PriorResource, PriorState, ResourceChange } from '../planner/plan/types.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { ResourceLifecycle } from '../state/index.js';
import { baseAddress } from './operations.js';
import type { ProviderCapabilities } from '../planner/plan/capabilities.js';

export interface EvaluatorOptions {
  stack: string;
  baseDir?: string;
  target?: string[];
  /** The provider's capability table, so create-only attributes re-plan as they were planned. */
  capabilities?: ProviderCapabilities;
}

export class ApplyEvaluator {
  private readonly prior: Map<string, PriorResource>;
  private readonly replaceByRequest: Set<string>;
  private fresh: Map<string, ResourceChange> | undefined;
  private outputsCache: OutputConfig[] | undefined;
  private lifecycles = new Map<string, ResourceLifecycle>();
  private lastDiagnostics: Diagnostic[] = [];
  private readonly dataValues: Map<string, Value>;

  constructor(private readonly doc: StackDocument, private readonly plan: Plan, private readonly options: EvaluatorOptions) {
    this.prior = new Map((plan.prior?.resources ?? []).map((r) => [r.address, r]));
    // Data sources were read when the plan was made; apply uses exactly those values.
    this.dataValues = new Map(plan.resourceChanges.filter((c) => c.mode === 'data' && c.actions[0] === 'no-op').map((c) => [c.address, c.after as Value]));
    this.replaceByRequest = new Set(plan.resourceChanges.filter((c) => c.actionReason === 'replace_by_request').map((c) => c.address));
  }

  /** A resource finished a create or update: later evaluations see its attributes. */
  recordWritten(r: PriorResource): void {
    this.prior.set(r.address, r);
    this.replaceByRequest.delete(r.address);
    this.invalidate();
  }

  recordDeleted(address: string): void {
    this.prior.delete(address);
    this.invalidate();
  }

  /** The state as this run has left it so far. */
  currentPrior(): PriorState {
    const p = this.plan.prior;
    return { lineage: this.plan.lineage, serial: p?.serial ?? 0, resources: [...this.prior.values()], outputs: p?.outputs ?? [] };
  }

  /**
   * The configuration to send for a create or update of `address`, evaluated now. Throws when
   * the evaluation fails or disagrees with the plan.
   */
  configFor(change: ResourceChange): ValueObject {
    const fresh = this.evaluate().get(change.address);
    if (!fresh?.config) {
      const why = this.lastDiagnostics.find((d) => d.severity === 'error');
      throw new Error(`${change.address}: the configuration could not be evaluated at apply time${why ? `: ${why.summary}` : ' (it is no longer in the stack)'}`);
    }
    const mismatch = firstMismatch(change.config ?? null, fresh.config, []);
    if (mismatch !== undefined) {
      // Values are not shown: they may be secrets.
      throw new Error(`${change.address}: at apply time ${mismatch || 'the configuration'} differs from the value the plan showed; run plan again`);
    }
    return fresh.config as ValueObject;
  }

  /** The declared deletion policy and prevent_destroy of an instance's resource, recorded with it. */
  lifecycleOf(address: string): ResourceLifecycle {
    this.evaluate();
    return this.lifecycles.get(baseAddress(address)) ?? {};
  }

  /** Outputs evaluated against the state this run has left (undefined values stay unknown). */
  outputs(): OutputConfig[] {
    this.evaluate();
    return this.outputsCache ?? [];
  }

  private invalidate(): void {
    this.fresh = undefined;
    this.outputsCache = undefined;
  }

  private evaluate(): Map<string, ResourceChange> {
    if (this.fresh) return this.fresh;
    const variables = Object.fromEntries(Object.entries(this.plan.variables).map(([k, v]) => [k, { value: v.value, source: 'the plan' }]));
    const { plan, config } = makePlan(this.doc, this.currentPrior(), {
      stack: this.options.stack,
      variables,
      dataValues: this.dataValues,
      replace: [...this.replaceByRequest],
      ...(this.options.target ? { target: this.options.target } : {}),
      ...(this.options.baseDir ? { baseDir: this.options.baseDir } : {}),
      ...(this.options.capabilities ? { capabilities: this.options.capabilities } : {}),
    });
    this.lastDiagnostics = plan.diagnostics;
    this.fresh = new Map(plan.resourceChanges.map((c) => [c.address, c]));
    this.outputsCache = config.outputs;
    this.lifecycles = new Map(config.resources.map((r) => [r.address, { deletionPolicy: r.deletionPolicy, preventDestroy: r.lifecycle.preventDestroy }]));
    return this.fresh;
  }
}

/** Where a freshly evaluated value contradicts a value the plan showed as known. */
function firstMismatch(planned: Value, now: Value, path: (string | number)[]): string | undefined {
  if (isUnknown(planned)) return undefined;
  const here = () => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
  if (Array.isArray(planned)) {
    if (!Array.isArray(now) || now.length !== planned.length) return here();
    for (let i = 0; i < planned.length; i++) {
      const m = firstMismatch(planned[i]!, now[i]!, [...path, i]);
      if (m) return m;
    }
    return undefined;
  }
  if (isObject(planned)) {
    if (!isObject(now)) return here();
    for (const k of new Set([...Object.keys(planned), ...Object.keys(now)])) {
      const m = firstMismatch(planned[k] ?? null, now[k] ?? null, [...path, k]);
      if (m) return m;
    }
    return undefined;
  }
  return planned === now ? undefined : here();
}

