import type { ColumnarValue, Column, SqlType } from '../types/index.js';

/** Evaluation context handed to kernels: the session's time zone and the query's cancellation. */
export interface EvalContext {
  readonly timeZone: string;
  /** The instant the query started, µs since the epoch (current_timestamp is constant within a query). */
  readonly queryStartMicros: bigint;
}

/**
 * One row of SHOW FUNCTIONS (one per overload family), in Trino's columns: Argument Types, Return Type,
 * Deterministic, Description. Every registered function carries at least one.
 */
export interface FunctionDoc {
  /** Argument types as Trino lists them: 'varchar', 'bigint', 'T' for any type, 'varchar...' for variadic. */
  readonly argumentTypes: readonly string[];
  readonly returnType: string;
  /** One line saying what the function computes. */
  readonly description: string;
  /** Default true; false when equal arguments may give different results (random()). */
  readonly deterministic?: boolean | undefined;
}

/** `doc('varchar, bigint', 'varchar', 'Substring from start')`: a FunctionDoc with the argument list as text. */
export function doc(argumentTypes: string, returnType: string, description: string, deterministic?: boolean): FunctionDoc {
  const args = argumentTypes.trim() === '' ? [] : argumentTypes.split(',').map((a) => a.trim());
  return deterministic === undefined ? { argumentTypes: args, returnType, description } : { argumentTypes: args, returnType, description, deterministic };
}

/** `substr(varchar, bigint) → varchar`, for hints listing the accepted signatures. */
export function signatureOf(name: string, d: FunctionDoc): string {
  return `${name}(${d.argumentTypes.join(', ')}) → ${d.returnType}`;
}

/**
 * A scalar kernel: whole batches in, one result out. `args` are already of the resolved argument types;
 * the result must have the resolved return type. Strict functions return NULL wherever any argument is NULL.
 */
export type ScalarKernel = (args: readonly ColumnarValue[], rows: number, ctx: EvalContext) => ColumnarValue;

export interface ResolvedScalar {
  /** Types the binder coerces the arguments to before calling. */
  readonly argTypes: readonly SqlType[];
  readonly returnType: SqlType;
  readonly kernel: ScalarKernel;
  /** False for functions whose result varies between calls with the same arguments (random()). */
  readonly deterministic: boolean;
  /**
   * For results of type TIMESTAMP WITH TIME ZONE: the index of a constant argument naming the result's display
   * zone (at_timezone); without it, zone-less results display in the session zone. The binder applies both.
   */
  readonly zoneArgument?: number | undefined;
}

export interface ScalarFunction {
  readonly kind: 'scalar';
  readonly name: string;
  /** Picks an overload for the argument types, or undefined when none fits. */
  resolve(argTypes: readonly SqlType[]): ResolvedScalar | undefined;
  readonly docs: readonly FunctionDoc[];
}

/**
 * Grouped aggregation state: one slot per group id, kept in typed arrays. `update` folds the rows whose
 * `groupIds[i]` is given; rows masked out by `mask` (a bitmap; null = all rows) are skipped (FILTER and
 * DISTINCT use it). NULL arguments are skipped by every aggregate except count(*) (min_by/max_by skip NULL keys
 * only). Rows reach each group in the order given, which ordered aggregates (listagg) rely on. Argument columns
 * may be longer than `rows` (the window operator feeds a prefix of a block): only rows 0..rows-1 are read. The hash
 * aggregation and the window operator share this interface.
 */
/** A batch's rows by group: the rows of group g are rows[start[g]], … rows[start[g + 1] − 1], in row order. */
export interface GroupRuns {
  readonly start: Int32Array;
  readonly rows: Int32Array;
}

/** The runs of one batch's group ids, made on first request and shared by the batch's accumulators; null when not worth it. */
export interface GroupRunsSource {
  get(): GroupRuns | null;
}

export interface GroupedAccumulator {
  /**
   * Adds `rows` rows (those set in `mask`, when given) to their groups. `runs`, when the caller offers it (hash
   * aggregation), gives the same rows by group: order-independent updates (exact sums, counts) may use it.
   */
  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null, runs?: GroupRunsSource): void;
  /**
   * The inverse of `update` for rows added before (sliding window frames), offered only where the state can forget
   * a value exactly: count, count_if, bool_and/bool_or, variance and standard deviation.
   */
  remove?(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void;
  /**
   * One value per group, groups 0..numGroups-1, of the resolved return type; groups no row reached get the empty
   * result (NULL, or 0 for counts). Does not consume the state: more updates and finishes may follow.
   */
  finish(numGroups: number): Column;
  /** Approximate bytes held, for memory accounting. */
  memoryBytes(): number;
}

export interface ResolvedAggregate {
  readonly argTypes: readonly SqlType[];
  readonly returnType: SqlType;
  create(): GroupedAccumulator;
}

export interface AggregateFunction {
  readonly kind: 'aggregate';
  readonly name: string;
  resolve(argTypes: readonly SqlType[], options: { star: boolean; distinct: boolean }): ResolvedAggregate | undefined;
  readonly docs: readonly FunctionDoc[];
}

/**
 * What a window function sees: its argument columns over the rows of a window operator's input, sorted by
 * (partition keys, order keys), and per row the bounds of its partition, its peer group (rows with equal order
 * keys) and its frame. Every bound is a row index into the sorted rows; ends are exclusive. Frames are clamped
 * to the partition and never negative in size (an empty frame has frameEnd = frameStart).
 */
export interface WindowInput {
  readonly args: readonly Column[];
  readonly rows: number;
  readonly partitionStart: Int32Array;
  readonly partitionEnd: Int32Array;
  readonly peerStart: Int32Array;
  readonly peerEnd: Int32Array;
  readonly frameStart: Int32Array;
  readonly frameEnd: Int32Array;
  /** IGNORE NULLS was written (only for functions with `nullTreatment`). */
  readonly ignoreNulls: boolean;
}

export interface ResolvedWindow {
  /** Types the binder coerces the arguments to. */
  readonly argTypes: readonly SqlType[];
  readonly returnType: SqlType;
  /** One value per input row, of the return type. Runs in O(rows) (plus the frame work the function needs). */
  evaluate(input: WindowInput): Column;
}

/** A ranking or value function that exists only with OVER (row_number, rank, lag, first_value, …). */
export interface WindowFunction {
  readonly kind: 'window';
  readonly name: string;
  /** Whether IGNORE NULLS / RESPECT NULLS may follow the call (lag, lead, first_value, last_value, nth_value). */
  readonly nullTreatment: boolean;
  resolve(argTypes: readonly SqlType[]): ResolvedWindow | undefined;
  readonly docs: readonly FunctionDoc[];
}

export type SqlFunction = ScalarFunction | AggregateFunction | WindowFunction;
