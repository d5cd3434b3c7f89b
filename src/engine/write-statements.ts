/**
 * Write statements on files: CREATE TABLE [AS] and INSERT in file catalogs, and UNLOAD to a location. The rows
 * go through a WriteJob (catalog/write-job.ts): staged, then published all or nothing, the table file written
 * last. Each returns Trino's one-row result `rows` (bigint) and QueryResult.writeStats.
 *
 * Managed and external tables (README "Writing tables"): a table created without external_location is managed,
 * its files live under the catalog's warehouse (`<warehouse>/<schema>/<table>/`) and DROP TABLE deletes them; a
 * table with external_location is external and DROP TABLE deletes only its table file.
 */
import { randomBytes } from 'node:crypto';
import type { RecordBatch } from 'apache-arrow';
import { ShoalError, type SourceSpan } from '../common/index.js';
import {
  FileCatalog, MAX_OPEN_PARTITIONS, WriteJob, checkWriteLayout, locationForTableFile, requireEmptyTarget, tableFileText,
  type FileFormat, type WriteCompression, type WriteLayout, type WriteSummary,
} from '../catalog/index.js';
import { DEFAULT_CSV_OPTIONS, type CsvOptions } from '../formats/index.js';
import { hasGlob, isWritable, newIoStats, resolveLocation, schemeOf, type FileSystems, type IoStats, type WritableFileSystem } from '../fs/index.js';
import type * as ast from '../sql/index.js';
import type { ColumnField } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import type { QueryResult, WriteStats } from './query-result.js';
import { executePlan, planQuery, rowsResult, type PlannedQuery } from './run-query.js';
import { ROWS_FIELD, definedColumns, insertColumns, tableBatchFitter, type TableTarget } from './table-target.js';
import { parseWriteProperties } from './write-properties.js';

/** Rows in one Parquet row group at most (row groups also end at parquet_writer_block_size bytes). */
const ROW_GROUP_ROWS = 131_072;

let querySequence = 0;

/**
 * A statement id in Trino's shape (`20240131_120000_00001_k3x9q`): UTC time, a per-process sequence, random
 * letters. It names the statement's staging directory and prefixes the names of the files it writes.
 */
export function newQueryId(now = new Date()): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  const day = `${now.getUTCFullYear()}${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())}`;
  const time = `${p(now.getUTCHours())}${p(now.getUTCMinutes())}${p(now.getUTCSeconds())}`;
  const letters = [...randomBytes(5)].map((b) => 'abcdefghijklmnopqrstuvwxyz234567'[b % 32]).join('');
  querySequence = (querySequence + 1) % 100_000;
  return `${day}_${time}_${p(querySequence, 5)}_${letters}`;
}

/**
 * The file system of a write location: a file catalog's own (its storage settings) for its tables, else the
 * session's. NOT_SUPPORTED for read-only schemes (http).
 */
function writableFs(location: string, registry: FileSystems, span: SourceSpan): WritableFileSystem {
  const fs = registry.for(location);
  if (!isWritable(fs)) {
    throw new ShoalError('NOT_SUPPORTED', `Writing to ${schemeOf(location)}:// locations is not supported`, { span, location, hint: 'Write to a local directory or an object store (s3://, gs://)' });
  }
  return fs;
}

/**
 * Where a statement may write: a directory (no glob), never inside a catalog directory (table files live there).
 * Returns the location without a trailing slash.
 */
function checkWriteLocation(location: string, ctx: StatementContext, span: SourceSpan): string {
  const loc = location.length > 1 ? location.replace(/\/+$/, '') : location;
  if (hasGlob(loc)) throw new ShoalError('INVALID_TABLE_PROPERTY', `A write location must be a directory, not a glob: ${location}`, { span, location });
  for (const name of ctx.catalogs.names()) {
    const c = ctx.catalogs.get(name);
    if (c instanceof FileCatalog && (loc === c.directory || loc.startsWith(`${c.directory}/`) || c.directory.startsWith(`${loc}/`))) {
      throw new ShoalError('INVALID_TABLE_PROPERTY', `Cannot write to ${location}: it overlaps the directory of catalog '${name}' (${c.directory})`, {
        span, location, hint: 'Write data outside the catalog directory; table files live there',
      });
    }
  }
  return loc;
}

/**
 * Allowed roots for a write: the target catalog's allowed_roots (any location it writes), and the engine's for a
 * location named in the statement (external_location, UNLOAD TO). PERMISSION_DENIED names the location and roots.
 */
