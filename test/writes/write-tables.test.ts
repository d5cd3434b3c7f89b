import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Session } from '../../src/index.js';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { firstDifference, sortRows, type Cell } from '../support/normalize.js';
import { shoalRows } from '../support/shoal-runner.js';
import { run, writeLake } from '../support/write-lake.js';

// CREATE TABLE … AS, INSERT and UNLOAD on local disk: what Shoal writes, DuckDB reads back with the same rows.
const lake = writeLake('writes');
let session: Session;
let duck: DuckOracle;

beforeAll(async () => {
  session = await lake.session();
  duck = await DuckOracle.create();
  await duck.run("SET TimeZone = 'UTC'");
});
afterAll(() => {
  duck.close();
  lake.remove();
});

/** Every type Shoal writes, from the sample trips of one month (NULLs included: 4% of flags and counts). */
const COLUMNS: readonly { name: string; expr: string; shoal: string; duck: string; duckType: string; nested?: boolean }[] = [
  { name: 'c_bigint', expr: 'passenger_count', shoal: 'c_bigint', duck: 'c_bigint', duckType: 'BIGINT' },
  { name: 'c_integer', expr: 'pulocationid', shoal: 'c_integer', duck: 'c_integer', duckType: 'INTEGER' },
  { name: 'c_smallint', expr: 'CAST(vendorid AS smallint)', shoal: 'c_smallint', duck: 'c_smallint', duckType: 'SMALLINT' },
  { name: 'c_tinyint', expr: 'CAST(payment_type AS tinyint)', shoal: 'c_tinyint', duck: 'c_tinyint', duckType: 'TINYINT' },
  { name: 'c_double', expr: 'trip_distance', shoal: 'c_double', duck: 'c_double', duckType: 'DOUBLE' },
  { name: 'c_real', expr: 'CAST(tip_amount AS real)', shoal: 'c_real', duck: 'c_real', duckType: 'FLOAT' },
  { name: 'c_decimal', expr: 'CAST(total_amount AS decimal(12, 2))', shoal: 'CAST(c_decimal AS varchar)', duck: 'CAST(c_decimal AS VARCHAR)', duckType: 'DECIMAL(12,2)' },
  { name: 'c_boolean', expr: "store_and_fwd_flag = 'Y'", shoal: 'CAST(c_boolean AS varchar)', duck: 'CAST(c_boolean AS VARCHAR)', duckType: 'BOOLEAN' },
  { name: 'c_date', expr: 'CAST(tpep_pickup_datetime AS date)', shoal: 'CAST(c_date AS varchar)', duck: 'CAST(c_date AS VARCHAR)', duckType: 'DATE' },
  { name: 'c_timestamp', expr: 'tpep_pickup_datetime', shoal: "date_format(c_timestamp, '%Y-%m-%d %H:%i:%s.%f')", duck: "strftime(c_timestamp, '%Y-%m-%d %H:%M:%S.%f')", duckType: 'TIMESTAMP' },
  {
    name: 'c_timestamptz', expr: "tpep_dropoff_datetime AT TIME ZONE 'America/New_York'",
    shoal: "date_format(c_timestamptz AT TIME ZONE 'UTC', '%Y-%m-%d %H:%i:%s.%f')", duck: "strftime(c_timestamptz, '%Y-%m-%d %H:%M:%S.%f')", duckType: 'TIMESTAMPTZ',
  },
  { name: 'c_array', expr: 'ARRAY[pulocationid, dolocationid]', shoal: 'cardinality(c_array), element_at(c_array, 2)', duck: 'len(c_array), c_array[2]', duckType: '', nested: true },
  { name: 'c_map', expr: "MAP(ARRAY['pu', 'do'], ARRAY[pulocationid, dolocationid])", shoal: "element_at(c_map, 'pu'), element_at(c_map, 'do')", duck: "c_map['pu'], c_map['do']", duckType: '', nested: true },
  { name: 'c_row', expr: 'CAST(ROW(vendorid, store_and_fwd_flag) AS ROW(v integer, f varchar))', shoal: 'c_row.v, c_row.f', duck: 'c_row.v, c_row.f', duckType: '', nested: true },
  // Last: the partition column when a test partitions.
  { name: 'c_varchar', expr: 'store_and_fwd_flag', shoal: 'c_varchar', duck: 'c_varchar', duckType: 'VARCHAR' },
];
const SOURCE = 'FROM yellow_tripdata WHERE month = 1 AND pulocationid < 90';

