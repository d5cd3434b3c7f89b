import path from 'node:path';

/** Where generated TPC-H data sets live (git-ignored; one folder per scale factor). */
export const TPCH_DATA_ROOT = path.resolve(import.meta.dirname, '../../../.cache/tpch');
