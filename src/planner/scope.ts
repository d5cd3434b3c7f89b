import { ShoalError, closestName, unionSpan } from '../common/index.js';
import type { OutCol } from '../plan/index.js';
import type { Identifier, QualifiedName } from '../sql/index.js';

/** A column visible to name resolution: its plan column, its name, and the relation name(s) that qualify it. */
export interface ScopeField {
  readonly col: OutCol;
  /** Lower-case column name used for matching. */
  readonly name: string;
  /** Lower-case qualifier parts, e.g. ['lake', 'nyc', 'yellow_tripdata'] or ['y'] for an alias. */
  readonly qualifier: readonly string[];
  /**
   * A join's USING column as each side has it: `t.c` still names it, but `c` and `*` mean the merged column
   * (the one of the preserved side, or coalesce(l.c, r.c) for FULL joins).
   */
  readonly qualifiedOnly?: boolean | undefined;
}

export function partsOf(n: QualifiedName): string[] {
  return n.parts.map((p) => p.value.toLowerCase());
}

export function identText(parts: readonly Identifier[]): string {
  return parts.map((p) => (p.quoted ? `"${p.value}"` : p.value)).join('.');
}

/**
 * The columns of the FROM clause (or of a subquery's output). Names match case-insensitively, as in Trino.
 * A qualified reference `t.c` matches fields whose qualifier ends with `t`; `s.t.c` with `s.t`, and so on.
 */
export class Scope {
  /**
   * `outer` is the scope of the enclosing query when this one is a subquery: names not found here resolve there
   * (correlation). Column ids are unique within a statement, so an outer reference is an ordinary column
   * reference whose id the subquery's plan does not define.
   */
  constructor(readonly fields: readonly ScopeField[], readonly outer?: Scope | undefined) {}

  withOuter(outer: Scope | undefined): Scope {
    return outer === undefined ? this : new Scope(this.fields, outer);
  }

  static empty(): Scope {
    return new Scope([]);
  }

  /** Fields matching a column reference. */
  matches(parts: readonly string[]): ScopeField[] {
    const name = parts[parts.length - 1]!;
    const qual = parts.slice(0, -1);
    return this.fields.filter((f) => {
      if (f.name !== name) return false;
      if (qual.length === 0) return f.qualifiedOnly !== true;
      if (f.qualifier.length < qual.length) return false;
      const tail = f.qualifier.slice(f.qualifier.length - qual.length);
      return tail.every((q, i) => q === qual[i]);
    });
  }

  /** Resolves a column reference or throws COLUMN_NOT_FOUND / AMBIGUOUS_NAME with its span. */
  resolve(ref: QualifiedName): ScopeField {
    const parts = partsOf(ref);
    const found = this.matches(parts);
    if (found.length === 1) return found[0]!;
    if (found.length === 0 && this.outer !== undefined && this.outer.resolvable(parts)) return this.outer.resolve(ref);
    if (found.length > 1) {
      const quals = [...new Set(found.map((f) => f.qualifier.join('.')))].filter((q) => q !== '');
      throw new ShoalError('AMBIGUOUS_NAME', `Column '${parts.join('.')}' is ambiguous`, {
        span: ref.span,
        hint: quals.length > 1 ? `Qualify it: ${quals.map((q) => `${q.split('.').pop()}.${parts[parts.length - 1]}`).join(' or ')}` : undefined,
      });
    }
    throw this.notFound(ref, parts);
  }

  /** Whether `parts` names a column here or in an enclosing scope. */
  private resolvable(parts: readonly string[]): boolean {
    return this.matches(parts).length > 0 || (this.outer?.resolvable(parts) ?? false);
  }

  private notFound(ref: QualifiedName, parts: string[]): ShoalError {
    const name = parts[parts.length - 1]!;
    const qual = parts.slice(0, -1);
    if (qual.length > 0 && !this.fields.some((f) => f.qualifier.slice(f.qualifier.length - qual.length).every((q, i) => q === qual[i]))) {
      const rels = [...new Set(this.fields.map((f) => f.qualifier[f.qualifier.length - 1]).filter((q): q is string => q !== undefined))];
      const close = closestName(qual.join('.'), rels);
      return new ShoalError('COLUMN_NOT_FOUND', `Column '${parts.join('.')}' cannot be resolved: no relation '${qual.join('.')}' in FROM`, {
        span: unionSpan(ref.parts[0]!.span, ref.parts[ref.parts.length - 2]!.span),
        hint: close !== undefined ? `Did you mean '${close}.${name}'?` : rels.length > 0 ? `Relations in scope: ${rels.join(', ')}` : undefined,
      });
    }
    const candidates = qual.length === 0 ? this.fields.map((f) => f.name) : this.fields.filter((f) => f.qualifier.slice(f.qualifier.length - qual.length).every((q, i) => q === qual[i])).map((f) => f.name);
    const close = closestName(name, candidates);
    return new ShoalError('COLUMN_NOT_FOUND', `Column '${parts.join('.')}' cannot be resolved`, {
      span: ref.span,
      hint: close !== undefined ? `Did you mean '${close}'?` : candidates.length > 0 && candidates.length <= 12 ? `Available columns: ${[...new Set(candidates)].join(', ')}` : undefined,
    });
  }

  concat(other: Scope): Scope {
    return new Scope([...this.fields, ...other.fields], this.outer);
  }
}
