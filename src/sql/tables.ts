/**
 * What the rewrite hands to the adapter: the rewritten text, the map from rewritten offsets back to the
 * user's script, and the placeholder tables. The encodings in the rewritten text are:
 *
 *   __iN__              identifier N (a name; the grammar sees a plain unquoted word)
 *   __fN__(...)         call of function N (every function call; the grammar sees a generic call)
 *   '__sN__'            literal N (strings, numbers, booleans, NULL, typed literals, intervals)
 *   '__mN__'            meta N: a marker the rewrite needed to pass through the grammar (join kind, OVER…)
 *   '__qN__'            subquery N in an expression (scalar, IN, EXISTS), parsed on its own (see below)
 *   VARCHAR(1000000+N)  type N (CAST/TRY_CAST/:: targets, as written)
 *   LIMIT/OFFSET 2000000+N   literal N (the grammar only accepts numbers there)
 *   ROWS BETWEEN 3000000+N PRECEDING AND CURRENT ROW   window frame N (parsed by frame-parser)
 *   __shoal_<name>(...) a construct the grammar cannot parse or parses wrongly, carried as a call:
 *     and, or, not, concat (boolean layer and ||: rewrite.ts, rewrite-predicate.ts); paren, row, sub, deref,
 *     tz, exists, array (rewrite-predicate.ts); filter, over, within, lambda, named, extract, gsets, set
 *     (rewrite-calls.ts). adapter-expr.ts and adapter-query.ts map each back.
 * User-written text can never produce these: all user names and literals are themselves replaced.
 *
 * Subqueries inside expressions are parsed separately from the query around them: the grammar takes exponential
 * time on scalar subqueries nested in select lists (`SELECT (SELECT (SELECT …))`: 0.3 s at depth 10), and
 * parsing each level on its own keeps every parse flat.
 */
import type { SourceSpan } from '../common/index.js';
import type { Identifier, Literal } from './ast.js';

export const TYPE_BASE = 1_000_000;
export const LIMIT_BASE = 2_000_000;
export const FRAME_BASE = 3_000_000;
/** Placeholder indexes must stay below this so the numeric encodings cannot collide. */
export const MAX_PLACEHOLDERS = 999_999;

export interface IdentEntry extends Identifier {
  /**
   * The alias of a `SELECT * FROM (…) AS <wrapper>` the rewrite built around a standalone VALUES ('values') or a
   * parenthesised set operation used as a query term ('query'), which the grammar cannot parse there.
   */
  readonly wrapper?: 'values' | 'query' | undefined;
  /** The qualifier of `s.t.*`, passed as one placeholder. */
  readonly qualifier?: readonly Identifier[] | undefined;
}

export interface FuncEntry {
  readonly name: Identifier;
  /** From the name to the closing parenthesis (or the name alone for niladic forms like current_date). */
  readonly span: SourceSpan;
  distinct: boolean;
  nullTreatment?: 'ignore' | 'respect' | undefined;
  /** UNNEST(...) WITH ORDINALITY */
  withOrdinality: boolean;
}

export interface LiteralEntry {
  readonly literal: Literal;
  readonly span: SourceSpan;
}

export type MetaEntry =
  | { readonly kind: 'join'; readonly join: 'comma' | 'cross' | 'natural'; readonly span: SourceSpan }
  | {
      readonly kind: 'over';
      /** From OVER to the end of the window specification. */
      readonly span: SourceSpan;
      readonly baseWindow?: Identifier | undefined;
    }
  | { readonly kind: 'extract_field'; readonly field: string; readonly span: SourceSpan }
  /** GROUP BY DISTINCT: passed as the first grouping element. */
  | { readonly kind: 'group_distinct' };

export interface TypeEntry {
  /** Normalized type text: lower-case words, single spaces, no spaces around brackets and commas. */
  readonly text: string;
  readonly try: boolean;
  /** The type as written. */
  readonly span: SourceSpan;
  /** CAST(...) / TRY_CAST(...) as a whole; undefined for `x::type`. */
  readonly castSpan?: SourceSpan | undefined;
}

export interface SubqueryEntry {
  /** Token range [from, to) of the query inside the parentheses. */
  readonly from: number;
  readonly to: number;
  /** The parentheses and the query. */
  readonly span: SourceSpan;
}

export interface FrameEntry {
  /** Token range [from, to) of the frame text, from ROWS/RANGE/GROUPS up to the closing parenthesis. */
  readonly from: number;
  readonly to: number;
  readonly span: SourceSpan;
}

/** One token of the rewritten text and the region of the user's script it stands for. */
export interface OutToken {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** The text is exactly the script's text at [start, end), so inner offsets map one to one. */
  readonly copy: boolean;
}

export interface Tables {
  readonly idents: IdentEntry[];
  readonly funcs: FuncEntry[];
  readonly literals: LiteralEntry[];
  readonly metas: MetaEntry[];
  readonly types: TypeEntry[];
  readonly frames: FrameEntry[];
  readonly subqueries: SubqueryEntry[];
}

export function emptyTables(): Tables {
  return { idents: [], funcs: [], literals: [], metas: [], types: [], frames: [], subqueries: [] };
}

/** The rewritten text and the map back to the script. */
export class RewrittenText {
  readonly text: string;
  private readonly starts: number[];
  readonly tokens: readonly OutToken[];

  constructor(tokens: readonly OutToken[]) {
    this.tokens = tokens;
    this.starts = [];
    let pos = 0;
    const parts: string[] = [];
    for (const t of tokens) {
      this.starts.push(pos);
      parts.push(t.text);
      pos += t.text.length + 1;
    }
    this.text = parts.join(' ');
  }

  /** Index of the output token containing rewritten offset `o`, or the first one after it. */
  private indexAt(o: number): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.tokens[mid];
      const s = this.starts[mid] ?? 0;
      if (t !== undefined && s + t.text.length <= o) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Script offset for a rewritten offset used as the start of a region. */
  mapStart(o: number): number {
    const k = this.indexAt(o);
    const t = this.tokens[k];
    if (t === undefined) return this.scriptEnd();
    const s = this.starts[k] ?? 0;
    if (o <= s) return t.start;
    return t.copy ? Math.min(t.end, t.start + (o - s)) : t.start;
  }

  /** Script offset for a rewritten offset used as the (exclusive) end of a region. */
  mapEnd(o: number): number {
    // The token that ends at or contains o (exclusive end).
    let k = this.indexAt(Math.max(0, o - 1));
    let t = this.tokens[k];
    if (t === undefined) return this.scriptEnd();
    let s = this.starts[k] ?? 0;
    if (s >= o && k > 0) {
      k--;
      t = this.tokens[k];
      s = this.starts[k] ?? 0;
      if (t === undefined) return this.scriptEnd();
    }
    if (o >= s + t.text.length) return t.end;
    return t.copy ? Math.max(t.start, t.start + (o - s)) : t.end;
  }

  /** The output token at or after rewritten offset `o` (for error positions); undefined at the end. */
  tokenAt(o: number): OutToken | undefined {
    if (o >= this.text.length) return undefined;
    return this.tokens[this.indexAt(o)];
  }

  private scriptEnd(): number {
    const last = this.tokens[this.tokens.length - 1];
    return last === undefined ? 0 : last.end;
  }
}
