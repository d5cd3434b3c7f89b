import type { RecordBatch } from 'apache-arrow';
import { ShoalError, internalError, throwIfAborted } from '../common/index.js';
import { canFail, castColumn, children, evaluateConstant, literal, referencedIds, replaceColumns, type EvalContext, type Expr } from '../expr/index.js';
import {
  ParquetFooter, ParquetReader, inferCsvSchema, readCsv, type CsvOptions, type ParquetDecoderPool, type ParquetFileInfo,
  type ParquetRowGroup,
} from '../formats/index.js';
import { RequestGate, type ExpandOptions, type FileStatus, type FileSystems, type IoOptions, type RandomAccessFile } from '../fs/index.js';
import { canSkip, type ColumnStats } from '../pruning/index.js';
import {
  batchColumn, broadcastScalar, makeBatch, nullColumn, typeName, typesEqual, type Column,
  type ColumnField, type Scalar, type SqlType,
} from '../types/index.js';
import { inferPartitionType, parsePartitionValue, partitionTextOf } from './hive-partitions.js';
import { mapLimit } from './map-limit.js';
import { parquetFooter, type MetadataCache } from './metadata-cache.js';
import { OpenFiles } from './open-files.js';
import { decoderRowFilter, rowFilterFormat, type DecodedColumn, type ScanKeyBits } from './decoder-row-filter.js';
import {
  DEFAULT_MAX_OPEN_FILES, type FilterSupport, type ScanOptions, type ScanPlan, type ScanRequest, type Split, type SplitReader,
  type TableProvider,
} from './table-provider.js';

export type FileFormat = 'parquet' | 'csv';

/** A table over files, as a catalog file or a direct path query describes it. */
export interface FileTableSpec {
  readonly name: string;
  /** Resolved location: a file, a directory or a glob (absolute path or URL). */
  readonly location: string;
  readonly format: FileFormat;
  readonly partitionedBy: readonly string[];
  /** Declared columns (data and partition columns); inferred from the files when undefined. */
  readonly columns?: readonly ColumnField[] | undefined;
  readonly csv: CsvOptions;
  readonly comment?: string | undefined;
  /**
   * A missing location reads as no files instead of FILE_NOT_FOUND: managed tables, whose folder Shoal owns and
   * which on object stores has no objects (so no prefix) until the first write.
   */
  readonly emptyWhenMissing?: boolean | undefined;
}

export interface FileTableEnv {
  readonly fs: FileSystems;
  readonly metadata: MetadataCache;
  readonly ctx: EvalContext;
  /** Parquet decoder workers shared by the engine's scans (default: the process-wide pool). */
  readonly decoderPool?: ParquetDecoderPool | undefined;
}

/** A data column and where it comes from in the files. */
interface DataColumn {
  readonly field: ColumnField;
  /** Parquet: the column's name in the file (matched case-insensitively per file). CSV: its position. */
  readonly fileName: string;
  readonly position: number;
}

/** Footers read at once while planning (each one open file and one request). */
const FOOTER_CONCURRENCY = 8;

type ParquetSplit = Extract<Split, { kind: 'parquet' }>;
type CsvSplit = Extract<Split, { kind: 'csv' }>;

/**
 * A table over Parquet or CSV files: schema from the catalog or inferred from the first file, hive-style
 * partition columns (last, as in Trino), partition pruning and Parquet row-group pruning from footer statistics.
 * Columns are matched to Parquet files by name (case-insensitively; a column missing from a file reads as NULL),
 * to CSV files by position.
 */
export class FileTable implements TableProvider {
  readonly name: string;
  readonly columns: readonly ColumnField[];
  readonly partitionColumns: readonly string[];
  readonly comment: string | undefined;

  private constructor(
    private readonly spec: FileTableSpec,
    private readonly env: FileTableEnv,
    private readonly dataColumns: readonly DataColumn[],
    private readonly partitionTypes: readonly SqlType[],
  ) {
    this.name = spec.name;
    this.partitionColumns = spec.partitionedBy.map((k) => k.toLowerCase());
    this.columns = [
      ...dataColumns.map((d) => d.field),
      ...this.partitionColumns.map((k, i) => ({ name: k, type: partitionTypes[i]!, nullable: true })),
    ];
    this.comment = spec.comment;
  }

