/**
 * Shoal's own SQL syntax tree. The front end (this folder) is the only code that sees node-sql-parser's node
 * shapes; it converts them once into these types. Every node carries the span of the text it came from, in
 * coordinates of the whole script handed to the parser (so a caret can be drawn under it).
 *
 * Conventions:
 *  - Identifiers: unquoted names are folded to lower case (`value`), quoted ones keep their case; `quoted` says which.
 *  - Literals keep their source text where the type depends on it (Trino types `1.50` as decimal(3,2), `1e3` as
 *    double, `2147483648` as bigint); the binder decides the type.
 *  - Syntax that has a function form is a function call: COALESCE, NULLIF, IF, substring(x FROM a FOR b) →
 *    substring(x, a, b), position(a IN b) → position(a, b), trim(...) → trim/ltrim/rtrim.
 *  - The tree is plain data (no classes); every union is discriminated by `kind`.
 */
import type { SourceSpan } from '../common/index.js';

export interface Identifier {
  readonly value: string;
  readonly quoted: boolean;
  readonly span: SourceSpan;
}

/** `a`, `t.a`, `s.t`, `c.s.t`: parts in source order. */
export interface QualifiedName {
  readonly parts: readonly Identifier[];
  readonly span: SourceSpan;
}

// ---------------------------------------------------------------------------------------------------------
// Statements

export type Statement =
  | QueryStatement
  | ExplainStatement
  | ShowCatalogsStatement
  | ShowSchemasStatement
  | ShowTablesStatement
  | ShowColumnsStatement
  | ShowFunctionsStatement
  | ShowSessionStatement
  | ShowCreateTableStatement
  | UseStatement
  | SetSessionStatement
  | SetTimeZoneStatement
  | ResetSessionStatement
  | CreateTableStatement
  | CreateTableAsStatement
  | CreateViewStatement
  | CreateSchemaStatement
  | DropStatement
  | DropSchemaStatement
  | InsertStatement
  | UnloadStatement;

export interface QueryStatement {
  readonly kind: 'query';
  readonly query: Query;
  readonly span: SourceSpan;
}

export interface ExplainStatement {
  readonly kind: 'explain';
  readonly analyze: boolean;
  /** EXPLAIN (TYPE IO | LOGICAL | DISTRIBUTED, FORMAT TEXT | JSON) options, lower-cased; empty when none. */
  readonly options: readonly { readonly name: string; readonly value: string }[];
  readonly statement: Statement;
  readonly span: SourceSpan;
}

export interface ShowCatalogsStatement {
  readonly kind: 'show_catalogs';
  readonly like?: string | undefined;
  readonly span: SourceSpan;
}

export interface ShowSchemasStatement {
  readonly kind: 'show_schemas';
  readonly catalog?: Identifier | undefined;
  readonly like?: string | undefined;
  readonly span: SourceSpan;
}

export interface ShowTablesStatement {
  readonly kind: 'show_tables';
  /** `FROM s` or `FROM c.s` (IN is accepted too). */
  readonly schema?: QualifiedName | undefined;
  readonly like?: string | undefined;
  readonly span: SourceSpan;
}

/** SHOW COLUMNS FROM t, DESCRIBE t, DESC t. */
export interface ShowColumnsStatement {
  readonly kind: 'show_columns';
  readonly table: QualifiedName;
  readonly span: SourceSpan;
}

export interface ShowFunctionsStatement {
  readonly kind: 'show_functions';
  readonly like?: string | undefined;
  readonly span: SourceSpan;
}

/** SHOW SESSION [LIKE 'pattern']: the session properties with their values, defaults and descriptions. */
export interface ShowSessionStatement {
  readonly kind: 'show_session';
  readonly like?: string | undefined;
  readonly span: SourceSpan;
}

export interface ShowCreateTableStatement {
  readonly kind: 'show_create_table';
  readonly table: QualifiedName;
  readonly span: SourceSpan;
}

/** USE schema | USE catalog.schema */
export interface UseStatement {
  readonly kind: 'use';
  readonly catalog?: Identifier | undefined;
  readonly schema: Identifier;
  readonly span: SourceSpan;
}

/** SET SESSION name = value | SET SESSION catalog.name = value */
export interface SetSessionStatement {
  readonly kind: 'set_session';
  readonly name: QualifiedName;
  readonly value: Expr;
  readonly span: SourceSpan;
}

