/**
 * Logical plan nodes. Every node's output is a list of columns with ids unique within the query; expressions
 * above refer to those ids. Nodes are immutable; rules build new nodes and return the same object when nothing
 * changed.
 */
import type { TableProvider } from '../catalog/index.js';
import type { AggregateFunction, Expr, ResolvedAggregate } from '../expr/index.js';
import type { SqlType } from '../types/index.js';

export interface OutCol {
  readonly id: number;
  /** The name a user sees (select alias or column name). */
  readonly name: string;
  readonly type: SqlType;
}

export type LogicalPlan =
  | ScanNode
  | ValuesNode
  | FilterNode
  | ProjectNode
  | AggregateNode
  | SortNode
  | LimitNode
  | JoinNode
  | UnionNode
  | UnnestNode;

export interface ScanNode {
  readonly kind: 'scan';
  readonly table: TableProvider;
  /** Output columns and the table column index each one reads. */
  readonly columns: readonly { readonly col: OutCol; readonly index: number }[];
  /** Conjuncts pushed into the scan for pruning (over the scan's own output ids). */
  readonly filters: readonly Expr[];
  readonly limit?: number | undefined;
}

export interface ValuesNode {
  readonly kind: 'values';
  readonly output: readonly OutCol[];
  /** Constant rows, each expression of its column's type. */
  readonly rows: readonly (readonly Expr[])[];
}

export interface FilterNode {
  readonly kind: 'filter';
  readonly input: LogicalPlan;
  readonly predicate: Expr;
}

export interface ProjectItem {
  readonly col: OutCol;
  readonly expr: Expr;
}

export interface ProjectNode {
  readonly kind: 'project';
  readonly input: LogicalPlan;
  readonly items: readonly ProjectItem[];
}

export interface AggregateCall {
  readonly col: OutCol;
  readonly fn: AggregateFunction;
  readonly resolved: ResolvedAggregate;
  readonly args: readonly Expr[];
  readonly star: boolean;
  readonly distinct: boolean;
  readonly filter?: Expr | undefined;
}

/** Hash aggregation; no groups means one output row over all input (even empty input). */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: LogicalPlan;
  readonly groups: readonly ProjectItem[];
  readonly aggregates: readonly AggregateCall[];
}

export interface SortKey {
  readonly expr: Expr;
  readonly descending: boolean;
  readonly nullsFirst: boolean;
}

export interface SortNode {
  readonly kind: 'sort';
  readonly input: LogicalPlan;
  readonly keys: readonly SortKey[];
  /** Only the first `fetch` rows are needed (set by limit pushdown: top-N). */
  readonly fetch?: number | undefined;
}

export interface LimitNode {
  readonly kind: 'limit';
  readonly input: LogicalPlan;
  readonly offset: number;
  readonly fetch?: number | undefined;
}

export type JoinType = 'inner' | 'left' | 'cross';

export interface EquiCondition {
  /** Over the left input's columns. */
  readonly left: Expr;
  /** Over the right input's columns, of the same type as `left`. */
  readonly right: Expr;
}

/**
 * Joins output the left columns then the right ones. `equi` conditions make it a hash join (the right side is
 * built); `filter` is the rest of the ON condition, evaluated on matched pairs.
 */
export interface JoinNode {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly equi: readonly EquiCondition[];
  readonly filter?: Expr | undefined;
}

/**
 * UNNEST over each input row (CROSS JOIN UNNEST, lateral: `exprs` read the input's columns). Arrays and maps are
 * unnested side by side: row i yields max(cardinality) rows, shorter ones padded with NULL, none when all are
 * NULL or empty. Output: the input's columns, then `columns` (per expression: one per array element, or one per
 * field when the elements are rows, or key and value for a map), then the 1-based `ordinality` if requested.
 */
export interface UnnestNode {
  readonly kind: 'unnest';
  readonly input: LogicalPlan;
  readonly exprs: readonly Expr[];
  readonly columns: readonly OutCol[];
  readonly ordinality?: OutCol | undefined;
}

/** UNION ALL: input columns map to the output columns by position. */
export interface UnionNode {
  readonly kind: 'union';
  readonly inputs: readonly LogicalPlan[];
  readonly output: readonly OutCol[];
}
