export { Shoal, type ShoalOptions } from './shoal.js';
export { Session, type SessionOptions, type QueryOptions } from './session.js';
export { QueryResult, type QueryStats, type WriteStats } from './query-result.js';
export { toJsValue, type JsValue } from './js-values.js';
export { sessionPropertyNames, parseDuration } from './session-properties.js';
export type { StatementPlan } from './dry-run.js';
export type { PlannedScan } from './scan-limit.js';
// What front ends (CLI, server) need besides sessions: statement splitting and Shoal's value rendering.
export { splitStatements } from '../sql/index.js';
// shoal run: job parameters substituted as literals, and the parsed statements it reports on.
export { substituteParameters, PARAMETER_NAME, type ParameterSubstitution, type ParsedStatement } from '../sql/index.js';
export { formatScalar as formatValue, typeName, type SqlType, type ColumnField, type Scalar } from '../types/index.js';
export { formatBytes } from '../physical/index.js';
export { csvField } from '../formats/index.js';
/** Report and log text with URL secrets removed (user info, presigned query strings). */
export { redactUrls } from '../fs/index.js';
export type { CatalogAccess } from '../catalog/index.js';
