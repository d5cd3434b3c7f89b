/**
 * The schemas the differential query fuzzer draws from: the sample lake (lake.nyc) and TPC-H at SF 0.01. Each
 * column carries its fuzz type, an optional join-key domain (columns of one domain may be equated), and the
 * literals that make predicates on it selective. Each table names its unique key (if any) and, for the large
 * tables, size-limiting predicates the generator puts in a derived table so every query stays small.
 *
 * Timestamp and date columns appear only in predicates, never in results: the two harness sides render them
 * differently (DuckDB text, Shoal an ISO instant), which would be a harness difference, not an engine one.
 */
export type FuzzType = 'int' | 'double' | 'decimal' | 'varchar' | 'date';

export interface FuzzColumn {
  readonly name: string;
  readonly type: FuzzType;
  /** Join-key domain: columns of the same domain may be joined. */
  readonly domain?: string;
  /** Literals for predicates (numbers as SQL text, strings unquoted, dates as yyyy-mm-dd). */
  readonly values: readonly string[];
}

export interface FuzzTable {
  readonly name: string;
  readonly columns: readonly FuzzColumn[];
  /** Columns that together identify a row (enables row_number and joins onto this table). */
  readonly key?: readonly string[];
  /** Predicates (unqualified) of which one restricts a large table inside a derived table. */
  readonly limits?: readonly string[];
}

export interface FuzzSchema {
  readonly name: 'nyc' | 'tpch';
  readonly tables: readonly FuzzTable[];
}

const ints = (...v: number[]): string[] => v.map(String);

function tripColumns(service: 'yellow' | 'green'): FuzzColumn[] {
  const cols: FuzzColumn[] = [
    { name: 'vendorid', type: 'int', values: ints(1, 2, 6) },
    { name: 'passenger_count', type: 'int', values: ints(0, 1, 2, 3, 5) },
    { name: 'trip_distance', type: 'double', values: ['0.5', '1.2', '2.5', '5', '10.75'] },
    { name: 'ratecodeid', type: 'int', values: ints(1, 2, 5, 99) },
    { name: 'store_and_fwd_flag', type: 'varchar', values: ['Y', 'N'] },
    { name: 'pulocationid', type: 'int', domain: 'location', values: ints(1, 43, 132, 138, 161, 236, 264) },
    { name: 'dolocationid', type: 'int', domain: 'location', values: ints(7, 48, 79, 142, 230, 265) },
    { name: 'payment_type', type: 'int', values: ints(0, 1, 2, 3, 4) },
    { name: 'fare_amount', type: 'double', values: ['-5', '0', '7.5', '12.25', '30', '70'] },
    { name: 'tip_amount', type: 'double', values: ['0', '1.5', '3', '10'] },
    { name: 'tolls_amount', type: 'double', values: ['0', '6.94'] },
    { name: 'total_amount', type: 'double', values: ['0', '10', '25.5', '60'] },
    { name: 'congestion_surcharge', type: 'double', values: ['0', '2.5'] },
    { name: 'month', type: 'int', values: ints(1, 2, 3, 4, 5, 6) },
  ];
  const pickup = service === 'yellow' ? 'tpep_pickup_datetime' : 'lpep_pickup_datetime';
  cols.push({ name: pickup, type: 'date', values: ['2024-01-15', '2024-03-01', '2024-05-31'] });
  if (service === 'yellow') cols.push({ name: 'airport_fee', type: 'double', values: ['0', '1.75'] });
  else {
    cols.push({ name: 'trip_type', type: 'int', values: ints(1, 2) });
    cols.push({ name: 'ehail_fee', type: 'double', values: ['0', '1'] });
  }
  return cols;
}

const MONTH_LIMITS = [1, 2, 3, 4, 5, 6].map((m) => `month = ${m}`);

export const NYC_SCHEMA: FuzzSchema = {
  name: 'nyc',
  tables: [
    { name: 'yellow_tripdata', columns: tripColumns('yellow'), limits: MONTH_LIMITS.map((m) => `${m} AND pulocationid < 140`) },
    { name: 'green_tripdata', columns: tripColumns('green'), limits: MONTH_LIMITS },
    {
      name: 'taxi_zone_lookup',
      key: ['locationid'],
      columns: [
        { name: 'locationid', type: 'int', domain: 'location', values: ints(1, 50, 132, 200, 264, 265) },
        { name: 'borough', type: 'varchar', values: ['Manhattan', 'Queens', 'Brooklyn', 'Bronx', 'Staten Island', 'EWR', 'Unknown'] },
        { name: 'zone', type: 'varchar', values: ['JFK Airport', 'Midtown Center', 'Astoria', 'Newark Airport'] },
        { name: 'service_zone', type: 'varchar', values: ['Yellow Zone', 'Boro Zone', 'Airports', 'EWR', 'N/A'] },
      ],
    },
  ],
};

const NATIONS = ['ALGERIA', 'BRAZIL', 'CANADA', 'FRANCE', 'GERMANY', 'JAPAN', 'UNITED STATES'];
const DATES = ['1992-06-01', '1994-01-01', '1995-03-15', '1996-12-31', '1998-08-02'];

