import type { JsonValue } from './lossless-json.js';

/**
 * What the remote client reads from Trino's QueryResults pages (io.trino.client.QueryResults and friends).
 * Only the fields Shoal uses; a generic Trino server sends more, which are ignored.
 */
export interface TypeSignature {
  readonly rawType: string;
  readonly arguments: readonly TypeArgument[];
}

export type TypeArgument =
  | { readonly kind: 'LONG'; readonly value: number }
  | { readonly kind: 'TYPE'; readonly value: TypeSignature }
  | { readonly kind: 'NAMED_TYPE'; readonly value: { readonly fieldName?: { readonly name: string } | undefined; readonly typeSignature: TypeSignature } }
  | { readonly kind: 'VARIABLE'; readonly value: string };

/** A result column: its name, Trino's type name (`decimal(10,2)`) and the parsed signature. */
export interface RemoteColumn {
  readonly name: string;
  readonly type: string;
  readonly typeSignature: TypeSignature;
}

/** Progress of a statement as the server reports it (StatementStats). `state` is a hint only. */
export interface RemoteStats {
  readonly state: string;
  readonly queued: boolean;
  readonly scheduled: boolean;
  readonly totalSplits: number;
  readonly completedSplits: number;
  readonly processedRows: number;
  readonly processedBytes: number;
  readonly elapsedTimeMillis: number;
  readonly progressPercentage?: number | undefined;
}

export interface RemoteErrorInfo {
  readonly message: string;
  readonly errorCode?: number | undefined;
  readonly errorName?: string | undefined;
  readonly errorType?: string | undefined;
  readonly errorLocation?: { readonly lineNumber: number; readonly columnNumber: number } | undefined;
}

export interface QueryResultsPage {
  readonly id: string;
  readonly infoUri?: string | undefined;
  readonly nextUri?: string | undefined;
  readonly columns?: readonly RemoteColumn[] | undefined;
  readonly data?: readonly (readonly JsonValue[])[] | undefined;
  readonly stats?: RemoteStats | undefined;
  readonly error?: RemoteErrorInfo | undefined;
  readonly updateType?: string | undefined;
  readonly updateCount?: number | undefined;
}

/** A row as the server sent it: JSON values (decimals, dates and timestamps stay strings). */
export type RemoteRow = readonly JsonValue[];

/** The signature of a type given only by name (servers that omit typeSignature): its raw type, no arguments. */
export function signatureOfName(type: string): TypeSignature {
  const m = /^[a-z ]+/i.exec(type);
  return { rawType: (m === null ? type : m[0]).trim().toLowerCase(), arguments: [] };
}
