import type { RecordBatch, Schema } from 'apache-arrow';
import { toShoalError } from '../common/index.js';
import type { QueryProgress } from '../physical/index.js';
import type { IoStats } from '../fs/index.js';
import { batchColumn, scalarAt, toArrowSchema, type ColumnField, type Scalar } from '../types/index.js';
import { toJsValue, type JsValue } from './js-values.js';

/** What a finished (or failed) query did. */
export interface QueryStats {
  readonly rows: number;
  readonly elapsedMs: number;
  readonly io: IoStats;
  readonly progress: QueryProgress;
}

/**
 * What a write statement (CREATE TABLE … AS, INSERT, UNLOAD) wrote, once it committed: for run reports and
 * progress. `bytes` is the size of the files published; `partitions` the partition paths written.
 */
export interface WriteStats {
  readonly kind: 'create' | 'insert' | 'unload';
  /** The table (catalog.schema.table) or, for UNLOAD, the location. */
  readonly target: string;
  /** The directory the files were published to. */
  readonly location: string;
  readonly rows: number;
  readonly files: number;
  readonly bytes: number;
  readonly partitions: readonly string[];
  /** Files an INSERT with insert_existing_partitions_behavior = 'OVERWRITE' replaced. */
  readonly filesReplaced: number;
  readonly elapsedMs: number;
}

export interface QueryResultInit {
  readonly fields: readonly ColumnField[];
  readonly batches: AsyncIterable<RecordBatch>;
  /** For statements that change state rather than return rows: "USE", "SET SESSION", "CREATE TABLE", "INSERT"… */
  readonly updateType?: string | undefined;
  readonly updateCount?: number | undefined;
  /** Write statements: what was written (see WriteStats). */
  readonly writeStats?: WriteStats | undefined;
  readonly progress: QueryProgress;
  readonly io: IoStats;
  readonly abort: (reason?: unknown) => void;
  readonly onDone?: (() => void) | undefined;
}

/**
 * A query's result: the column schema, and the rows as an async iterable of Arrow RecordBatches, produced lazily
 * as they are pulled. Iterate it once. Breaking out of the iteration (or calling cancel) stops the query and
 * releases its files.
 */
export class QueryResult implements AsyncIterable<RecordBatch> {
  readonly fields: readonly ColumnField[];
  readonly schema: Schema;
  readonly updateType: string | undefined;
  readonly updateCount: number | undefined;
  /** Set for CREATE TABLE … AS, INSERT and UNLOAD once they committed; undefined for other statements. */
  readonly writeStats: WriteStats | undefined;
  readonly progress: QueryProgress;
  private readonly io: IoStats;
  private readonly started = performance.now();
  private rows = 0;
  private finishedAt: number | undefined;
  private consumed = false;

  constructor(private readonly init: QueryResultInit) {
    this.fields = init.fields;
    this.schema = toArrowSchema(init.fields);
    this.updateType = init.updateType;
    this.updateCount = init.updateCount;
    this.writeStats = init.writeStats;
    this.progress = init.progress;
    this.io = init.io;
  }

  get columnNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordBatch> {
    if (this.consumed) throw toShoalError(new Error('a QueryResult can be iterated only once'));
    this.consumed = true;
    const it = this.init.batches[Symbol.asyncIterator]();
    try {
      for (;;) {
        let r: IteratorResult<RecordBatch>;
        try {
          r = await it.next();
        } catch (e) {
          throw toShoalError(e);
        }
        if (r.done === true) break;
        this.rows += r.value.numRows;
        yield r.value;
      }
    } finally {
      this.finishedAt = performance.now();
      await it.return?.();
      this.init.onDone?.();
    }
  }

  /** Stops the query (rows already produced stay valid). */
  cancel(reason?: unknown): void {
    this.init.abort(reason);
  }

  /** Counters so far; final once iteration has ended. */
  stats(): QueryStats {
    return { rows: this.rows, elapsedMs: (this.finishedAt ?? performance.now()) - this.started, io: { ...this.io }, progress: { ...this.progress } };
  }

  /** The rows batch by batch, each row an array of Scalars (for front ends that print rows). */
  async *rowChunks(): AsyncIterable<Scalar[][]> {
    for await (const b of this) {
      const cols = this.fields.map((_, i) => batchColumn(b, i));
      const rows: Scalar[][] = [];
      for (let r = 0; r < b.numRows; r++) rows.push(this.fields.map((f, i) => scalarAt(cols[i]!, f.type, r)));
      yield rows;
    }
  }

  /** Every row as an array of Scalars (exact representation; see types/scalar.ts). For small results. */
  async rowsAsScalars(): Promise<Scalar[][]> {
    const out: Scalar[][] = [];
    for await (const rows of this.rowChunks()) out.push(...rows);
    return out;
  }

  /** Every row as a plain object keyed by column name (see toJsValue). For small results. */
  async toArray(): Promise<Record<string, JsValue>[]> {
    const rows = await this.rowsAsScalars();
    return rows.map((r) => Object.fromEntries(this.fields.map((f, i) => [f.name, toJsValue(r[i]!, f.type)])));
  }
}