/** SET TIME ZONE 'zone' | SET TIME ZONE LOCAL (zone undefined: the machine's zone). */
export interface SetTimeZoneStatement {
  readonly kind: 'set_time_zone';
  readonly zone?: Expr | undefined;
  readonly span: SourceSpan;
}

export interface ResetSessionStatement {
  readonly kind: 'reset_session';
  readonly name: QualifiedName;
  readonly span: SourceSpan;
}

/** `WITH (format = 'PARQUET', partitioned_by = ARRAY['month'])` */
export interface Property {
  readonly name: Identifier;
  readonly value: Expr;
  readonly span: SourceSpan;
}

export interface ColumnDefinition {
  readonly name: Identifier;
  /** The type as written, e.g. `decimal(10, 2)`; parsed by types/parseTypeName. */
  readonly type: string;
  readonly notNull: boolean;
  readonly comment?: string | undefined;
  readonly span: SourceSpan;
}

export interface CreateTableStatement {
  readonly kind: 'create_table';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly columns: readonly ColumnDefinition[];
  readonly properties: readonly Property[];
  readonly comment?: string | undefined;
  readonly span: SourceSpan;
}

export interface CreateTableAsStatement {
  readonly kind: 'create_table_as';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly columns?: readonly Identifier[] | undefined;
  readonly properties: readonly Property[];
  readonly query: Query;
  /** WITH NO DATA */
  readonly withData: boolean;
  readonly span: SourceSpan;
}

export interface CreateViewStatement {
  readonly kind: 'create_view';
  readonly name: QualifiedName;
  readonly orReplace: boolean;
  readonly query: Query;
  /** The view's SELECT exactly as the user wrote it (stored in the catalog file). */
  readonly queryText: string;
  readonly span: SourceSpan;
}

/** CREATE SCHEMA [IF NOT EXISTS] [catalog.]schema */
export interface CreateSchemaStatement {
  readonly kind: 'create_schema';
  readonly name: QualifiedName;
  readonly ifNotExists: boolean;
  readonly span: SourceSpan;
}

/** DROP SCHEMA [IF EXISTS] [catalog.]schema [RESTRICT | CASCADE]; CASCADE is refused (it would drop data). */
export interface DropSchemaStatement {
  readonly kind: 'drop_schema';
  readonly name: QualifiedName;
  readonly ifExists: boolean;
  readonly span: SourceSpan;
}

export interface DropStatement {
  readonly kind: 'drop';
  readonly object: 'table' | 'view';
  readonly name: QualifiedName;
  readonly ifExists: boolean;
  readonly span: SourceSpan;
}

export interface InsertStatement {
  readonly kind: 'insert';
  readonly table: QualifiedName;
  readonly columns?: readonly Identifier[] | undefined;
  /** INSERT … VALUES arrives as a query whose body is a `values` node. */
  readonly query: Query;
  readonly span: SourceSpan;
}

/** Athena's `UNLOAD (query) TO 'location' WITH (format = …, partitioned_by = ARRAY[…], compression = …)`. */
export interface UnloadStatement {
  readonly kind: 'unload';
  readonly query: Query;
  /** The target location as written (resolved by the engine). */
  readonly location: string;
  readonly locationSpan: SourceSpan;
  readonly properties: readonly Property[];
  readonly span: SourceSpan;
}

// ---------------------------------------------------------------------------------------------------------
// Queries

export interface Query {
  readonly kind: 'query';
  readonly with?: With | undefined;
  readonly body: QueryBody;
  readonly orderBy: readonly OrderItem[];
  /** LIMIT n, FETCH FIRST n ROWS ONLY; `LIMIT ALL` is no limit. */
  readonly limit?: Expr | undefined;
  readonly offset?: Expr | undefined;
  readonly span: SourceSpan;
}

export interface With {
  readonly recursive: boolean;
  readonly ctes: readonly CommonTableExpression[];
}

export interface CommonTableExpression {
  readonly name: Identifier;
  readonly columns?: readonly Identifier[] | undefined;
  readonly query: Query;
  readonly span: SourceSpan;
}

/** A parenthesized query with its own ORDER BY/LIMIT appears as a nested `query`. */
export type QueryBody = Select | SetOperation | ValuesBody | Query;

export interface SetOperation {
  readonly kind: 'set_operation';
  readonly op: 'union' | 'intersect' | 'except';
  /** UNION ALL is true; UNION and UNION DISTINCT are false. */
  readonly all: boolean;
  readonly left: QueryBody;
  readonly right: QueryBody;
  readonly span: SourceSpan;
}