function columnsFor(nested: boolean): typeof COLUMNS {
  return COLUMNS.filter((c) => nested || c.nested !== true);
}

function ctasSelect(nested: boolean): string {
  return `SELECT ${columnsFor(nested).map((c) => `${c.expr} AS ${c.name}`).join(', ')} ${SOURCE}`;
}

async function shoalSorted(sql: string): Promise<Cell[][]> {
  return sortRows((await shoalRows(session, sql)).rows);
}

/** The written table read by Shoal, by DuckDB from the files, and the source query: all three the same rows. */
async function expectRoundTrip(table: string, files: string, nested: boolean): Promise<void> {
  const cols = columnsFor(nested);
  const ours = await shoalSorted(`SELECT ${cols.map((c) => c.shoal).join(', ')} FROM ${table}`);
  const source = await shoalSorted(`SELECT ${cols.map((c) => c.shoal).join(', ')} FROM (${ctasSelect(nested)})`);
  const theirs = sortRows((await duck.query(`SELECT ${cols.map((c) => c.duck).join(', ')} FROM ${files}`)).rows);
  expect(ours.length).toBeGreaterThan(1000);
  expect(firstDifference(ours, source)).toBeUndefined();
  expect(firstDifference(ours, theirs)).toBeUndefined();
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe('CREATE TABLE … AS writes files DuckDB reads', () => {
  test('Parquet, every type: Shoal, DuckDB and the source query agree; the table file is written last with the columns', async () => {
    const r = await session.query(`CREATE TABLE all_types WITH (compression = 'ZSTD') AS ${ctasSelect(true)}`);
    const rows = await r.toArray();
    expect(r.fields).toEqual([{ name: 'rows', type: { kind: 'bigint' }, nullable: true }]);
    expect(r.updateType).toBe('CREATE TABLE');
    const loc = path.join(lake.warehouse, 'nyc', 'all_types');
    expect(r.writeStats).toMatchObject({ kind: 'create', target: 'lake.nyc.all_types', location: loc, files: 1, partitions: [] });
    expect(r.writeStats!.rows).toBe(Number(rows[0]!['rows']));
    expect(r.writeStats!.bytes).toBe(statSync(path.join(loc, filesUnder(loc)[0]!)).size);
    const def = JSON.parse(readFileSync(path.join(lake.schemaDir, 'all_types.json'), 'utf8')) as Record<string, unknown>;
    expect(def).toMatchObject({ location: 'warehouse/lake/nyc/all_types', format: 'parquet', managed: true, compression: 'zstd' });
    expect(def['columns']).toContainEqual({ name: 'c_timestamptz', type: 'timestamp(6) with time zone' });
    expect(def['columns']).toContainEqual({ name: 'c_row', type: 'row(v integer, f varchar)' });
    await expectRoundTrip('all_types', `read_parquet('${loc}/*.parquet')`, true);
    const meta = await duck.query(`SELECT DISTINCT compression FROM parquet_metadata('${loc}/*.parquet')`);
    expect(meta.rows).toEqual([['ZSTD']]);
  });

  test('Parquet partitioned by a varchar with NULLs: hive directories, __HIVE_DEFAULT_PARTITION__, the column not in the files', async () => {
    await run(session, `CREATE TABLE by_flag WITH (partitioned_by = ARRAY['c_varchar']) AS ${ctasSelect(true)}`);
    const loc = path.join(lake.warehouse, 'nyc', 'by_flag');
    expect(readdirSync(loc).sort()).toEqual(['c_varchar=N', 'c_varchar=Y', 'c_varchar=__HIVE_DEFAULT_PARTITION__']);
    const inFile = await duck.query(`SELECT name FROM parquet_schema('${loc}/c_varchar=N/*.parquet') WHERE name = 'c_varchar'`);
    expect(inFile.rows).toEqual([]);
    await expectRoundTrip('by_flag', `read_parquet('${loc}/**/*.parquet', hive_partitioning = true)`, true);
  });

  test('CSV, gzip, partitioned: RFC 4180 with a header; DuckDB reads the same rows', async () => {
    await run(session, `CREATE TABLE csv_flag WITH (format = 'CSV', compression = 'GZIP', partitioned_by = ARRAY['c_varchar']) AS ${ctasSelect(false)}`);
    const loc = path.join(lake.warehouse, 'nyc', 'csv_flag');
    const files = filesUnder(loc);
    expect(files.every((f) => f.endsWith('.csv.gz'))).toBe(true);
    const types = columnsFor(false).filter((c) => c.name !== 'c_varchar').map((c) => `'${c.name}': '${c.duckType}'`).join(', ');
    await expectRoundTrip('csv_flag', `read_csv('${loc}/**/*.csv.gz', header = true, hive_partitioning = true, columns = {${types}})`, false);
  });

  test('CSV text: header, NULL as an empty field, quoted empty string and delimiters, DESIGN §5 formatting', async () => {
    await run(session, `UNLOAD (SELECT * FROM (VALUES (1, 'a,b', '', CAST(NULL AS varchar), DECIMAL '1.50', DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.5', 2.0E0, true),
      (2, 'say "hi"', 'x', 'line
break', DECIMAL '-0.05', DATE '1999-12-31', TIMESTAMP '2024-01-02 03:04:05', -1.5E0, false)) AS t(id, a, b, c, d, e, f, g, h)) TO 'csv-text' WITH (format = 'CSV')`);
    const dir = path.join(lake.root, 'csv-text');
    const text = readFileSync(path.join(dir, filesUnder(dir)[0]!), 'utf8');
    expect(text).toBe([
      'id,a,b,c,d,e,f,g,h',
      '1,"a,b","",,1.50,2024-01-02,2024-01-02 03:04:05.5,2.0,true',
      '2,"say ""hi""",x,"line\nbreak",-0.05,1999-12-31,2024-01-02 03:04:05,-1.5,false',
      '',
    ].join('\n'));
    // Shoal reads its own CSV back: '' stays an empty string, the empty field is NULL.
    expect(await run(session, `SELECT id, b, c FROM read_csv('csv-text/*.csv') ORDER BY id`)).toEqual([
      { id: 1n, b: '', c: null }, { id: 2n, b: 'x', c: 'line\nbreak' },
    ]);
  });

  test('partition values are escaped as Hive does and read back unchanged', async () => {
    await run(session, `CREATE TABLE odd_keys WITH (partitioned_by = ARRAY['k']) AS SELECT * FROM (VALUES
      (1, 'a/b'), (2, 'x=y'), (3, '50%'), (4, 'c:d'), (5, 'new york'), (6, 'zürich'), (7, ''), (8, '#?*'), (9, '.hidden')) AS t(id, k)`);
    const loc = path.join(lake.warehouse, 'nyc', 'odd_keys');
    expect(readdirSync(loc).sort()).toEqual([
      'k=%23%3F%2A', 'k=.hidden', 'k=50%25', 'k=__HIVE_DEFAULT_PARTITION__', 'k=a%2Fb', 'k=c%3Ad', 'k=new york', 'k=x%3Dy', 'k=zürich',
    ]);
    expect(await run(session, 'SELECT id, k FROM odd_keys ORDER BY id')).toEqual([
      { id: 1, k: 'a/b' }, { id: 2, k: 'x=y' }, { id: 3, k: '50%' }, { id: 4, k: 'c:d' }, { id: 5, k: 'new york' },
      { id: 6, k: 'zürich' }, { id: 7, k: null }, { id: 8, k: '#?*' }, { id: 9, k: '.hidden' },
    ]);
  });

  test('files roll over at target_max_file_size; every row is still there', async () => {
    const s = await lake.session({ target_max_file_size: '16kB', parquet_writer_block_size: '4kB' });
    const r = await s.query("CREATE TABLE rolled AS SELECT tpep_pickup_datetime, total_amount FROM yellow_tripdata");
    await r.toArray();
    expect(r.writeStats!.files).toBeGreaterThanOrEqual(3);
    const loc = path.join(lake.warehouse, 'nyc', 'rolled');
    expect(filesUnder(loc)).toHaveLength(r.writeStats!.files);
    expect(await run(s, 'SELECT count(*) AS n, sum(total_amount) AS t FROM rolled')).toEqual(await run(s, 'SELECT count(*) AS n, sum(total_amount) AS t FROM yellow_tripdata'));
  });

  test("statistics in Shoal's own output prune row groups (EXPLAIN) and the answer is unchanged", async () => {
    const s = await lake.session({ parquet_writer_block_size: '64kB', batch_size: '1024' });
    await run(s, 'CREATE TABLE sorted_trips AS SELECT tpep_pickup_datetime AS picked_up, total_amount FROM yellow_tripdata WHERE month = 1 ORDER BY 1');
    const q = "SELECT count(*) AS n FROM sorted_trips WHERE picked_up < TIMESTAMP '2024-01-03 00:00:00'";
    const plan = String((await run(s, `EXPLAIN ${q}`))[0]!['Query Plan']);
    const m = /row_groups=(\d+)\/(\d+)/.exec(plan);
    expect(m, plan).not.toBeNull();
    expect(Number(m![2])).toBeGreaterThan(2);
    expect(Number(m![1])).toBeLessThan(Number(m![2]));
    expect(await run(s, q)).toEqual(await run(s, "SELECT count(*) AS n FROM yellow_tripdata WHERE month = 1 AND tpep_pickup_datetime < TIMESTAMP '2024-01-03 00:00:00'"));
    const dict = await duck.query(`SELECT DISTINCT encodings FROM parquet_metadata('${path.join(lake.warehouse, 'nyc', 'sorted_trips')}/*.parquet') WHERE path_in_schema = 'total_amount'`);
    expect(String(dict.rows[0]![0])).toContain('DICTIONARY');
  });
});

describe('INSERT into file tables', () => {
  const month = (m: number): string => `SELECT pulocationid AS zone, count(*) AS trips, CAST(month AS integer) AS month FROM yellow_tripdata WHERE month = ${m} GROUP BY 1, 3`;
  const counts = (s: Session): Promise<Record<string, unknown>[]> => run(s, 'SELECT month, count(*) AS n, sum(trips) AS trips FROM monthly GROUP BY 1 ORDER BY 1');

  test('INSERT appends new files; OVERWRITE replaces only the partitions written; ERROR refuses an existing one', async () => {
    const s = await lake.session();
    await run(s, `CREATE TABLE monthly WITH (partitioned_by = ARRAY['month']) AS ${month(1)} UNION ALL ${month(2)}`);
    const loc = path.join(lake.warehouse, 'nyc', 'monthly');
    const before = await counts(s);
    const r = await s.query(`INSERT INTO monthly ${month(1)}`);
    expect(await r.toArray()).toEqual([{ rows: before[0]!['n'] }]);
    expect(r.writeStats).toMatchObject({ kind: 'insert', files: 1, partitions: ['month=1'], filesReplaced: 0 });
    expect(filesUnder(path.join(loc, 'month=1'))).toHaveLength(2);
    const doubled = await counts(s);
    expect(doubled[0]!['trips']).toBe((before[0]!['trips'] as bigint) * 2n);

    const month2Files = filesUnder(path.join(loc, 'month=2')).map((f) => [f, statSync(path.join(loc, 'month=2', f)).mtimeMs]);
    await run(s, "SET SESSION insert_existing_partitions_behavior = 'OVERWRITE'");
    const o = await s.query(`INSERT INTO monthly ${month(1)} UNION ALL ${month(3)}`);
    await o.toArray();
    expect(o.writeStats).toMatchObject({ partitions: ['month=1', 'month=3'], filesReplaced: 2 });
    expect(await counts(s)).toEqual([before[0], before[1], { month: 3, n: expect.any(BigInt), trips: expect.any(BigInt) }]);
    expect(filesUnder(path.join(loc, 'month=1'))).toHaveLength(1);
    // The partition not written keeps its very files.
    expect(filesUnder(path.join(loc, 'month=2')).map((f) => [f, statSync(path.join(loc, 'month=2', f)).mtimeMs])).toEqual(month2Files);
    // Running the same overwrite again gives the same table: retries are safe.
    await run(s, `INSERT INTO monthly ${month(1)} UNION ALL ${month(3)}`);
    expect((await counts(s))[0]).toEqual(before[0]);

    await run(s, "SET SESSION insert_existing_partitions_behavior = 'ERROR'");
    await expect(run(s, `INSERT INTO monthly ${month(2)}`)).rejects.toMatchObject({
      code: 'PARTITION_ALREADY_EXISTS', message: "Cannot insert into an existing partition of table 'lake.nyc.monthly': month=2",
    });
    await run(s, `INSERT INTO monthly ${month(4)}`);
    expect((await counts(s)).map((r) => r['month'])).toEqual([1, 2, 3, 4]);
    expect(existsSync(path.join(loc, '.shoal-staging'))).toBe(false);
  });

  test('INSERT with a column list casts to the table types and fills the rest with NULL; OVERWRITE of an unpartitioned table replaces it', async () => {
    const s = await lake.session();
    await run(s, "CREATE TABLE plain (id bigint, name varchar, amount decimal(10, 2)) WITH (format = 'CSV')");
    expect(await run(s, 'SELECT count(*) AS n FROM plain')).toEqual([{ n: 0n }]);
    await run(s, "INSERT INTO plain (amount, id) VALUES (1.5, 1), (2.25, 2)");
    await run(s, "INSERT INTO plain VALUES (3, 'three', 3)");
    expect(await run(s, 'SELECT id, name, amount FROM plain ORDER BY id')).toEqual([
      { id: 1n, name: null, amount: '1.50' }, { id: 2n, name: null, amount: '2.25' }, { id: 3n, name: 'three', amount: '3.00' },
    ]);
    await run(s, "SET SESSION insert_existing_partitions_behavior = 'OVERWRITE'", "INSERT INTO plain VALUES (9, 'nine', 9)");
    expect(await run(s, 'SELECT id FROM plain')).toEqual([{ id: 9n }]);
    await expect(run(s, "INSERT INTO plain (nope) VALUES (1)")).rejects.toMatchObject({ code: 'COLUMN_NOT_FOUND' });
    await expect(run(s, "INSERT INTO plain VALUES (1, 'x')")).rejects.toMatchObject({ code: 'TYPE_MISMATCH' });
  });

  test('a statement that fails half-way leaves the table as it was and no staging behind', async () => {
    const s = await lake.session({ batch_size: '1024' });
    await run(s, 'CREATE TABLE fragile AS SELECT pulocationid, total_amount FROM yellow_tripdata WHERE month = 1');
    const loc = path.join(lake.warehouse, 'nyc', 'fragile');
    const files = filesUnder(loc);
    // Fails on a row far into the scan, after files were started.
    const late = "CASE WHEN tpep_pickup_datetime < TIMESTAMP '2024-01-25 00:00:00' THEN 1 ELSE 1 / (vendorid - vendorid) END";
    await expect(run(s, `INSERT INTO fragile SELECT pulocationid, total_amount * ${late} FROM yellow_tripdata WHERE month = 1`))
      .rejects.toMatchObject({ code: 'DIVISION_BY_ZERO' });
    expect(filesUnder(loc)).toEqual(files);
    await expect(run(s, `CREATE TABLE fragile2 AS SELECT ${late} AS x FROM yellow_tripdata WHERE month = 1`)).rejects.toMatchObject({ code: 'DIVISION_BY_ZERO' });
    expect(existsSync(path.join(lake.schemaDir, 'fragile2.json'))).toBe(false);
    expect(filesUnder(path.join(lake.warehouse, 'nyc', 'fragile2'))).toEqual([]);
  });
});

describe('concurrent writers', () => {
  test('two CREATE TABLE … AS of one table at once: one commits, the other fails and leaves nothing; concurrent INSERTs both land', async () => {
    const [a, b] = [await lake.session(), await lake.session()];
    const sql = 'CREATE TABLE raced AS SELECT pulocationid, total_amount FROM yellow_tripdata WHERE month = 2';
    const results = await Promise.allSettled([run(a, sql), run(b, sql)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(['TABLE_ALREADY_EXISTS', 'PATH_ALREADY_EXISTS']).toContain((failed.reason as { code: string }).code);
    const n = (await run(a, 'SELECT count(*) AS n FROM yellow_tripdata WHERE month = 2'))[0]!['n'] as bigint;
    expect(await run(a, 'SELECT count(*) AS n FROM raced')).toEqual([{ n }]);
    await Promise.all([run(a, 'INSERT INTO raced SELECT pulocationid, total_amount FROM yellow_tripdata WHERE month = 2'), run(b, 'INSERT INTO raced SELECT pulocationid, total_amount FROM yellow_tripdata WHERE month = 2')]);
    expect(await run(a, 'SELECT count(*) AS n FROM raced')).toEqual([{ n: 3n * n }]);
    expect(existsSync(path.join(lake.warehouse, 'nyc', 'raced', '.shoal-staging'))).toBe(false);
  });
});

describe('cancel', () => {
  test('a statement canceled while writing leaves no table, no file and no staging', async () => {
    const s = await lake.session({ target_max_file_size: '64kB' });
    const ac = new AbortController();
    const loc = path.join(lake.warehouse, 'nyc', 'canceled');
    const watch = setInterval(() => {
      if (filesUnder(loc).some((f) => f.includes('/data/'))) ac.abort();
    }, 5);
    try {
      await expect(s.query("CREATE TABLE canceled AS SELECT t.*, c.k FROM yellow_tripdata t CROSS JOIN (VALUES 1, 2, 3) AS c(k)", { signal: ac.signal }))
        .rejects.toMatchObject({ code: 'USER_CANCELED' });
    } finally {
      clearInterval(watch);
    }
    expect(ac.signal.aborted).toBe(true);
    expect(existsSync(path.join(lake.schemaDir, 'canceled.json'))).toBe(false);
    expect(filesUnder(loc)).toEqual([]);
  });
});

describe('UNLOAD, CREATE TABLE (columns), DROP TABLE', () => {
  test('UNLOAD writes Parquet to an empty location and refuses a non-empty one', async () => {
    const r = await session.query("UNLOAD (SELECT borough, count(*) AS zones FROM taxi_zone_lookup GROUP BY 1) TO 'exports/zones/' WITH (format = 'PARQUET')");
    expect(await r.toArray()).toEqual([{ rows: 7n }]);
    expect(r.updateType).toBe('UNLOAD');
    const dir = path.join(lake.root, 'exports', 'zones');
    expect(filesUnder(dir)).toHaveLength(1);
    expect((await duck.query(`SELECT sum(zones) FROM read_parquet('${dir}/*.parquet')`)).rows).toEqual([[265]]);
    await expect(run(session, "UNLOAD (SELECT 1 AS x) TO 'exports/zones'")).rejects.toMatchObject({
      code: 'PATH_ALREADY_EXISTS', message: expect.stringContaining(`Target directory for UNLOAD already exists and is not empty: ${dir}`),
    });
  });

  test('CREATE TABLE with external_location registers existing files; DROP of an external table keeps them', async () => {
    const dir = path.join(lake.root, 'exports', 'zones');
    await run(session, "CREATE TABLE zones_ext (borough varchar, zones bigint) WITH (external_location = 'exports/zones')");
    expect(await run(session, 'SELECT sum(zones) AS n FROM zones_ext')).toEqual([{ n: 265n }]);
    expect(JSON.parse(readFileSync(path.join(lake.schemaDir, 'zones_ext.json'), 'utf8'))).toMatchObject({ location: 'exports/zones', managed: false });
    await run(session, 'DROP TABLE zones_ext');
    expect(existsSync(path.join(lake.schemaDir, 'zones_ext.json'))).toBe(false);
    expect(filesUnder(dir)).toHaveLength(1);
  });

  test('DROP of a managed table deletes its files; CREATE TABLE … WITH NO DATA makes an empty managed table', async () => {
    await run(session, 'CREATE TABLE doomed AS SELECT 1 AS x');
    const loc = path.join(lake.warehouse, 'nyc', 'doomed');
    expect(filesUnder(loc)).toHaveLength(1);
    await run(session, 'DROP TABLE doomed');
    expect(existsSync(loc)).toBe(false);
    await run(session, 'DROP TABLE IF EXISTS doomed');
    await run(session, 'CREATE TABLE doomed AS SELECT 1 AS x, 2 AS y WITH NO DATA');
    expect(await run(session, 'SELECT count(*) AS n FROM doomed')).toEqual([{ n: 0n }]);
    await run(session, 'INSERT INTO doomed VALUES (3, 4)');
    expect(await run(session, 'SELECT x, y FROM doomed')).toEqual([{ x: 3, y: 4 }]);
  });
});

describe('EXPLAIN of write statements', () => {
  test('shows the writer over the plan of its query, with what the scans read, and writes nothing', async () => {
    const plan = String((await run(session, "EXPLAIN CREATE TABLE planned WITH (partitioned_by = ARRAY['month']) AS SELECT pulocationid, count(*) AS n, month FROM yellow_tripdata WHERE month = 3 GROUP BY 1, 3"))[0]!['Query Plan']);
    expect(plan.split('\n')[0]).toBe('TableWriter CREATE TABLE planned');
    expect(plan).toMatch(/\n {6,}Scan lake\.nyc\.yellow_tripdata .*partitions=1\/6 files=1\/6/);
    expect(existsSync(path.join(lake.schemaDir, 'planned.json'))).toBe(false);
    expect(existsSync(path.join(lake.warehouse, 'nyc', 'planned'))).toBe(false);
    expect(String((await run(session, "EXPLAIN UNLOAD (SELECT 1 AS x) TO 'never'"))[0]!['Query Plan'])).toMatch(/^TableWriter UNLOAD TO 'never'\n/);
    await expect(run(session, "EXPLAIN ANALYZE INSERT INTO yellow_tripdata SELECT * FROM yellow_tripdata")).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
  });
});

describe('write errors say what is wrong', () => {
  const fails = async (sql: string, code: string, message: RegExp | string): Promise<void> => {
    let error: unknown;
    try {
      await run(session, sql);
    } catch (e) {
      error = e;
    }
    expect(error, sql).toMatchObject({ code });
    const m = (error as Error & { describe(): string }).describe();
    if (typeof message === 'string') expect(m).toContain(message);
    else expect(m).toMatch(message);
  };

  test.each([
    ["CREATE TABLE e1 WITH (partitioned_by = ARRAY['zone']) AS SELECT zone, locationid FROM taxi_zone_lookup", 'COLUMN_ORDER_MISMATCH', 'Partition keys must be the last columns in the table and in the same order as the table properties: [zone]'],
    ["CREATE TABLE e1 WITH (partitioned_by = ARRAY['nope']) AS SELECT 1 AS x", 'INVALID_TABLE_PROPERTY', "Partition column 'nope' is not a column of the table"],
    ["CREATE TABLE e1 WITH (partitioned_by = ARRAY['x']) AS SELECT 1.5E0 AS y, 2.5E0 AS x", 'NOT_SUPPORTED', "Partition column 'x' has type double"],
    ['CREATE TABLE e1 WITH (formt = 1) AS SELECT 1 AS x', 'INVALID_TABLE_PROPERTY', "Catalog 'lake' table property 'formt' does not exist. Did you mean 'format'?"],
    ["CREATE TABLE e1 WITH (format = 'ORC') AS SELECT 1 AS x", 'NOT_SUPPORTED', "Writing format 'ORC' is not supported"],
    ["CREATE TABLE e1 WITH (format = 'XLSX') AS SELECT 1 AS x", 'INVALID_TABLE_PROPERTY', "Unknown format 'XLSX'"],
    ['CREATE TABLE e1 WITH (format = 1) AS SELECT 1 AS x', 'INVALID_TABLE_PROPERTY', "Property 'format' must be a varchar literal"],
    ["CREATE TABLE e1 WITH (compression = 'LZO') AS SELECT 1 AS x", 'INVALID_TABLE_PROPERTY', "Unknown compression 'LZO'"],
    ["CREATE TABLE e1 WITH (format = 'CSV', compression = 'SNAPPY') AS SELECT 1 AS x", 'INVALID_TABLE_PROPERTY', "CSV files can be written with compression 'NONE' or 'GZIP'"],
    ["CREATE TABLE e1 WITH (format = 'CSV') AS SELECT ARRAY[1] AS x", 'NOT_SUPPORTED', "Column 'x' of type array(integer) cannot be written to CSV"],
    ['CREATE TABLE e1 AS SELECT NULL AS x', 'NOT_SUPPORTED', 'Give the column a type: CAST(NULL AS varchar) AS x'],
    ["CREATE TABLE e1 AS SELECT INTERVAL '1' DAY AS x", 'NOT_SUPPORTED', "Column 'x' of type interval day to second cannot be written to Parquet"],
    ['CREATE TABLE e1 AS SELECT 1 AS x, 2 AS x', 'DUPLICATE_COLUMN_NAME', "Column name 'x' specified more than once"],
    ['CREATE TABLE yellow_tripdata AS SELECT 1 AS x', 'TABLE_ALREADY_EXISTS', "Table 'lake.nyc.yellow_tripdata' already exists"],
    ['CREATE TABLE lake.nowhere.e1 AS SELECT 1 AS x', 'SCHEMA_NOT_FOUND', "Schema 'lake.nowhere' does not exist"],
    ["CREATE TABLE e1 WITH (external_location = 'warehouse/lake/x') AS SELECT 1 AS x", 'INVALID_TABLE_PROPERTY', 'is inside the warehouse of catalog'],
    ["CREATE TABLE e1 WITH (external_location = 'catalog/lake') AS SELECT 1 AS x", 'INVALID_TABLE_PROPERTY', 'it overlaps the directory of catalog'],
    ["UNLOAD (SELECT 1 AS x) TO 'https://example.com/out/'", 'NOT_SUPPORTED', /No file system for 'https|Writing to https/],
    ["UNLOAD (SELECT 1 AS x) TO 'out/*.parquet'", 'INVALID_TABLE_PROPERTY', 'must be a directory, not a glob'],
    ["UNLOAD (SELECT 1 AS x) TO 'out' WITH (external_location = 'x')", 'INVALID_TABLE_PROPERTY', "UNLOAD property 'external_location' does not exist"],
    ['INSERT INTO nowhere SELECT 1', 'TABLE_NOT_FOUND', "Table 'lake.nyc.nowhere' does not exist"],
    ['CREATE TABLE "../e1" AS SELECT 1 AS x', 'NOT_SUPPORTED', "Table name '../e1' cannot be used in file catalog 'lake'"],
  ])('%s', async (sql, code, message) => {
    await fails(sql, code, message);
    expect(existsSync(path.join(lake.schemaDir, 'e1.json'))).toBe(false);
  });

  test('CREATE TABLE IF NOT EXISTS over an existing table writes nothing and answers 0 rows', async () => {
    expect(await run(session, 'CREATE TABLE IF NOT EXISTS yellow_tripdata AS SELECT 1 AS x')).toEqual([{ rows: 0n }]);
  });

  test('a managed table cannot be created over files already in its directory', async () => {
    await run(session, "UNLOAD (SELECT 1 AS x) TO 'warehouse/lake/nyc/squatter'");
    await fails('CREATE TABLE squatter AS SELECT 1 AS x', 'PATH_ALREADY_EXISTS', "Target directory for table 'lake.nyc.squatter' already exists");
  });
});

describe('CREATE SCHEMA and DROP SCHEMA in a file catalog', () => {
  test('a new schema is a folder; tables can be created in it; DROP SCHEMA refuses until it is empty', async () => {
    await run(session, 'CREATE SCHEMA lake.curated');
    expect(existsSync(path.join(lake.catalogDir, 'lake', 'curated'))).toBe(true);
    expect((await shoalRows(session, 'SHOW SCHEMAS FROM lake')).rows.map((r) => r[0])).toContain('curated');
    await expect(run(session, 'CREATE SCHEMA lake.curated')).rejects.toThrow(/Schema 'lake.curated' already exists/);
    await run(session, 'CREATE SCHEMA IF NOT EXISTS lake.curated');
    await run(session, 'CREATE TABLE lake.curated.trips_by_vendor AS SELECT vendorid, count(*) AS trips FROM yellow_tripdata GROUP BY vendorid');
    expect(filesUnder(path.join(lake.warehouse, 'curated', 'trips_by_vendor')).length).toBeGreaterThan(0);
    await expect(run(session, 'DROP SCHEMA lake.curated')).rejects.toThrow(/Cannot drop non-empty schema 'lake.curated'/);
    await expect(run(session, 'DROP SCHEMA lake.curated CASCADE')).rejects.toThrow(/CASCADE is not supported/);
    await run(session, 'DROP TABLE lake.curated.trips_by_vendor', 'DROP SCHEMA lake.curated');
    expect(existsSync(path.join(lake.catalogDir, 'lake', 'curated'))).toBe(false);
    await run(session, 'DROP SCHEMA IF EXISTS lake.curated');
    await expect(run(session, 'DROP SCHEMA lake.curated')).rejects.toThrow(/Schema 'lake.curated' does not exist/);
    await expect(run(session, 'CREATE SCHEMA memory.other')).rejects.toThrow(/CREATE SCHEMA in catalog 'memory' is not supported/);
  });
});

describe('empty tables', () => {
  test('a managed table without its folder (as on an object store before the first write) reads as empty; an external one is an error', async () => {
    await run(session, "CREATE TABLE lake.nyc.empty_managed (a integer, m integer) WITH (partitioned_by = ARRAY['m'])");
    rmSync(path.join(lake.warehouse, 'nyc', 'empty_managed'), { recursive: true, force: true });
    expect((await shoalRows(session, 'SELECT count(*), sum(a) FROM lake.nyc.empty_managed WHERE m = 1')).rows).toEqual([[0, null]]);
    await run(session, 'INSERT INTO lake.nyc.empty_managed VALUES (5, 1)');
    expect((await shoalRows(session, 'SELECT a, m FROM lake.nyc.empty_managed')).rows).toEqual([[5, 1]]);
    const ext = path.join(lake.root, 'ext_missing');
    await run(session, `CREATE TABLE lake.nyc.empty_external (a integer) WITH (external_location = '${ext}')`);
    rmSync(ext, { recursive: true, force: true });
    await expect(run(session, 'SELECT count(*) FROM lake.nyc.empty_external')).rejects.toThrow(/not found/i);
    await run(session, 'DROP TABLE lake.nyc.empty_managed', 'DROP TABLE lake.nyc.empty_external');
  });
});
