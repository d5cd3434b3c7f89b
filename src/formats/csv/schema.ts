/** inferCsvSchema: column names from the header (or positional) and types from a sample of rows. */
import { field, type ColumnField } from '../../types/index.js';
import type { RandomAccessFile } from '../../fs/index.js';
import type { CsvOptions } from './csv-api.js';
import { csvError } from './csv-errors.js';
import { positionalColumnNames, uniqueColumnNames } from './column-names.js';
import { FieldBlock } from './field-block.js';
import { TypeInferrer } from './infer.js';
import { openScanner, type CsvIoOptions } from './open-scanner.js';

/**
 * Column names from the header (or column0, column1, … without one; empty or duplicate names made unique
 * DuckDB-style) and types inferred from the first `options.sampleRows` rows (infer.ts). Rows of the sample
 * obey the same rules as reading (field count, quotes), so a file that fails here fails the same way later.
 * An empty file fails with BAD_DATA: it has no columns to infer.
 */
export async function inferCsvSchema(file: RandomAccessFile, options: CsvOptions, o: CsvIoOptions = {}): Promise<ColumnField[]> {
  const { cfg, scanner, source } = await openScanner(file, options, o);
  try {
    const first = await scanner.firstRow(cfg.header);
    if (first === null) {
      throw csvError('BAD_DATA', cfg.location, 'the file is empty, so its columns cannot be inferred',
        'Declare the columns of the table, or check the skip option');
    }
    const names = cfg.header ? uniqueColumnNames(first) : positionalColumnNames(first.length);
    const inferrer = new TypeInferrer(names.length, cfg.nullBytes);
    const block = new FieldBlock(names.length, cfg.quote);
    const params = scanner.params(false);
    let left = cfg.sampleRows;
    while (left > 0) {
      const got = await scanner.nextBlock(block, params, left);
      if (got === null) break;
      inferrer.add(got);
      left -= got.rows;
    }
    const types = inferrer.types();
    return names.map((name, i) => field(name, types[i]!));
  } finally {
    source.close();
  }
}
