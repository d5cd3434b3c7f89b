import type { CatalogAccess, CatalogManager, ExpandOptions, FileTableEnv, PathTableRequest } from '../catalog/index.js';
import type { EvalContext, FunctionRegistry } from '../functions/index.js';
import type { IdGen, LogicalPlan } from '../plan/index.js';
import type { Scope } from './scope.js';

/** Everything binding needs from the engine and the session. */
export interface BinderEnv {
  readonly catalogs: CatalogManager;
  readonly functions: FunctionRegistry;
  /** File systems, footer cache and evaluation settings for tables over paths named in queries. */
  readonly files: FileTableEnv;
  readonly evalCtx: EvalContext;
  /** Default catalog and schema for unqualified table names. */
  readonly catalog: string | undefined;
  readonly schema: string | undefined;
  /** Relative paths in queries (`FROM 'data/x.parquet'`) resolve against this folder. */
  readonly cwd: string;
  /** Where paths named in queries may point (Shoal.open allowedRoots); undefined: anywhere. */
  readonly pathRoots?: PathTableRequest['roots'];
  /** The catalogs the session's user may use; undefined: all. */
  readonly access?: CatalogAccess | undefined;
  readonly ids: IdGen;
  readonly signal?: AbortSignal | undefined;
  /**
   * The query's storage options: `stats` counts reads made while binding (a table's first listing and footer),
   * `listing` holds the query's listings (every use of a location sees the same files).
   */
  readonly io?: ExpandOptions | undefined;
  /** Names of views being expanded, outermost first (guards against recursive views). */
  readonly viewStack: readonly string[];
  /** Inside a subquery in an expression: the enclosing query's scope, for correlated references. */
  readonly outerScope?: Scope | undefined;
}

/** A bound relation: its plan, the names users see, and the scope for references to it. */
export interface Relation {
  readonly plan: LogicalPlan;
  readonly scope: Scope;
}
