import { canonicalFloat32Word, canonicalFloat64Words, hashBytes, mix32 } from '../../common/index.js';
import { getBit, type Column, type SqlType } from '../../types/index.js';

/** One more 32-bit word into a running hash, mixed at every step so the result stays uniform in every bit. */
function combine(h: number, w: number): number {
  return mix32(Math.imul(h ^ w, 0x5bd1e995) + 0x7f4a7c15);
}

/** Scratch for a double's two words. */
const WORDS = new Int32Array(2);

/**
 * Well-mixed 32-bit hashes of a column's values (NULL rows get an unspecified hash; callers skip them), equal for
 * equal values: -0 hashes as 0 and every NaN alike. Sketches (approx_distinct) need hashes whose every bit is
 * uniform. (The primitives are common's, shared with the operators' hash tables in physical/hashing.)
 */
export function hashValues(col: Column, type: SqlType, rows: number, out: Int32Array): void {
  switch (type.kind) {
    case 'boolean': {
      const v = col.values as Uint8Array;
      for (let i = 0; i < rows; i++) out[i] = mix32(getBit(v, i) ? 1 : 2);
      return;
    }
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'date':
    case 'interval_year_month': {
      const v = col.values as Int32Array;
      for (let i = 0; i < rows; i++) out[i] = mix32(v[i]! ^ 0x2545f491);
      return;
    }
    case 'real': {
      const v = col.values as Float32Array;
      for (let i = 0; i < rows; i++) out[i] = mix32(canonicalFloat32Word(v[i]!) ^ 0x2545f491);
      return;
    }
    case 'double': {
      const v = col.values as Float64Array;
      for (let i = 0; i < rows; i++) {
        canonicalFloat64Words(v[i]!, WORDS, 0);
        out[i] = combine(mix32(WORDS[0]!), WORDS[1]!);
      }
      return;
    }
    case 'bigint':
    case 'timestamp':
    case 'interval_day_time': {
      const a = col.values as BigInt64Array;
      const w = new Int32Array(a.buffer, a.byteOffset, rows * 2);
      for (let i = 0; i < rows; i++) out[i] = combine(mix32(w[2 * i]!), w[2 * i + 1]!);
      return;
    }
    case 'decimal': {
      const w = col.values as Int32Array | Uint32Array;
      for (let i = 0; i < rows; i++) {
        let h = mix32(w[4 * i]! | 0);
        for (let q = 1; q < 4; q++) h = combine(h, w[4 * i + q]! | 0);
        out[i] = h;
      }
      return;
    }
    case 'varchar': {
      const dict = col.dictionary?.data[0];
      const src = dict ?? col;
      const offsets = src.valueOffsets as Int32Array;
      const bytes = src.values as Uint8Array;
      if (dict === undefined) {
        for (let i = 0; i < rows; i++) out[i] = hashBytes(bytes, offsets[i]!, offsets[i + 1]!);
        return;
      }
      const entries = new Int32Array(dict.length);
      for (let k = 0; k < dict.length; k++) entries[k] = hashBytes(bytes, offsets[k]!, offsets[k + 1]!);
      const codes = col.values as Int32Array;
      for (let i = 0; i < rows; i++) out[i] = entries[codes[i]!]!;
      return;
    }
    default:
      out.fill(0, 0, rows);
  }
}

/** Whether hashValues covers `t`. */
export function hashable(t: SqlType): boolean {
  switch (t.kind) {
    case 'boolean': case 'tinyint': case 'smallint': case 'integer': case 'date': case 'interval_year_month':
    case 'real': case 'double': case 'bigint': case 'timestamp': case 'interval_day_time': case 'decimal': case 'varchar':
      return true;
    default:
      return false;
  }
}
