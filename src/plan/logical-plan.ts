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
