export type { Catalog, TableEntry, TableListing, TableDefinition } from './catalog.js';
export type { TableProvider, ScanRequest, ScanPlan, ScanSummary, Split, FilterSupport, ScanOptions, SplitReader } from './table-provider.js';
export { DEFAULT_MAX_OPEN_FILES } from './table-provider.js';
/** Storage options, for layers that read through the catalog but do not use fs themselves (the binder). */
export type { ExpandOptions } from '../fs/index.js';
export { CatalogManager, type CatalogAccess } from './catalog-manager.js';
export { FileCatalog } from './file-catalog.js';
export { MemoryCatalog, MemoryTable } from './memory-catalog.js';
export { FileTable, type FileTableSpec, type FileTableEnv, type FileFormat, rootOf } from './file-table.js';
export { mapLimit } from './map-limit.js';
export { parseCsvOptions, parseTableFile, parseCatalogSettings } from './catalog-file.js';
export { InformationSchemaTable, INFORMATION_SCHEMA, INFORMATION_SCHEMA_TABLES, type ViewDescriber } from './information-schema.js';
export { MetadataCache } from './metadata-cache.js';
export { openPathTable, formatOfPath, type PathTableRequest } from './path-table.js';
export { WriteJob, type WriteJobOptions, type WriteSummary, type WriteLayout, type ExistingPartitionsBehavior } from './write-job.js';
export { checkWriteLayout, MAX_OPEN_PARTITIONS, type WriteCompression } from './table-writer.js';
export { tableFileText, locationForTableFile, type TableFileDefinition, type TableFileContent } from './catalog-file.js';
export { STAGING_DIR } from './write-staging.js';
export { requireEmptyTarget, visibleFiles } from './write-commit.js';
