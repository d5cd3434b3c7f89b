import { ShoalError, didYouMean, type SourceSpan } from '../common/index.js';
import { formatOfPath as formatOf, openPathTable, type FileFormat, type FileTable, type PathTableRequest } from '../catalog/index.js';
import type { Scalar } from '../types/index.js';
import type { BinderEnv } from './binder-env.js';

/** Format of a path given directly in FROM; an unknown extension is an error naming the path. */
export function formatOfPath(p: string, span: SourceSpan): FileFormat {
  const f = formatOf(p);
  if (f === undefined) {
    throw new ShoalError('NOT_SUPPORTED', `Cannot tell the format of '${p}' from its name`, { span, hint: "Use read_parquet('…') or read_csv('…')" });
  }
  return f;
}

/** A file table for a path used directly in a query. */
export async function pathTable(env: BinderEnv, req: Omit<PathTableRequest, 'cwd'>, span: SourceSpan): Promise<FileTable> {
  try {
    return await openPathTable(env.files, { ...req, cwd: env.cwd, roots: env.pathRoots }, { ...env.io, signal: env.signal });
  } catch (e) {
    throw e instanceof ShoalError ? e.withSpan(span) : e;
  }
}

const CSV_ARGS: Readonly<Record<string, string>> = {
  header: 'header', delim: 'delimiter', delimiter: 'delimiter', sep: 'delimiter', quote: 'quote', nullstr: 'null', null: 'null',
  compression: 'compression', null_padding: 'null_padding', skip: 'skip', sample_size: 'sample_rows',
};

/**
 * read_parquet(path [, hive_partitioning => true]) and read_csv(path [, header => …, delim => …, quote => …,
 * nullstr => …, compression => …, null_padding => …, skip => …]): DuckDB's table functions. Arguments are constants.
 */
export async function tableFunction(
  env: BinderEnv, name: string, args: readonly { name: string | undefined; value: Scalar; span: SourceSpan }[], span: SourceSpan,
): Promise<FileTable> {
  const fn = name.toLowerCase();
  const positional = args.filter((a) => a.name === undefined);
  const named = args.filter((a) => a.name !== undefined);
  const first = positional[0];
  if (first === undefined || typeof first.value !== 'string') {
    throw new ShoalError('INVALID_ARGUMENTS', `${fn} needs a path as its first argument`, { span, hint: `Example: ${fn}('data/*.${fn === 'read_csv' ? 'csv' : 'parquet'}')` });
  }
  if (positional.length > 1) throw new ShoalError('INVALID_ARGUMENTS', `${fn} takes one path; give options by name (header => true)`, { span: positional[1]!.span });
  const hivePartitioning = named.find((a) => a.name === 'hive_partitioning')?.value === true;
  switch (fn) {
    case 'read_parquet':
    case 'parquet_scan': {
      for (const a of named) {
        if (a.name !== 'hive_partitioning') throw new ShoalError('INVALID_ARGUMENTS', `Unknown argument '${a.name}' for read_parquet`, { span: a.span, hint: 'read_parquet accepts hive_partitioning => true' });
      }
      return pathTable(env, { location: first.value, format: 'parquet', hivePartitioning }, span);
    }
    case 'read_csv':
    case 'read_csv_auto': {
      const csv: Record<string, unknown> = {};
      for (const a of named) {
        if (a.name === 'hive_partitioning' || a.name === 'auto_detect') continue;
        const key = CSV_ARGS[a.name!];
        if (key === undefined) throw new ShoalError('INVALID_ARGUMENTS', `Unknown argument '${a.name}' for read_csv`, { span: a.span, hint: didYouMean(a.name!, Object.keys(CSV_ARGS)) ?? `Arguments: ${Object.keys(CSV_ARGS).join(', ')}` });
        csv[key] = typeof a.value === 'bigint' ? Number(a.value) : a.value;
      }
      return pathTable(env, { location: first.value, format: 'csv', csv, hivePartitioning }, span);
    }
    default:
      throw new ShoalError('FUNCTION_NOT_FOUND', `Table function '${name}' does not exist`, { span, hint: didYouMean(fn, ['read_parquet', 'read_csv']) ?? 'Table functions: read_parquet, read_csv' });
  }
}
