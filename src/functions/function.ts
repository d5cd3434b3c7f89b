import type { ColumnarValue, Column, SqlType } from '../types/index.js';

/** Evaluation context handed to kernels: the session's time zone and the query's cancellation. */
export interface EvalContext {
  readonly timeZone: string;
  /** The instant the query started, µs since the epoch (current_timestamp is constant within a query). */
  readonly queryStartMicros: bigint;
}

export interface FunctionDoc {
  readonly signature: string;
  readonly description: string;
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
 * DISTINCT use it). NULL arguments are skipped by every aggregate except count(*).
 */
export interface GroupedAccumulator {
  update(args: readonly Column[], groupIds: Int32Array, rows: number, numGroups: number, mask: Uint8Array | null): void;
  /** One value per group, groups 0..numGroups-1, of the resolved return type. */
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
