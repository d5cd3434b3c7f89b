/**
 * Footer bytes → ParquetFileInfo. hyparquet's parquetMetadata parses the structure (schema, logical types, row
 * groups); raw-footer.ts supplies exact statistics bytes. Everything read from the file is checked before use:
 * a footer that parses but describes an impossible file (chunks outside the data area, negative or unsafe
 * counts, a schema that does not add up) is CORRUPT_FILE here, so the decoder never chases absurd sizes.
 */
import { parquetMetadata, type ColumnChunk, type FileMetaData, type SchemaElement } from 'hyparquet';
import { ShoalError } from '../../common/index.js';
import type { ByteRange } from '../../fs/index.js';
import type { ColumnField } from '../../types/index.js';
import { causeText, corruptFile, parquetError } from './errors.js';
import type { FooterBytes } from './footer.js';
import type { ParquetColumnChunk, ParquetFileInfo, ParquetRowGroup, ParquetSkippedColumn } from './parquet-api.js';
import { readRawFooter, type RawFooter } from './raw-footer.js';
import { nestedColumnType, schemaTree } from './nested-schema.js';
import { parquetTypeToSql } from './schema-map.js';
import { decodeStatistics } from './statistics.js';

/**
 * A readable top-level column: its field, schema element and position among the file's leaf columns. A nested
 * column (isGroup) spans leafCount leaves from leafIndex; it has no usable statistics.
 */
export interface LeafColumn {
  readonly field: ColumnField;
  readonly element: SchemaElement;
  readonly leafIndex: number;
  readonly leafCount: number;
  readonly isGroup: boolean;
}

export interface ParsedMetadata {
  readonly info: ParquetFileInfo;
  readonly skippedColumns: readonly ParquetSkippedColumn[];
  readonly leaves: ReadonlyMap<string, LeafColumn>;
  /** Compression codec of each readable column, per row group. */
  readonly codecs: readonly ReadonlyMap<string, string>[];
  /**
   * Per row group, the byte ranges of each readable column's chunks (one per leaf): what the decoder fetches to
   * read the column, so what a reader prefetches for it.
   */
  readonly chunkRanges: readonly ReadonlyMap<string, readonly ByteRange[]>[];
  /**
   * Where the metadata at the end of the file starts: the page indexes (column and offset indexes, which the
   * decoder reads when it opens the file) if the file has them, else the footer.
   */
  readonly metadataStart: number;
}

interface TopLevel {
  readonly element: SchemaElement;
  /** Index of the element in the flattened schema. */
  readonly at: number;
  readonly leafStart: number;
  readonly leafCount: number;
  readonly isGroup: boolean;
}

/** Splits the flattened (depth-first) schema into top-level subtrees, counting the leaves under each. */
function topLevelColumns(location: string, schema: readonly SchemaElement[]): { top: TopLevel[]; leaves: number } {
  const root = schema[0];
  if (root === undefined) throw corruptFile(location, 'footer has an empty schema');
  const top: TopLevel[] = [];
  let i = 1;
  let leaf = 0;
  for (let c = 0; c < (root.num_children ?? 0); c++) {
    const element = schema[i];
    if (element === undefined) throw corruptFile(location, 'footer schema ends early');
    const at = i;
    const leafStart = leaf;
    let pending = 1;
    while (pending > 0) {
      const e = schema[i];
      if (e === undefined) throw corruptFile(location, 'footer schema ends early');
      pending -= 1;
      i += 1;
      const k = e.num_children ?? 0;
      if (!Number.isInteger(k) || k < 0) throw corruptFile(location, 'footer schema has a negative child count');
      if (k > 0) pending += k;
      else if (e.type !== undefined) leaf += 1;
    }
    top.push({ element, at, leafStart, leafCount: leaf - leafStart, isGroup: (element.num_children ?? 0) > 0 || element.type === undefined });
  }
  if (i !== schema.length) throw corruptFile(location, `footer schema has ${schema.length - i} elements outside the root`);
  return { top, leaves: leaf };
}

