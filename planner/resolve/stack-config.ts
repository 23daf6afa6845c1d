import type { ObjectExpr } from '../expr/ast.js';
import type { Value } from '../../core/value.js';
import type { DependencyGraph } from '../graph/graph.js';
import type { Diagnostic } from '../../core/diagnostics.js';
import type { StackDocument } from '../model/document.js';
import type { Range } from '../../core/source.js';
import type { PreparedResource } from './prepare.js';
import type { ResourceMode } from './schema-info.js';

/** One instance of a resource after `count` / `for_each` expansion. */
export interface ResourceInstance {
  /** `database_instance.orders`, `database_instance.replica[0]`, `network.net["a"]`. */
  address: string;
  key?: number | string;
  /** The evaluated configuration (unknown where a value is only known after apply). */
  config: Value;
}

export interface ResourceConfig {
  prepared: PreparedResource;
  mode: ResourceMode;
  type: string;
  name: string;
  address: string;
  body: ObjectExpr;
  instances: ResourceInstance[];
  dependsOn: string[];
  lifecycle: { preventDestroy: boolean; createBeforeDestroy: boolean; ignoreChanges: string[] | 'all' };
  deletionPolicy: 'Delete' | 'Retain' | 'Snapshot';
  range: Range;
}

export interface OutputConfig {
  name: string;
  value: Value;
  sensitive: boolean;
  description?: string;
  range: Range;
}

/** The evaluated stack: what `plan` diffs against the recorded state. */
export interface StackConfig {
  document: StackDocument;
  graph: DependencyGraph;
  /** In dependency order. */
  resources: ResourceConfig[];
  outputs: OutputConfig[];
  variables: Record<string, Value>;
  sensitiveVariables: Set<string>;
  diagnostics: Diagnostic[];
}