async function checkWriteRoots(location: string, catalog: FileCatalog | undefined, named: boolean, ctx: StatementContext, span: SourceSpan): Promise<void> {
  try {
    await catalog?.checkLocation(location, 'write');
    if (named) await ctx.pathRoots?.check(location, 'write', 'queries');
  } catch (e) {
    throw e instanceof ShoalError ? e.withSpan(span) : e;
  }
}

/** The query's columns as a written table's columns; DUPLICATE_COLUMN_NAME when two share a name. */
function queryColumns(p: PlannedQuery, aliases: readonly ast.Identifier[] | undefined, span: SourceSpan): ColumnField[] {
  if (aliases !== undefined && aliases.length !== p.fields.length) {
    throw new ShoalError('MISMATCHED_COLUMN_ALIASES', `${aliases.length} column names given for a query with ${p.fields.length} columns`, { span });
  }
  const seen = new Set<string>();
  return p.fields.map((f, i) => {
    const name = (aliases?.[i]?.value ?? f.name).toLowerCase();
    if (seen.has(name)) throw new ShoalError('DUPLICATE_COLUMN_NAME', `Column name '${name}' specified more than once`, { span: aliases?.[i]?.span ?? span, hint: 'Give the columns distinct names with AS' });
    seen.add(name);
    return { name, type: f.type, nullable: true };
  });
}

interface JobRun {
  readonly summary: WriteSummary;
  readonly io: IoStats;
}

/** Where a job writes, so that listings kept of it are forgotten once it ends (committed or not). */
interface JobTarget {
  readonly registry: FileSystems;
  readonly fs: WritableFileSystem;
  readonly location: string;
}

/** Runs the query into a job and commits it; aborts the job (deleting its staging) on any failure or cancel. */
async function runJob(job: WriteJob, at: JobTarget, p: PlannedQuery, write: IoStats, fit: ((b: RecordBatch) => RecordBatch) | undefined, commitPoint?: () => Promise<void>): Promise<JobRun> {
  try {
    for await (const b of executePlan(p)) await job.write(fit === undefined ? b : fit(b));
    const summary = await job.commit(commitPoint);
    return { summary, io: { bytesRead: p.task.io.bytesRead, requests: p.task.io.requests + write.requests, bytesWritten: write.bytesWritten ?? 0 } };
  } catch (e) {
    await job.abort();
    throw e;
  } finally {
    at.registry.listings.invalidate(at.fs, at.location);
  }
}

/** The file layout of a write: the table's columns and partitioning, and the session's size settings. */
function layout(columns: readonly ColumnField[], partitionedBy: readonly string[], format: FileFormat, compression: WriteCompression, csv: CsvOptions, ctx: StatementContext): WriteLayout {
  return {
    columns, partitionedBy, format, compression, csv, targetFileBytes: ctx.write.targetFileBytes,
    rowGroupRows: ROW_GROUP_ROWS, rowGroupBytes: Math.min(ctx.write.rowGroupBytes, ctx.write.targetFileBytes), maxOpenPartitions: MAX_OPEN_PARTITIONS,
  };
}

function writeResult(kind: WriteStats['kind'], targetName: string, location: string, run: JobRun, started: number, ctx: StatementContext, updateType: string): QueryResult {
  const s = run.summary;
  const writeStats: WriteStats = {
    kind, target: targetName, location, rows: s.rows, files: s.files, bytes: s.bytes, partitions: s.partitions,
    filesReplaced: s.filesReplaced, elapsedMs: performance.now() - started,
  };
  return rowsResult(ROWS_FIELD, [[BigInt(s.rows)]], ctx, { updateType, updateCount: s.rows, writeStats, io: run.io });
}

/** Location of a new table: external_location (resolved against the session's directory) or the managed one. */
function newTableLocation(catalog: FileCatalog, t: TableTarget, external: string | undefined, ctx: StatementContext, span: SourceSpan): { location: string; managed: boolean } {
  if (external === undefined) return { location: checkWriteLocation(catalog.managedLocation(t.schema, t.table), ctx, span), managed: true };
  const location = checkWriteLocation(resolveLocation(external, ctx.cwd), ctx, span);
  if (catalog.inWarehouse(location)) {
    throw new ShoalError('INVALID_TABLE_PROPERTY', `external_location ${location} is inside the warehouse of catalog '${catalog.name}' (${catalog.warehouse})`, {
      span, location, hint: 'Managed tables live in the warehouse: leave out external_location, or choose a location outside it',
    });
  }
  return { location, managed: false };
}

