import { ShoalError } from '../common/index.js';
import { explainLogical } from '../plan/index.js';
import { explainPhysical, formatBytes } from '../physical/index.js';
import type * as ast from '../sql/index.js';
import { VARCHAR } from '../types/index.js';
import type { StatementContext } from './query-context.js';
import type { QueryResult } from './query-result.js';
import { executePlan, planQuery, rowsResult } from './run-query.js';

/**
 * EXPLAIN shows the operator tree with what each scan will read (partitions, files and row groups kept out of
 * the total, bytes of the selected column chunks); EXPLAIN (TYPE LOGICAL) shows the optimized logical plan;
 * EXPLAIN ANALYZE runs the query and adds rows, batches and time per operator, then bytes read and requests.
 */
export async function explain(s: ast.ExplainStatement, ctx: StatementContext): Promise<QueryResult> {
  const write = writeHeader(s.statement);
  if (s.statement.kind !== 'query' && write === undefined) {
    throw new ShoalError('NOT_SUPPORTED', `EXPLAIN of ${s.statement.kind.replace(/_/g, ' ').toUpperCase()} is not supported`, { span: s.span });
  }
  if (write !== undefined && s.analyze) {
    throw new ShoalError('NOT_SUPPORTED', 'EXPLAIN ANALYZE of a write statement is not supported: it would write', { span: s.span, hint: 'EXPLAIN shows the plan and what it reads; run the statement to write' });
  }
  const query = queryOf(s.statement);
  const type = s.options.find((o) => o.name === 'type')?.value.toLowerCase();
  const p = await planQuery(query, ctx, { enforceScanLimit: s.analyze && type !== 'logical' });
  let text: string;
  if (type === 'logical') text = explainLogical(p.optimized);
  else if (s.analyze) {
    const t0 = performance.now();
    let rows = 0;
    for await (const b of executePlan(p)) rows += b.numRows;
    const ms = performance.now() - t0;
    text = [
      explainPhysical(p.physical, true),
      '',
      `Output rows: ${rows}; elapsed: ${ms.toFixed(1)} ms`,
      `Input: ${p.task.progress.rowsRead} rows from ${p.task.progress.splitsDone} splits; read ${formatBytes(p.task.io.bytesRead)} in ${p.task.io.requests} requests (planned ${formatBytes(p.task.progress.bytesPlanned)})`,
      `Peak memory of operators: ${formatBytes(p.task.progress.peakMemoryBytes)} (limit ${ctx.memory.limitText}); spilled ${formatBytes(p.task.progress.spilledBytes)}`,
    ].join('\n');
  } else text = explainPhysical(p.physical, false);
  // A write statement: its writer above the plan of the query that feeds it.
  if (write !== undefined) text = `${write}\n${text.split('\n').map((l) => `  ${l}`).join('\n')}`;
  return rowsResult([{ name: 'Query Plan', type: VARCHAR, nullable: true }], [[text]], ctx);
}

/** The first EXPLAIN line of a write statement (what it writes where), undefined for other statements. */
function writeHeader(st: ast.Statement): string | undefined {
  const name = (q: ast.QualifiedName): string => q.parts.map((x) => x.value).join('.');
  switch (st.kind) {
    case 'create_table_as': return `TableWriter CREATE TABLE ${name(st.name)}`;
    case 'insert': return `TableWriter INSERT INTO ${name(st.table)}`;
    case 'unload': return `TableWriter UNLOAD TO '${st.location}'`;
    default: return undefined;
  }
}

function queryOf(st: ast.Statement): ast.Query {
  switch (st.kind) {
    case 'query':
    case 'create_table_as':
    case 'insert':
    case 'unload':
      return st.query;
    default:
      throw new ShoalError('GENERIC_INTERNAL_ERROR', `Internal error (this is a bug in Shoal): no query in ${st.kind}`);
  }
}
