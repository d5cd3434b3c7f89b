/**
 * Cardinalities, key formulas, dates and the table layouts of TPC-H (specification clauses 1.4 and 4.2). Keys
 * are BIGINT throughout (as in Trino's tpch connector); p_size, ps_availqty, l_linenumber and o_shippriority
 * are INTEGER.
 */
import type { ColumnSpec } from './columns.js';

export const TABLE_NAMES = ['region', 'nation', 'supplier', 'customer', 'part', 'partsupp', 'orders', 'lineitem'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

export interface Cardinalities {
  readonly supplier: number;
  readonly part: number;
  readonly customer: number;
  readonly orders: number;
}

/** Base cardinalities times SF, truncated (clause 4.2.5); at least one row each. */
export function cardinalities(sf: number): Cardinalities {
  const n = (base: number): number => Math.max(1, Math.floor(base * sf + 1e-9));
  return { supplier: n(10_000), part: n(200_000), customer: n(150_000), orders: n(1_500_000) };
}

/** Exact row count of each fixed-size table (lineitem's depends on the generated orders). */
export function expectedRows(table: Exclude<TableName, 'lineitem'>, sf: number): number {
  const c = cardinalities(sf);
  switch (table) {
    case 'region':
      return 5;
    case 'nation':
      return 25;
    case 'supplier':
      return c.supplier;
    case 'customer':
      return c.customer;
    case 'part':
      return c.part;
    case 'partsupp':
      return 4 * c.part;
    case 'orders':
      return c.orders;
  }
}

/** Days since 1970-01-01 of a calendar date. */
export function epochDay(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 86_400_000;
}

export const START_DATE = epochDay(1992, 1, 1);
export const END_DATE = epochDay(1998, 12, 31);
/** The spec's CURRENTDATE: lines received by then are returned or accepted, lines shipped after it are open. */
export const CURRENT_DATE = epochDay(1995, 6, 17);

/** P_RETAILPRICE in cents (clause 4.2.3). */
export function retailPriceCents(partKey: number): number {
  return 90_000 + (Math.floor(partKey / 10) % 20_001) + 100 * (partKey % 1000);
}

/** PS_SUPPKEY of the i-th (0..3) supplier of a part (clause 4.2.3), for S suppliers. */
export function partSupplier(partKey: number, i: number, suppliers: number): number {
  return ((partKey + i * (Math.floor(suppliers / 4) + Math.floor((partKey - 1) / suppliers))) % suppliers) + 1;
}

/** O_ORDERKEY of the n-th order (1-based): keys are sparse, the first 8 of every 32 are used (clause 4.2.3). */
export function orderKey(n: number): number {
  const i = n - 1;
  return Math.floor(i / 8) * 32 + (i % 8) + 1;
}

export const COLUMNS: Readonly<Record<TableName, readonly ColumnSpec[]>> = {
  region: [['r_regionkey', 'bigint'], ['r_name', 'varchar'], ['r_comment', 'varchar']],
  nation: [['n_nationkey', 'bigint'], ['n_name', 'varchar'], ['n_regionkey', 'bigint'], ['n_comment', 'varchar']],
  supplier: [
    ['s_suppkey', 'bigint'], ['s_name', 'varchar'], ['s_address', 'varchar'], ['s_nationkey', 'bigint'],
    ['s_phone', 'varchar'], ['s_acctbal', 'decimal'], ['s_comment', 'varchar'],
  ],
  customer: [
    ['c_custkey', 'bigint'], ['c_name', 'varchar'], ['c_address', 'varchar'], ['c_nationkey', 'bigint'],
    ['c_phone', 'varchar'], ['c_acctbal', 'decimal'], ['c_mktsegment', 'varchar'], ['c_comment', 'varchar'],
  ],
  part: [
    ['p_partkey', 'bigint'], ['p_name', 'varchar'], ['p_mfgr', 'varchar'], ['p_brand', 'varchar'], ['p_type', 'varchar'],
    ['p_size', 'integer'], ['p_container', 'varchar'], ['p_retailprice', 'decimal'], ['p_comment', 'varchar'],
  ],
  partsupp: [
    ['ps_partkey', 'bigint'], ['ps_suppkey', 'bigint'], ['ps_availqty', 'integer'], ['ps_supplycost', 'decimal'],
    ['ps_comment', 'varchar'],
  ],
  orders: [
    ['o_orderkey', 'bigint'], ['o_custkey', 'bigint'], ['o_orderstatus', 'varchar'], ['o_totalprice', 'decimal'],
    ['o_orderdate', 'date'], ['o_orderpriority', 'varchar'], ['o_clerk', 'varchar'], ['o_shippriority', 'integer'],
    ['o_comment', 'varchar'],
  ],
  lineitem: [
    ['l_orderkey', 'bigint'], ['l_partkey', 'bigint'], ['l_suppkey', 'bigint'], ['l_linenumber', 'integer'],
    ['l_quantity', 'decimal'], ['l_extendedprice', 'decimal'], ['l_discount', 'decimal'], ['l_tax', 'decimal'],
    ['l_returnflag', 'varchar'], ['l_linestatus', 'varchar'], ['l_shipdate', 'date'], ['l_commitdate', 'date'],
    ['l_receiptdate', 'date'], ['l_shipinstruct', 'varchar'], ['l_shipmode', 'varchar'], ['l_comment', 'varchar'],
  ],
};