async function existingTable(catalog: FileCatalog, t: TableTarget, name: ast.QualifiedName, ifNotExists: boolean): Promise<boolean> {
  if ((await catalog.tableFile(t.schema, t.table)) === undefined) return false;
  if (ifNotExists) return true;
  throw new ShoalError('TABLE_ALREADY_EXISTS', `Table '${t.qualified}' already exists`, { span: name.span });
}

/** CREATE TABLE name (columns) WITH (…) in a file catalog: the table file, and a managed table's empty directory. */
export async function createFileTable(s: ast.CreateTableStatement, t: TableTarget, catalog: FileCatalog, ctx: StatementContext): Promise<QueryResult> {
  const props = parseWriteProperties(s.properties, ctx, { catalog: catalog.name, allowLocation: true });
  if (await existingTable(catalog, t, s.name, s.ifNotExists)) return rowsResult([], [], ctx, { updateType: 'CREATE TABLE' });
  const tableFile = await catalog.newTableFile(t.schema, t.table);
  const columns = definedColumns(s.columns);
  checkWriteLayout(columns, props.partitionedBy, props.format, props.compression);
  const { location, managed } = newTableLocation(catalog, t, props.externalLocation, ctx, s.span);
  await checkWriteRoots(location, catalog, !managed, ctx, s.span);
  const fs = writableFs(location, catalog.fileSystems, s.span);
  if (managed) await requireEmptyTarget(fs, location, `table '${t.qualified}'`, { signal: ctx.signal });
  await fs.ensureDirectory(location, { signal: ctx.signal });
  const text = tableFileText({
    location: locationForTableFile(location, catalog.baseDirectory), format: props.format, partitionedBy: props.partitionedBy,
    columns, managed, compression: props.compression, comment: s.comment,
  });
  await catalog.writeTableFile(tableFile, text, t.qualified);
  return rowsResult([], [], ctx, { updateType: 'CREATE TABLE' });
}

/** CREATE TABLE name [(aliases)] WITH (…) AS query [WITH [NO] DATA] in a file catalog. */
export async function createFileTableAs(s: ast.CreateTableAsStatement, t: TableTarget, catalog: FileCatalog, ctx: StatementContext): Promise<QueryResult> {
  const started = performance.now();
  const props = parseWriteProperties(s.properties, ctx, { catalog: catalog.name, allowLocation: true });
  if (await existingTable(catalog, t, s.name, s.ifNotExists)) {
    return rowsResult(ROWS_FIELD, [[0n]], ctx, { updateType: 'CREATE TABLE', updateCount: 0 });
  }
  const tableFile = await catalog.newTableFile(t.schema, t.table);
  const p = await planQuery(s.query, ctx);
  const columns = queryColumns(p, s.columns, s.span);
  checkWriteLayout(columns, props.partitionedBy, props.format, props.compression);
  const { location, managed } = newTableLocation(catalog, t, props.externalLocation, ctx, s.span);
  await checkWriteRoots(location, catalog, !managed, ctx, s.span);
  const fs = writableFs(location, catalog.fileSystems, s.span);
  const text = tableFileText({
    location: locationForTableFile(location, catalog.baseDirectory), format: props.format, partitionedBy: props.partitionedBy,
    columns, managed, compression: props.compression,
  });
  const commitPoint = async (): Promise<void> => {
    await fs.ensureDirectory(location);
    await catalog.writeTableFile(tableFile, text, t.qualified);
  };
  if (!s.withData) {
    if (managed) await requireEmptyTarget(fs, location, `table '${t.qualified}'`, { signal: ctx.signal });
    await commitPoint();
    return rowsResult(ROWS_FIELD, [[0n]], ctx, { updateType: 'CREATE TABLE', updateCount: 0 });
  }
  const write = newIoStats();
  const job = await WriteJob.start({
    fs, target: location, kind: 'create', queryId: newQueryId(), existingPartitions: 'append', what: `table '${t.qualified}'`,
    layout: layout(columns, props.partitionedBy, props.format, props.compression, DEFAULT_CSV_OPTIONS, ctx),
    tableFile, tableFileExists: async (f) => f === tableFile && (await catalog.tableFile(t.schema, t.table)) !== undefined,
    signal: ctx.signal, stats: write,
  });
  const run = await runJob(job, { registry: catalog.fileSystems, fs, location }, p, write, undefined, commitPoint);
  return writeResult('create', t.qualified, location, run, started, ctx, 'CREATE TABLE');
}

