/** Shoal's library entry: the embedded engine and the types its results use. */
export { Shoal, Session, QueryResult, toJsValue, type ShoalOptions, type SessionOptions, type QueryOptions, type QueryStats, type WriteStats, type JsValue } from './engine/index.js';
export { ShoalError, formatError, type ErrorCode, type SourceSpan } from './common/index.js';
export { type StorageSettings, type S3Settings, type HttpSettings } from './fs/index.js';
export { typeName, type SqlType, type ColumnField, type Scalar } from './types/index.js';
