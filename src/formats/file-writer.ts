/**
 * What every format writer (Parquet, CSV) offers the table writer: batches in, one file out through a
 * WritableFileSystem FileWriter. Exactly one of close() or abort() ends a writer.
 */
import type { RecordBatch } from 'apache-arrow';
import type { FileStatus } from '../fs/index.js';

export interface FormatFileWriter {
  readonly location: string;
  /** Rows accepted so far. */
  readonly rows: number;
  /**
   * Bytes of the file handed to storage so far: the table writer starts a new file once this reaches its target
   * size. Parquet grows in whole row groups, CSV in buffered blocks.
   */
  readonly bytesWritten: number;
  /** Appends a batch whose columns are the writer's fields, in order, in canonical layouts. */
  write(batch: RecordBatch): Promise<void>;
  /** Finishes the file (footer, compression trailer) and closes it. */
  close(): Promise<FileStatus>;
  /** Gives up the file: nothing stays at its location. Never throws. */
  abort(): Promise<void>;
}