/** A non-negative safe integer from a Thrift i64/i32, or undefined. */
function count(v: unknown): number | undefined {
  const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

interface ChunkContext {
  readonly location: string;
  readonly dataEnd: number;
  readonly rowGroup: number;
  readonly numRows: number;
  readonly raw: RawFooter;
}

/**
 * The chunk of a nested column: the byte span of its leaves' chunks, no statistics (so pruning keeps every row
 * group for predicates on it), and the codec of its leaves (the first one that differs, if they differ).
 */
function nestedChunk(ctx: ChunkContext, chunks: readonly (ColumnChunk | undefined)[], leaf: LeafColumn): ChunkWithRanges {
  let offset = Number.POSITIVE_INFINITY, compressedSize = 0, uncompressedSize = 0;
  let codec: string | undefined;
  const ranges: ByteRange[] = [];
  for (let k = 0; k < leaf.leafCount; k++) {
    const cc = chunks[leaf.leafIndex + k];
    const path = cc?.meta_data?.path_in_schema;
    if (!Array.isArray(path) || path.length < 2 || path[0] !== leaf.field.name) {
      throw corruptFile(ctx.location, `column '${leaf.field.name}' in row group ${ctx.rowGroup} does not match the schema`);
    }
    const one = columnChunk(ctx, cc, leaf, true);
    ranges.push(...one.ranges);
    offset = Math.min(offset, one.offset);
    compressedSize += one.compressedSize;
    uncompressedSize += one.uncompressedSize;
    if (codec === undefined || one.codec !== codec) codec = one.codec;
  }
  return { offset, compressedSize, uncompressedSize, statistics: {}, codec: codec ?? 'UNKNOWN', ranges };
}

type ChunkWithRanges = ParquetColumnChunk & { codec: string; ranges: readonly ByteRange[] };

function columnChunk(ctx: ChunkContext, cc: ColumnChunk | undefined, leaf: LeafColumn, nestedLeaf = false): ChunkWithRanges {
  const where = `column '${leaf.field.name}' in row group ${ctx.rowGroup}`;
  if (cc === undefined) throw corruptFile(ctx.location, `${where} is missing`);
  if (cc.file_path !== undefined) {
    throw parquetError('NOT_SUPPORTED', ctx.location, `${where} is stored in another file (${cc.file_path}), which is not supported`);
  }
  const md = cc.meta_data;
  if (md === undefined) {
    if (cc.encrypted_column_metadata !== undefined) throw parquetError('NOT_SUPPORTED', ctx.location, `${where} is encrypted`);
    throw corruptFile(ctx.location, `${where} has no metadata`);
  }
  const path = md.path_in_schema;
  if (!nestedLeaf && (!Array.isArray(path) || path.length !== 1 || path[0] !== leaf.field.name || md.type !== leaf.element.type)) {
    throw corruptFile(ctx.location, `${where} does not match the schema`);
  }
  const dataOffset = count(md.data_page_offset);
  const dictOffset = count(md.dictionary_page_offset);
  const compressedSize = count(md.total_compressed_size);
  const uncompressedSize = count(md.total_uncompressed_size);
  if (dataOffset === undefined || compressedSize === undefined || uncompressedSize === undefined) {
    throw corruptFile(ctx.location, `${where} has invalid offsets or sizes`);
  }
  // Some writers store 0 for "no dictionary page"; a dictionary page always precedes the data pages.
  const offset = dictOffset !== undefined && dictOffset > 0 && dictOffset < dataOffset ? dictOffset : dataOffset;
  if (offset < 4 || offset + compressedSize > ctx.dataEnd || dataOffset >= offset + Math.max(compressedSize, 1)) {
    throw corruptFile(ctx.location, `${where} declares bytes ${offset}..${offset + compressedSize}, outside the file's data (${ctx.dataEnd} bytes)`);
  }
  const ranges = [{ offset, length: compressedSize }];
  if (nestedLeaf) return { offset, compressedSize, uncompressedSize, statistics: {}, codec: String(md.codec), ranges };
  const order = ctx.raw.typeDefinedOrder.length === 0 ? undefined : ctx.raw.typeDefinedOrder[leaf.leafIndex];
  const statistics = decodeStatistics(ctx.raw.statistics[ctx.rowGroup]?.[leaf.leafIndex], leaf.element, leaf.field.type, order, ctx.numRows);
  return { offset, compressedSize, uncompressedSize, statistics, codec: String(md.codec), ranges };
}

/**
 * The lowest offset of a page index (column or offset index) in the file, or `dataEnd` when there is none.
 * Offsets that do not lie between the data start and the footer are ignored (the decoder would fail on them,
 * or never reads them): they only decide which bytes are handed to the decoder in advance.
 */
function pageIndexStart(chunks: readonly ColumnChunk[], dataEnd: number): number {
  let start = dataEnd;
  for (const cc of chunks) {
    for (const [at, length] of [[cc.offset_index_offset, cc.offset_index_length], [cc.column_index_offset, cc.column_index_length]] as const) {
      const o = count(at);
      const n = count(length);
      if (o !== undefined && n !== undefined && o >= 4 && o + n <= dataEnd) start = Math.min(start, o);
    }
  }
  return start;
}

function parseStructure(location: string, fb: FooterBytes): { meta: FileMetaData; raw: RawFooter } {
  try {
    const meta = parquetMetadata(fb.footer, { geoparquet: false });
    const raw = readRawFooter(fb.metadata);
    if (!Array.isArray(meta.schema) || !Array.isArray(meta.row_groups)) throw new Error('schema or row groups missing');
    return { meta, raw };
  } catch (e) {
    if (e instanceof ShoalError) throw e;
    throw corruptFile(location, `footer is corrupt (${causeText(e)})`, e);
  }
}

/** Builds the file's info from its footer; throws CORRUPT_FILE / NOT_SUPPORTED naming the file. */
export function parseMetadata(location: string, size: number, etag: string | undefined, fb: FooterBytes): ParsedMetadata {
  const { meta, raw } = parseStructure(location, fb);
  const { top, leaves: leafTotal } = topLevelColumns(location, meta.schema);
  const fields: ColumnField[] = [];
  const skippedColumns: ParquetSkippedColumn[] = [];
  const leaves = new Map<string, LeafColumn>();
  for (const t of top) {
    const name = t.element.name;
    if (typeof name !== 'string') throw corruptFile(location, 'footer schema has a column without a name');
    let reason: string | undefined;
    if (leaves.has(name) || skippedColumns.some((s) => s.name === name)) reason = 'the file has another column of the same name';
    else if (t.element.repetition_type === 'REPEATED') reason = 'repeated columns (a legacy LIST) are not supported yet';
    if (reason === undefined) {
      const mapped = t.isGroup ? nestedColumnType(schemaTree(meta.schema, t.at).node) : parquetTypeToSql(t.element);
      if ('unsupported' in mapped) reason = mapped.unsupported;
      else {
        const field: ColumnField = { name, type: mapped.type, nullable: t.element.repetition_type !== 'REQUIRED' };
        fields.push(field);
        leaves.set(name, { field, element: t.element, leafIndex: t.leafStart, leafCount: t.leafCount, isGroup: t.isGroup });
        continue;
      }
    }
    skippedColumns.push({ name, reason });
  }

  const dataEnd = size - 8 - (fb.footer.length - 8);
  const rowGroups: ParquetRowGroup[] = [];
  const codecs: Map<string, string>[] = [];
  const chunkRanges: Map<string, readonly ByteRange[]>[] = [];
  let metadataStart = dataEnd;
  let numRows = 0;
  meta.row_groups.forEach((rg, index) => {
    const rgRows = count(rg.num_rows);
    if (rgRows === undefined) throw corruptFile(location, `row group ${index} has an invalid row count`);
    if (!Array.isArray(rg.columns) || rg.columns.length !== leafTotal) {
      throw corruptFile(location, `row group ${index} has ${Array.isArray(rg.columns) ? rg.columns.length : 0} column chunks; the schema has ${leafTotal}`);
    }
    const ctx: ChunkContext = { location, dataEnd, rowGroup: index, numRows: rgRows, raw };
    const columns = new Map<string, ParquetColumnChunk>();
    const rgCodecs = new Map<string, string>();
    const rgRanges = new Map<string, readonly ByteRange[]>();
    for (const leaf of leaves.values()) {
      const { codec, ranges, ...chunk } = leaf.isGroup ? nestedChunk(ctx, rg.columns, leaf) : columnChunk(ctx, rg.columns[leaf.leafIndex], leaf);
      columns.set(leaf.field.name, chunk);
      rgCodecs.set(leaf.field.name, codec);
      rgRanges.set(leaf.field.name, ranges);
    }
    metadataStart = Math.min(metadataStart, pageIndexStart(rg.columns, dataEnd));
    numRows += rgRows;
    rowGroups.push({ index, numRows: rgRows, columns });
    codecs.push(rgCodecs);
    chunkRanges.push(rgRanges);
  });
  if (!Number.isSafeInteger(numRows)) throw corruptFile(location, 'footer declares an impossible number of rows');
  const info: ParquetFileInfo = {
    location, size, etag, fields, numRows, rowGroups,
    createdBy: typeof meta.created_by === 'string' ? meta.created_by : undefined,
  };
  return { info, skippedColumns, leaves, codecs, chunkRanges, metadataStart };
}
