/**
 * One write statement's files, from the first row to the commit: recovery of stale staging and the emptiness
 * check first (under the target's commit lock), then files written under staging (table-writer.ts), then the
 * all-or-nothing publish (write-commit.ts). CREATE TABLE … AS, INSERT and UNLOAD all run through it.
 *
 *   const job = await WriteJob.start({...});
 *   try { for await (const b of rows) await job.write(b); summary = await job.commit(writeTableFile); }
 *   catch (e) { await job.abort(); throw e; }
 */
import type { RecordBatch } from 'apache-arrow';
import { ShoalError } from '../common/index.js';
import type { IoOptions, IoStats, WritableFileSystem } from '../fs/index.js';
import { TableWriter, checkWriteLayout, type TableWriterOptions, type WrittenFile } from './table-writer.js';
import { commitStaged, partitionOf, recoverStaging, requireEmptyTarget, visibleFiles, type CommitPlan, type WriteKind } from './write-commit.js';
import { Staging, stagingRoot, withCommitLock } from './write-staging.js';

/** insert_existing_partitions_behavior, as in Trino. */
export type ExistingPartitionsBehavior = 'append' | 'overwrite' | 'error';

export type WriteLayout = Omit<TableWriterOptions, 'fs' | 'dir' | 'namePrefix' | 'signal' | 'stats'>;

export interface WriteJobOptions {
  readonly fs: WritableFileSystem;
  /** The directory the table's (or UNLOAD's) files live in. */
  readonly target: string;
  readonly kind: WriteKind;
  readonly queryId: string;
  readonly layout: WriteLayout;
  /** INSERT: what happens to partitions that already hold files. */
  readonly existingPartitions: ExistingPartitionsBehavior;
  /** For messages: "table lake.nyc.revenue", "UNLOAD". */
  readonly what: string;
  /** CREATE TABLE: the table file written at the commit point. */
  readonly tableFile?: string | undefined;
  /** Whether a table file exists (recovery of a crashed CREATE TABLE … AS checks its commit point with it). */
  readonly tableFileExists: (file: string) => Promise<boolean>;
  readonly signal?: AbortSignal | undefined;
  readonly stats?: IoStats | undefined;
}

/** What a committed write did. */
export interface WriteSummary {
  readonly rows: number;
  readonly files: number;
  readonly bytes: number;
  /** Partition paths written (`month=3`), sorted; empty for an unpartitioned target. */
  readonly partitions: readonly string[];
  /** Files replaced by an overwrite. */
  readonly filesReplaced: number;
}

export class WriteJob {
  private constructor(private readonly o: WriteJobOptions, private readonly staging: Staging, private readonly writer: TableWriter) {}

  static async start(o: WriteJobOptions): Promise<WriteJob> {
    const io: IoOptions = { signal: o.signal, stats: o.stats };
    // Layout errors (partition order, types) before anything touches the target.
    checkWriteLayout(o.layout.columns, o.layout.partitionedBy, o.layout.format, o.layout.compression);
    try {
      await withCommitLock(o.fs, o.target, o.queryId, async () => {
        await recoverStaging(o.fs, o.target, o.queryId, o.tableFileExists, io);
        if (o.kind !== 'insert') await requireEmptyTarget(o.fs, o.target, o.what, io);
      }, io);
    } catch (e) {
      await o.fs.removeEmptyDirectory(stagingRoot(o.target)).catch(() => {});
      throw e;
    }
    const staging = await Staging.open(o.fs, o.target, o.queryId, io);
    const writer = new TableWriter({ ...o.layout, fs: o.fs, dir: staging.dataDir, namePrefix: o.queryId, signal: o.signal, stats: o.stats });
    return new WriteJob(o, staging, writer);
  }

  write(batch: RecordBatch): Promise<void> {
    return this.writer.write(batch);
  }

  /**
   * Closes the files and publishes them; `commitPoint` runs after every file is in place (CREATE TABLE writes
   * its table file there). Fails (and leaves the target as it was) on a conflict found under the lock.
   */
  async commit(commitPoint: () => Promise<void> = async () => {}): Promise<WriteSummary> {
    const o = this.o;
    const io: IoOptions = { signal: o.signal, stats: o.stats };
    const files = await this.writer.finish();
    const partitions = [...new Set(files.map((f) => f.partition))].sort();
    let replaced = 0;
    await withCommitLock(o.fs, o.target, o.queryId, async () => {
      // A concurrent CREATE TABLE of the same name that committed first wins.
      if (o.tableFile !== undefined && (await o.tableFileExists(o.tableFile))) {
        throw new ShoalError('TABLE_ALREADY_EXISTS', `${o.what[0]!.toUpperCase()}${o.what.slice(1)} already exists`, { hint: 'Another statement created it while this one ran' });
      }
      if (o.kind !== 'insert') await requireEmptyTarget(o.fs, o.target, o.what, io);
      const retire = o.kind === 'insert' && o.existingPartitions !== 'append' ? await this.existing(files, partitions, io) : [];
      replaced = retire.length;
      const plan: CommitPlan = {
        kind: o.kind,
        queryId: o.queryId,
        tableFile: o.tableFile,
        publish: files.map((f) => ({ from: `${this.staging.dataDir}/${f.relPath}`, to: `${o.target}/${f.relPath}` })),
        retire: retire.map((path) => ({ path, aside: `${this.staging.dir}/retired/${path.slice(o.target.length + 1)}` })),
      };
      await commitStaged(o.fs, this.staging, plan, commitPoint, io);
    }, io);
    await o.fs.removeEmptyDirectory(stagingRoot(o.target));
    return {
      rows: files.reduce((a, f) => a + f.rows, 0),
      files: files.length,
      bytes: files.reduce((a, f) => a + f.bytes, 0),
      partitions: partitions.filter((p) => p !== ''),
      filesReplaced: replaced,
    };
  }

  /**
   * The live files the written partitions replace (OVERWRITE), or PARTITION_ALREADY_EXISTS (ERROR). An
   * unpartitioned table counts as one partition: OVERWRITE replaces all its files.
   */
  private async existing(files: readonly WrittenFile[], partitions: readonly string[], io: IoOptions): Promise<string[]> {
    const o = this.o;
    if (files.length === 0) return [];
    const written = new Set(partitions);
    const live = (await visibleFiles(o.fs, o.target, io)).filter((f) => written.has(partitionOf(f.location, o.target)));
    if (o.existingPartitions === 'error' && live.length > 0) {
      const p = partitionOf(live[0]!.location, o.target);
      throw new ShoalError('PARTITION_ALREADY_EXISTS', p === ''
        ? `Cannot insert into ${o.what}: it already holds data and insert_existing_partitions_behavior is 'ERROR'`
        : `Cannot insert into an existing partition of ${o.what}: ${p}`, {
        location: `${o.target}/${p}`,
        hint: "SET SESSION insert_existing_partitions_behavior = 'OVERWRITE' replaces the partitions written; 'APPEND' adds files to them",
      });
    }
    return live.map((f) => f.location);
  }

  /** Drops the statement's files and staging. Never throws. */
  async abort(): Promise<void> {
    await this.writer.abort();
    await this.staging.discard();
    await this.o.fs.removeEmptyDirectory(stagingRoot(this.o.target)).catch(() => {});
  }
}
