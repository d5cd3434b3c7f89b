import type { RecordBatch, Schema } from 'apache-arrow';
import { exprToString, type Expr, type PhysicalExpr } from '../expr/index.js';
import type { OutCol } from '../plan/index.js';
import {
  BIGINT, getBit, listElements, listOffsets, makeColumn, mapEntries, newBitmap, rowFieldColumn, takeColumn, validity,
  type Column, type SqlType,
} from '../types/index.js';
import { chunkColumns, columnsOf, evaluateAll, inputOf, schemaOf } from './batch-utils.js';
import { newMetrics, type ExecutionPlan, type TaskContext } from './execution-plan.js';
import { instrument } from './instrument.js';

/**
 * UNNEST (see UnnestNode): per input batch, the unnested row count of each input row is the largest cardinality
 * among the expressions; input columns are repeated by index and element columns gathered by index (−1 pads
 * shorter arrays with NULL), so no per-row values are built. An outer unnest gives a row that unnests to nothing one
 * output row whose unnested columns and ordinality are NULL.
 */
export class UnnestExec implements ExecutionPlan {
  readonly metrics = newMetrics();
  readonly children: readonly ExecutionPlan[];
  private readonly schema: Schema;

  constructor(
    readonly input: ExecutionPlan,
    readonly output: readonly OutCol[],
    private readonly exprs: readonly PhysicalExpr[],
    private readonly texts: readonly Expr[],
    private readonly ordinality: boolean,
    private readonly outer = false,
  ) {
    this.children = [input];
    this.schema = schemaOf(output);
  }

  execute(ctx: TaskContext): AsyncIterable<RecordBatch> {
    return instrument(this.metrics, ctx, this.run(ctx));
  }

  private async *run(ctx: TaskContext): AsyncIterable<RecordBatch> {
    for await (const batch of this.input.execute(ctx)) {
      const n = batch.numRows;
      if (n === 0) continue;
      const nested = evaluateAll(this.exprs, inputOf(batch));
      const lengths = nested.map((c) => {
        const o = listOffsets(c), valid = validity(c);
        const len = new Int32Array(n);
        for (let i = 0; i < n; i++) len[i] = valid !== null && !getBit(valid, i) ? 0 : o[i + 1]! - o[i]!;
        return len;
      });
      let total = 0;
      const counts = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        let m = 0;
        for (const len of lengths) if (len[i]! > m) m = len[i]!;
        counts[i] = m === 0 && this.outer ? 1 : m;
        total += counts[i]!;
      }
      if (total === 0) continue;
      const repeat = new Int32Array(total);
      const position = new Int32Array(total);
      for (let i = 0, t = 0; i < n; i++) {
        for (let p = 0; p < counts[i]!; p++, t++) {
          repeat[t] = i;
          position[t] = p;
        }
      }
      const out: Column[] = columnsOf(batch).map((c) => takeColumn(c, repeat, total));
      nested.forEach((col, k) => {
        const o = listOffsets(col), len = lengths[k]!;
        const gather = new Int32Array(total);
        for (let t = 0; t < total; t++) {
          const i = repeat[t]!, p = position[t]!;
          gather[t] = p < len[i]! ? o[i]! + p : -1;
        }
        out.push(...unnestedColumns(col, this.exprs[k]!.type, gather));
      });
      if (this.ordinality) {
        const ord = new BigInt64Array(total);
        let valid: Uint8Array | null = null;
        for (let t = 0; t < total; t++) {
          ord[t] = BigInt(position[t]! + 1);
          if (this.outer && position[t] === 0 && lengths.every((len) => len[repeat[t]!] === 0)) {
            valid ??= newBitmap(total, true);
            valid[t >>> 3]! &= ~(1 << (t & 7));
          }
        }
        out.push(makeColumn(BIGINT, total, ord, valid));
      }
      yield* chunkColumns(this.schema, out, total, ctx.batchSize);
    }
  }

  describe(): string {
    return `Unnest${this.outer ? ' outer' : ''} [${this.texts.map((e) => exprToString(e)).join(', ')}]${this.ordinality ? ' WITH ORDINALITY' : ''}`;
  }
}

/** The output columns of one unnested expression: elements (or their row fields), or a map's keys and values. */
function unnestedColumns(col: Column, type: SqlType, gather: Int32Array): Column[] {
  if (type.kind === 'map') {
    const { keys, values } = mapEntries(col);
    return [takeColumn(keys, gather), takeColumn(values, gather)];
  }
  const elements = takeColumn(listElements(col), gather);
  if (type.kind !== 'array' || type.element.kind !== 'row') return [elements];
  // Rows are spread into their fields; a NULL row (or padding) gives NULL fields.
  const valid = validity(elements);
  const rowsIdx = new Int32Array(elements.length);
  for (let t = 0; t < rowsIdx.length; t++) rowsIdx[t] = valid !== null && !getBit(valid, t) ? -1 : t;
  return type.element.fields.map((_, f) => (valid === null ? rowFieldColumn(elements, f) : takeColumn(rowFieldColumn(elements, f), rowsIdx)));
}