/** VALUES (1, 'a'), (2, 'b') as a query body (standalone or in INSERT). */
export interface ValuesBody {
  readonly kind: 'values';
  readonly rows: readonly (readonly Expr[])[];
  readonly span: SourceSpan;
}

export interface Select {
  readonly kind: 'select';
  readonly distinct: boolean;
  readonly items: readonly SelectItem[];
  /** Comma-separated FROM items, in order; empty for SELECT without FROM. Joins are nested in `join` items. */
  readonly from: readonly FromItem[];
  readonly where?: Expr | undefined;
  readonly groupBy?: GroupBy | undefined;
  readonly having?: Expr | undefined;
  /** WINDOW w AS (…) definitions. */
  readonly windows: readonly NamedWindow[];
  readonly span: SourceSpan;
}

export type SelectItem =
  | { readonly kind: 'star'; readonly qualifier?: QualifiedName | undefined; readonly span: SourceSpan }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly alias?: Identifier | undefined; readonly span: SourceSpan };

export interface GroupBy {
  /** GROUP BY DISTINCT (deduplicates grouping sets). */
  readonly distinct: boolean;
  readonly elements: readonly GroupingElement[];
  readonly span: SourceSpan;
}

export type GroupingElement =
  | { readonly kind: 'expr'; readonly expr: Expr; readonly span: SourceSpan }
  | { readonly kind: 'rollup'; readonly exprs: readonly Expr[]; readonly span: SourceSpan }
  | { readonly kind: 'cube'; readonly exprs: readonly Expr[]; readonly span: SourceSpan }
  /** GROUPING SETS ((a, b), (a), ()) */
  | { readonly kind: 'grouping_sets'; readonly sets: readonly (readonly Expr[])[]; readonly span: SourceSpan };

export interface TableAlias {
  readonly name: Identifier;
  /** `AS t (c1, c2)` */
  readonly columns?: readonly Identifier[] | undefined;
}

export type FromItem =
  | TableRef
  | PathRef
  | TableFunctionRef
  | SubqueryRef
  | ValuesRef
  | UnnestRef
  | JoinRef;

/** A catalog table, view or CTE name. */
export interface TableRef {
  readonly kind: 'table';
  readonly name: QualifiedName;
  readonly alias?: TableAlias | undefined;
  readonly span: SourceSpan;
}

/** `FROM 'data/*.parquet'`: a single-quoted string in FROM is a path (DuckDB's convenience). */
export interface PathRef {
  readonly kind: 'path';
  readonly path: string;
  readonly alias?: TableAlias | undefined;
  readonly span: SourceSpan;
}

/** `read_parquet('…')`, `read_csv('…', header => true)` */
export interface TableFunctionRef {
  readonly kind: 'table_function';
  readonly name: QualifiedName;
  readonly args: readonly FunctionArgument[];
  readonly alias?: TableAlias | undefined;
  readonly span: SourceSpan;
}

export interface FunctionArgument {
  /** Set for named arguments (`header => true`). */
  readonly name?: Identifier | undefined;
  readonly value: Expr;
  readonly span: SourceSpan;
}

export interface SubqueryRef {
  readonly kind: 'subquery';
  readonly query: Query;
  readonly lateral: boolean;
  readonly alias?: TableAlias | undefined;
  readonly span: SourceSpan;
}

export interface ValuesRef {
  readonly kind: 'values';
  readonly values: ValuesBody;
  readonly alias?: TableAlias | undefined;
  readonly span: SourceSpan;
}

export interface UnnestRef {
  readonly kind: 'unnest';
  readonly exprs: readonly Expr[];
  readonly withOrdinality: boolean;
  readonly alias?: TableAlias | undefined;
  readonly span: SourceSpan;
}

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'cross';

export interface JoinRef {
  readonly kind: 'join';
  readonly joinType: JoinType;
  readonly natural: boolean;
  readonly left: FromItem;
  readonly right: FromItem;
  readonly on?: Expr | undefined;
  readonly using?: readonly Identifier[] | undefined;
  readonly span: SourceSpan;
}

// ---------------------------------------------------------------------------------------------------------
// Expressions