  /** Resolves the schema (reading one file's footer or sample when the catalog gives no columns). */
  static async create(spec: FileTableSpec, env: FileTableEnv, o?: ExpandOptions): Promise<FileTable> {
    const keys = spec.partitionedBy.map((k) => k.toLowerCase());
    const declared = spec.columns;
    let files: readonly FileStatus[] | undefined;
    const listFiles = async (): Promise<readonly FileStatus[]> => (files ??= await env.fs.expand(spec.location, o));

    // Partition column types: declared, else inferred from the values in the paths.
    const partitionTypes: SqlType[] = [];
    for (const k of keys) {
      const d = declared?.find((c) => c.name === k);
      if (d !== undefined) partitionTypes.push(d.type);
      else {
        const all = await listFiles();
        const idx = keys.indexOf(k);
        partitionTypes.push(inferPartitionType(all.map((f) => partitionTextOf(f.location, rootOf(spec.location), keys)[idx]!)));
      }
    }

    let dataColumns: DataColumn[];
    if (declared !== undefined) {
      dataColumns = declared
        .filter((c) => !keys.includes(c.name))
        .map((c, i) => ({ field: c, fileName: c.name, position: i }));
    } else {
      const all = await listFiles();
      const first = all[0];
      if (first === undefined) throw new ShoalError('FILE_NOT_FOUND', `No files found at ${spec.location}`, { location: spec.location });
      const fileFields = await readFileFields(spec, env, first, o);
      dataColumns = fileFields
        .filter((f) => !keys.includes(f.name.toLowerCase()))
        .map((f, i) => ({ field: { name: f.name.toLowerCase(), type: f.type, nullable: true }, fileName: f.name, position: i }));
    }
    const seen = new Set<string>();
    for (const c of [...dataColumns.map((d) => d.field.name), ...keys]) {
      if (seen.has(c)) {
        throw new ShoalError('DUPLICATE_COLUMN_NAME', `Table ${spec.name} has two columns named '${c}'`, {
          location: spec.location,
          hint: 'Column names are case-insensitive; rename one of them in the files or declare columns in the catalog',
        });
      }
      seen.add(c);
    }
    return new FileTable(spec, env, dataColumns, partitionTypes);
  }

  get format(): FileFormat {
    return this.spec.format;
  }

  get location(): string {
    return this.spec.location;
  }

  /**
   * Filters over partition columns only are exact: planScan keeps a file only when they hold for its values. Not
   * one that can fail (10 / (month - 3)): whether it raises depends on which rows the other conjuncts leave it, so
   * the Filter above keeps it (planScan still prunes with it).
   */
  supportsFilters(filters: readonly Expr[]): FilterSupport[] {
    return filters.map((f) => (this.decidedByPartitions(f) && !canFail(f) ? 'exact' : 'inexact'));
  }

  /** A deterministic filter that reads partition columns and nothing else. */
  private decidedByPartitions(f: Expr): boolean {
    const ids = referencedIds(f);
    if (ids.size === 0) return false;
    for (const i of ids) if (i < this.dataColumns.length) return false;
    const deterministic = (e: Expr): boolean => (e.kind !== 'call' || e.resolved.deterministic) && children(e).every(deterministic);
    return deterministic(f);
  }

  /**
   * Whether every partition-only filter is TRUE for a file's partition values (NULL or FALSE: skip it). A filter
   * that raises on these values keeps the file: it is one that can fail, which the Filter above still evaluates
   * on the rows the other conjuncts leave it.
   */
  private partitionsPass(filters: readonly Expr[], values: readonly Scalar[]): boolean {
    if (filters.length === 0) return true;
    const nData = this.dataColumns.length;
    const literals = new Map<number, Expr>(values.map((v, k) => [nData + k, literal(v, this.partitionTypes[k]!)]));
    return filters.every((f) => {
      try {
        return evaluateConstant(replaceColumns(f, literals), this.env.ctx) === true;
      } catch (e) {
        if (e instanceof ShoalError) return true;
        throw e;
      }
    });
  }

  /** Statistics of table column `col` over one row group (partition columns: the file's value). */
  private rowGroupStats(byLower: ReadonlyMap<string, ColumnField>, rg: ParquetRowGroup, values: readonly Scalar[], col: number): ColumnStats | undefined {
    const nData = this.dataColumns.length;
    if (col >= nData) {
      const v = values[col - nData];
      return v === null ? { nullCount: rg.numRows, rows: rg.numRows } : { min: v, max: v, nullCount: 0, rows: rg.numRows };
    }
    const dc = this.dataColumns[col]!;
    const fileField = byLower.get(dc.fileName.toLowerCase());
    if (fileField === undefined) return { nullCount: rg.numRows, rows: rg.numRows };
    if (!typesEqual(fileField.type, dc.field.type)) return undefined;
    const chunk = rg.columns.get(fileField.name);
    if (chunk === undefined) return undefined;
    return { ...chunk.statistics, rows: rg.numRows };
  }

