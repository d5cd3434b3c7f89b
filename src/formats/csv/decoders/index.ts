/** The decoder for each SQL type a CSV column can be read as. */
import { ShoalError, assertNever } from '../../../common/index.js';
import { nullColumn, typeName, type Column, type ColumnField } from '../../../types/index.js';
import type { FieldBlock } from '../field-block.js';
import { BooleanDecoder } from './boolean.js';
import { DecimalDecoder } from './decimal.js';
import type { ColumnDecoder, DecodeContext } from './decoder.js';
import { FloatDecoder } from './float.js';
import { IntegerDecoder } from './integer.js';
import { StringDecoder } from './string.js';
import { DateDecoder, TimestampDecoder } from './temporal.js';

export type { ColumnDecoder, DecodeContext } from './decoder.js';

/** A column of the `unknown` type (a bare NULL): every value is NULL whatever the file holds. */
class NullDecoder implements ColumnDecoder {
  private n = 0;
  append(block: FieldBlock): void {
    this.n += block.rows;
  }
  finish(): Column {
    const col = nullColumn({ kind: 'unknown' }, this.n);
    this.n = 0;
    return col;
  }
}

export interface DecoderOptions {
  readonly location: string;
  readonly nullBytes: Uint8Array;
  readonly quote: number;
  readonly batchSize: number;
  /** Let low-cardinality varchar columns be dictionary-encoded. */
  readonly dictionary: boolean;
}

/** A decoder for `field`; NOT_SUPPORTED for types CSV text cannot hold in this version (intervals). */
export function makeDecoder(field: ColumnField, o: DecoderOptions): ColumnDecoder {
  const ctx: DecodeContext = { location: o.location, column: field.name, nullBytes: o.nullBytes, batchSize: o.batchSize };
  const t = field.type;
  switch (t.kind) {
    case 'unknown': return new NullDecoder();
    case 'boolean': return new BooleanDecoder(ctx);
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'bigint':
      return new IntegerDecoder(t, ctx);
    case 'real':
    case 'double':
      return new FloatDecoder(t, ctx);
    case 'decimal': return new DecimalDecoder(t, ctx);
    case 'varchar': return new StringDecoder(ctx, o.quote, o.dictionary);
    case 'date': return new DateDecoder(ctx);
    case 'timestamp': return new TimestampDecoder(t, ctx);
    case 'interval_day_time':
    case 'interval_year_month':
    case 'array':
    case 'map':
    case 'row':
      throw new ShoalError('NOT_SUPPORTED', `${o.location}: column "${field.name}" has type ${typeName(t)}, which the CSV reader cannot read`, {
        location: o.location, hint: `Declare the column as varchar and cast it`,
      });
    default: return assertNever(t, 'type');
  }
}
