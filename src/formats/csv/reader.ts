/** readCsv: the file as a stream of RecordBatches of the projected columns. */
import type { RecordBatch } from 'apache-arrow';
import { ShoalError, throwIfAborted } from '../../common/index.js';
import { makeBatch, type ColumnField } from '../../types/index.js';
import type { RandomAccessFile } from '../../fs/index.js';
import type { CsvOptions } from './csv-api.js';
import { makeDecoder } from './decoders/index.js';
import { FieldBlock } from './field-block.js';
import { wrongFieldCount } from './csv-errors.js';
import { openScanner, type CsvIoOptions } from './open-scanner.js';

export const DEFAULT_BATCH_SIZE = 65536;

export interface CsvReadOptions extends CsvIoOptions {
  /** Rows per batch at most (default 65536). */
  readonly batchSize?: number | undefined;
  /** Let low-cardinality varchar columns come out as Dictionary<Int32, Utf8> (default true). */
  readonly dictionary?: boolean | undefined;
}

/**
 * Streams the file as RecordBatches of at most `batchSize` rows holding only the `projection` columns (indices
 * into `fields`, in that order), parsed as `fields[i].type`, in canonical layouts. Every row must have
 * `fields.length` fields (or fewer with null_padding). With a header, the header row is skipped (it must have
 * the same field count). Unprojected columns are tokenized but never decoded; an empty projection yields
 * batches of zero columns that carry row counts. The caller owns and closes `file`.
 */
export async function* readCsv(
  file: RandomAccessFile, options: CsvOptions, fields: readonly ColumnField[], projection: readonly number[], o: CsvReadOptions = {},
): AsyncIterable<RecordBatch> {
  const batchSize = o.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new ShoalError('INVALID_ARGUMENTS', `CSV batch size must be a positive integer, got ${batchSize}`);
  for (const i of projection) {
    if (!Number.isInteger(i) || i < 0 || i >= fields.length) {
      throw new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): CSV projection index ${i} outside 0..${fields.length - 1}`);
    }
  }
  const { cfg, scanner, source } = await openScanner(file, options, o);
  try {
    const outFields = projection.map((i) => fields[i]!);
    const decoders = outFields.map((f) => makeDecoder(f, {
      location: cfg.location, nullBytes: cfg.nullBytes, quote: cfg.quote, batchSize, dictionary: o.dictionary ?? true,
    }));
    const block = new FieldBlock(fields.length, cfg.quote);
    const params = scanner.params(false);
    if (cfg.header) {
      // Read like inference reads it (counting mode: blank lines before it skipped), then held to the column count.
      const header = await scanner.nextBlock(block, scanner.params(true), 1);
      const n = header?.fieldCount ?? fields.length;
      if (header !== null && n !== fields.length && !(cfg.nullPadding && n < fields.length)) {
        throw wrongFieldCount(cfg.location, header.lines[0]!, n, fields.length, cfg.nullPadding);
      }
    }
    for (;;) {
      let rows = 0;
      let done = false;
      while (rows < batchSize) {
        throwIfAborted(o.signal);
        const got = await scanner.nextBlock(block, params, batchSize - rows);
        if (got === null) {
          done = true;
          break;
        }
        for (let j = 0; j < decoders.length; j++) decoders[j]!.append(got, projection[j]!);
        rows += got.rows;
      }
      if (rows > 0) yield makeBatch(outFields, decoders.map((d) => d.finish()), rows);
      if (done) return;
    }
  } finally {
    source.close();
  }
}
