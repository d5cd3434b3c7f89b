import { assertNever } from '../common/index.js';
import { explainPhysical } from '../physical/index.js';
import type { Query, Statement } from '../sql/index.js';
import { schemaTarget, target } from './table-target.js';
import type { StatementContext } from './query-context.js';
import { planQuery } from './run-query.js';
import { plannedScans, totalScanBytes, type PlannedScan } from './scan-limit.js';

/** What a dry run learned about one statement. */
export interface StatementPlan {
  /**
   * `planned`: bound and planned, not run (queries, the SELECT of writes); `executed`: run, because it only
   * changes the session or reads catalog metadata; `not_planned`: DDL with nothing to plan (CREATE TABLE, DROP).
   */
  readonly action: 'planned' | 'executed' | 'not_planned';
  /** The table or view a write or DDL statement would create, change or drop (catalog.schema.name). */
  readonly target?: string | undefined;
  /** The operator tree, as EXPLAIN prints it. */
  readonly plan?: string | undefined;
  readonly scans: readonly PlannedScan[];
  /** Sum of the scans' bytes: what max_scan_bytes is compared with. */
  readonly scanBytes: number;
}

/** Session statements and SHOW run during a dry run (they read no data files); see Session.dryRun. */
export function runsInDryRun(s: Statement): boolean {
  switch (s.kind) {
    case 'use': case 'set_session': case 'set_time_zone': case 'reset_session':
    case 'show_catalogs': case 'show_schemas': case 'show_tables': case 'show_columns': case 'show_functions':
    case 'show_session': case 'show_create_table':
      return true;
    case 'query': case 'explain': case 'create_table': case 'create_table_as': case 'create_view': case 'drop': case 'insert':
    case 'unload': case 'create_schema': case 'drop_schema':
      return false;
    default: return assertNever(s, 'statement');
  }
}

async function planned(query: Query, ctx: StatementContext, enforceScanLimit: boolean, targetName?: string): Promise<StatementPlan> {
  const p = await planQuery(query, ctx, { enforceScanLimit });
  const scans = plannedScans(p.physical);
  return { action: 'planned', target: targetName, plan: explainPhysical(p.physical), scans, scanBytes: totalScanBytes(scans) };
}

/** Plans a statement that does not run in a dry run (see runsInDryRun). */
export async function dryRunStatement(s: Statement, ctx: StatementContext): Promise<StatementPlan> {
  switch (s.kind) {
    case 'query': return planned(s.query, ctx, true);
    case 'explain':
      if (s.statement.kind !== 'query') return { action: 'not_planned', scans: [], scanBytes: 0 };
      return planned(s.statement.query, ctx, s.analyze);
    // The target's existence is not checked: an earlier DROP or CREATE of the same job did not run either.
    case 'create_table_as': return planned(s.query, ctx, s.withData, target(s.name, ctx).qualified);
    case 'insert': return planned(s.query, ctx, true, target(s.table, ctx).qualified);
    case 'unload': return planned(s.query, ctx, true, s.location);
    case 'create_view': return planned(s.query, ctx, false, target(s.name, ctx).qualified);
    case 'create_schema': case 'drop_schema':
      return { action: 'not_planned', target: schemaTarget(s.name, ctx).qualified, scans: [], scanBytes: 0 };
    case 'create_table': case 'drop':
      return { action: 'not_planned', target: target(s.name, ctx).qualified, scans: [], scanBytes: 0 };
    case 'use': case 'set_session': case 'set_time_zone': case 'reset_session':
    case 'show_catalogs': case 'show_schemas': case 'show_tables': case 'show_columns': case 'show_functions':
    case 'show_session': case 'show_create_table':
      return { action: 'not_planned', scans: [], scanBytes: 0 };
    default: return assertNever(s, 'statement');
  }
}
