import path from 'node:path';

/** The repository root (tests run with it as the working directory for relative data paths). */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
export const SAMPLE_CATALOG = path.join(REPO_ROOT, 'catalog');
export const SAMPLE_DATA = path.join(REPO_ROOT, 'sample-data');
