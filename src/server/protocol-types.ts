/**
 * The JSON shapes of Trino's client protocol (io.trino.client.{QueryResults, StatementStats, QueryError, Column,
 * ClientTypeSignature}), as the Trino CLI, JDBC driver and the npm clients read them.
 */

export type QueryState = 'QUEUED' | 'RUNNING' | 'FINISHED' | 'FAILED';

/** One argument of a type signature: a number (varchar length, decimal precision), a type, or a named row field. */
export type ClientTypeArgument =
  | { readonly kind: 'LONG'; readonly value: number }
  | { readonly kind: 'TYPE'; readonly value: ClientTypeSignature }
  | { readonly kind: 'NAMED_TYPE'; readonly value: { readonly fieldName?: { readonly name: string }; readonly typeSignature: ClientTypeSignature } };

export interface ClientTypeSignature {
  readonly rawType: string;
  readonly arguments: readonly ClientTypeArgument[];
}

export interface ProtocolColumn {
  readonly name: string;
  readonly type: string;
  readonly typeSignature: ClientTypeSignature;
}

export interface ErrorLocation {
  readonly lineNumber: number;
  readonly columnNumber: number;
}

export interface FailureInfo {
  readonly type: string;
  readonly message: string;
  readonly suppressed: readonly FailureInfo[];
  readonly stack: readonly string[];
  readonly errorLocation?: ErrorLocation | undefined;
}

export interface QueryError {
  readonly message: string;
  readonly sqlState?: string | undefined;
  readonly errorCode: number;
  readonly errorName: string;
  readonly errorType: string;
  readonly errorLocation?: ErrorLocation | undefined;
  readonly failureInfo: FailureInfo;
}

export interface StageStats {
  readonly stageId: string;
  readonly state: QueryState;
  readonly done: boolean;
  readonly nodes: number;
  readonly totalSplits: number;
  readonly queuedSplits: number;
  readonly runningSplits: number;
  readonly completedSplits: number;
  readonly cpuTimeMillis: number;
  readonly wallTimeMillis: number;
  readonly processedRows: number;
  readonly processedBytes: number;
  readonly physicalInputBytes: number;
  readonly failedTasks: number;
  readonly coordinatorOnly: boolean;
  readonly subStages: readonly StageStats[];
}

export interface StatementStats {
  readonly state: QueryState;
  readonly queued: boolean;
  readonly scheduled: boolean;
  readonly progressPercentage?: number | undefined;
  readonly nodes: number;
  readonly totalSplits: number;
  readonly queuedSplits: number;
  readonly runningSplits: number;
  readonly completedSplits: number;
  readonly cpuTimeMillis: number;
  readonly wallTimeMillis: number;
  readonly queuedTimeMillis: number;
  readonly elapsedTimeMillis: number;
  readonly processedRows: number;
  readonly processedBytes: number;
  readonly physicalInputBytes: number;
  readonly peakMemoryBytes: number;
  readonly spilledBytes: number;
  readonly rootStage: StageStats;
}

/** A QueryResults page without `data`: the rows are spliced in as pre-encoded JSON text (see query-page.ts). */
export interface QueryResultsHead {
  readonly id: string;
  readonly infoUri: string;
  readonly nextUri?: string | undefined;
  readonly columns?: readonly ProtocolColumn[] | undefined;
  readonly stats: StatementStats;
  readonly error?: QueryError | undefined;
  readonly warnings: readonly never[];
  readonly updateType?: string | undefined;
  readonly updateCount?: number | undefined;
}