export type Expr =
  | ColumnExpr
  | LiteralExpr
  | UnaryExpr
  | BinaryExpr
  | IsNullExpr
  | BetweenExpr
  | InListExpr
  | InSubqueryExpr
  | ExistsExpr
  | ScalarSubqueryExpr
  | LikeExpr
  | CaseExpr
  | CastExpr
  | FunctionCallExpr
  | ExtractExpr
  | ArrayExpr
  | RowExpr
  | SubscriptExpr
  | DereferenceExpr
  | LambdaExpr
  | AtTimeZoneExpr;

/** A column reference: `c`, `t.c`, `s.t.c`, `c.s.t.c`. */
export interface ColumnExpr {
  readonly kind: 'column';
  readonly name: QualifiedName;
  readonly span: SourceSpan;
}

export type Literal =
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  /** Digits only, as written (may exceed 64 bits; the binder reports it). */
  | { readonly type: 'integer'; readonly text: string }
  /** `1.5`, `.5`, `100.00`: decimal in Trino. */
  | { readonly type: 'decimal'; readonly text: string }
  /** `1e3`, `1.5E-2`: double in Trino. */
  | { readonly type: 'double'; readonly text: string }
  /** A string after SQL unescaping (only `''` is an escape). */
  | { readonly type: 'string'; readonly value: string }
  /** DATE '…', TIMESTAMP '…', TIME '…', DECIMAL '…', TIMESTAMP '…' WITH TIME ZONE handled by the text. */
  | { readonly type: 'typed'; readonly typeName: string; readonly value: string }
  /** INTERVAL '3' DAY, INTERVAL '1-2' YEAR TO MONTH, INTERVAL '2 hours' (unit inside the string). */
  | {
      readonly type: 'interval';
      readonly value: string;
      readonly negative: boolean;
      /** Lower-case unit: year, month, day, hour, minute, second (also week/quarter/millisecond…); undefined when inside the string. */
      readonly from?: string | undefined;
      readonly to?: string | undefined;
    };

export interface LiteralExpr {
  readonly kind: 'literal';
  readonly literal: Literal;
  readonly span: SourceSpan;
}

export interface UnaryExpr {
  readonly kind: 'unary';
  readonly op: '-' | '+' | 'not';
  readonly operand: Expr;
  readonly span: SourceSpan;
}

export type BinaryOperator =
  | '+' | '-' | '*' | '/' | '%' | '||'
  | '=' | '<>' | '<' | '<=' | '>' | '>='
  | 'and' | 'or'
  | 'is_distinct_from' | 'is_not_distinct_from';

export interface BinaryExpr {
  readonly kind: 'binary';
  readonly op: BinaryOperator;
  readonly left: Expr;
  readonly right: Expr;
  readonly span: SourceSpan;
}

export interface IsNullExpr {
  readonly kind: 'is_null';
  readonly operand: Expr;
  readonly negated: boolean;
  readonly span: SourceSpan;
}

export interface BetweenExpr {
  readonly kind: 'between';
  readonly operand: Expr;
  readonly low: Expr;
  readonly high: Expr;
  readonly negated: boolean;
  readonly span: SourceSpan;
}

export interface InListExpr {
  readonly kind: 'in_list';
  readonly operand: Expr;
  readonly list: readonly Expr[];
  readonly negated: boolean;
  readonly span: SourceSpan;
}

export interface InSubqueryExpr {
  readonly kind: 'in_subquery';
  readonly operand: Expr;
  readonly query: Query;
  readonly negated: boolean;
  readonly span: SourceSpan;
}

export interface ExistsExpr {
  readonly kind: 'exists';
  readonly query: Query;
  readonly negated: boolean;
  readonly span: SourceSpan;
}

export interface ScalarSubqueryExpr {
  readonly kind: 'scalar_subquery';
  readonly query: Query;
  readonly span: SourceSpan;
}

export interface LikeExpr {
  readonly kind: 'like';
  readonly operand: Expr;
  readonly pattern: Expr;
  readonly escape?: Expr | undefined;
  readonly negated: boolean;
  /** ILIKE (not Trino, accepted for DuckDB users). */
  readonly caseInsensitive: boolean;
  readonly span: SourceSpan;
}

export interface CaseExpr {
  readonly kind: 'case';
  /** Simple CASE x WHEN … has an operand; searched CASE WHEN cond … does not. */
  readonly operand?: Expr | undefined;
  readonly whens: readonly { readonly when: Expr; readonly then: Expr }[];
  readonly else?: Expr | undefined;
  readonly span: SourceSpan;
}

