import { describe, expect, test } from 'vitest';
import { ShoalError } from '../../../src/common/index.js';
import { Shoal, type Session } from '../../../src/index.js';
import { LocalFileSystem, type FileStatus, type FileSystem, type IoOptions, type OpenOptions, type RandomAccessFile } from '../../../src/fs/index.js';
import { REPO_ROOT, SAMPLE_CATALOG } from '../../support/paths.js';

/**
 * Local files whose data pages cannot be read: a read that starts before the file's Parquet footer fails with
 * IO_ERROR (the tail read that fetches the footer, and reads inside the footer, work). Every read is recorded.
 */
class FooterOnlyFs implements FileSystem {
  readonly scheme = 'file';
  readonly dataReads: { location: string; offset: number; length: number }[] = [];
  private readonly inner = new LocalFileSystem();

  stat(location: string, o?: IoOptions): Promise<FileStatus> {
    return this.inner.stat(location, o);
  }

  isDirectory(location: string): Promise<boolean> {
    return this.inner.isDirectory(location);
  }

  list(prefix: string, o?: IoOptions): AsyncIterable<FileStatus> {
    return this.inner.list(prefix, o);
  }

  async open(location: string, o?: OpenOptions): Promise<RandomAccessFile> {
    const raf = await this.inner.open(location, o);
    const tail = await raf.readTail(8);
    const footerStart = raf.size - 8 - new DataView(tail.buffer, tail.byteOffset).getUint32(0, true);
    const dataReads = this.dataReads;
    return {
      location: raf.location, size: raf.size, etag: raf.etag,
      async read(offset, length, io) {
        if (offset < footerStart) {
          dataReads.push({ location, offset, length });
          throw new ShoalError('IO_ERROR', `Data page read refused at ${location}:${offset}`, { location });
        }
        return raf.read(offset, length, io);
      },
      readTail: (n, io) => raf.readTail(n, io),
      close: () => raf.close(),
    };
  }
}

async function open(): Promise<{ session: Session; fs: FooterOnlyFs }> {
  const shoal = await Shoal.open({ catalogDir: SAMPLE_CATALOG, cwd: REPO_ROOT });
  const fs = new FooterOnlyFs();
  shoal.fs.register(fs);
  return { session: shoal.session({ catalog: 'lake', schema: 'nyc' }), fs };
}

const SQL = 'SELECT month, sum(total_amount) AS revenue FROM yellow_tripdata WHERE month >= 5 GROUP BY 1';

