import type { Value } from '../../core/value.js';
import type { Diagnostic } from '../../core/diagnostics.js';

/** Terraform's action vocabulary; a replace is `['delete','create']` or `['create','delete']`. */
export type Action = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export type ActionReason =
  | 'replace_because_cannot_update'
  | 'replace_because_tainted'
  | 'replace_by_request'
  | 'delete_because_no_resource_config'
  | 'delete_because_count_index'
  | 'delete_because_each_key'
  | 'delete_because_wrong_repetition'
  | 'delete_because_destroy'
  | 'forget_because_retain_policy';

export type Path = (string | number)[];

/** A recorded resource as the planner reads it from the state store. */
export interface PriorResource {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  key?: number | string;
  /** The configuration it was last applied with. */
  inputs: Record<string, Value>;
  /** Every attribute, computed ones included. */
  attributes: Record<string, Value>;
  dependencies: string[];
  status: 'ready' | 'tainted';
  /** HOT `deletion_policy` as recorded at apply (so a resource removed from the configuration keeps it). */
  deletionPolicy?: 'Delete' | 'Retain' | 'Snapshot';
  preventDestroy?: boolean;
  /** The provider's sealed private data (never rendered). */
  private?: Value;
}

export interface PriorState {
  lineage: string;
  serial: number;
  resources: PriorResource[];
  outputs: { name: string; value: Value; sensitive: boolean }[];
}

export interface ResourceChange {
  address: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  index?: number | string;
  actions: Action[];
  actionReason?: ActionReason;
  before: Value | null;
  after: Value | null;
  /** Paths whose changes force the replacement. */
  replacePaths: Path[];
  /** Paths that change (for the human diff), sensitive paths included. */
  changedPaths: Path[];
  /** Paths holding sensitive values, before and after. */
  beforeSensitive: Path[];
  afterSensitive: Path[];
  dependencies: string[];
  /** A delete or replace of something that holds data (schema `x-holds-data`). */
  destroysData: boolean;
  /** The configuration to apply (inputs), for create/update. */
  config?: Value;
  createBeforeDestroy?: boolean;
}

export interface OutputChange {
  name: string;
  actions: Action[];
  before: Value | null;
  after: Value | null;
  sensitive: boolean;
}

export interface Plan {
  formatVersion: '1.0';
  /** The stack and the state this plan was made against; a plan applies only to that serial. */
  stack: string;
  lineage: string;
  /** 0 when there was no state; the lineage is fixed at plan time all the same. */
  serial: number;
  createdAt: string;
  mode: 'normal' | 'destroy' | 'refresh-only';
  resourceChanges: ResourceChange[];
  outputChanges: OutputChange[];
  prior: PriorState | undefined;
  variables: Record<string, { value: Value; sensitive: boolean }>;
  diagnostics: Diagnostic[];
  /**
   * The stack files the plan was made from (path → text), kept in a saved plan so that apply
   * evaluates exactly that configuration, whatever the files on disk say by then.
   */
  sources?: Record<string, string>;
  /** The directory relative paths in the stack (file(), get_file) resolve against. */
  baseDir?: string;
}

export interface PlanSummary {
  add: number;
  change: number;
  replace: number;
  destroy: number;
  forget: number;
}
