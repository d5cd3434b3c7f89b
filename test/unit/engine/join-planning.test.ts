import { describe, expect, test } from 'vitest';
import { sampleSession } from '../../support/shoal-runner.js';

async function explain(sql: string): Promise<string[]> {
  const session = await sampleSession();
  const rows = await (await session.query(`EXPLAIN ${sql}`)).toArray();
  return String(Object.values(rows[0]!)[0]).split('\n');
}

/** The operator line right under the first line matching `re`, as a child of it. */
/** The first input of the operator matching `re`, past ProbeFilter lines (probe-key-filter.ts: a filter on that input, not an input). */
function firstChildOf(lines: readonly string[], re: RegExp): string {
  let i = lines.findIndex((l) => re.test(l));
  expect(i, lines.join('\n')).toBeGreaterThanOrEqual(0);
  while (/^ProbeFilter /.test(lines[i + 1]!.trim())) i++;
  return lines[i + 1]!.trim();
}

describe('join planning', () => {
  test('a runtime filter\'s probe keys reach the scan under the aggregation as key bits, and its LEFT join keeps building that side', async () => {
    // 20 Staten Island zones: the per-zone aggregation over green trips reads their 42 trips, dropped in the
    // decoder workers, not 16,991; the join still builds the (filtered) aggregation, not the zones.
    const session = await sampleSession();
    const sql = "SELECT z.LocationID, (SELECT avg(fare_amount) FROM green_tripdata g WHERE g.PULocationID = z.LocationID) AS a FROM taxi_zone_lookup z WHERE z.Borough = 'Staten Island'";
    const rows = await (await session.query(`EXPLAIN ANALYZE ${sql}`)).toArray();
    const lines = String(Object.values(rows[0]!)[0]).split('\n');
    expect(lines.some((l) => /HashJoin LEFT/.test(l)), lines.join('\n')).toBe(true);
    const scan = lines.find((l) => /Scan lake\.nyc\.green_tripdata/.test(l))!;
    expect(scan).toMatch(/dropped_in_decoder=[1-9]/);
    expect(Number(/\(rows=(\d+) /.exec(scan)?.[1]), scan).toBeLessThan(100);
  });

  test('an IN that is a conjunct of WHERE drops the outer rows the subquery lacks at the scan, NULL-aware or not', async () => {
    const session = await sampleSession();
    const green = async (where: string): Promise<number> => {
      const rows = await (await session.query(`EXPLAIN ANALYZE SELECT count(*) FROM green_tripdata WHERE ${where}`)).toArray();
      const lines = String(Object.values(rows[0]!)[0]).split('\n');
      const scan = lines.find((l) => /Scan lake\.nyc\.green_tripdata/.test(l));
      return Number(/\(rows=(\d+) /.exec(scan ?? '')?.[1]);
    };
    const queens = "(SELECT CASE WHEN LocationID % 5 = 0 THEN NULL ELSE LocationID END FROM taxi_zone_lookup WHERE Borough = 'Queens')";
    // 3,614 of 16,991 green trips start in those zones.
    expect(await green(`PULocationID IN ${queens}`)).toBeLessThan(4000);
    expect(await green(`(PULocationID IN ${queens}) IS NULL`)).toBeGreaterThan(16_000);
    expect(await green(`EXISTS (SELECT 1 FROM taxi_zone_lookup z WHERE z.LocationID = green_tripdata.PULocationID AND z.Borough = 'Queens' AND z.LocationID % 5 <> 0)`)).toBeLessThan(4000);
  });

  test('a join\'s keys filter the build side of a join above that equates them with its own column (transitive probe filter)', async () => {
    // The Staten Island zones' keys reach the yellow scan through the lower join and, because the upper join
    // equates y.PULocationID with g.DOLocationID, the green scan under its build side too: it reads their 23 rows,
    // not 16,991. The upper join reads its probe input's first batch before building, so the lower join has built.
    const session = await sampleSession();
    const sql = `SELECT count(*), sum(g.fare_amount) FROM yellow_tripdata y JOIN (SELECT LocationID FROM taxi_zone_lookup WHERE Borough = 'Staten Island') q
      ON y.PULocationID = q.LocationID JOIN green_tripdata g ON g.DOLocationID = y.PULocationID AND g.fare_amount > y.fare_amount
      WHERE g.trip_distance > 1 AND g.passenger_count > 0`;
    const rows = await (await session.query(`EXPLAIN ANALYZE ${sql}`)).toArray();
    const lines = String(Object.values(rows[0]!)[0]).split('\n');
    const green = lines.findIndex((l) => /Scan lake\.nyc\.green_tripdata/.test(l));
    expect(lines[green - 1], lines.join('\n')).toMatch(/ProbeFilter \[dolocationid\]/);
    expect(Number(/\(rows=(\d+) /.exec(lines[green]!)?.[1]), lines[green]).toBeLessThan(100);
  });

  test('the hash table is built over the smaller input, whatever the written order', async () => {
    // 265 zones against 127,075 yellow trips: the trips must be the probe (first) input in both orders.
    for (const sql of [
      'SELECT count(*) FROM taxi_zone_lookup z JOIN yellow_tripdata y ON y.PULocationID = z.LocationID',
      'SELECT count(*) FROM yellow_tripdata y JOIN taxi_zone_lookup z ON y.PULocationID = z.LocationID',
    ]) {
      expect(firstChildOf(await explain(sql), /HashJoin INNER/)).toMatch(/^Scan lake\.nyc\.yellow_tripdata/);
    }
  });

  test('an IN subquery in WHERE marks the rows of the table it tests, below the joins, and its filter follows', async () => {
    const lines = await explain(`SELECT z.Borough, count(*) FROM yellow_tripdata y JOIN taxi_zone_lookup z ON y.PULocationID = z.LocationID
      WHERE z.LocationID IN (SELECT PULocationID FROM green_tripdata GROUP BY PULocationID HAVING count(*) > 100) GROUP BY 1`);
    const inner = lines.findIndex((l) => /HashJoin INNER/.test(l));
    const mark = lines.findIndex((l) => /HashJoin MARK/.test(l));
    expect(inner, lines.join('\n')).toBeGreaterThanOrEqual(0);
    expect(mark, lines.join('\n')).toBeGreaterThan(inner);
    const depth = (l: string): number => l.length - l.trimStart().length;
    expect(depth(lines[mark]!)).toBeGreaterThan(depth(lines[inner]!));
    expect(lines[mark - 1]!.trim()).toBe('Filter in');
    expect(firstChildOf(lines, /HashJoin MARK/)).toMatch(/^Scan lake\.nyc\.taxi_zone_lookup/);
  });

  test('an 8-way comma join becomes hash joins, never a cross product', async () => {
    const sql = `SELECT count(*) FROM yellow_tripdata y, green_tripdata g, taxi_zone_lookup z1, taxi_zone_lookup z2,
      taxi_zone_lookup z3, taxi_zone_lookup z4, taxi_zone_lookup z5, taxi_zone_lookup z6
      WHERE y.PULocationID = z1.LocationID AND g.PULocationID = z1.LocationID AND z2.LocationID = z1.LocationID
        AND z3.LocationID = z2.LocationID AND z4.LocationID = z3.LocationID AND z5.LocationID = z4.LocationID
        AND z6.LocationID = z5.LocationID AND g.fare_amount > 100 AND y.fare_amount > 200`;
    const lines = await explain(sql);
    expect(lines.filter((l) => /HashJoin INNER/.test(l))).toHaveLength(7);
    expect(lines.some((l) => /NestedLoopJoin|CrossJoin/.test(l)), lines.join('\n')).toBe(false);
  });

  test('a correlated scalar subquery is aggregated per key and joined once, not run per row', async () => {
    const lines = await explain('SELECT count(*) FROM green_tripdata g WHERE fare_amount < (SELECT 0.5 * avg(fare_amount) FROM green_tripdata g2 WHERE g2.PULocationID = g.PULocationID)');
    expect(lines.some((l) => /HashJoin LEFT on \[pulocationid = pulocationid\]/i.test(l)), lines.join('\n')).toBe(true);
    expect(lines.some((l) => /HashAggregate groups=\[pulocationid\]/i.test(l)), lines.join('\n')).toBe(true);
    expect(lines.some((l) => /NestedLoopJoin/.test(l))).toBe(false);
  });

  test('an OR over two tables implies a filter on each, pushed to its scan (TPC-H Q7)', async () => {
    const lines = await explain(`SELECT count(*) FROM green_tripdata g JOIN taxi_zone_lookup z1 ON g.PULocationID = z1.LocationID
      JOIN taxi_zone_lookup z2 ON g.DOLocationID = z2.LocationID
      WHERE (z1.Borough = 'Queens' AND z2.Borough = 'Bronx') OR (z1.Borough = 'Bronx' AND z2.Borough = 'Queens')`);
    const zoneScans = lines.filter((l) => /Scan lake\.nyc\.taxi_zone_lookup/.test(l));
    expect(zoneScans, lines.join('\n')).toHaveLength(2);
    for (const l of zoneScans) expect(l).toMatch(/filters=\[\(\(borough = 'Queens'\) OR \(borough = 'Bronx'\)\)|filters=\[\(\(borough = 'Bronx'\) OR \(borough = 'Queens'\)\)/);
  });

  test('IN and EXISTS subqueries become mark joins: the subquery runs once', async () => {
    const lines = await explain('SELECT count(*) FROM taxi_zone_lookup z WHERE EXISTS (SELECT 1 FROM green_tripdata g WHERE g.PULocationID = z.LocationID) AND z.LocationID NOT IN (SELECT DOLocationID FROM yellow_tripdata)');
    expect(lines.filter((l) => /HashJoin MARK/.test(l))).toHaveLength(2);
    expect(lines.some((l) => /HashJoin MARK \(null-aware\)/.test(l))).toBe(true);
    // 265 zones against thousands of trips: the hash table holds the zones and the trips stream through it.
    expect(lines.filter((l) => /HashJoin MARK.*\(build: left\)/.test(l)), lines.join('\n')).toHaveLength(2);
  });

  test('a filtered dimension meets its own dimension before the fact table streams through (bushy join order)', async () => {
    // Written fact-first: y ⋈ z1 would keep every trip; z1 ⋈ σ z2 keeps one zone, so the trips probe that.
    const sql = `SELECT count(*) FROM yellow_tripdata y, taxi_zone_lookup z1, taxi_zone_lookup z2
      WHERE y.PULocationID = z1.LocationID AND z1.LocationID = z2.LocationID AND z2.Zone = 'JFK Airport'`;
    const lines = await explain(sql);
    const joins = lines.map((l, i) => [l, i] as const).filter(([l]) => /HashJoin INNER/.test(l));
    expect(joins, lines.join('\n')).toHaveLength(2);
    expect(firstChildOf(lines, /HashJoin INNER/), lines.join('\n')).toMatch(/^Scan lake\.nyc\.yellow_tripdata/);
    const inner = joins[1]![1];
    expect(lines.slice(inner + 1).filter((l) => /Scan lake\.nyc\.yellow_tripdata/.test(l)), lines.join('\n')).toHaveLength(0);
    const session = await sampleSession();
    const count = async (q: string): Promise<unknown> => Object.values((await (await session.query(q)).toArray())[0]!)[0];
    const written = await count(`SELECT count(*) FROM yellow_tripdata y JOIN taxi_zone_lookup z1 ON y.PULocationID = z1.LocationID
      JOIN taxi_zone_lookup z2 ON z1.LocationID = z2.LocationID WHERE z2.Zone = 'JFK Airport'`);
    const direct = await count(`SELECT count(*) FROM yellow_tripdata WHERE PULocationID IN (SELECT LocationID FROM taxi_zone_lookup WHERE Zone = 'JFK Airport')`);
    expect(await count(sql)).toEqual(direct);
    expect(written).toEqual(direct);
  });

  test('an aggregation repeated by a CTE read twice is computed once; random() or other filters keep copies apart', async () => {
    const shared = await explain('WITH r AS (SELECT PULocationID AS k, sum(fare_amount) AS s FROM green_tripdata GROUP BY 1) SELECT k FROM r WHERE s = (SELECT max(s) FROM r)');
    expect(shared.filter((l) => /Shared #1 \(computed once for 2 readers\)/.test(l)), shared.join('\n')).toHaveLength(1);
    expect(shared.filter((l) => /Shared #1 \(reused\)/.test(l)), shared.join('\n')).toHaveLength(1);
    expect(shared.filter((l) => /Scan lake\.nyc\.green_tripdata/.test(l)), shared.join('\n')).toHaveLength(1);
    const random = await explain('WITH r AS (SELECT PULocationID AS k, sum(fare_amount * random()) AS s FROM green_tripdata GROUP BY 1) SELECT k FROM r WHERE s = (SELECT max(s) FROM r)');
    expect(random.some((l) => /Shared/.test(l)), random.join('\n')).toBe(false);
    const different = await explain('SELECT count(*) FROM (SELECT PULocationID AS k, sum(fare_amount) AS s FROM green_tripdata GROUP BY 1) a JOIN (SELECT PULocationID AS k, sum(fare_amount) AS s FROM green_tripdata WHERE fare_amount > 1 GROUP BY 1) b ON a.k = b.k');
    expect(different.some((l) => /Shared/.test(l)), different.join('\n')).toBe(false);
  });

  test('a join filters the input of the aggregation it builds on by its probe keys, except where unmatched rows count', async () => {
    const agg = '(SELECT PULocationID AS k, count(*) AS n FROM green_tripdata GROUP BY 1) a';
    const has = async (sql: string): Promise<boolean> => (await explain(sql)).some((l) => /RuntimeFilter \[pulocationid\]/i.test(l));
    expect(await has(`SELECT count(*) FROM green_tripdata g WHERE fare_amount < (SELECT avg(fare_amount) FROM green_tripdata g2 WHERE g2.PULocationID = g.PULocationID)`)).toBe(true);
    expect(await has(`SELECT z.LocationID, a.n FROM taxi_zone_lookup z LEFT JOIN ${agg} ON a.k = z.LocationID`)).toBe(true);
    expect(await has(`SELECT z.LocationID, a.n FROM taxi_zone_lookup z FULL JOIN ${agg} ON a.k = z.LocationID`)).toBe(false);
    expect(await has(`SELECT z.LocationID NOT IN (SELECT PULocationID FROM green_tripdata GROUP BY 1) FROM taxi_zone_lookup z`)).toBe(false);
  });
});
