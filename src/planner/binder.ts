import { ShoalError, assertNever, type SourceSpan } from '../common/index.js';
import { and, columnRef, evaluateConstant, isConstant, literal, type Expr } from '../expr/index.js';
import { outputOf, type LogicalPlan, type OutCol } from '../plan/index.js';
import { parseStatement, type CommonTableExpression, type Query, type QueryBody, type ValuesBody } from '../sql/index.js';
import type * as ast from '../sql/index.js';
import { BIGINT, BOOLEAN, commonSuperType, typeName, type ColumnField, type SqlType } from '../types/index.js';
import { bindExpr, coerce, type ExprContext } from './bind-expr.js';
import { bindSelect, bindOutputOrderBy } from './bind-select.js';
import type { BinderEnv, Relation } from './binder-env.js';
import { Scope, type ScopeField } from './scope.js';

export interface CteDefinition {
  readonly cte: CommonTableExpression;
  /** The CTEs visible where this one was defined (earlier ones of the same WITH, and outer ones). */
  readonly scope: CteScope;
}

export type CteScope = ReadonlyMap<string, CteDefinition>;

const MAX_VIEW_DEPTH = 32;

/** Binds queries into logical plans: name resolution, typing and coercion, aggregation analysis. */
export class Binder {
  constructor(readonly env: BinderEnv) {}

  /** A binder for subqueries of an expression over `scope` (their correlated references resolve there). */
  withOuterScope(scope: Scope): Binder {
    return new Binder({ ...this.env, outerScope: scope });
  }

  async bindQuery(q: Query, outerCtes: CteScope): Promise<Relation> {
    let ctes = outerCtes;
    if (q.with !== undefined) {
      if (q.with.recursive) throw new ShoalError('NOT_SUPPORTED', 'WITH RECURSIVE is not supported', { span: q.span });
      const m = new Map(outerCtes);
      for (const cte of q.with.ctes) {
        const name = cte.name.value.toLowerCase();
        if (q.with.ctes.filter((c) => c.name.value.toLowerCase() === name).length > 1) {
          throw new ShoalError('AMBIGUOUS_NAME', `WITH query name '${name}' is specified more than once`, { span: cte.span });
        }
        m.set(name, { cte, scope: new Map(m) });
      }
      ctes = m;
    }
    let rel: Relation;
    if (q.body.kind === 'select') rel = await bindSelect(this, q.body, ctes, q.orderBy);
    else {
      rel = await this.bindBody(q.body, ctes);
      if (q.orderBy.length > 0) rel = bindOutputOrderBy(this, rel, q.orderBy);
    }
    return this.applyLimit(rel, q);
  }

  private applyLimit(rel: Relation, q: Query): Relation {
    const offset = q.offset === undefined ? 0 : this.constantCount(q.offset, 'OFFSET');
    const fetch = q.limit === undefined ? undefined : this.constantCount(q.limit, 'LIMIT');
    if (offset === 0 && fetch === undefined) return rel;
    return { plan: { kind: 'limit', input: rel.plan, offset, fetch }, scope: rel.scope };
  }

