/**
 * Writes a statement's rows as files of one table layout under a (staging) directory: hive-style `key=value`
 * partition directories (partition columns last, not stored in the files), one open file per partition at a
 * time, a new file once the current one reaches the target size, names `<prefix>_<sequence>.<ext>` unique to the
 * statement. It only writes; publishing is write-commit.ts's job.
 */
import type { RecordBatch } from 'apache-arrow';
import { ShoalError } from '../common/index.js';
import {
  CsvFileWriter, ParquetEncoder, ParquetFileWriter, checkCsvTypes, checkParquetTypes, type CsvOptions,
  type FormatFileWriter, type ParquetCompression,
} from '../formats/index.js';
import type { IoStats, WritableFileSystem } from '../fs/index.js';
import {
  batchColumn, dictionaryOf, formatScalar, isDictionary, makeBatch, scalarAt, sliceColumn, stringAt, takeColumn, typeName,
  type Column, type ColumnField,
} from '../types/index.js';
import type { FileFormat } from './file-table.js';
import { escapePartitionValue, isPartitionType } from './hive-partitions.js';

/** Compression of written files: Parquet codecs; CSV knows 'none' and 'gzip'. */
export type WriteCompression = ParquetCompression;

export interface TableWriterOptions {
  readonly fs: WritableFileSystem;
  /** Files go to `<dir>/<partition path>/<name>`. */
  readonly dir: string;
  /** Every column, partition columns last (in partitionedBy order). */
  readonly columns: readonly ColumnField[];
  readonly partitionedBy: readonly string[];
  readonly format: FileFormat;
  readonly compression: WriteCompression;
  /** CSV files: delimiter, quote, NULL text and header as the table reads them. */
  readonly csv: CsvOptions;
  /** File names start with this (the statement's query id). */
  readonly namePrefix: string;
  /** A file is closed once it holds this many bytes (Parquet: checked after each row group). */
  readonly targetFileBytes: number;
  readonly rowGroupRows: number;
  readonly rowGroupBytes: number;
  /** Partitions one statement may have open at once (Trino's hive.max-partitions-per-writers). */
  readonly maxOpenPartitions: number;
  readonly signal?: AbortSignal | undefined;
  readonly stats?: IoStats | undefined;
}

export interface WrittenFile {
  /** Relative to the writer's directory: `month=3/<name>` or `<name>`. */
  readonly relPath: string;
  /** The partition directory relative path (`year=2024/month=3`), '' when not partitioned. */
  readonly partition: string;
  readonly rows: number;
  readonly bytes: number;
}

export const MAX_OPEN_PARTITIONS = 100;
/**
 * Batches larger than this are written in slices, so a file ends within one slice of its target size. Smaller
 * slices cost encoder time (about 45% more at 8192 rows than at 65536 on the taxi data).
 */
const SLICE_ROWS = 65_536;