  splitStats(split: Split, col: number): ColumnStats | undefined {
    if (split.kind !== 'parquet' || split.footer === undefined) return undefined;
    const info = split.footer.info;
    const rg = info.rowGroups.find((g) => g.index === split.rowGroup);
    return rg === undefined ? undefined : this.rowGroupStats(fileColumnsByLowerName(info), rg, split.partitionValues, col);
  }

  async planScan(req: ScanRequest, o?: ExpandOptions): Promise<ScanPlan> {
    const files = await this.env.fs.expand(this.spec.location, o).catch((e: unknown) => {
      if (this.spec.emptyWhenMissing === true && e instanceof ShoalError && e.code === 'FILE_NOT_FOUND') return [];
      throw e;
    });
    const root = rootOf(this.spec.location);
    const nData = this.dataColumns.length;
    const partitionSets = new Set<string>();
    const keptPartitionSets = new Set<string>();
    const kept: { file: FileStatus; values: Scalar[] }[] = [];
    const byPartitions = req.filters.filter((f) => this.decidedByPartitions(f));
    for (const file of files) {
      const texts = this.partitionColumns.length === 0 ? [] : partitionTextOf(file.location, root, this.partitionColumns);
      const values = texts.map((t, i) => parsePartitionValue(t, this.partitionTypes[i]!, this.partitionColumns[i]!, file.location));
      const key = texts.join('/');
      partitionSets.add(key);
      const stats = (col: number): ColumnStats | undefined => {
        if (col < nData) return undefined;
        const v = values[col - nData];
        return v === null ? { nullCount: 1, rows: 1 } : { min: v, max: v, nullCount: 0, rows: 1 };
      };
      if (req.filters.some((f) => canSkip(f, stats, this.env.ctx)) || !this.partitionsPass(byPartitions, values)) continue;
      keptPartitionSets.add(key);
      kept.push({ file, values });
    }

    const projectedData = req.projection.filter((i) => i < nData);
    if (this.spec.format === 'csv') {
      const splits: Split[] = kept.map(({ file, values }) => ({ kind: 'csv', location: file.location, size: file.size, etag: file.etag, bytes: file.size, partitionValues: values }));
      return {
        splits,
        summary: {
          filesTotal: files.length, filesKept: kept.length, rowGroupsTotal: 0, rowGroupsKept: 0,
          bytesToRead: splits.reduce((a, s) => a + s.bytes, 0),
          partitionsTotal: this.partitionColumns.length === 0 ? 0 : partitionSets.size,
          partitionsKept: this.partitionColumns.length === 0 ? 0 : keptPartitionSets.size,
        },
      };
    }

    // Parquet: read footers (cached), prune row groups by statistics.
    const footers = await mapLimit(kept, FOOTER_CONCURRENCY, (k) => this.footer(k.file, o));
    const splits: Split[] = [];
    let rowGroupsTotal = 0;
    let bytesToRead = 0;
    let rowsPlanned = 0;
    for (let f = 0; f < kept.length; f++) {
      const { file, values } = kept[f]!;
      const footer = footers[f]!;
      const info = footer.info;
      const byLower = fileColumnsByLowerName(info);
      rowGroupsTotal += info.rowGroups.length;
      for (const rg of info.rowGroups) {
        const stats = (col: number): ColumnStats | undefined => this.rowGroupStats(byLower, rg, values, col);
        if (req.filters.some((flt) => canSkip(flt, stats, this.env.ctx))) continue;
        if (req.limit !== undefined && req.filters.length === 0 && rowsPlanned >= req.limit) continue;
        let bytes = 0;
        for (const i of projectedData) {
          const ff = byLower.get(this.dataColumns[i]!.fileName.toLowerCase());
          const chunk = ff === undefined ? undefined : rg.columns.get(ff.name);
          if (chunk !== undefined) bytes += chunk.compressedSize;
        }
        bytesToRead += bytes;
        rowsPlanned += rg.numRows;
        splits.push({ kind: 'parquet', location: file.location, size: file.size, etag: file.etag, rowGroup: rg.index, rows: rg.numRows, bytes, partitionValues: values, footer });
      }
    }
    return {
      splits,
      summary: {
        filesTotal: files.length,
        filesKept: new Set(splits.map((s) => (s.kind === 'parquet' ? s.location : ''))).size,
        rowGroupsTotal,
        rowGroupsKept: splits.length,
        bytesToRead,
        partitionsTotal: this.partitionColumns.length === 0 ? 0 : partitionSets.size,
        partitionsKept: this.partitionColumns.length === 0 ? 0 : keptPartitionSets.size,
      },
    };
  }

