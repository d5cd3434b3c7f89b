/**
 * Hand-assembled Parquet files for hostile-input tests: INT32 columns, one data page per column chunk, every
 * field a writer could lie about (page sizes, value counts, codec, chunk offsets, row counts, schema) open to
 * override. With no overrides the file is valid and reads as columns c0..c{n-1} holding 0..rows-1.
 */
import { bin, encodeStruct, i32, i64, list, struct, type TValue } from '../../unit/formats/parquet/fixtures/thrift-compact.js';

/** parquet.thrift CompressionCodec values. */
export const CODEC = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, ZSTD: 6 } as const;

export interface ChunkPlace {
  readonly offset: number;
  readonly size: number;
}

export interface CraftOptions {
  readonly columns?: number;
  readonly rows?: number;
  /** The page bytes as stored (already compressed with `codec`); default: the plain INT32 values. */
  readonly pageBytes?: (column: number, plain: Uint8Array) => Uint8Array;
  readonly codec?: number;
  /** PageHeader.uncompressed_page_size; default the plain size. */
  readonly uncompressedPageSize?: number;
  /** DataPageHeader.num_values; default rows. */
  readonly pageValues?: number;
  /** ColumnMetaData.num_values; default rows. */
  readonly chunkValues?: number;
  /** Where the footer says column `column`'s chunk lies, given where it really lies. */
  readonly place?: (column: number, right: ChunkPlace) => ChunkPlace;
  /** RowGroup.num_rows and FileMetaData.num_rows; default rows. */
  readonly rowGroupRows?: number;
  readonly fileRows?: number;
  /** Replaces the schema list (root first); the chunks still describe INT32 leaves. */
  readonly schema?: readonly TValue[];
  /** ColumnMetaData.path_in_schema of column `column`; default [`c{column}`]. */
  readonly path?: (column: number) => readonly string[];
}

function plainValues(rows: number): Uint8Array {
  const page = new Uint8Array(4 * rows);
  const dv = new DataView(page.buffer);
  for (let r = 0; r < rows; r++) dv.setInt32(4 * r, r, true);
  return page;
}

export function craftParquet(o: CraftOptions = {}): Uint8Array {
  const columns = o.columns ?? 1;
  const rows = o.rows ?? 3;
  const codec = o.codec ?? CODEC.UNCOMPRESSED;
  const plain = plainValues(rows);
  const parts: Uint8Array[] = [new TextEncoder().encode('PAR1')];
  let at = 4;
  const chunks: TValue[] = [];
  for (let c = 0; c < columns; c++) {
    const stored = o.pageBytes?.(c, plain) ?? plain;
    const header = encodeStruct(struct([1, i32(0)], [2, i32(o.uncompressedPageSize ?? plain.length)], [3, i32(stored.length)],
      [5, struct([1, i32(o.pageValues ?? rows)], [2, i32(0)], [3, i32(3)], [4, i32(3)])]));
    const right = { offset: at, size: header.length + stored.length };
    const place = o.place?.(c, right) ?? right;
    parts.push(header, stored);
    at += right.size;
    const meta = struct([1, i32(1)], [2, list('i32', [i32(0)])], [3, list('bin', (o.path?.(c) ?? [`c${c}`]).map((n) => bin(n)))], [4, i32(codec)],
      [5, i64(o.chunkValues ?? rows)], [6, i64(place.size)], [7, i64(place.size)], [9, i64(place.offset)]);
    chunks.push(struct([2, i64(place.offset)], [3, meta]));
  }
  const schema = o.schema ?? [
    struct([4, bin('schema')], [5, i32(columns)]),
    ...Array.from({ length: columns }, (_, c) => struct([1, i32(1)], [3, i32(0)], [4, bin(`c${c}`)])),
  ];
  const footer = encodeStruct(struct([1, i32(1)], [2, list('struct', schema)], [3, i64(o.fileRows ?? rows)],
    [4, list('struct', [struct([1, list('struct', chunks)], [2, i64(at - 4)], [3, i64(o.rowGroupRows ?? rows)])])]));
  const tail = new Uint8Array(8);
  new DataView(tail.buffer).setUint32(0, footer.length, true);
  tail.set(new TextEncoder().encode('PAR1'), 4);
  parts.push(footer, tail);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let w = 0;
  for (const p of parts) {
    out.set(p, w);
    w += p.length;
  }
  return out;
}

/**
 * A schema nested `depth` REQUIRED groups deep (g0 > g1 > … > c0, an INT32 leaf; no definition levels, so the
 * plain page still decodes) and the matching leaf path, for deep-nesting cases.
 */
export function deepSchema(depth: number): { schema: TValue[]; path: (column: number) => string[] } {
  const schema: TValue[] = [struct([4, bin('schema')], [5, i32(1)])];
  for (let d = 0; d < depth; d++) schema.push(struct([3, i32(0)], [4, bin(`g${d}`)], [5, i32(1)]));
  schema.push(struct([1, i32(1)], [3, i32(0)], [4, bin('c0')]));
  const names = [...Array.from({ length: depth }, (_, d) => `g${d}`), 'c0'];
  return { schema, path: () => names };
}
