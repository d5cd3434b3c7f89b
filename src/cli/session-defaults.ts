import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Shoal } from '../engine/index.js';

/** The sample catalog shipped with Shoal (`catalog/` at the package root). */
export function bundledCatalogDir(): string {
  return fileURLToPath(new URL('../../catalog', import.meta.url));
}

/** `--catalog-dir`, else ./catalog when it exists, else the bundled sample catalog. */
export function resolveCatalogDir(given: string | undefined, cwd: string): string {
  if (given !== undefined) return path.resolve(cwd, given);
  const local = path.join(cwd, 'catalog');
  return existsSync(local) ? local : bundledCatalogDir();
}

/**
 * Default catalog and schema when the command line names none: the only file catalog, and its only schema
 * (so the bundled sample opens as lake.nyc).
 */
export async function defaultCatalogAndSchema(shoal: Shoal, catalog?: string, schema?: string): Promise<{ catalog?: string; schema?: string }> {
  let c = catalog;
  if (c === undefined) {
    const files = shoal.catalogs.names().filter((n) => n !== 'memory');
    if (files.length === 1) c = files[0];
  }
  let s = schema;
  if (s === undefined && c !== undefined) {
    const schemas = (await shoal.catalogs.get(c)?.listSchemas()) ?? [];
    if (schemas.length === 1) s = schemas[0];
  }
  return { ...(c === undefined ? {} : { catalog: c }), ...(s === undefined ? {} : { schema: s }) };
}