describe('Session.dryRun', () => {
  test('plans a query from footers only: which files, row groups and bytes it would read', async () => {
    const { session, fs } = await open();
    const [st] = session.parse(SQL);
    const plan = await session.dryRun(st!);
    expect(fs.dataReads).toEqual([]);
    expect(plan.action).toBe('planned');
    expect(plan.plan).toMatch(/Scan lake\.nyc\.yellow_tripdata columns=\[total_amount, month\].*partitions=2\/6 files=2\/6/);
    expect(plan.scans).toHaveLength(1);
    const scan = plan.scans[0]!;
    expect(scan).toMatchObject({ table: 'lake.nyc.yellow_tripdata', filesKept: 2, filesTotal: 6, partitionsKept: 2, partitionsTotal: 6 });
    expect(scan.files.map((f) => f.replace(/^.*yellow_tripdata\//, ''))).toEqual(['year=2024/month=5/part-0.parquet', 'year=2024/month=6/part-0.parquet']);
    expect(scan.bytes).toBeGreaterThan(0);
    expect(plan.scanBytes).toBe(scan.bytes);
    // The same statement really run needs the data pages, which this file system refuses.
    await expect(async () => {
      for await (const _ of await session.run(st!)) { /* drain */ }
    }).rejects.toMatchObject({ code: 'IO_ERROR' });
    expect(fs.dataReads.length).toBeGreaterThan(0);
  });

  test('writes plan their SELECT and name the target; session statements run; nothing is created', async () => {
    const { session, fs } = await open();
    const q = SQL.replace('FROM yellow_tripdata', 'FROM lake.nyc.yellow_tripdata');
    const sts = session.parse(`USE memory.default; SET SESSION batch_size = 4096; CREATE TABLE rev AS ${q}; INSERT INTO rev ${q}; DROP TABLE rev`);
    const plans = [];
    for (const st of sts) plans.push(await session.dryRun(st));
    expect(plans.map((p) => [p.action, p.target])).toEqual([
      ['executed', undefined], ['executed', undefined], ['planned', 'memory.default.rev'], ['planned', 'memory.default.rev'], ['not_planned', 'memory.default.rev'],
    ]);
    expect(session.catalog).toBe('memory');
    expect(session.properties.get('batch_size')).toBe('4096');
    expect(fs.dataReads).toEqual([]);
    await expect(session.query('SELECT * FROM rev')).rejects.toMatchObject({ code: 'TABLE_NOT_FOUND' });
  });
});

describe('max_scan_bytes', () => {
  test('a scan over the limit is refused before any data is read, naming planned bytes, the limit and the scan', async () => {
    const { session, fs } = await open();
    await session.query("SET SESSION max_scan_bytes = '10kB'");
    const e = await session.query(SQL).then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(ShoalError);
    const err = e as ShoalError;
    expect(err.code).toBe('EXCEEDED_SCAN_LIMIT');
    expect(err.errorType).toBe('INSUFFICIENT_RESOURCES');
    expect(err.message).toMatch(/^Query would scan [\d.]+ KiB \(\d+ bytes\), more than max_scan_bytes = 10kB; largest scans: lake\.nyc\.yellow_tripdata [\d.]+ KiB \(2 of 6 files, 6 row groups\)$/);
    expect(err.hint).toMatch(/Filter on the partition columns of lake\.nyc\.yellow_tripdata.*SET SESSION max_scan_bytes/);
    expect(fs.dataReads).toEqual([]);
    // A dry run predicts the refusal; EXPLAIN (which reads nothing) still shows the plan.
    await expect(session.dryRun(session.parse(SQL)[0]!)).rejects.toMatchObject({ code: 'EXCEEDED_SCAN_LIMIT' });
    expect(await (await session.query(`EXPLAIN ${SQL}`)).toArray()).toHaveLength(1);
    await expect(session.query(`EXPLAIN ANALYZE ${SQL}`)).rejects.toMatchObject({ code: 'EXCEEDED_SCAN_LIMIT' });
    await expect(session.query(`CREATE TABLE memory.default.big AS ${SQL}`)).rejects.toMatchObject({ code: 'EXCEEDED_SCAN_LIMIT' });
    expect(fs.dataReads).toEqual([]);
  });

  test('a scan under the limit runs; pruning counts (only the kept partitions and columns)', async () => {
    const shoal = await Shoal.open({ catalogDir: SAMPLE_CATALOG, cwd: REPO_ROOT });
    const session = shoal.session({ catalog: 'lake', schema: 'nyc', properties: { max_scan_bytes: '1MB' } });
    const rows = await (await session.query('SELECT count(*) AS n FROM yellow_tripdata WHERE month = 3 AND trip_distance > 10')).toArray();
    expect(rows).toEqual([{ n: 2988n }]);
    await expect(session.query('SELECT * FROM yellow_tripdata')).rejects.toMatchObject({ code: 'EXCEEDED_SCAN_LIMIT' });
    await session.query('RESET SESSION max_scan_bytes');
    expect(await (await session.query('SELECT count(*) AS n FROM yellow_tripdata WHERE fare_amount > 0')).toArray()).toHaveLength(1);
  });

  test('values are data sizes; SHOW SESSION describes the property', async () => {
    const shoal = await Shoal.open();
    const session = shoal.session();
    await session.query('SET SESSION max_scan_bytes = 2048');
    expect(session.properties.get('max_scan_bytes')).toBe('2048B');
    await expect(session.query("SET SESSION max_scan_bytes = 'lots'")).rejects.toMatchObject({ code: 'INVALID_SESSION_PROPERTY' });
    const rows = await (await session.query("SHOW SESSION LIKE 'max_scan%'")).toArray();
    expect(rows).toEqual([expect.objectContaining({ Name: 'max_scan_bytes', Value: '2048B', Default: '0B', Type: 'varchar' })]);
  });
});