export interface CastExpr {
  readonly kind: 'cast';
  readonly operand: Expr;
  /** The target type as written (`decimal(10,2)`, `varchar`, `timestamp(6)`), parsed by the binder. */
  readonly targetType: string;
  /** TRY_CAST: NULL instead of an error. */
  readonly try: boolean;
  readonly span: SourceSpan;
}

export interface FunctionCallExpr {
  readonly kind: 'function';
  readonly name: QualifiedName;
  readonly args: readonly Expr[];
  /** count(*) */
  readonly star: boolean;
  /** count(DISTINCT x) */
  readonly distinct: boolean;
  /** agg(x) FILTER (WHERE cond) */
  readonly filter?: Expr | undefined;
  /** array_agg(x ORDER BY y), listagg(x, ',') WITHIN GROUP (ORDER BY y) */
  readonly orderBy?: readonly OrderItem[] | undefined;
  readonly over?: WindowSpec | undefined;
  /** IGNORE NULLS / RESPECT NULLS on lag/lead/first_value/… */
  readonly nullTreatment?: 'ignore' | 'respect' | undefined;
  readonly span: SourceSpan;
}

/** EXTRACT(field FROM x); field lower-cased (year, quarter, month, week, day, day_of_week, dow, doy, hour, …). */
export interface ExtractExpr {
  readonly kind: 'extract';
  readonly field: string;
  readonly operand: Expr;
  readonly span: SourceSpan;
}

/** ARRAY[1, 2, 3] */
export interface ArrayExpr {
  readonly kind: 'array';
  readonly elements: readonly Expr[];
  readonly span: SourceSpan;
}

/** ROW(1, 'a') or (1, 'a') in expression position */
export interface RowExpr {
  readonly kind: 'row';
  readonly fields: readonly Expr[];
  readonly span: SourceSpan;
}

/** a[1], m['k'] */
export interface SubscriptExpr {
  readonly kind: 'subscript';
  readonly base: Expr;
  readonly index: Expr;
  readonly span: SourceSpan;
}

/** (expr).field where the base is not a plain name (plain `a.b.c` is a ColumnExpr; the binder disambiguates). */
export interface DereferenceExpr {
  readonly kind: 'dereference';
  readonly base: Expr;
  readonly field: Identifier;
  readonly span: SourceSpan;
}

/** x -> x + 1, (k, v) -> v > 0 */
export interface LambdaExpr {
  readonly kind: 'lambda';
  readonly params: readonly Identifier[];
  readonly body: Expr;
  readonly span: SourceSpan;
}

export interface AtTimeZoneExpr {
  readonly kind: 'at_time_zone';
  readonly operand: Expr;
  readonly zone: Expr;
  readonly span: SourceSpan;
}

export interface OrderItem {
  readonly expr: Expr;
  readonly descending: boolean;
  /** undefined: the default (Trino: NULLS LAST for both ASC and DESC). */
  readonly nullsFirst?: boolean | undefined;
  readonly span: SourceSpan;
}

export interface WindowSpec {
  /** OVER w, or OVER (w ORDER BY …) refining a named window. */
  readonly baseWindow?: Identifier | undefined;
  readonly partitionBy: readonly Expr[];
  readonly orderBy: readonly OrderItem[];
  readonly frame?: WindowFrame | undefined;
  readonly span: SourceSpan;
}

export interface NamedWindow {
  readonly name: Identifier;
  readonly spec: WindowSpec;
}

export interface WindowFrame {
  readonly unit: 'rows' | 'range' | 'groups';
  readonly start: FrameBound;
  /** Absent for the single-bound form (`ROWS 5 PRECEDING` means BETWEEN 5 PRECEDING AND CURRENT ROW). */
  readonly end?: FrameBound | undefined;
  readonly span: SourceSpan;
}

export type FrameBound =
  | { readonly kind: 'unbounded_preceding' }
  | { readonly kind: 'preceding'; readonly offset: Expr }
  | { readonly kind: 'current_row' }
  | { readonly kind: 'following'; readonly offset: Expr }
  | { readonly kind: 'unbounded_following' };

// ---------------------------------------------------------------------------------------------------------
// Parser results

/** One statement of a script, with its own text (for views and logs) and its span in the script. */
export interface ParsedStatement {
  readonly statement: Statement;
  readonly text: string;
  readonly span: SourceSpan;
}
