/**
 * The shape of a provider's capability table, as the planner reads it (support-check.ts,
 * make-plan.ts). The tables themselves are beside each provider's code
 * (`providers/<name>/capabilities.ts`, gathered by `providers/capabilities.ts`); the planner
 * declares the shape so that it need not import the providers.
 */

/**
 * How a provider handles one declared attribute (path patterns: `volume.size`, `users.*.host`;
 * a declared path covers everything under it).
 * - `full`: used at create and changed in place (or by replacement, as the schema's x-force-new says).
 * - `replace` / `refuse`: used at create only; a change replaces the resource, or is refused
 *   (for a change that should not cost the data), with `reason`.
 * - `no-effect`: accepted and recorded, but means nothing on this provider (`reason` says
 *   why), so one stack file plans on every provider.
 */
export type Support =
  | 'full'
  | { update: 'replace' | 'refuse'; reason: string }
  | { noEffect: string };

export interface TypeSupport {
  /** The attributes implemented; `'*'`: all of them (each as the schema says). */
  attributes: Record<string, Support> | '*';
  /** Why attributes that are not implemented are not (shown with the refusal). */
  notYet?: Record<string, string>;
  /** List attributes of which the provider uses only the first `max` elements, with the reason. */
  maxItems?: Record<string, { max: number; reason: string }>;
  /** Per datastore engine (`redis`): attributes that engine has no use for, with the reason. */
  engines?: Record<string, Record<string, string>>;
  /**
   * For a type whose engine is its instance's (`database`, `database_user`): the attribute that
   * references the instance. Engine rules apply when it names an instance of the same stack.
   */
  engineOf?: string;
  /** The engine when the configuration names none (the local cloud's default); absent: engine checks need it named. */
  defaultEngine?: string;
}

export interface ProviderCapabilities {
  name: string;
  resources: Record<string, TypeSupport>;
  dataSources: string[];
  /** Why resource types that are not implemented are not. */
  typesNotYet?: Record<string, string>;
  /** The HOT `deletion_policy` values it honours (`Snapshot` needs snapshots, which no provider takes yet). */
  deletionPolicies: ('Delete' | 'Retain' | 'Snapshot')[];
}
