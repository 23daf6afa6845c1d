import type { Expr, ScopeRefExpr } from '../expr/ast.js';
import type { Body } from './body.js';
import type { Range } from '../../core/source.js';

export type Language = 'hcl' | 'yaml' | 'hot' | 'cfn';

/**
 * What a loader produces from one or more files: declarations as written, types as written
 * (`openstack_db_instance_v1`, `OS::Trove::Instance`, `database_instance`). `resolve.ts` maps
 * types through the alias table and decodes bodies against the schemas.
 */
export interface StackDocument {
  files: { path: string; language: Language }[];
  description?: string;
  variables: VariableDecl[];
  locals: LocalDecl[];
  resources: ResourceDecl[];
  outputs: OutputDecl[];
  providers: ProviderDecl[];
  /** HOT `conditions:` section; HCL has none. */
  conditions: ConditionDecl[];
  /** HOT `parameter_groups:`; kept for `show`, not evaluated. */
  parameterGroups: { label?: string; description?: string; parameters: string[]; range: Range }[];
}

export function emptyDocument(): StackDocument {
  return { files: [], variables: [], locals: [], resources: [], outputs: [], providers: [], conditions: [], parameterGroups: [] };
}

export interface VariableDecl {
  name: string;
  range: Range;
  /**
   * HCL: the type constraint expression (`string`, `list(string)`, `object({…})`), as a
   * `ref`/`call` expression. HOT: a literal string, one of string | number | json |
   * comma_delimited_list | boolean.
   */
  type?: Expr;
  default?: Expr;
  description?: string;
  label?: string;
  /** HCL `sensitive = true`, HOT `hidden: true`. */
  sensitive: boolean;
  nullable?: boolean;
  /** HOT parameter constraints. */
  constraints: ParamConstraint[];
  /** HCL `validation { condition, error_message }` blocks. */
  validations: { condition: Expr; errorMessage?: Expr; range: Range }[];
}

export interface ParamConstraint {
  kind: 'allowed_values' | 'allowed_pattern' | 'length' | 'range' | 'modulo' | 'custom_constraint';
  /** The constraint's own value: a list, a pattern string, `{min, max}`, `{step, offset}`, a name. */
  spec: unknown;
  description?: string;
  range: Range;
}

export interface LocalDecl {
  name: string;
  value: Expr;
  range: Range;
}

export interface ConditionDecl {
  name: string;
  expr: Expr;
  range: Range;
}

export interface Lifecycle {
  preventDestroy?: Expr;
  createBeforeDestroy?: Expr;
  /** Attribute paths as written (`["users", "volume.size"]`) or `all`. */
  ignoreChanges?: { paths: { path: string; range: Range }[] } | 'all';
  range?: Range;
}

export interface ResourceDecl {
  mode: 'managed' | 'data';
  /** The type as written: `database_instance`, `openstack_db_instance_v1`, `OS::Trove::Instance`. */
  sourceType: string;
  typeRange: Range;
  name: string;
  nameRange: Range;
  body: Body;
  count?: Expr;
  forEach?: Expr;
  /**
   * Explicit dependencies. Each is a reference as the loader understood it: HCL
   * `depends_on = [openstack_db_instance_v1.db]` gives root `openstack_db_instance_v1`, steps
   * `[db]`; HOT `depends_on: db` gives root = the source type of resource `db`, steps `[db]`.
   */
  dependsOn: ScopeRefExpr[];
  lifecycle: Lifecycle;
  /** HOT `deletion_policy` (Delete | Retain | Snapshot), also `DeletionPolicy` in CFN. */
  deletionPolicy?: { value: 'Delete' | 'Retain' | 'Snapshot'; range: Range };
  /** HOT resource `condition:` (a condition name compiles to `ref` root `condition`). */
  condition?: Expr;
  provider?: string;
  language: Language;
  range: Range;
}

export interface OutputDecl {
  name: string;
  value: Expr;
  sensitive: boolean;
  description?: string;
  condition?: Expr;
  range: Range;
}

export interface ProviderDecl {
  name: string;
  alias?: string;
  body: Body;
  range: Range;
}
