/**
 * A seeded random query generator for differential fuzzing of Shoal against DuckDB. The same seed always gives
 * the same queries (sfc32 from scripts/prng.ts; nothing reads clocks or Math.random).
 *
 * Queries stay inside the dialect subset where Trino (Shoal's dialect) and DuckDB agree; each exclusion below
 * names the difference it avoids:
 *  - No `/` on integers (Trino truncates, DuckDB's `/` yields a double). Division only on doubles, with the
 *    divisor wrapped in NULLIF(d, 0) (Trino gives Infinity/NaN on a zero double divisor, DuckDB NULL).
 *  - No avg over decimals: Trino returns a decimal rounded to the argument's scale, DuckDB a double; the
 *    generator writes avg(CAST(x AS double)) instead.
 *  - At most one decimal multiplication per expression (precision beyond 38 digits: Trino fails, DuckDB may
 *    widen or fail differently).
 *  - Every ORDER BY key says NULLS FIRST or NULLS LAST (Trino and Shoal default to NULLS LAST for ASC and DESC;
 *    DuckDB's default depends on the direction and settings).
 *  - ORDER BY ... LIMIT only with a total order: either every output column is a key (rows that tie are then
 *    identical, so which of them survives the LIMIT does not matter) or the keys are unique (group keys).
 *  - row_number and lag only over orders that end in a unique key; rank, dense_rank and aggregate windows
 *    (default RANGE frame, peers included) are deterministic over any order.
 *  - Dates and timestamps only in predicates, never in results: the harness renders them differently per side.
 *  - String comparisons only on ASCII data (both compare by code point; no collations).
 *  - No greatest/least (Trino returns NULL when an argument is NULL, DuckDB ignores NULL arguments).
 *  - No INTERSECT ALL / EXCEPT ALL, no RIGHT/CROSS joins without keys, no floating-point GROUP BY keys (double
 *    sums may differ in the last bits between engines, so they are never group or join keys).
 *  - Large tables are read through a derived table with a size-limiting predicate, and joins are many-to-one
 *    (onto a unique key) so results stay small enough to compare quickly.
 */
import { Rng } from '../../scripts/prng.js';
import { FUZZ_SCHEMAS, type FuzzColumn, type FuzzSchema, type FuzzTable, type FuzzType } from './fuzz-schemas.js';

export interface GeneratedQuery {
  readonly schema: FuzzSchema['name'];
  readonly sql: string;
  /** Whether rows compare in order (the ORDER BY is total). */
  readonly ordered: boolean;
}

/** A column visible in a FROM scope: its qualified SQL, type, join domain and literals. */
interface ScopeColumn {
  readonly sql: string;
  readonly name: string;
  readonly type: FuzzType;
  readonly domain?: string | undefined;
  readonly values: readonly string[];
}

interface Relation {
  readonly alias: string;
  readonly from: string;
  readonly columns: readonly ScopeColumn[];
  /** Unique key columns (qualified), if the relation has one. */
  readonly key?: readonly string[] | undefined;
}

interface Scope {
  readonly from: string;
  readonly columns: readonly ScopeColumn[];
  /** A unique key of the scope's rows, if known (single relation with a key). */
  readonly key?: readonly string[] | undefined;
}

type ValueType = Exclude<FuzzType, 'date'>;

const SQL_TYPE: Readonly<Record<ValueType, string>> = { int: 'integer', double: 'double', decimal: 'decimal(15,2)', varchar: 'varchar' };

/** Generates queries for one seed; `next()` returns the next query, alternating schemas at random. */
export class QueryGenerator {
  private readonly rng: Rng;
  private aliasCount = 0;

  constructor(seed: string, private readonly schemas: readonly FuzzSchema['name'][] = ['nyc', 'tpch']) {
    this.rng = new Rng(`shoal-dfuzz:${seed}`);
  }

  next(): GeneratedQuery {
    this.aliasCount = 0;
    const schema = FUZZ_SCHEMAS[this.pick(this.schemas)];
    const shape = this.weighted([['select', 2], ['aggregate', 4], ['window', 2], ['setop', 2]] as const);
    switch (shape) {
      case 'select':
        return { schema: schema.name, ...this.selectQuery(schema) };
      case 'aggregate':
        return { schema: schema.name, ...this.aggregateQuery(schema) };
      case 'window':
        return { schema: schema.name, ...this.windowQuery(schema) };
      case 'setop':
        return { schema: schema.name, ...this.setOpQuery(schema) };
    }
  }

