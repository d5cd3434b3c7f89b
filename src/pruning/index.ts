export type { ColumnStats, StatsLookup } from './value-stats.js';
export { canSkip } from './can-skip.js';
