export * from './csv/index.js';
export * from './parquet/index.js';
export { normalizeColumn } from './arrow-normalize.js';
export type { FormatFileWriter } from './file-writer.js';
