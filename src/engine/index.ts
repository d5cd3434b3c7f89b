export { Shoal, type ShoalOptions } from './shoal.js';
export { Session, type SessionOptions, type QueryOptions } from './session.js';
export { QueryResult, type QueryStats, type WriteStats } from './query-result.js';
export { toJsValue, type JsValue } from './js-values.js';
export { sessionPropertyNames, parseDuration } from './session-properties.js';
// What front ends (CLI, server) need besides sessions: statement splitting and Shoal's value rendering.
export { splitStatements } from '../sql/index.js';
export { formatScalar as formatValue, typeName, type SqlType, type ColumnField, type Scalar } from '../types/index.js';
export { formatBytes } from '../physical/index.js';
export { csvField } from '../formats/index.js';
