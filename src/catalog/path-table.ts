import path from 'node:path';
import { ShoalError } from '../common/index.js';
import { displayLocation, resolveLocation, schemeOf, type AllowedRoots, type ExpandOptions } from '../fs/index.js';
import { parseCsvOptions } from './catalog-file.js';
import { FileTable, rootOf, type FileFormat, type FileTableEnv } from './file-table.js';

/** Format of a path used directly in a query, from its extension; a directory or extension-less glob is Parquet. */
export function formatOfPath(p: string): FileFormat | undefined {
  if (/\.(csv|tsv|txt)(\.gz)?$/i.test(p)) return 'csv';
  if (/\.(parquet|parq|pq)$/i.test(p)) return 'parquet';
  const last = p.split('/').pop() ?? '';
  if (!/\.[a-z0-9]+$/i.test(last) || last.endsWith('*')) return 'parquet';
  return undefined;
}

export interface PathTableRequest {
  /** As written in the query; relative paths resolve against `cwd`. */
  readonly location: string;
  readonly cwd: string;
  readonly format: FileFormat;
  /** CSV options in catalog-file spelling (header, delimiter, quote, null, compression, null_padding, skip, sample_rows). */
  readonly csv?: Readonly<Record<string, unknown>> | undefined;
  /** Read `key=value` directories as partition columns. */
  readonly hivePartitioning?: boolean | undefined;
  /** Where query paths may point (Shoal.open allowedRoots); undefined: anywhere. */
  readonly roots?: AllowedRoots | undefined;
}

/** A table over a path given in a query (`FROM 'x/*.parquet'`, read_parquet, read_csv). */
export async function openPathTable(env: FileTableEnv, req: PathTableRequest, o?: ExpandOptions): Promise<FileTable> {
  const location = resolveLocation(req.location, req.cwd);
  await req.roots?.check(location, 'read', 'queries');
  // A glob or folder inside a root may still hold symlinks leading out of it: every file it names must pass too
  // (the query's listing scope keeps this listing for the scan, so the files checked are the files read).
  if (req.roots !== undefined && schemeOf(location) === 'file') {
    for (const f of await env.fs.expand(location, o)) await req.roots.check(f.location, 'read', 'queries');
  }
  const csv = parseCsvOptions(req.csv, location, (message, hint) => new ShoalError('INVALID_ARGUMENTS', `Invalid read_csv argument: ${message.replace(/^csv\./, '')}`, { hint }));
  let partitionedBy: string[] = [];
  if (req.hivePartitioning === true) {
    const first = (await env.fs.expand(location, o))[0];
    if (first !== undefined) {
      const rel = path.dirname(first.location.slice(rootOf(location).length));
      partitionedBy = rel.split('/').filter((s) => /^[^=]+=/.test(s)).map((s) => s.slice(0, s.indexOf('=')).toLowerCase());
    }
  }
  return FileTable.create({ name: displayLocation(req.location), location, format: req.format, partitionedBy, columns: undefined, csv, comment: undefined }, env, o);
}