/** Checks a write layout before any row is computed: partition columns writable and last; column types writable. */
export function checkWriteLayout(columns: readonly ColumnField[], partitionedBy: readonly string[], format: FileFormat, compression: WriteCompression): void {
  const names = columns.map((c) => c.name);
  for (const p of partitionedBy) {
    if (!names.includes(p)) {
      throw new ShoalError('INVALID_TABLE_PROPERTY', `Partition column '${p}' is not a column of the table`, { hint: `Columns: ${names.join(', ')}` });
    }
  }
  if (new Set(partitionedBy).size !== partitionedBy.length) throw new ShoalError('INVALID_TABLE_PROPERTY', `partitioned_by names a column twice: ${partitionedBy.join(', ')}`);
  const tail = names.slice(names.length - partitionedBy.length);
  if (partitionedBy.length > 0 && tail.join('\0') !== partitionedBy.join('\0')) {
    throw new ShoalError('COLUMN_ORDER_MISMATCH', `Partition keys must be the last columns in the table and in the same order as the table properties: [${partitionedBy.join(', ')}]`, {
      hint: `List ${partitionedBy.join(', ')} last in the SELECT, in that order`,
    });
  }
  if (partitionedBy.length === names.length && names.length > 0) {
    throw new ShoalError('INVALID_TABLE_PROPERTY', 'Table contains only partition columns', { hint: 'A partitioned table needs at least one column stored in the files' });
  }
  for (const p of partitionedBy) {
    const c = columns.find((x) => x.name === p)!;
    if (!isPartitionType(c.type)) {
      throw new ShoalError('NOT_SUPPORTED', `Partition column '${p}' has type ${typeName(c.type)}; partition columns can be boolean, tinyint, smallint, integer, bigint, varchar or date`, {
        hint: `Cast it, e.g. CAST(${p} AS varchar)`,
      });
    }
  }
  const data = columns.slice(0, columns.length - partitionedBy.length);
  if (format === 'parquet') checkParquetTypes(data);
  else {
    checkCsvTypes(data);
    if (compression !== 'none' && compression !== 'gzip') {
      throw new ShoalError('INVALID_TABLE_PROPERTY', `CSV files can be written with compression 'NONE' or 'GZIP', not '${compression.toUpperCase()}'`);
    }
  }
}

function extensionOf(format: FileFormat, compression: WriteCompression): string {
  if (format === 'parquet') return '.parquet';
  return compression === 'gzip' ? '.csv.gz' : '.csv';
}

interface OpenPartition {
  readonly path: string;
  file: FormatFileWriter | undefined;
}

/** The escaped path text of each row's value of one partition column. */
function partitionTexts(col: Column, field: ColumnField, rows: number): string[] {
  const out = new Array<string>(rows);
  if (isDictionary(col)) {
    const dict = dictionaryOf(col);
    const texts = Array.from({ length: dict.length }, (_, k) => escapePartitionValue(stringAt(dict, k)));
    const idx = col.values as Int32Array;
    for (let r = 0; r < rows; r++) out[r] = stringAt(col, r) === null ? escapePartitionValue(null) : texts[idx[r]!]!;
    return out;
  }
  for (let r = 0; r < rows; r++) out[r] = escapePartitionValue(formatScalar(scalarAt(col, field.type, r), field.type));
  return out;
}

export class TableWriter {
  private readonly dataFields: readonly ColumnField[];
  private readonly partitions = new Map<string, OpenPartition>();
  private readonly written: WrittenFile[] = [];
  private encoder: ParquetEncoder | undefined;
  private sequence = 0;
  private failed = false;

  constructor(private readonly o: TableWriterOptions) {
    checkWriteLayout(o.columns, o.partitionedBy, o.format, o.compression);
    this.dataFields = o.columns.slice(0, o.columns.length - o.partitionedBy.length);
  }

  /** Rows of `batch` (every column, in table order) go to their partitions' files. */
  async write(batch: RecordBatch): Promise<void> {
    const n = batch.numRows;
    if (n === 0) return;
    const nData = this.dataFields.length;
    const data = this.dataFields.map((_, i) => batchColumn(batch, i));
    if (this.o.partitionedBy.length === 0) {
      await this.writeTo('', makeBatch(this.dataFields, data, n));
      return;
    }
    const keys = this.o.partitionedBy.map((p, k) => {
      const texts = partitionTexts(batchColumn(batch, nData + k), this.o.columns[nData + k]!, n);
      return texts.map((t) => `${p}=${t}`);
    });
    const rowKey = (r: number): string => (keys.length === 1 ? keys[0]![r]! : keys.map((k) => k[r]!).join('/'));
    const groups = new Map<string, number[]>();
    for (let r = 0; r < n; r++) {
      const k = rowKey(r);
      let g = groups.get(k);
      if (g === undefined) groups.set(k, (g = []));
      g.push(r);
    }
    for (const [key, rows] of groups) {
      if (groups.size === 1) await this.writeTo(key, makeBatch(this.dataFields, data, n));
      else {
        const idx = Int32Array.from(rows);
        await this.writeTo(key, makeBatch(this.dataFields, data.map((c) => takeColumn(c, idx, idx.length)), idx.length));
      }
    }
  }

