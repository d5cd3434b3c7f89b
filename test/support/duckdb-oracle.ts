import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import path from 'node:path';
import { normalizeCell, type Cell } from './normalize.js';
import { SAMPLE_DATA } from './paths.js';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** DuckDB as the reference engine: same files, same SQL (where the dialects agree), rows normalized. */
export class DuckOracle {
  private constructor(private readonly instance: DuckDBInstance, private readonly conn: DuckDBConnection) {}

  static async create(): Promise<DuckOracle> {
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const conn = await instance.connect();
    return new DuckOracle(instance, conn);
  }

  /** Views named like the sample catalog's tables over the sample files. */
  async withSampleTables(): Promise<this> {
    const nyc = path.join(SAMPLE_DATA, 'nyc');
    await this.conn.run(`CREATE VIEW yellow_tripdata AS SELECT * FROM read_parquet('${nyc}/yellow_tripdata/**/*.parquet', hive_partitioning = true)`);
    await this.conn.run(`CREATE VIEW green_tripdata AS SELECT * FROM read_parquet('${nyc}/green_tripdata/**/*.parquet', hive_partitioning = true)`);
    await this.conn.run(`CREATE VIEW taxi_zone_lookup AS SELECT * FROM read_csv('${nyc}/taxi_zone_lookup.csv', header = true, columns = {'locationid': 'INTEGER', 'borough': 'VARCHAR', 'zone': 'VARCHAR', 'service_zone': 'VARCHAR'})`);
    return this;
  }

  async run(sql: string): Promise<void> {
    await this.conn.run(sql);
  }

  async query(sql: string): Promise<{ columns: string[]; types: string[]; rows: Cell[][] }> {
    const r = await this.conn.runAndReadAll(sql);
    const types = r.columnTypes().map(String);
    const numeric = types.map((t) => NUMERIC.test(t));
    const rows = r.getRowsJson().map((row) => row.map((v, i) => normalizeCell(v, numeric[i]!)));
    return { columns: r.columnNames(), types, rows };
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
