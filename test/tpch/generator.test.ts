import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DuckOracle } from '../support/duckdb-oracle.js';
import { ensureTpch, schemaName, type TpchDataSet } from './gen/generate.js';
import { TPCH_DATA_ROOT } from './gen/paths.js';
import { TABLE_NAMES, cardinalities, expectedRows } from './gen/scale.js';
import { COLORS, NATIONS, REGIONS } from './gen/spec-lists.js';

/**
 * The generator against the specification: cardinalities, keys, value domains and the rules that tie columns
 * together, checked by DuckDB over the generated SF 0.01 files; and determinism (SF 0.001 generated twice).
 */
describe('TPC-H generator', () => {
  let data: TpchDataSet;
  let duck: DuckOracle;
  beforeAll(async () => {
    data = await ensureTpch(0.01, { root: TPCH_DATA_ROOT });
    duck = await DuckOracle.create();
    for (const t of TABLE_NAMES) await duck.run(`CREATE VIEW ${t} AS SELECT * FROM read_parquet('${data.dir}/${t}/*.parquet')`);
  });
  afterAll(() => duck.close());

  const scalar = async (sql: string): Promise<unknown> => (await duck.query(sql)).rows[0]?.[0];

  test('cardinalities per scale factor (clause 4.2.5)', async () => {
    expect(cardinalities(1)).toEqual({ supplier: 10_000, part: 200_000, customer: 150_000, orders: 1_500_000 });
    expect(cardinalities(0.1)).toEqual({ supplier: 1_000, part: 20_000, customer: 15_000, orders: 150_000 });
    expect(schemaName(0.01)).toBe('sf0_01');
    for (const t of TABLE_NAMES) {
      const rows = await scalar(`SELECT count(*) FROM ${t}`);
      expect(rows, t).toBe(data.manifest.tables[t].rows);
      if (t !== 'lineitem') expect(rows, t).toBe(expectedRows(t, 0.01));
    }
    // 1 to 7 lines per order, 4 on average.
    const lines = data.manifest.tables.lineitem.rows;
    expect(lines).toBeGreaterThan(3.8 * 15_000);
    expect(lines).toBeLessThan(4.2 * 15_000);
  });

  test('primary keys are unique and foreign keys resolve', async () => {
    const keys: readonly (readonly [string, string])[] = [
      ['region', 'r_regionkey'], ['nation', 'n_nationkey'], ['supplier', 's_suppkey'], ['customer', 'c_custkey'],
      ['part', 'p_partkey'], ['partsupp', 'ps_partkey, ps_suppkey'], ['orders', 'o_orderkey'], ['lineitem', 'l_orderkey, l_linenumber'],
    ];
    for (const [t, k] of keys) expect(await scalar(`SELECT count(*) - count(DISTINCT (${k})) FROM ${t}`), t).toBe(0);
    const orphans = [
      'SELECT count(*) FROM nation WHERE n_regionkey NOT IN (SELECT r_regionkey FROM region)',
      'SELECT count(*) FROM supplier WHERE s_nationkey NOT IN (SELECT n_nationkey FROM nation)',
      'SELECT count(*) FROM customer WHERE c_nationkey NOT IN (SELECT n_nationkey FROM nation)',
      'SELECT count(*) FROM partsupp WHERE ps_partkey NOT IN (SELECT p_partkey FROM part) OR ps_suppkey NOT IN (SELECT s_suppkey FROM supplier)',
      'SELECT count(*) FROM orders WHERE o_custkey NOT IN (SELECT c_custkey FROM customer)',
      'SELECT count(*) FROM lineitem WHERE l_orderkey NOT IN (SELECT o_orderkey FROM orders)',
      // Every line's (part, supplier) is one of the part's four partsupp rows.
      'SELECT count(*) FROM lineitem LEFT JOIN partsupp ON l_partkey = ps_partkey AND l_suppkey = ps_suppkey WHERE ps_partkey IS NULL',
    ];
    for (const sql of orphans) expect(await scalar(sql), sql).toBe(0);
    // Sparse order keys: the first 8 of every 32.
    expect(await scalar('SELECT count(*) FROM orders WHERE (o_orderkey - 1) % 32 >= 8')).toBe(0);
    expect(await scalar('SELECT max(o_orderkey) FROM orders')).toBe(Math.floor((15_000 - 1) / 8) * 32 + ((15_000 - 1) % 8) + 1);
    // Customers whose key is a multiple of 3 place no orders.
    expect(await scalar('SELECT count(*) FROM orders WHERE o_custkey % 3 = 0')).toBe(0);
  });

  test('column types', async () => {
    const { rows } = await duck.query("SELECT column_name, column_type FROM (DESCRIBE lineitem) WHERE column_name IN ('l_orderkey', 'l_linenumber', 'l_quantity', 'l_shipdate', 'l_comment')");
    expect(Object.fromEntries(rows.map((r) => [r[0], r[1]]))).toEqual({
      l_orderkey: 'BIGINT', l_linenumber: 'INTEGER', l_quantity: 'DECIMAL(15,2)', l_shipdate: 'DATE', l_comment: 'VARCHAR',
    });
  });

  test('fixed lists: nations, regions, colours and syllables', async () => {
    const nations = (await duck.query('SELECT n_nationkey, n_name, n_regionkey FROM nation ORDER BY 1')).rows;
    expect(nations).toEqual(NATIONS.map(([n, r], i) => [i, n, r]));
    expect((await duck.query('SELECT r_name FROM region ORDER BY r_regionkey')).rows.map((r) => r[0])).toEqual([...REGIONS]);
    const colors = `[${COLORS.map((c) => `'${c}'`).join(', ')}]`;
    // Five distinct colour words per name.
    expect(await scalar(`SELECT count(*) FROM part WHERE len(list_distinct(string_split(p_name, ' '))) <> 5 OR NOT list_has_all(${colors}, string_split(p_name, ' '))`)).toBe(0);
    expect(await scalar("SELECT count(*) FROM part WHERE NOT regexp_full_match(p_type, '(STANDARD|SMALL|MEDIUM|LARGE|ECONOMY|PROMO) (ANODIZED|BURNISHED|PLATED|POLISHED|BRUSHED) (TIN|NICKEL|BRASS|STEEL|COPPER)')")).toBe(0);
    expect(await scalar("SELECT count(*) FROM part WHERE NOT regexp_full_match(p_container, '(SM|LG|MED|JUMBO|WRAP) (CASE|BOX|BAG|JAR|PKG|PACK|CAN|DRUM)')")).toBe(0);
    // Brand#MN where M is the manufacturer.
    expect(await scalar("SELECT count(*) FROM part WHERE NOT regexp_full_match(p_brand, 'Brand#[1-5][1-5]') OR substr(p_brand, 7, 1) <> substr(p_mfgr, 14, 1) OR NOT regexp_full_match(p_mfgr, 'Manufacturer#[1-5]')")).toBe(0);
    expect(await scalar('SELECT count(DISTINCT p_type) FROM part')).toBe(150);
    expect(await scalar('SELECT count(DISTINCT c_mktsegment) FROM customer')).toBe(5);
    expect(await scalar('SELECT count(DISTINCT o_orderpriority) FROM orders')).toBe(5);
    expect(await scalar('SELECT count(DISTINCT l_shipmode) FROM lineitem')).toBe(7);
    expect(await scalar('SELECT count(DISTINCT l_shipinstruct) FROM lineitem')).toBe(4);
  });

  test('numeric ranges and formulas', async () => {
    const checks = [
      'SELECT count(*) FROM part WHERE p_size NOT BETWEEN 1 AND 50',
      'SELECT count(*) FROM part WHERE p_retailprice * 100 <> 90000 + ((p_partkey // 10) % 20001) + 100 * (p_partkey % 1000)',
      'SELECT count(*) FROM partsupp WHERE ps_availqty NOT BETWEEN 1 AND 9999 OR ps_supplycost NOT BETWEEN 1.00 AND 1000.00',
      // PS_SUPPKEY = (PS_PARTKEY + (i * (S/4 + (PS_PARTKEY-1)/S))) mod S + 1 for i = 0..3, S = 100 at SF 0.01.
      'SELECT count(*) FROM (SELECT ps_partkey, list_sort(list(ps_suppkey)) AS s FROM partsupp GROUP BY 1) WHERE s <> list_sort([(ps_partkey + i * (25 + (ps_partkey - 1) // 100)) % 100 + 1 FOR i IN range(4)])',
      'SELECT count(*) FROM customer WHERE c_acctbal NOT BETWEEN -999.99 AND 9999.99',
      'SELECT count(*) FROM supplier WHERE s_acctbal NOT BETWEEN -999.99 AND 9999.99',
      'SELECT count(*) FROM lineitem WHERE l_quantity NOT BETWEEN 1 AND 50 OR l_discount NOT BETWEEN 0.00 AND 0.10 OR l_tax NOT BETWEEN 0.00 AND 0.08 OR l_linenumber NOT BETWEEN 1 AND 7',
      'SELECT count(*) FROM lineitem JOIN part ON l_partkey = p_partkey WHERE l_extendedprice <> l_quantity * p_retailprice',
      // O_TOTALPRICE = sum(L_EXTENDEDPRICE * (1 - L_DISCOUNT) * (1 + L_TAX)), each product truncated to cents as dbgen does.
      'SELECT count(*) FROM orders JOIN (SELECT l_orderkey, sum((CAST(l_extendedprice * 100 AS BIGINT) * CAST(100 - l_discount * 100 AS BIGINT) // 100) * CAST(100 + l_tax * 100 AS BIGINT) // 100) AS t FROM lineitem GROUP BY 1) ON o_orderkey = l_orderkey WHERE CAST(o_totalprice * 100 AS BIGINT) <> t',
      'SELECT count(*) FROM orders JOIN (SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS t FROM lineitem GROUP BY 1) ON o_orderkey = l_orderkey WHERE abs(o_totalprice - t) > 0.02 * 7',
      "SELECT count(*) FROM orders WHERE NOT regexp_full_match(o_clerk, 'Clerk#0000000(0[1-9]|10)') OR o_shippriority <> 0",
      // Phone numbers: country code = nation key + 10.
      "SELECT count(*) FROM customer WHERE NOT regexp_full_match(c_phone, '[1-3][0-9]-[1-9][0-9]{2}-[1-9][0-9]{2}-[1-9][0-9]{3}') OR CAST(substr(c_phone, 1, 2) AS INTEGER) <> c_nationkey + 10",
      "SELECT count(*) FROM supplier WHERE CAST(substr(s_phone, 1, 2) AS INTEGER) <> s_nationkey + 10 OR s_name <> 'Supplier#' || lpad(CAST(s_suppkey AS VARCHAR), 9, '0')",
      'SELECT count(*) FROM customer WHERE length(c_address) NOT BETWEEN 10 AND 40 OR length(c_comment) NOT BETWEEN 29 AND 116',
      'SELECT count(*) FROM lineitem WHERE length(l_comment) NOT BETWEEN 10 AND 43',
    ];
    for (const sql of checks) expect(await scalar(sql), sql).toBe(0);
  });

  test('dates and the flags derived from them', async () => {
    const checks = [
      "SELECT count(*) FROM orders WHERE o_orderdate NOT BETWEEN DATE '1992-01-01' AND DATE '1998-12-31' - INTERVAL 151 DAY",
      'SELECT count(*) FROM lineitem JOIN orders ON l_orderkey = o_orderkey WHERE l_shipdate - o_orderdate NOT BETWEEN 1 AND 121 OR l_commitdate - o_orderdate NOT BETWEEN 30 AND 90 OR l_receiptdate - l_shipdate NOT BETWEEN 1 AND 30',
      // Received by CURRENTDATE (1995-06-17): R or A; later: N. Shipped after it: O, else F.
      "SELECT count(*) FROM lineitem WHERE CASE WHEN l_receiptdate <= DATE '1995-06-17' THEN l_returnflag NOT IN ('R', 'A') ELSE l_returnflag <> 'N' END",
      "SELECT count(*) FROM lineitem WHERE l_linestatus <> CASE WHEN l_shipdate > DATE '1995-06-17' THEN 'O' ELSE 'F' END",
      "SELECT count(*) FROM orders JOIN (SELECT l_orderkey, bool_and(l_linestatus = 'F') AS f, bool_and(l_linestatus = 'O') AS o FROM lineitem GROUP BY 1) ON o_orderkey = l_orderkey WHERE o_orderstatus <> CASE WHEN f THEN 'F' WHEN o THEN 'O' ELSE 'P' END",
    ];
    for (const sql of checks) expect(await scalar(sql), sql).toBe(0);
    expect(await scalar("SELECT count(DISTINCT l_returnflag || l_linestatus) FROM lineitem")).toBe(4);
    expect(await scalar("SELECT count(DISTINCT o_orderstatus) FROM orders")).toBe(3);
  });

  test("comment text matches the queries' LIKE patterns", async () => {
    expect(await scalar("SELECT count(*) FROM orders WHERE o_comment LIKE '%special%requests%'")).toBeGreaterThan(0);
    // SF * 5 suppliers each (at least one), with 'Customer' before the word.
    expect(await scalar("SELECT count(*) FROM supplier WHERE s_comment LIKE '%Customer%Complaints%'")).toBe(1);
    expect(await scalar("SELECT count(*) FROM supplier WHERE s_comment LIKE '%Customer%Recommends%'")).toBe(1);
    expect(await scalar("SELECT count(*) FROM part WHERE p_name LIKE '%green%'")).toBeGreaterThan(0);
    expect(await scalar("SELECT count(*) FROM part WHERE p_name LIKE 'forest%'")).toBeGreaterThan(0);
  });

  test('the same scale factor always gives the same files', async () => {
    const roots = [await mkdtemp(path.join(os.tmpdir(), 'tpch-a-')), await mkdtemp(path.join(os.tmpdir(), 'tpch-b-'))];
    try {
      const [a, b] = [await ensureTpch(0.001, { root: roots[0]! }), await ensureTpch(0.001, { root: roots[1]! })];
      expect(a.generated && b.generated).toBe(true);
      expect(a.manifest.tables.supplier.rows).toBe(10);
      for (const t of TABLE_NAMES) {
        const [x, y] = [await readFile(path.join(a.dir, a.manifest.tables[t].file)), await readFile(path.join(b.dir, b.manifest.tables[t].file))];
        expect(x.equals(y), t).toBe(true);
      }
      // A second call reuses the complete data set.
      expect((await ensureTpch(0.001, { root: roots[0]! })).generated).toBe(false);
    } finally {
      for (const r of roots) await rm(r, { recursive: true, force: true });
    }
  });
});
