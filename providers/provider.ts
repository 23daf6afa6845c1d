/**
 * The one interface every resource type implements. The applier calls it; the planner never
 * calls a mutating method; a provider never touches the state store — it gets what it needs
 * (the prior object, the evaluated configuration) as arguments and returns what to record.
 */
import type { Value, ValueObject } from '../core/value.js';
import type { Conductor } from '../guest/protocol/conductor.js';

/** What a provider returns for a resource object: recorded by the applier as the resource's state. */
export interface ResourceObject {
  /** The cloud object's id (also the `id` attribute). */
  id: string;
  /** Every attribute of the type's schema, computed ones included (configuration values echoed back). */
  attributes: ValueObject;
  /** What the provider needs later and the user never sees (part ids, the guest's key): sealed in the state. */
  private?: ValueObject;
}

/** A resource as recorded in the state, handed back to the provider for read/update/delete. */
export interface PriorObject extends ResourceObject {
  /** The configuration it was last applied with. */
  inputs: ValueObject;
}

export interface ProviderContext {
  /** The resource address being worked on (`database_instance.orders`). */
  readonly address: string;
  /** The stack and its lineage: tag cloud objects with them so a crash mid-call can be adopted. */
  readonly stack: { name: string; lineage: string };
  /** Aborted on the second Ctrl-C: stop waiting, leave the object in a state read() can find. */
  readonly signal: AbortSignal;
  /** A line for the user's terminal ("volume attached", "guest converging: initdb"). */
  progress(message: string): void;
  /** The guest conductor on this provider's broker, connected on first use. */
  conductor(): Promise<Conductor>;
  /**
   * Another object of this stack by its id, as recorded (with its private data): a `database`
   * resource reaches its instance's guest through the key the instance recorded.
   */
  lookup(id: string): PriorObject | undefined;
}

/** What a plan-time check found: errors stop the plan; warnings are shown with it. */
export interface PlanCheck {
  errors: string[];
  warnings: string[];
}

export interface ResourceType {
  /**
   * Plan-time checks the cloud can make without changing anything: a datastore it does not
   * offer, a setting the engine refuses, a change that restarts the database. `config` may
   * hold unknown values (known after apply): skip those.
   */
  check?(ctx: ProviderContext, config: ValueObject, prior: PriorObject | undefined): Promise<PlanCheck>;
  create(ctx: ProviderContext, config: ValueObject): Promise<ResourceObject>;
  /** The object as it is now (drift included), or undefined when it no longer exists. */
  read(ctx: ProviderContext, prior: PriorObject): Promise<ResourceObject | undefined>;
  update(ctx: ProviderContext, prior: PriorObject, config: ValueObject): Promise<ResourceObject>;
  /** Deleting an object that is already gone is a success. */
  delete(ctx: ProviderContext, prior: PriorObject): Promise<void>;
  /** Adopts an existing cloud object by id (`dbstack import`). */
  import?(ctx: ProviderContext, id: string): Promise<ResourceObject>;
  /**
   * Finds the object a create interrupted by a crash may have left, by the stack lineage and
   * address it was tagged with (ctx.stack, ctx.address); undefined when there is none.
   */
  adopt?(ctx: ProviderContext): Promise<ResourceObject | undefined>;
}

/** A look-up of something that exists already (a network, a flavor, an image by name), read at plan time. */
export interface DataSource {
  /** Every attribute of the data source's schema; throws a ProviderError when nothing (or more than one thing) matches. */
  read(ctx: ProviderContext, config: ValueObject): Promise<ValueObject>;
}

export interface Provider {
  /** `local`, `openstack` — recorded with each resource. */
  readonly name: string;
  /** The implementation of a managed resource type, or undefined when this provider has none. */
  resourceType(type: string): ResourceType | undefined;
  dataSource?(type: string): DataSource | undefined;
  /** The guest conductor on this provider's broker, connected on first use (absent: no guests). */
  conductor?(): Promise<Conductor>;
  /** Releases connections (the conductor, HTTP agents); never stops anything the cloud runs. */
  close(): Promise<void>;
}

/**
 * A failure the user must act on; `message` is the cloud's or the guest's own text. `partial`
 * is an object the call did create before failing: it is recorded as tainted (replaced by the
 * next apply), never forgotten.
 */
export class ProviderError extends Error {
  constructor(message: string, readonly partial?: ResourceObject) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Reads a string attribute of a configuration or prior object; undefined when absent or not a string. */
export function str(o: ValueObject, name: string): string | undefined {
  const v: Value | undefined = o[name];
  return typeof v === 'string' ? v : undefined;
}
