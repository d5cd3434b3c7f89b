/**
 * The WITH (…) properties of CREATE TABLE [AS] and UNLOAD in file catalogs, as Trino's Hive connector and Athena
 * name them: format ('PARQUET' | 'CSV'), partitioned_by (ARRAY['col', …]), external_location (CREATE TABLE
 * only), compression ('SNAPPY' | 'ZSTD' | 'GZIP' | 'NONE'). Values are constant expressions.
 */
import { ShoalError, didYouMean } from '../common/index.js';
import { evaluateConstant } from '../expr/index.js';
import type { FileFormat, WriteCompression } from '../catalog/index.js';
import type * as ast from '../sql/index.js';
import type { Scalar } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import { binderFor } from './run-query.js';

export interface WriteProperties {
  readonly format: FileFormat;
  readonly partitionedBy: readonly string[];
  readonly externalLocation?: string | undefined;
  readonly compression: WriteCompression;
}

const OTHER_FORMATS = ['ORC', 'AVRO', 'JSON', 'TEXTFILE', 'RCBINARY', 'RCTEXT', 'SEQUENCEFILE', 'ION', 'REGEX', 'OPENX_JSON'];
const COMPRESSIONS: Readonly<Record<string, WriteCompression>> = { SNAPPY: 'snappy', ZSTD: 'zstd', GZIP: 'gzip', NONE: 'none', UNCOMPRESSED: 'none' };

function invalid(message: string, span: ast.Property['span'], hint?: string): ShoalError {
  return new ShoalError('INVALID_TABLE_PROPERTY', message, { span, hint });
}

function text(v: Scalar, p: ast.Property): string {
  if (typeof v !== 'string') throw invalid(`Property '${p.name.value}' must be a varchar literal such as 'PARQUET'`, p.value.span);
  return v;
}

/**
 * Parses the properties. `statement` names the statement in messages ("table", "UNLOAD"); `allowLocation` admits
 * external_location (CREATE TABLE).
 */
export function parseWriteProperties(props: readonly ast.Property[], ctx: StatementContext, o: { catalog: string; allowLocation: boolean }): WriteProperties {
  const allowed = ['format', 'partitioned_by', 'compression', ...(o.allowLocation ? ['external_location'] : [])];
  const seen = new Set<string>();
  let format: FileFormat = 'parquet';
  let partitionedBy: string[] = [];
  let externalLocation: string | undefined;
  let compression: WriteCompression | undefined;
  for (const p of props) {
    const name = p.name.value.toLowerCase();
    if (!allowed.includes(name)) {
      const what = o.allowLocation ? `Catalog '${o.catalog}' table property '${name}' does not exist` : `UNLOAD property '${name}' does not exist`;
      throw invalid(what, p.name.span, didYouMean(name, allowed) ?? `Properties: ${allowed.join(', ')}`);
    }
    if (seen.has(name)) throw invalid(`Property '${name}' is given more than once`, p.name.span);
    seen.add(name);
    const value = evaluateConstant(binderFor(ctx).constantExpr(p.value, 'WITH properties'), ctx.evalCtx);
    switch (name) {
      case 'format': {
        const f = text(value, p).toUpperCase();
        if (f === 'PARQUET') format = 'parquet';
        else if (f === 'CSV') format = 'csv';
        else if (OTHER_FORMATS.includes(f)) throw new ShoalError('NOT_SUPPORTED', `Writing format '${f}' is not supported`, { span: p.value.span, hint: "Shoal writes format = 'PARQUET' or 'CSV'" });
        else throw invalid(`Unknown format '${text(value, p)}'`, p.value.span, "Use format = 'PARQUET' or 'CSV'");
        break;
      }
      case 'partitioned_by': {
        if (!Array.isArray(value) || !value.every((x): x is string => typeof x === 'string' && x !== '')) {
          throw invalid("partitioned_by must be an array of column names, e.g. ARRAY['month']", p.value.span);
        }
        partitionedBy = value.map((x) => x.toLowerCase());
        break;
      }
      case 'external_location': {
        externalLocation = text(value, p);
        if (externalLocation.trim() === '') throw invalid('external_location must not be empty', p.value.span);
        break;
      }
      case 'compression': {
        const c = COMPRESSIONS[text(value, p).toUpperCase()];
        if (c === undefined) throw invalid(`Unknown compression '${text(value, p)}'`, p.value.span, "Use compression = 'SNAPPY', 'ZSTD', 'GZIP' or 'NONE'");
        compression = c;
        break;
      }
    }
  }
  return { format, partitionedBy, externalLocation, compression: compression ?? (format === 'parquet' ? 'snappy' : 'none') };
}
