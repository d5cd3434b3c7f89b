/**
 * Shoal's CSV reader: an RFC 4180 byte tokenizer (tokenizer.ts) feeding per-type decoders (decoders/) that
 * write straight into Arrow typed arrays, reading the file in bounded chunks (scanner.ts, byte-source.ts).
 */
export type { CsvOptions } from './csv-api.js';
export { DEFAULT_CSV_OPTIONS } from './csv-api.js';
export { inferCsvSchema } from './schema.js';
export { readCsv, DEFAULT_BATCH_SIZE, type CsvReadOptions } from './reader.js';
export { DEFAULT_CHUNK_SIZE, type CsvIoOptions } from './open-scanner.js';
export { isGzip } from './csv-config.js';
export { csvField } from './csv-text.js';
export { CsvFileWriter, checkCsvTypes, type CsvWriterOptions } from './csv-writer.js';