/** INSERT INTO table [(columns)] query, into a table of a file catalog: new files, published all at once. */
export async function insertIntoFileTable(s: ast.InsertStatement, t: TableTarget, catalog: FileCatalog, ctx: StatementContext): Promise<QueryResult> {
  const started = performance.now();
  const tf = await catalog.tableFile(t.schema, t.table);
  if (tf === undefined) throw new ShoalError('TABLE_NOT_FOUND', `Table '${t.qualified}' does not exist`, { span: s.table.span });
  if (tf.content.kind !== 'table') throw new ShoalError('NOT_SUPPORTED', 'Inserting into views is not supported', { span: s.table.span });
  const entry = await catalog.getTable(t.schema, t.table, { signal: ctx.signal });
  if (entry?.kind !== 'table') throw new ShoalError('TABLE_NOT_FOUND', `Table '${t.qualified}' does not exist`, { span: s.table.span });
  const spec = tf.content.spec;
  const provider = entry.provider;
  const location = checkWriteLocation(spec.location, ctx, s.table.span);
  await checkWriteRoots(location, catalog, false, ctx, s.table.span);
  const fs = writableFs(location, catalog.fileSystems, s.table.span);
  if (!(await fs.isDirectory(location, { signal: ctx.signal })) && (await fs.stat(location, { signal: ctx.signal }).then(() => true, () => false))) {
    throw new ShoalError('NOT_SUPPORTED', `Cannot insert into table '${t.qualified}': its location ${location} is a single file, not a directory`, {
      span: s.table.span, location, hint: 'Point the table at a directory to add files to it',
    });
  }
  const compression = tf.content.compression ?? (spec.format === 'parquet' ? 'snappy' : spec.csv.compression === 'gzip' ? 'gzip' : 'none');
  const p = await planQuery(s.query, ctx);
  const fit = tableBatchFitter(p.fields, provider.columns, insertColumns(s, provider.columns, t.qualified), t.qualified, s.span);
  const write = newIoStats();
  const job = await WriteJob.start({
    fs, target: location, kind: 'insert', queryId: newQueryId(), existingPartitions: ctx.write.existingPartitions, what: `table '${t.qualified}'`,
    layout: layout(provider.columns, provider.partitionColumns, spec.format, compression, spec.csv, ctx),
    tableFileExists: async () => true, signal: ctx.signal, stats: write,
  });
  const run = await runJob(job, { registry: catalog.fileSystems, fs, location }, p, write, fit);
  return writeResult('insert', t.qualified, location, run, started, ctx, 'INSERT');
}

/** UNLOAD (query) TO 'location' WITH (…): files at an empty location, no table. */
export async function unload(s: ast.UnloadStatement, ctx: StatementContext): Promise<QueryResult> {
  const started = performance.now();
  const props = parseWriteProperties(s.properties, ctx, { catalog: '', allowLocation: false });
  if (s.location.trim() === '') throw new ShoalError('INVALID_TABLE_PROPERTY', 'UNLOAD needs a location', { span: s.locationSpan });
  const location = checkWriteLocation(resolveLocation(s.location, ctx.cwd), ctx, s.locationSpan);
  await checkWriteRoots(location, undefined, true, ctx, s.locationSpan);
  const fs = writableFs(location, ctx.fs, s.locationSpan);
  const p = await planQuery(s.query, ctx);
  const columns = queryColumns(p, undefined, s.span);
  checkWriteLayout(columns, props.partitionedBy, props.format, props.compression);
  const write = newIoStats();
  const job = await WriteJob.start({
    fs, target: location, kind: 'unload', queryId: newQueryId(), existingPartitions: 'append', what: 'UNLOAD',
    layout: layout(columns, props.partitionedBy, props.format, props.compression, DEFAULT_CSV_OPTIONS, ctx),
    tableFileExists: async () => false, signal: ctx.signal, stats: write,
  });
  const run = await runJob(job, { registry: ctx.fs, fs, location }, p, write, undefined);
  return writeResult('unload', location, location, run, started, ctx, 'UNLOAD');
}
