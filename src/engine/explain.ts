import { ShoalError } from '../common/index.js';
import { explainLogical } from '../plan/index.js';
import { explainPhysical, formatBytes } from '../physical/index.js';
import type * as ast from '../sql/index.js';
import { VARCHAR } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import type { QueryResult } from './query-result.js';
import { planQuery, rowsResult } from './run-query.js';

/**
 * EXPLAIN shows the operator tree with what each scan will read (partitions, files and row groups kept out of
 * the total, bytes of the selected column chunks); EXPLAIN (TYPE LOGICAL) shows the optimized logical plan;
 * EXPLAIN ANALYZE runs the query and adds rows, batches and time per operator, then bytes read and requests.
 */
export async function explain(s: ast.ExplainStatement, ctx: StatementContext): Promise<QueryResult> {
  if (s.statement.kind !== 'query') {
    throw new ShoalError('NOT_SUPPORTED', `EXPLAIN of ${s.statement.kind.replace(/_/g, ' ').toUpperCase()} is not supported`, { span: s.span });
  }
  const type = s.options.find((o) => o.name === 'type')?.value.toLowerCase();
  const p = await planQuery(s.statement.query, ctx, { enforceScanLimit: s.analyze && type !== 'logical' });
  let text: string;
  if (type === 'logical') text = explainLogical(p.optimized);
  else if (s.analyze) {
    const t0 = performance.now();
    let rows = 0;
    for await (const b of p.physical.execute(p.task)) rows += b.numRows;
    const ms = performance.now() - t0;
    text = [
      explainPhysical(p.physical, true),
      '',
      `Output rows: ${rows}; elapsed: ${ms.toFixed(1)} ms`,
      `Input: ${p.task.progress.rowsRead} rows from ${p.task.progress.splitsDone} splits; read ${formatBytes(p.task.io.bytesRead)} in ${p.task.io.requests} requests (planned ${formatBytes(p.task.progress.bytesPlanned)})`,
      `Peak memory of operators: ${formatBytes(p.task.progress.peakMemoryBytes)}`,
    ].join('\n');
  } else text = explainPhysical(p.physical, false);
  return rowsResult([{ name: 'Query Plan', type: VARCHAR, nullable: true }], [[text]], ctx);
}