  /** The file's footer, from the metadata cache or read now (one open file, one request). */
  private footer(file: FileStatus, o?: IoOptions): Promise<ParquetFooter> {
    return parquetFooter(this.env.fs, this.env.metadata, file, o);
  }

  async *readSplit(split: Split, req: ScanRequest, o?: IoOptions): AsyncIterable<RecordBatch> {
    const scan = this.openScan(req, { ...o, maxOpenFiles: 1 });
    try {
      yield* scan.read(split);
    } finally {
      await scan.close();
    }
  }

  /**
   * Reads a scan's splits sharing open files: a Parquet file's row groups use one handle and one reader (the
   * footer planning read, so no request and no parsing; one decoder state per worker), at most
   * o.maxOpenFiles files open at once, requests bounded by o.gate.
   */
  openScan(req: ScanRequest, o?: ScanOptions): SplitReader {
    const gate = o?.gate ?? new RequestGate();
    const io: IoOptions = { signal: o?.signal, stats: o?.stats };
    const planned = new Map<string, ParquetFooter>();
    const files = new OpenFiles<ParquetReader | undefined>(
      this.env.fs,
      o?.maxOpenFiles ?? DEFAULT_MAX_OPEN_FILES,
      async (file, status) => {
        if (this.spec.format !== 'parquet') return undefined;
        const footer = planned.get(status.location) ?? await this.footer(status, io);
        return ParquetReader.open(file, { ...io, footer, decoderPool: this.env.decoderPool, gate });
      },
      async (reader) => reader?.close(),
    );
    const onDropped = o?.onRowsDropped;
    const read = async function* (this: FileTable, split: Split, keyBits: readonly ScanKeyBits[]): AsyncIterable<RecordBatch> {
      if (split.kind === 'memory') throw new ShoalError('GENERIC_INTERNAL_ERROR', 'memory split given to a file table');
      if (split.kind === 'parquet' && this.dataColumnsOf(req).length === 0) {
        // Only partition columns (or count(*)): the footer's row count is all it takes; the file is not opened.
        yield* constantBatches(this.outputFields(req), req, this.dataColumns.length, split.partitionValues, split.rows);
        return;
      }
      const status: FileStatus = { location: split.location, size: split.size, etag: split.etag };
      if (split.kind === 'parquet' && split.footer !== undefined) planned.set(split.location, split.footer);
      const open = await files.acquire(status, io);
      try {
        if (split.kind === 'csv') yield* this.readCsvSplit(open.file, split, req, io);
        else {
          const reader = await open.attachment;
          if (reader === undefined) throw internalError(`no Parquet reader for ${split.location}`);
          yield* this.readParquet(reader, split, req, { ...io, onDropped }, keyBits);
        }
      } finally {
        files.release(status);
      }
    };
    return { read: (split, keyBits) => read.call(this, split, keyBits ?? []), close: () => files.close() };
  }

  /** The requested columns that are data columns (not partition columns). */
  private dataColumnsOf(req: ScanRequest): number[] {
    return req.projection.filter((i) => i < this.dataColumns.length);
  }