export const TPCH_SCHEMA: FuzzSchema = {
  name: 'tpch',
  tables: [
    {
      name: 'region',
      key: ['r_regionkey'],
      columns: [
        { name: 'r_regionkey', type: 'int', domain: 'regionkey', values: ints(0, 1, 2, 3, 4) },
        { name: 'r_name', type: 'varchar', values: ['AFRICA', 'AMERICA', 'ASIA', 'EUROPE', 'MIDDLE EAST'] },
      ],
    },
    {
      name: 'nation',
      key: ['n_nationkey'],
      columns: [
        { name: 'n_nationkey', type: 'int', domain: 'nationkey', values: ints(0, 3, 7, 12, 24) },
        { name: 'n_name', type: 'varchar', values: NATIONS },
        { name: 'n_regionkey', type: 'int', domain: 'regionkey', values: ints(0, 1, 2, 3, 4) },
      ],
    },
    {
      name: 'supplier',
      key: ['s_suppkey'],
      columns: [
        { name: 's_suppkey', type: 'int', domain: 'suppkey', values: ints(1, 10, 50, 99) },
        { name: 's_name', type: 'varchar', values: ['Supplier#000000001', 'Supplier#000000050'] },
        { name: 's_nationkey', type: 'int', domain: 'nationkey', values: ints(0, 3, 7, 12, 24) },
        { name: 's_acctbal', type: 'decimal', values: ['-500', '0', '1000.50', '5000', '9000'] },
      ],
    },
    {
      name: 'customer',
      key: ['c_custkey'],
      columns: [
        { name: 'c_custkey', type: 'int', domain: 'custkey', values: ints(1, 100, 750, 1499) },
        { name: 'c_nationkey', type: 'int', domain: 'nationkey', values: ints(0, 3, 7, 12, 24) },
        { name: 'c_acctbal', type: 'decimal', values: ['-500', '0', '1000.50', '5000', '9000'] },
        { name: 'c_mktsegment', type: 'varchar', values: ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY'] },
      ],
    },
    {
      name: 'part',
      key: ['p_partkey'],
      columns: [
        { name: 'p_partkey', type: 'int', domain: 'partkey', values: ints(1, 100, 1000, 1999) },
        { name: 'p_brand', type: 'varchar', values: ['Brand#11', 'Brand#23', 'Brand#34', 'Brand#55'] },
        { name: 'p_type', type: 'varchar', values: ['PROMO BRUSHED COPPER', 'STANDARD POLISHED TIN', 'ECONOMY ANODIZED STEEL'] },
        { name: 'p_size', type: 'int', values: ints(1, 10, 25, 49, 50) },
        { name: 'p_container', type: 'varchar', values: ['SM CASE', 'LG BOX', 'MED PKG', 'WRAP JAR'] },
        { name: 'p_retailprice', type: 'decimal', values: ['900', '1000.50', '1500', '2000'] },
      ],
    },
    {
      name: 'partsupp',
      key: ['ps_partkey', 'ps_suppkey'],
      limits: ['ps_partkey <= 300', 'ps_partkey BETWEEN 500 AND 900', 'ps_suppkey <= 20'],
      columns: [
        { name: 'ps_partkey', type: 'int', domain: 'partkey', values: ints(1, 100, 1000, 1999) },
        { name: 'ps_suppkey', type: 'int', domain: 'suppkey', values: ints(1, 10, 50, 99) },
        { name: 'ps_availqty', type: 'int', values: ints(1, 1000, 5000, 9999) },
        { name: 'ps_supplycost', type: 'decimal', values: ['1', '100.25', '500', '999'] },
      ],
    },
    {
      name: 'orders',
      key: ['o_orderkey'],
      limits: ['o_orderkey <= 4000', 'o_orderkey BETWEEN 20000 AND 26000', "o_orderdate < DATE '1993-01-01'"],
      columns: [
        { name: 'o_orderkey', type: 'int', domain: 'orderkey', values: ints(1, 1000, 3000, 30000, 60000) },
        { name: 'o_custkey', type: 'int', domain: 'custkey', values: ints(1, 100, 750, 1499) },
        { name: 'o_orderstatus', type: 'varchar', values: ['F', 'O', 'P'] },
        { name: 'o_totalprice', type: 'decimal', values: ['1000', '50000.25', '150000', '300000'] },
        { name: 'o_orderdate', type: 'date', values: DATES },
        { name: 'o_orderpriority', type: 'varchar', values: ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'] },
        { name: 'o_shippriority', type: 'int', values: ints(0, 1) },
      ],
    },
    {
      name: 'lineitem',
      key: ['l_orderkey', 'l_linenumber'],
      limits: ['l_orderkey <= 3000', 'l_orderkey BETWEEN 30000 AND 33000', "l_shipdate < DATE '1992-06-01'"],
      columns: [
        { name: 'l_orderkey', type: 'int', domain: 'orderkey', values: ints(1, 1000, 3000, 30000, 60000) },
        { name: 'l_partkey', type: 'int', domain: 'partkey', values: ints(1, 100, 1000, 1999) },
        { name: 'l_suppkey', type: 'int', domain: 'suppkey', values: ints(1, 10, 50, 99) },
        { name: 'l_linenumber', type: 'int', values: ints(1, 2, 4, 7) },
        { name: 'l_quantity', type: 'decimal', values: ['1', '10', '24', '36.5', '50'] },
        { name: 'l_extendedprice', type: 'decimal', values: ['1000', '20000.75', '50000', '90000'] },
        { name: 'l_discount', type: 'decimal', values: ['0', '0.05', '0.07', '0.1'] },
        { name: 'l_tax', type: 'decimal', values: ['0', '0.02', '0.08'] },
        { name: 'l_returnflag', type: 'varchar', values: ['A', 'N', 'R'] },
        { name: 'l_linestatus', type: 'varchar', values: ['O', 'F'] },
        { name: 'l_shipdate', type: 'date', values: DATES },
        { name: 'l_shipmode', type: 'varchar', values: ['AIR', 'MAIL', 'RAIL', 'SHIP', 'TRUCK', 'REG AIR', 'FOB'] },
      ],
    },
  ],
};

export const FUZZ_SCHEMAS: Readonly<Record<FuzzSchema['name'], FuzzSchema>> = { nyc: NYC_SCHEMA, tpch: TPCH_SCHEMA };