  private constantCount(e: ast.Expr, clause: string): number {
    const ctx: ExprContext = { scope: Scope.empty(), functions: this.env.functions, evalCtx: this.env.evalCtx, clause };
    const b = bindExpr(e, ctx);
    if (!isConstant(b)) throw new ShoalError('INVALID_LIMIT_CLAUSE', `${clause} must be a constant`, { span: e.span });
    if (!['tinyint', 'smallint', 'integer', 'bigint'].includes(b.type.kind)) {
      throw new ShoalError('INVALID_LIMIT_CLAUSE', `${clause} must be an integer, not ${typeName(b.type)}`, { span: e.span });
    }
    const v = evaluateConstant(b, this.env.evalCtx);
    const n = typeof v === 'bigint' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new ShoalError('INVALID_LIMIT_CLAUSE', `${clause} must be a non-negative integer`, { span: e.span });
    }
    return n;
  }

  async bindBody(body: QueryBody, ctes: CteScope): Promise<Relation> {
    switch (body.kind) {
      case 'select': return bindSelect(this, body, ctes, []);
      case 'values': return this.bindValues(body);
      case 'query': return this.bindQuery(body, ctes);
      case 'set_operation': return this.bindSetOperation(body, ctes);
      default: return assertNever(body, 'query body');
    }
  }

  private async bindSetOperation(op: ast.SetOperation, ctes: CteScope): Promise<Relation> {
    // Flatten left-deep chains of the same kind so that a 5-way UNION ALL is one node.
    const inputs: Relation[] = [];
    const collect = async (b: QueryBody): Promise<void> => {
      if (op.op === 'union' && b.kind === 'set_operation' && b.op === 'union' && b.all === op.all) {
        await collect(b.left);
        await collect(b.right);
      } else inputs.push(await this.bindBody(b, ctes));
    };
    await collect(op.left);
    await collect(op.right);
    const first = inputs[0]!;
    const width = first.scope.fields.length;
    const types: SqlType[] = outputOf(first.plan).map((c) => c.type);
    for (const [k, rel] of inputs.entries()) {
      const cols = outputOf(rel.plan);
      if (cols.length !== width) {
        throw new ShoalError('TYPE_MISMATCH', `${op.op.toUpperCase()} inputs must have the same number of columns: the first has ${width}, input ${k + 1} has ${cols.length}`, { span: op.span });
      }
      cols.forEach((c, i) => {
        const t = commonSuperType(types[i]!, c.type);
        if (t === undefined) {
          throw new ShoalError('TYPE_MISMATCH', `${op.op.toUpperCase()} column ${i + 1} has incompatible types ${typeName(types[i]!)} and ${typeName(c.type)}`, { span: op.span, hint: 'CAST one side' });
        }
        types[i] = t;
      });
    }
    const coerced = inputs.map((rel) => this.castOutputs(rel.plan, types));
    const output = first.scope.fields.map((f, i) => this.env.ids.col(f.col.name, types[i]!));
    if (op.op !== 'union') return this.intersectOrExcept(op.op, op.all, coerced, output, first.scope);
    let plan: LogicalPlan = { kind: 'union', inputs: coerced, output };
    if (!op.all) {
      const groups = output.map((c) => ({ col: this.env.ids.col(c.name, c.type), expr: columnRef(c.id, c.name, c.type) }));
      plan = { kind: 'aggregate', input: plan, groups, aggregates: [] };
    }
    const outCols = outputOf(plan);
    return { plan, scope: new Scope(outCols.map((c, i) => ({ col: c, name: first.scope.fields[i]!.name, qualifier: [] }))) };
  }

  /**
   * INTERSECT / EXCEPT as Trino plans them: each input tagged with a marker column, UNION ALL, group by every
   * column (so NULLs compare equal), count each side's markers, keep the groups present on both sides
   * (INTERSECT) or only on the left (EXCEPT). For ALL, each input first numbers the copies of each row
   * (row_number over all columns) and the number joins the columns: the k-th copy of a row survives when the
   * other side has a k-th copy (INTERSECT ALL: min(m, n) copies) or does not (EXCEPT ALL: max(m - n, 0)).
   */
  private intersectOrExcept(op: 'intersect' | 'except', all: boolean, distinctInputs: readonly LogicalPlan[], distinctOutput: readonly OutCol[], names: Scope): Relation {
    const ids = this.env.ids;
    const count = this.env.functions.lookup('count');
    if (count?.kind !== 'aggregate') throw new ShoalError('GENERIC_INTERNAL_ERROR', 'count() is not registered');
    const resolved = count.resolve([BOOLEAN], { star: false, distinct: false })!;
    let inputs = distinctInputs;
    let output = distinctOutput;
    if (all) {
      const rowNumber = this.env.functions.lookup('row_number');
      if (rowNumber?.kind !== 'window') throw new ShoalError('GENERIC_INTERNAL_ERROR', 'row_number() is not registered');
      const rn = rowNumber.resolve([])!;
      const frame = { unit: 'rows' as const, start: { kind: 'unbounded_preceding' as const }, end: { kind: 'current_row' as const } };
      inputs = distinctInputs.map((input): LogicalPlan => {
        const cols = outputOf(input);
        const col = ids.col('_copy', BIGINT);
        return {
          kind: 'window', input, partitionBy: cols.map((c) => columnRef(c.id, c.name, c.type)), orderBy: [],
          calls: [{ col, function: { kind: 'window', fn: rowNumber, resolved: rn }, args: [], frame, ignoreNulls: false }],
        };
      });
      output = [...distinctOutput, ids.col('_copy', BIGINT)];
    }
    const markers = inputs.map((_, k) => ids.col(`_marker${k}`, BOOLEAN));
    const tagged = inputs.map((input, k) => {
      const items = outputOf(input).map((c) => ({ col: c, expr: columnRef(c.id, c.name, c.type) }));
      const tags = markers.map((m, j) => ({ col: ids.col(m.name, BOOLEAN), expr: literal(j === k ? true : null, BOOLEAN) }));
      return { kind: 'project' as const, input, items: [...items, ...tags] };
    });
    const unionOut = [...output, ...markers];
    const groups = output.map((c) => ({ col: ids.col(c.name, c.type), expr: columnRef(c.id, c.name, c.type) }));
    const aggregates = markers.map((m) => ({
      col: ids.col(`_count_${m.name}`, BIGINT), fn: count, resolved, args: [columnRef(m.id, m.name, m.type)], star: false, distinct: false,
    }));
    const counts = aggregates.map((a) => columnRef(a.col.id, a.col.name, a.col.type));
    const present = (e: Expr): Expr => ({ kind: 'compare', op: '>', left: e, right: literal(0n, BIGINT), type: BOOLEAN });
    const predicate = op === 'intersect'
      ? and(counts.map(present))
      : and([present(counts[0]!), ...counts.slice(1).map((c): Expr => ({ kind: 'compare', op: '=', left: c, right: literal(0n, BIGINT), type: BOOLEAN }))]);
    const agg: LogicalPlan = { kind: 'aggregate', input: { kind: 'union', inputs: tagged, output: unionOut }, groups, aggregates };
    const plan: LogicalPlan = {
      kind: 'project',
      input: { kind: 'filter', input: agg, predicate },
      items: groups.map((g) => ({ col: g.col, expr: columnRef(g.col.id, g.col.name, g.col.type) })),
    };
    const visible = groups.slice(0, distinctOutput.length);
    const result: LogicalPlan = visible.length === groups.length ? plan : { kind: 'project', input: plan, items: visible.map((g) => ({ col: g.col, expr: columnRef(g.col.id, g.col.name, g.col.type) })) };
    return { plan: result, scope: new Scope(visible.map((g, i) => ({ col: g.col, name: names.fields[i]!.name, qualifier: [] }))) };
  }

  /** A projection casting each output column to `types` (the same plan when nothing changes). */
  castOutputs(plan: LogicalPlan, types: readonly SqlType[]): LogicalPlan {
    const cols = outputOf(plan);
    if (cols.every((c, i) => c.type === types[i] || JSON.stringify(c.type) === JSON.stringify(types[i]))) return plan;
    const items = cols.map((c, i) => {
      const expr = coerce(columnRef(c.id, c.name, c.type), types[i]!, this.env.evalCtx);
      return { col: expr.kind === 'column' ? c : this.env.ids.col(c.name, types[i]!), expr };
    });
    return { kind: 'project', input: plan, items };
  }

  bindValues(v: ValuesBody): Relation {
    const ctx: ExprContext = { scope: Scope.empty(), functions: this.env.functions, evalCtx: this.env.evalCtx, clause: 'VALUES' };
    const rows = v.rows.map((r) => r.map((e) => bindExpr(e, ctx)));
    const width = rows[0]?.length ?? 0;
    const types: SqlType[] = [];
    rows.forEach((r, k) => {
      if (r.length !== width) throw new ShoalError('TYPE_MISMATCH', `VALUES rows must have the same number of columns: row 1 has ${width}, row ${k + 1} has ${r.length}`, { span: v.span });
      r.forEach((e, i) => {
        const t = types[i] === undefined ? e.type : commonSuperType(types[i]!, e.type);
        if (t === undefined) throw new ShoalError('TYPE_MISMATCH', `VALUES column ${i + 1} mixes ${typeName(types[i]!)} and ${typeName(e.type)}`, { span: v.rows[k]![i]!.span });
        types[i] = t;
      });
    });
    const output: OutCol[] = types.map((t, i) => this.env.ids.col(`_col${i}`, t.kind === 'unknown' ? { kind: 'unknown' } : t));
    const bound = rows.map((r) => r.map((e, i) => {
      const c = coerce(e, types[i]!, this.env.evalCtx);
      return isConstant(c) && c.kind !== 'literal' ? literal(evaluateConstant(c, this.env.evalCtx), c.type, c.span) : c;
    }));
    return { plan: { kind: 'values', output, rows: bound }, scope: new Scope(output.map((c) => ({ col: c, name: c.name, qualifier: [] }))) };
  }

  async bindCte(def: CteDefinition): Promise<Relation> {
    const rel = await this.bindQuery(def.cte.query, def.scope);
    const name = def.cte.name.value.toLowerCase();
    const cols = def.cte.columns;
    if (cols !== undefined && cols.length !== rel.scope.fields.length) {
      throw new ShoalError('MISMATCHED_COLUMN_ALIASES', `WITH query ${name} lists ${cols.length} column names but has ${rel.scope.fields.length} columns`, { span: def.cte.span });
    }
    const fields: ScopeField[] = rel.scope.fields.map((f, i) => {
      const rename = cols?.[i];
      return rename === undefined ? { ...f, qualifier: [name] } : { col: { ...f.col, name: rename.value }, name: rename.value.toLowerCase(), qualifier: [name] };
    });
    return { plan: rel.plan, scope: new Scope(fields) };
  }

  /** Expands a view: its SQL is bound in the view's own catalog and schema. */
  async bindView(sql: string, name: string, catalog: string, schema: string, qualifier: readonly string[], span: SourceSpan): Promise<Relation> {
    if (this.env.viewStack.includes(name)) {
      throw new ShoalError('INVALID_VIEW', `View ${name} refers to itself`, { span, hint: `View chain: ${[...this.env.viewStack, name].join(' → ')}` });
    }
    if (this.env.viewStack.length >= MAX_VIEW_DEPTH) {
      throw new ShoalError('QUERY_REJECTED', `Views are nested too deeply (more than ${MAX_VIEW_DEPTH} levels) at view ${name}`, {
        span,
        hint: `Flatten the views; the chain starts ${this.env.viewStack.slice(0, 3).join(' → ')} → …`,
      });
    }
    const child = new Binder({ ...this.env, catalog, schema, viewStack: [...this.env.viewStack, name], outerScope: undefined });
    try {
      const stmt = parseStatement(sql);
      if (stmt.kind !== 'query') throw new ShoalError('INVALID_VIEW', `View ${name} does not hold a query`);
      const rel = await child.bindQuery(stmt.query, new Map());
      return { plan: rel.plan, scope: new Scope(rel.scope.fields.map((f) => ({ ...f, qualifier }))) };
    } catch (e) {
      // Errors about the view chain itself (a cycle, too deep) pass through each level, their span moved to this
      // level's reference: a span inside a view's text would point into the wrong text.
      if (e instanceof ShoalError && e.code !== 'INVALID_VIEW' && e.code !== 'QUERY_REJECTED') {
        throw new ShoalError('INVALID_VIEW', `View ${name} is invalid: ${e.describe()}`, { span, cause: e });
      }
      if (e instanceof ShoalError) throw new ShoalError(e.code, e.message, { span, hint: e.hint, location: e.location, cause: e.cause });
      throw e;
    }
  }

  /** The output columns of a view's SQL, or undefined when it does not bind. */
  async describeView(sql: string, catalog: string, schema: string): Promise<ColumnField[] | undefined> {
    try {
      const stmt = parseStatement(sql);
      if (stmt.kind !== 'query') return undefined;
      const child = new Binder({ ...this.env, catalog, schema, outerScope: undefined });
      const rel = await child.bindQuery(stmt.query, new Map());
      return rel.scope.fields.map((f) => ({ name: f.col.name, type: f.col.type, nullable: true }));
    } catch {
      return undefined;
    }
  }

  /** Output names as users see them, in order. */
  static outputNames(rel: Relation): string[] {
    return rel.scope.fields.map((f) => f.col.name);
  }

  /** Binds a standalone expression over no columns (SET SESSION values, table function arguments). */
  constantExpr(e: ast.Expr, clause: string): Expr {
    return bindExpr(e, { scope: Scope.empty(), functions: this.env.functions, evalCtx: this.env.evalCtx, clause });
  }
}
