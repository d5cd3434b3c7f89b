export * from './csv/index.js';
export * from './parquet/index.js';
export { normalizeColumn } from './arrow-normalize.js';