  private async *readParquet(
    reader: ParquetReader, split: ParquetSplit, req: ScanRequest, o: IoOptions & { readonly onDropped?: ((rows: number) => void) | undefined },
    keyBits: readonly ScanKeyBits[],
  ): AsyncIterable<RecordBatch> {
    const byLower = fileColumnsByLowerName(reader.info);
    const nData = this.dataColumns.length;
    const wanted: string[] = [];
    for (const i of req.projection) {
      if (i >= nData) continue;
      const ff = byLower.get(this.dataColumns[i]!.fileName.toLowerCase());
      if (ff !== undefined && !wanted.includes(ff.name)) wanted.push(ff.name);
    }
    if (wanted.length === 0) {
      // None of the requested columns is in this file: they read as NULL.
      yield* constantBatches(this.outputFields(req), req, nData, split.partitionValues, split.rows);
      return;
    }
    const fields = this.outputFields(req);
    // The columns the decoder can test (read as they are, in a format the worker knows) among those it decodes.
    const decoded = (id: number): DecodedColumn | undefined => {
      const dc = this.dataColumns[id];
      const ff = dc === undefined ? undefined : byLower.get(dc.fileName.toLowerCase());
      if (dc === undefined || ff === undefined || !wanted.includes(ff.name) || !typesEqual(ff.type, dc.field.type)) return undefined;
      const format = rowFilterFormat(dc.field.type);
      return format === undefined ? undefined : { name: ff.name, format };
    };
    const rowFilter = decoderRowFilter(req.filters, keyBits, decoded);
    const ro = rowFilter.length === 0 ? o : { ...o, rowFilter };
    for await (const batch of reader.readRowGroup(split.rowGroup, wanted, ro)) {
      throwIfAborted(o?.signal);
      const cols: Column[] = req.projection.map((i) => {
        if (i >= nData) return broadcastScalar(this.columns[i]!.type, split.partitionValues[i - nData]!, batch.numRows);
        const dc = this.dataColumns[i]!;
        const ff = byLower.get(dc.fileName.toLowerCase());
        if (ff === undefined) return nullColumn(dc.field.type, batch.numRows);
        const col = batchColumn(batch, wanted.indexOf(ff.name));
        if (typesEqual(ff.type, dc.field.type)) return col;
        return castFileColumn(col, ff.type, dc.field, split.location);
      });
      yield makeBatch(fields, cols, batch.numRows);
    }
  }

  private async *readCsvSplit(raf: RandomAccessFile, split: CsvSplit, req: ScanRequest, o?: IoOptions): AsyncIterable<RecordBatch> {
    const nData = this.dataColumns.length;
    const fileFields = this.dataColumns.map((d) => d.field);
    const dataProj = req.projection.filter((i) => i < nData);
    // The reader needs at least one column to count rows; read the first when only partition columns are wanted.
    const readProj = dataProj.length === 0 ? [0] : [...new Set(dataProj)];
    const fields = this.outputFields(req);
    for await (const batch of readCsv(raf, this.spec.csv, fileFields, readProj, o)) {
      throwIfAborted(o?.signal);
      const cols: Column[] = req.projection.map((i) =>
        i >= nData ? broadcastScalar(this.columns[i]!.type, split.partitionValues[i - nData]!, batch.numRows) : batchColumn(batch, readProj.indexOf(i)),
      );
      yield makeBatch(fields, cols, batch.numRows);
    }
  }

  private outputFields(req: ScanRequest): ColumnField[] {
    return req.projection.map((i) => this.columns[i]!);
  }
}

function castFileColumn(col: Column, from: SqlType, to: ColumnField, location: string): Column {
  try {
    return castColumn(col, from, to.type, false);
  } catch (e) {
    throw new ShoalError('BAD_DATA', `Column '${to.name}' of ${location} has type ${typeName(from)}, which does not convert to the table's ${typeName(to.type)}`, { location, cause: e });
  }
}

/** Batches of `rows` rows holding only partition values (data columns are never requested here). */
function* constantBatches(fields: ColumnField[], req: ScanRequest, nData: number, values: readonly Scalar[], rows: number): Iterable<RecordBatch> {
  const BATCH = 65536;
  for (let start = 0; start < rows; start += BATCH) {
    const n = Math.min(BATCH, rows - start);
    const cols = req.projection.map((i, k) => broadcastScalar(fields[k]!.type, i >= nData ? values[i - nData]! : null, n));
    yield makeBatch(fields, cols, n);
  }
}

function fileColumnsByLowerName(info: ParquetFileInfo): Map<string, ColumnField> {
  const m = new Map<string, ColumnField>();
  for (const f of info.fields) m.set(f.name.toLowerCase(), f);
  return m;
}

/** The directory partition paths are relative to: the location itself, or the part of a glob before the first wildcard. */
export function rootOf(location: string): string {
  const g = location.search(/[*?[{]/);
  const base = g < 0 ? location : location.slice(0, location.lastIndexOf('/', g) + 1);
  return base.endsWith('/') ? base : `${base}/`;
}

async function readFileFields(spec: FileTableSpec, env: FileTableEnv, file: FileStatus, o?: IoOptions): Promise<readonly ColumnField[]> {
  if (spec.format === 'parquet') return (await parquetFooter(env.fs, env.metadata, file, o)).info.fields;
  const raf = await env.fs.for(file.location).open(file.location, { ...o, status: file });
  try {
    return await inferCsvSchema(raf, spec.csv, o);
  } finally {
    await raf.close();
  }
}