  /** Writes in slices of at most SLICE_ROWS rows, so that a file ends close to the target size whatever the batch size. */
  private async writeTo(partition: string, batch: RecordBatch): Promise<void> {
    const n = batch.numRows;
    if (n <= SLICE_ROWS) return this.writeSlice(partition, batch);
    const cols = this.dataFields.map((_, i) => batchColumn(batch, i));
    for (let at = 0; at < n; at += SLICE_ROWS) {
      const len = Math.min(SLICE_ROWS, n - at);
      await this.writeSlice(partition, makeBatch(this.dataFields, cols.map((c) => sliceColumn(c, at, len)), len));
    }
  }

  private async writeSlice(partition: string, batch: RecordBatch): Promise<void> {
    let p = this.partitions.get(partition);
    if (p === undefined) {
      if (this.partitions.size >= this.o.maxOpenPartitions) {
        throw new ShoalError('TOO_MANY_OPEN_PARTITIONS', `Exceeded limit of ${this.o.maxOpenPartitions} open writers for partitions`, {
          hint: 'Write fewer partitions per statement (e.g. INSERT … WHERE on the partition columns, one range at a time)',
        });
      }
      p = { path: partition, file: undefined };
      this.partitions.set(partition, p);
    }
    p.file ??= await this.openFile(partition);
    await p.file.write(batch);
    if (p.file.bytesWritten >= this.o.targetFileBytes) await this.closeFile(p);
  }

  private async openFile(partition: string): Promise<FormatFileWriter> {
    const name = `${this.o.namePrefix}_${String(this.sequence++).padStart(5, '0')}${extensionOf(this.o.format, this.o.compression)}`;
    const rel = partition === '' ? name : `${partition}/${name}`;
    const sink = await this.o.fs.create(`${this.o.dir}/${rel}`, { signal: this.o.signal, stats: this.o.stats });
    try {
      if (this.o.format === 'parquet') {
        this.encoder ??= new ParquetEncoder();
        return new ParquetFileWriter(this.encoder, sink, this.dataFields, {
          compression: this.o.compression, rowGroupRows: this.o.rowGroupRows, rowGroupBytes: this.o.rowGroupBytes, signal: this.o.signal,
        });
      }
      const csv = this.o.csv;
      return new CsvFileWriter(sink, this.dataFields, {
        delimiter: csv.delimiter, quote: csv.quote, nullString: csv.nullString, header: csv.header, gzip: this.o.compression === 'gzip', signal: this.o.signal,
      });
    } catch (e) {
      await sink.abort();
      throw e;
    }
  }

  private async closeFile(p: OpenPartition): Promise<void> {
    const f = p.file;
    if (f === undefined) return;
    p.file = undefined;
    const st = await f.close();
    const dirLen = this.o.dir.length + 1;
    this.written.push({ relPath: f.location.slice(dirLen), partition: p.path, rows: f.rows, bytes: st.size });
  }

  /** Closes every open file; the files written, in the order they were closed. */
  async finish(): Promise<WrittenFile[]> {
    try {
      for (const p of this.partitions.values()) await this.closeFile(p);
      return this.written.slice().sort((a, b) => (a.relPath < b.relPath ? -1 : a.relPath > b.relPath ? 1 : 0));
    } catch (e) {
      await this.abort();
      throw e;
    } finally {
      await this.encoder?.close();
      this.encoder = undefined;
    }
  }

  /** Drops every open file (the staging directory is deleted by the caller). Never throws. */
  async abort(): Promise<void> {
    if (this.failed) return;
    this.failed = true;
    await Promise.all([...this.partitions.values()].map((p) => p.file?.abort()));
    for (const p of this.partitions.values()) p.file = undefined;
    await this.encoder?.close().catch(() => {});
    this.encoder = undefined;
  }
}