  // ---- random helpers ----

  private pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.rng.int(xs.length)]!;
  }

  private weighted<T>(options: readonly (readonly [T, number])[]): T {
    const total = options.reduce((s, [, w]) => s + w, 0);
    let x = this.rng.float() * total;
    for (const [v, w] of options) {
      x -= w;
      if (x < 0) return v;
    }
    return options[options.length - 1]![0];
  }

  private chance(p: number): boolean {
    return this.rng.chance(p);
  }

  private between(lo: number, hi: number): number {
    return lo + this.rng.int(hi - lo + 1);
  }

  private alias(prefix: string): string {
    return `${prefix}${++this.aliasCount}`;
  }

  // ---- FROM: relations and joins ----

  private baseRelation(table: FuzzTable): Relation {
    const alias = this.alias(table.name[0]!);
    const from = table.limits === undefined ? `${table.name} ${alias}` : `(SELECT * FROM ${table.name} WHERE ${this.pick(table.limits)}) ${alias}`;
    const columns = table.columns.map((c) => scoped(alias, c));
    return { alias, from, columns, key: table.key?.map((k) => `${alias}.${k}`) };
  }

  /** `(SELECT k.., count(*) AS cnt, sum(x) AS s1, max(y) AS m2 FROM t WHERE .. GROUP BY k..) alias`: unique on k. */
  private aggregatedRelation(table: FuzzTable): Relation | undefined {
    const keys = table.columns.filter((c) => c.domain !== undefined);
    if (keys.length === 0) return undefined;
    const groupKeys = keys.length >= 2 && this.chance(0.3) ? keys.slice(0, 2) : [this.pick(keys)];
    const alias = this.alias('g');
    const inner = this.baseRelation(table);
    const where = this.chance(0.5) ? ` WHERE ${this.predicate(inner.columns, 1)}` : '';
    const items: string[] = groupKeys.map((k) => `${inner.alias}.${k.name} AS ${k.name}`);
    const columns: ScopeColumn[] = groupKeys.map((k) => ({ ...k, sql: `${alias}.${k.name}` }));
    items.push('count(*) AS cnt');
    columns.push({ sql: `${alias}.cnt`, name: 'cnt', type: 'int', values: ['1', '5', '20', '100'] });
    const measures = table.columns.filter((c) => c.type === 'int' || c.type === 'double' || c.type === 'decimal');
    for (let i = 0, n = this.between(1, 2); i < n && measures.length > 0; i++) {
      const m = this.pick(measures);
      const fn = this.pick(['sum', 'max', 'min'] as const);
      const name = `${fn}_${m.name}_${i}`;
      items.push(`${fn}(${inner.alias}.${m.name}) AS ${name}`);
      columns.push({ sql: `${alias}.${name}`, name, type: m.type, values: m.values });
    }
    const groupBy = groupKeys.map((k) => `${inner.alias}.${k.name}`).join(', ');
    const from = `(SELECT ${items.join(', ')} FROM ${inner.from}${where} GROUP BY ${groupBy}) ${alias}`;
    return { alias, from, columns, key: groupKeys.map((k) => `${alias}.${k.name}`) };
  }

  private relation(schema: FuzzSchema): Relation {
    const table = this.pick(schema.tables);
    if (this.chance(0.2)) {
      const agg = this.aggregatedRelation(table);
      if (agg !== undefined) return agg;
    }
    return this.baseRelation(table);
  }

  /**
   * One to three relations joined many-to-one: each join equates domain columns and either the new relation's
   * unique key is covered by its join columns, or the scope so far is one relation whose key is covered.
   */
  private fromScope(schema: FuzzSchema, maxRelations = 3): Scope {
    const first = this.relation(schema);
    let from = first.from;
    let columns: ScopeColumn[] = [...first.columns];
    let key = first.key;
    let count = 1;
    const joins = this.weighted([[0, 3], [1, 4], [2, 2]] as const);
    for (let j = 0; j < joins && count < maxRelations; j++) {
      const join = this.tryJoin(schema, columns, count === 1 ? key : undefined);
      if (join === undefined) continue;
      from = `${from} ${join.kind} ${join.relation.from} ON ${join.on}`;
      columns = [...columns, ...join.relation.columns];
      key = undefined;
      count++;
    }
    return { from, columns, key };
  }

  private tryJoin(
    schema: FuzzSchema,
    scope: readonly ScopeColumn[],
    scopeKey: readonly string[] | undefined,
  ): { relation: Relation; kind: string; on: string } | undefined {
    for (let attempt = 0; attempt < 6; attempt++) {
      const right = this.relation(schema);
      const pairs: [ScopeColumn, ScopeColumn][] = [];
      const usedRight = new Set<string>();
      const usedLeft = new Set<string>();
      for (const r of right.columns) {
        if (r.domain === undefined || usedRight.has(r.sql)) continue;
        const candidates = scope.filter((l) => l.domain === r.domain && !usedLeft.has(l.sql));
        if (candidates.length === 0) continue;
        const l = this.pick(candidates);
        pairs.push([l, r]);
        usedLeft.add(l.sql);
        usedRight.add(r.sql);
      }
      if (pairs.length === 0) continue;
      const rightCovered = right.key !== undefined && right.key.every((k) => usedRight.has(k));
      const leftCovered = scopeKey !== undefined && scopeKey.every((k) => usedLeft.has(k));
      if (!rightCovered && !leftCovered) continue;
      // Join only on the pairs a covered key needs (plus, sometimes, the others): a multi-key join when the key has two.
      const needed = pairs.filter(([l, r]) => (rightCovered && right.key!.includes(r.sql)) || (!rightCovered && scopeKey!.includes(l.sql)));
      const conds = needed.map(([l, r]) => `${l.sql} = ${r.sql}`);
      if (this.chance(0.15)) {
        const rc = this.pick(right.columns.filter((c) => c.type !== 'date'));
        conds.push(this.comparison(rc, 0));
      }
      const kind = this.weighted([['JOIN', 5], ['LEFT JOIN', 3], ['FULL JOIN', 2], ['RIGHT JOIN', 1]] as const);
      return { relation: right, kind, on: conds.join(' AND ') };
    }
    return undefined;
  }

  // ---- expressions ----

  private literal(type: FuzzType, values: readonly string[]): string {
    const v = this.pick(values);
    if (type === 'varchar') return `'${v.replace(/'/g, "''")}'`;
    if (type === 'date') return `DATE '${v}'`;
    return v;
  }

  private columnsOf(scope: readonly ScopeColumn[], type: FuzzType): ScopeColumn[] {
    return scope.filter((c) => c.type === type);
  }

  /** A value expression of `type` over the scope's columns. */
  value(scope: readonly ScopeColumn[], type: ValueType, depth: number): string {
    const cols = this.columnsOf(scope, type);
    if (depth <= 0 || this.chance(0.45)) {
      if (cols.length > 0 && this.chance(0.85)) return this.pick(cols).sql;
      return this.constant(scope, type);
    }
    const d = depth - 1;
    const op = this.rng.int(10);
    if (op === 0) return `CASE WHEN ${this.predicate(scope, d)} THEN ${this.valueOrNull(scope, type, d)} ${this.chance(0.7) ? `ELSE ${this.value(scope, type, d)} ` : ''}END`;
    if (op === 1) return `COALESCE(${this.valueOrNull(scope, type, d)}, ${this.value(scope, type, d)})`;
    if (op === 2 && this.chance(0.5)) return `NULLIF(${this.value(scope, type, d)}, ${this.value(scope, type, 0)})`;
    if (op === 2) return `CASE WHEN ${this.predicate(scope, d)} THEN ${this.value(scope, type, d)} WHEN ${this.predicate(scope, d)} THEN ${this.valueOrNull(scope, type, d)} ELSE ${this.value(scope, type, d)} END`;
    switch (type) {
      case 'int':
        return this.pick([
          () => `(${this.value(scope, 'int', d)} + ${this.value(scope, 'int', d)})`,
          () => `(${this.value(scope, 'int', d)} - ${this.value(scope, 'int', d)})`,
          () => `(${this.value(scope, 'int', d)} * ${this.between(-3, 5)})`,
          () => `(${this.value(scope, 'int', d)} % ${this.between(2, 7)})`,
          () => `abs(${this.value(scope, 'int', d)})`,
          () => `length(${this.value(scope, 'varchar', d)})`,
          () => `CASE ${this.value(scope, 'int', 0)} WHEN ${this.constant(scope, 'int')} THEN ${this.value(scope, 'int', d)} ELSE ${this.constant(scope, 'int')} END`,
        ])();
      case 'double':
        return this.pick([
          () => `(${this.value(scope, 'double', d)} + ${this.value(scope, 'double', d)})`,
          () => `(${this.value(scope, 'double', d)} - ${this.value(scope, this.pick(['double', 'int'] as const), d)})`,
          () => `(${this.value(scope, 'double', d)} * ${this.value(scope, this.pick(['double', 'int'] as const), d)})`,
          () => `(${this.value(scope, 'double', d)} / NULLIF(${this.value(scope, this.pick(['double', 'int'] as const), d)}, 0))`,
          () => `abs(${this.value(scope, 'double', d)})`,
          () => `CAST(${this.value(scope, this.pick(['int', 'decimal'] as const), d)} AS double)`,
        ])();
      case 'decimal':
        return this.pick([
          () => `(${this.value(scope, 'decimal', d)} + ${this.value(scope, 'decimal', d)})`,
          () => `(${this.value(scope, 'decimal', d)} - ${this.value(scope, 'decimal', d)})`,
          // One multiplication of plain operands: precision stays within 38 digits.
          () => `(${this.value(scope, 'decimal', 0)} * ${this.pick([this.value(scope, 'decimal', 0), `(1 - ${this.value(scope, 'decimal', 0)})`, String(this.between(1, 9))])})`,
          () => `abs(${this.value(scope, 'decimal', d)})`,
        ])();
      case 'varchar':
        return this.pick([
          () => `upper(${this.value(scope, 'varchar', d)})`,
          () => `lower(${this.value(scope, 'varchar', d)})`,
          () => `substr(${this.value(scope, 'varchar', d)}, ${this.between(1, 3)}, ${this.between(1, 5)})`,
          () => `(${this.value(scope, 'varchar', d)} || ${this.value(scope, 'varchar', d)})`,
          () => `CAST(${this.value(scope, 'int', d)} AS varchar)`,
        ])();
    }
  }

  private valueOrNull(scope: readonly ScopeColumn[], type: ValueType, depth: number): string {
    if (!this.chance(0.2)) return this.value(scope, type, depth);
    return this.chance(0.5) ? 'NULL' : `CAST(NULL AS ${SQL_TYPE[type]})`;
  }

  /**
   * A literal of `type` for value positions. Doubles are written 7.5E0: a plain 7.5 is a decimal in both
   * dialects, and avg over decimals differs (Trino rounds to the argument's scale, DuckDB returns a double).
   */
  private constant(scope: readonly ScopeColumn[], type: ValueType): string {
    const cols = this.columnsOf(scope, type);
    if (type === 'double') return `${cols.length > 0 && this.chance(0.8) ? this.pick(this.pick(cols).values) : this.pick(['0.5', '1.25', '3', '10.5'])}E0`;
    if (cols.length > 0 && this.chance(0.8)) return this.literal(type, this.pick(cols).values);
    switch (type) {
      case 'int':
        return String(this.between(-2, 100));
      case 'decimal':
        return this.pick(['0.05', '1.00', '100.25']);
      case 'varchar':
        return this.literal('varchar', ['A', 'N', 'Zone', 'x']);
    }
  }

  /** A comparison, BETWEEN, IN, IS NULL or LIKE on one column (or an expression of its type). */
  private comparison(col: ScopeColumn, depth: number): string {
    if (col.type === 'date') {
      const op = this.pick(['<', '<=', '>', '>=', '=', '<>']);
      const lit = col.name.endsWith('datetime') ? `TIMESTAMP '${this.pick(col.values)} 00:00:00'` : this.literal('date', col.values);
      return this.chance(0.3)
        ? `${col.sql} BETWEEN ${lit} AND ${col.name.endsWith('datetime') ? `TIMESTAMP '${this.pick(col.values)} 12:00:00'` : this.literal('date', col.values)}`
        : `${col.sql} ${op} ${lit}`;
    }
    const type = col.type;
    const lhs = depth > 0 && this.chance(0.3) ? this.value([col], type, depth) : col.sql;
    const lit = (): string => this.literal(type, col.values);
    const kind = this.weighted([['cmp', 5], ['between', 2], ['in', 2], ['null', 2], ['like', type === 'varchar' ? 1 : 0], ['colcmp', 1], ['distinct', 1]] as const);
    switch (kind) {
      case 'cmp':
        return `${lhs} ${this.pick(['=', '<>', '<', '<=', '>', '>='])} ${lit()}`;
      case 'between': {
        const [x, y] = [lit(), lit()];
        // Mostly low..high (an inverted range selects nothing, which is worth checking but not often).
        const [a, b] = this.chance(0.75) && compareLiterals(x, y) > 0 ? [y, x] : [x, y];
        return `${lhs} ${this.chance(0.2) ? 'NOT ' : ''}BETWEEN ${a} AND ${b}`;
      }
      case 'in': {
        const items = Array.from({ length: this.between(1, 4) }, lit);
        if (this.chance(0.2)) items.push('NULL');
        return `${lhs} ${this.chance(0.25) ? 'NOT ' : ''}IN (${items.join(', ')})`;
      }
      case 'null':
        return `${lhs} IS ${this.chance(0.5) ? 'NOT ' : ''}NULL`;
      case 'like': {
        const v = this.pick(col.values);
        return `${lhs} ${this.chance(0.2) ? 'NOT ' : ''}LIKE '${this.chance(0.5) ? `${v.slice(0, 2)}%` : `%${v.slice(1, 3)}%`}'`;
      }
      case 'colcmp':
        return `${lhs} ${this.pick(['=', '<>', '<', '>='])} ${this.value([col], type, 1)}`;
      case 'distinct':
        return `${lhs} IS ${this.chance(0.5) ? 'NOT ' : ''}DISTINCT FROM ${this.chance(0.3) ? 'NULL' : this.chance(0.5) ? lit() : this.value([col], type, 1)}`;
    }
  }

  /** A boolean condition over the scope with AND/OR/NOT nesting up to `depth`. */
  predicate(scope: readonly ScopeColumn[], depth: number): string {
    if (depth <= 0 || this.chance(0.4)) return this.comparison(this.pick(scope), depth);
    const d = depth - 1;
    const k = this.rng.int(4);
    if (k === 0) return `NOT (${this.predicate(scope, d)})`;
    if (k === 1) return `(${this.predicate(scope, d)} OR ${this.predicate(scope, d)})`;
    return `(${this.predicate(scope, d)} AND ${this.predicate(scope, d)})`;
  }

  private valueType(scope: readonly ScopeColumn[], allowed: readonly ValueType[]): ValueType {
    const present = allowed.filter((t) => scope.some((c) => c.type === t));
    return this.pick(present.length > 0 ? present : allowed);
  }

  private where(scope: Scope, schema?: FuzzSchema): string {
    if (!this.chance(0.75)) return '';
    let p = this.predicate(scope.columns, this.between(0, 3));
    if (schema !== undefined && this.chance(0.25)) {
      const sub = this.subqueryPredicate(schema, scope.columns);
      if (sub !== undefined) p = this.chance(0.7) ? `${sub} AND ${p}` : `(${sub} OR ${p})`;
    }
    return ` WHERE ${p}`;
  }

  /**
   * `x [NOT] IN (SELECT ..)`, `[NOT] EXISTS (correlated SELECT ..)` or a comparison with a scalar aggregate
   * subquery, on a join-domain column of the scope (NOT IN over a subquery with NULLs is part of the point).
   */
  private subqueryPredicate(schema: FuzzSchema, scope: readonly ScopeColumn[]): string | undefined {
    const outer = scope.filter((c) => c.domain !== undefined);
    if (outer.length === 0) return undefined;
    const o = this.pick(outer);
    const tables = schema.tables.filter((t) => t.columns.some((c) => c.domain === o.domain));
    const table = this.pick(tables);
    const inner = this.baseRelation(table);
    const ic = this.pick(inner.columns.filter((c) => c.domain === o.domain));
    const where = this.chance(0.7) ? ` WHERE ${this.predicate(inner.columns, 1)}` : '';
    const kind = this.weighted([['in', 3], ['exists', 2], ['scalar', 1]] as const);
    switch (kind) {
      case 'in': {
        const nullable = this.chance(0.3) ? `CASE WHEN ${this.predicate(inner.columns, 0)} THEN NULL ELSE ${ic.sql} END` : ic.sql;
        return `${o.sql} ${this.chance(0.35) ? 'NOT ' : ''}IN (SELECT ${nullable} FROM ${inner.from}${where})`;
      }
      case 'exists':
        return `${this.chance(0.3) ? 'NOT ' : ''}EXISTS (SELECT 1 FROM ${inner.from} WHERE ${ic.sql} = ${o.sql}${where === '' ? '' : ` AND ${where.slice(7)}`})`;
      case 'scalar':
        return `${o.sql} ${this.pick(['<', '<=', '>', '>=', '=', '<>'])} (SELECT ${this.pick(['min', 'max'])}(${ic.sql}) FROM ${inner.from}${where})`;
    }
  }

  // ---- query shapes ----

  /** SELECT [DISTINCT] exprs FROM .. WHERE .. ORDER BY every column LIMIT n (ties are identical rows). */
  private selectQuery(schema: FuzzSchema): { sql: string; ordered: boolean } {
    const scope = this.fromScope(schema);
    const n = this.between(1, 5);
    const items: string[] = [];
    for (let i = 0; i < n; i++) {
      if (this.chance(0.1)) items.push(`${this.predicate(scope.columns, 1)} AS b${i}`);
      else if (this.chance(0.04)) items.push(`NULL AS n${i}`);
      else items.push(`${this.value(scope.columns, this.valueType(scope.columns, ['int', 'double', 'decimal', 'varchar']), this.between(0, 2))} AS c${i}`);
    }
    const distinct = this.chance(0.2) ? 'DISTINCT ' : '';
    const order = items.map((_, i) => `${i + 1} ${this.direction()}`).join(', ');
    return { sql: `SELECT ${distinct}${items.join(', ')} FROM ${scope.from}${this.where(scope, schema)} ORDER BY ${order} LIMIT ${this.between(1, 40)}`, ordered: true };
  }

  private direction(): string {
    return `${this.pick(['ASC', 'DESC'])} NULLS ${this.pick(['FIRST', 'LAST'])}`;
  }

  private aggregate(scope: readonly ScopeColumn[]): string {
    const kind = this.weighted([['count*', 2], ['count', 1], ['countd', 1], ['sum', 3], ['avg', 2], ['min', 2], ['max', 2]] as const);
    switch (kind) {
      case 'count*':
        return 'count(*)';
      case 'count':
        return `count(${this.value(scope, this.valueType(scope, ['int', 'double', 'varchar', 'decimal']), 1)})`;
      case 'countd':
        return `count(DISTINCT ${this.value(scope, this.valueType(scope, ['int', 'varchar', 'decimal']), 1)})`;
      case 'sum':
        return `sum(${this.value(scope, this.valueType(scope, ['int', 'double', 'decimal']), 1)})`;
      case 'avg': {
        const t = this.valueType(scope, ['int', 'double', 'decimal']);
        const v = this.value(scope, t, 1);
        return t === 'decimal' ? `avg(CAST(${v} AS double))` : `avg(${v})`;
      }
      case 'min':
      case 'max':
        return `${kind}(${this.value(scope, this.valueType(scope, ['int', 'double', 'decimal', 'varchar']), 1)})`;
    }
  }

  /** SELECT keys, aggregates FROM .. WHERE .. GROUP BY keys HAVING .. [ORDER BY keys LIMIT n]. */
  private aggregateQuery(schema: FuzzSchema): { sql: string; ordered: boolean } {
    const scope = this.fromScope(schema);
    const keyCount = this.weighted([[0, 1], [1, 4], [2, 3]] as const);
    const keys = Array.from({ length: keyCount }, () => this.value(scope.columns, this.valueType(scope.columns, ['int', 'varchar']), this.between(0, 1)));
    const aggs = Array.from({ length: this.between(1, 4) }, () => this.aggregate(scope.columns));
    const items = [...keys.map((k, i) => `${k} AS k${i}`), ...aggs.map((a, i) => `${a} AS a${i}`)];
    let sql = `SELECT ${items.join(', ')} FROM ${scope.from}${this.where(scope, schema)}`;
    // A bare integer literal in GROUP BY is an ordinal, so literal keys are grouped by position.
    const byPosition = this.chance(0.5) || keys.some((k) => /^-?\d+$/.test(k));
    if (keys.length > 0) sql += ` GROUP BY ${byPosition ? keys.map((_, i) => String(i + 1)).join(', ') : keys.join(', ')}`;
    if (this.chance(0.35)) {
      const h = this.chance(0.5) ? `count(*) > ${this.between(0, 30)}` : `${this.pick(aggs)} IS NOT NULL`;
      sql += ` HAVING ${this.chance(0.3) ? `(${h} OR ${this.aggregate(scope.columns)} IS NULL)` : h}`;
    }
    if (keys.length > 0 && this.chance(0.4)) {
      sql += ` ORDER BY ${keys.map((_, i) => `${i + 1} ${this.direction()}`).join(', ')} LIMIT ${this.between(1, 25)}`;
      return { sql, ordered: true };
    }
    return { sql, ordered: false };
  }

  /** Window functions over one (possibly joined) scope; rows ordered by every output column, limited. */
  private windowQuery(schema: FuzzSchema): { sql: string; ordered: boolean } {
    const scope = this.fromScope(schema, this.chance(0.6) ? 1 : 2);
    const cols = scope.columns.filter((c) => c.type !== 'date');
    const items: string[] = [];
    for (let i = 0, n = this.between(1, 2); i < n; i++) items.push(`${this.pick(cols).sql} AS c${i}`);
    for (let i = 0, n = this.between(1, 3); i < n; i++) items.push(`${this.windowFunction(scope)} AS w${i}`);
    const order = items.map((_, i) => `${i + 1} ${this.direction()}`).join(', ');
    const inner = `SELECT ${items.join(', ')} FROM ${scope.from}${this.where(scope, schema)}`;
    if (this.chance(0.3)) {
      // Top-N per group: filter on a window result in an outer query.
      const names = items.map((it) => it.slice(it.lastIndexOf(' AS ') + 4));
      const w = this.pick(names.filter((n) => n.startsWith('w')));
      return { sql: `SELECT * FROM (${inner}) w WHERE w.${w} <= ${this.between(1, 5)} ORDER BY ${order} LIMIT ${this.between(1, 40)}`, ordered: true };
    }
    return { sql: `${inner} ORDER BY ${order} LIMIT ${this.between(1, 40)}`, ordered: true };
  }

  private windowFunction(scope: Scope): string {
    const keyable = scope.columns.filter((c) => c.type === 'int' || c.type === 'varchar');
    const partition = this.chance(0.7) && keyable.length > 0 ? `PARTITION BY ${this.pick(keyable).sql}` : '';
    const orderCols = scope.columns.filter((c) => c.type !== 'date');
    const orderBy = Array.from({ length: this.between(1, 2) }, () => `${this.pick(orderCols).sql} ${this.direction()}`);
    const over = (o: readonly string[]): string => `OVER (${[partition, o.length > 0 ? `ORDER BY ${o.join(', ')}` : ''].filter((s) => s !== '').join(' ')})`;
    const numeric = scope.columns.filter((c) => c.type === 'int' || c.type === 'double' || c.type === 'decimal');
    const keyed = scope.key !== undefined ? 1 : 0;
    const kind = this.weighted([
      ['rank', 2], ['dense_rank', 1], ['percent_rank', 1], ['cume_dist', 1], ['agg', 3],
      ['row_number', 2 * keyed], ['lag', keyed], ['lead', keyed], ['ntile', keyed], ['rows', 2 * keyed],
    ] as const);
    switch (kind) {
      case 'rank':
      case 'dense_rank':
      case 'percent_rank':
      case 'cume_dist':
        return `${kind}() ${over(orderBy)}`;
      case 'agg': {
        const fn = numeric.length > 0 ? this.pick(['sum', 'count', 'min', 'max'] as const) : 'count';
        const arg = fn === 'count' && this.chance(0.5) ? '*' : this.pick(numeric.length > 0 ? numeric : orderCols).sql;
        return `${fn}(${arg}) ${over(this.chance(0.6) ? orderBy : [])}`;
      }
      case 'row_number':
      case 'lag':
      case 'lead':
      case 'ntile':
      case 'rows': {
        // A total order: the random keys, then the scope's unique key.
        const total = [...orderBy, ...scope.key!.map((k) => `${k} ASC NULLS LAST`)];
        if (kind === 'row_number') return `row_number() ${over(total)}`;
        if (kind === 'ntile') return `ntile(${this.between(1, 5)}) ${over(total)}`;
        if (kind === 'rows') {
          const frame = this.pick(['ROWS BETWEEN 2 PRECEDING AND CURRENT ROW', 'ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING', 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW', 'ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING']);
          const arg = numeric.length > 0 ? this.pick(numeric).sql : '*';
          const fn = arg === '*' ? 'count' : this.pick(['sum', 'count', 'min', 'max', 'avg']);
          return `${fn}(${fn === 'avg' && numeric.find((c) => c.sql === arg)?.type === 'decimal' ? `CAST(${arg} AS double)` : arg}) ${over(total).slice(0, -1)} ${frame})`;
        }
        return `${kind}(${this.pick(orderCols).sql}${this.chance(0.3) ? `, ${this.between(1, 3)}` : ''}) ${over(total)}`;
      }
    }
  }

  private setBranch(schema: FuzzSchema, types: readonly ValueType[], named: boolean): string {
    const scope = this.fromScope(schema, 2);
    // Sometimes a bare NULL column: its unknown type is coerced to the other branch's.
    const items = types.map((t, i) => `${this.chance(0.08) ? 'NULL' : this.value(scope.columns, t, this.between(0, 1))}${named ? ` AS c${i}` : ''}`);
    return `SELECT ${items.join(', ')} FROM ${scope.from}${this.where(scope, schema)}`;
  }

  /** UNION [ALL] / INTERSECT / EXCEPT of int and varchar columns (low cardinality, so results stay small). */
  private setOpQuery(schema: FuzzSchema): { sql: string; ordered: boolean } {
    const types = Array.from({ length: this.between(1, 2) }, () => this.pick(['int', 'varchar'] as const));
    const op = this.pick(['UNION', 'UNION ALL', 'INTERSECT', 'EXCEPT']);
    const a = this.setBranch(schema, types, true);
    const b = this.setBranch(schema, types, false);
    const cols = types.map((_, i) => `c${i}`).join(', ');
    if (op === 'UNION ALL') {
      // Counting duplicates keeps the result small and still checks bag semantics.
      return { sql: `SELECT ${cols}, count(*) AS n FROM (${a} UNION ALL ${b}) u GROUP BY ${cols}`, ordered: false };
    }
    if (this.chance(0.3)) {
      return { sql: `${a} ${op} ${b} ORDER BY ${types.map((_, i) => `${i + 1} ${this.direction()}`).join(', ')} LIMIT ${this.between(1, 20)}`, ordered: true };
    }
    return { sql: `${a} ${op} ${b}`, ordered: false };
  }
}

function scoped(alias: string, c: FuzzColumn): ScopeColumn {
  return { sql: `${alias}.${c.name}`, name: c.name, type: c.type, domain: c.domain, values: c.values };
}


/** Orders two literals of one column: numerically when both are numbers, else as text. */
function compareLiterals(a: string, b: string): number {
  const x = Number(a), y = Number(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first `count` queries of a seed. */
export function generateQueries(seed: string, count: number, schemas?: readonly FuzzSchema['name'][]): GeneratedQuery[] {
  const g = new QueryGenerator(seed, schemas);
  return Array.from({ length: count }, () => g.next());
}
