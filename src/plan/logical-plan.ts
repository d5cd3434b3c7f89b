/**
 * Logical plan nodes. Every node's output is a list of columns with ids unique within the query; expressions
 * above refer to those ids. Nodes are immutable; rules build new nodes and return the same object when nothing
 * changed.
 */
import type { TableProvider } from '../catalog/index.js';
import type { AggregateFunction, Expr, ResolvedAggregate, ResolvedWindow, WindowFunction } from '../expr/index.js';
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
  | UnnestNode
  | WindowNode;

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
  /** agg(x ORDER BY y), listagg(…) WITHIN GROUP (ORDER BY y): the order in which each group's rows are fed. */
  readonly orderBy?: readonly SortKey[] | undefined;
}

/**
 * GROUPING SETS / ROLLUP / CUBE: each set lists indices into the node's `groups`. Every input row counts once
 * per set, with the keys absent from the set NULL, and `idCol` (integer) holds the set's index, so a rolled-up
 * NULL stays apart from a NULL key value and grouping() can be computed from it. Duplicate sets are kept (each
 * yields its own rows), as in Trino.
 */
export interface GroupingSets {
  readonly sets: readonly (readonly number[])[];
  readonly idCol: OutCol;
}

/**
 * Hash aggregation; no groups means one output row over all input (even empty input). Output: the group
 * columns, then `groupingSets.idCol` when present, then the aggregates. An empty grouping set also yields one
 * row on empty input.
 */
export interface AggregateNode {
  readonly kind: 'aggregate';
  readonly input: LogicalPlan;
  readonly groups: readonly ProjectItem[];
  readonly aggregates: readonly AggregateCall[];
  readonly groupingSets?: GroupingSets | undefined;
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

/**
 * `mark` joins keep every left row once and append a boolean column saying whether some right row matched: they
 * implement IN and EXISTS subqueries (a filter on the mark makes a semi or anti join). RIGHT joins are LEFT
 * joins with the inputs swapped.
 */
export type JoinType = 'inner' | 'left' | 'full' | 'cross' | 'mark';

export interface EquiCondition {
  /** Over the left input's columns. */
  readonly left: Expr;
  /** Over the right input's columns, of the same type as `left`. */
  readonly right: Expr;
}

/**
 * Joins output the left columns then the right ones (mark joins: the left ones then the mark). `equi`
 * conditions make it a hash join (the right side is built); `filter` is the rest of the ON condition, evaluated
 * on matched pairs.
 */
export interface JoinNode {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly left: LogicalPlan;
  readonly right: LogicalPlan;
  readonly equi: readonly EquiCondition[];
  readonly filter?: Expr | undefined;
  /** mark joins: the boolean output column. */
  readonly mark?: OutCol | undefined;
  /**
   * mark joins for `x IN (subquery)`: `equi` is the single pair (x, y) and it compares three-valued: with no
   * match the mark is NULL when x is NULL or some y is NULL (and the subquery is not empty).
   */
  readonly nullAware?: boolean | undefined;
  /** LEFT joins for scalar subqueries: a left row matching two right rows is SUBQUERY_MULTIPLE_ROWS. */
  readonly singleMatch?: boolean | undefined;
}

/**
 * UNNEST over each input row (CROSS JOIN UNNEST, lateral: `exprs` read the input's columns). Arrays and maps are
 * unnested side by side: row i yields max(cardinality) rows, shorter ones padded with NULL, none when all are
 * NULL or empty. Output: the input's columns, then `columns` (per expression: one per array element, or one per
 * field when the elements are rows, or key and value for a map), then the 1-based `ordinality` if requested.
 * With `outer` (LEFT JOIN UNNEST … ON true) an input row that yields no rows is kept once, with NULL unnested
 * columns and a NULL ordinality.
 */
export interface UnnestNode {
  readonly kind: 'unnest';
  readonly input: LogicalPlan;
  readonly exprs: readonly Expr[];
  readonly columns: readonly OutCol[];
  readonly ordinality?: OutCol | undefined;
  readonly outer?: boolean | undefined;
}

/** UNION ALL: input columns map to the output columns by position. */
export interface UnionNode {
  readonly kind: 'union';
  readonly inputs: readonly LogicalPlan[];
  readonly output: readonly OutCol[];
}

/**
 * A frame bound. `offset` (n PRECEDING / n FOLLOWING) is a non-negative count of rows (ROWS) or peer groups
 * (GROUPS), or for RANGE a distance in the units of the single ORDER BY key's number view (unscaled for decimals,
 * days for dates, microseconds for timestamps); `text` is the offset as written, for EXPLAIN.
 */
export type FrameBound =
  | { readonly kind: 'unbounded_preceding' }
  | { readonly kind: 'preceding'; readonly offset: number; readonly text: string }
  | { readonly kind: 'current_row' }
  | { readonly kind: 'following'; readonly offset: number; readonly text: string }
  | { readonly kind: 'unbounded_following' };

export interface WindowFrame {
  readonly unit: 'rows' | 'range' | 'groups';
  readonly start: FrameBound;
  readonly end: FrameBound;
}

/** What a window call computes: a ranking/value function, or an aggregate over the frame. */
export type WindowFunctionRef =
  | { readonly kind: 'window'; readonly fn: WindowFunction; readonly resolved: ResolvedWindow }
  | { readonly kind: 'aggregate'; readonly fn: AggregateFunction; readonly resolved: ResolvedAggregate; readonly star: boolean };

export interface WindowCall {
  readonly col: OutCol;
  readonly function: WindowFunctionRef;
  /** Over the node's input, coerced to the resolved argument types. */
  readonly args: readonly Expr[];
  readonly frame: WindowFrame;
  readonly ignoreNulls: boolean;
}

/**
 * Window functions sharing one (PARTITION BY, ORDER BY): rows are sorted once by the partition keys then the
 * order keys, and every call is computed per partition. Outputs the input columns, then one column per call.
 * The binder places it after aggregation and HAVING, before the SELECT projection, DISTINCT and ORDER BY.
 */
export interface WindowNode {
  readonly kind: 'window';
  readonly input: LogicalPlan;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly SortKey[];
  readonly calls: readonly WindowCall[];
}
