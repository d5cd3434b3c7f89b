/**
 * `${name}` job parameters (shoal run --param name=value), substituted as SQL literals, never as raw text.
 *
 * Rules (README "Batch jobs"):
 *  - In SQL code, `${name}` becomes a varchar literal of the value, quotes doubled: with run_date=2024-03-01,
 *    `DATE ${run_date}` is `DATE '2024-03-01'` and `CAST(${n} AS integer)` is `CAST('5' AS integer)`.
 *  - Inside a string literal, `${name}` is replaced by the value and the whole string is re-quoted, so
 *    `'s3://lake/dt=${run_date}/'` and Airflow-style `DATE '${run_date}'` both work, and the result is still
 *    exactly one string literal whatever the value holds. `$${` writes a literal `${` inside a string.
 *  - In comments and quoted identifiers `${…}` is left alone: it is not a parameter.
 *  - Names are letters, digits and `_`, not starting with a digit. A malformed `${…}` or a name without a value
 *    is an INVALID_PARAMETER_USAGE error at its line and column.
 * The lexer decides what is code, string, identifier or comment, exactly as the parser will see it afterwards.
 */
import { ShoalError, type SourceSpan } from '../common/index.js';
import { lex, type Token } from './lexer.js';
import { SourceText } from './source.js';

export const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PARAMETER_AT = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/y;

/** A replaced region: [origStart, origEnd) of the script became [newStart, newEnd) of the substituted text. */
interface Replacement {
  readonly origStart: number;
  readonly origEnd: number;
  readonly newStart: number;
  readonly newEnd: number;
}

export interface ParameterSubstitution {
  /** The script with every parameter replaced by a literal. */
  readonly text: string;
  /** The names the script used (each at least once). */
  readonly used: ReadonlySet<string>;
  /** A span in `text` as a span in the original script (a span inside a substituted literal covers its `${…}`). */
  originalSpan(span: SourceSpan): SourceSpan;
}

/** `'…'` with quotes doubled: the only string escape in Trino's SQL. */
export function sqlStringLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Substitutes `values` into `script` (see the rules above). Throws INVALID_PARAMETER_USAGE with a span in the
 * script for the first malformed or missing parameter; unused values are the caller's business (see `used`).
 */
export function substituteParameters(script: string, values: ReadonlyMap<string, string>): ParameterSubstitution {
  const src = new SourceText(script);
  const { tokens } = lex(script);
  const used = new Set<string>();
  const missing: { name: string; start: number; end: number }[] = [];
  const edits: Edit[] = [];
  const valueOf = (name: string, start: number, end: number): string => {
    const v = values.get(name);
    if (v === undefined) {
      missing.push({ name, start, end });
      return '';
    }
    used.add(name);
    return v;
  };
  const malformed = (at: number): ShoalError => new ShoalError('INVALID_PARAMETER_USAGE', `Malformed parameter '${script.slice(at, Math.min(script.length, at + 20)).split('\n')[0]}'`, {
    span: src.span(at, at + 2),
    hint: 'Write parameters as ${name} (letters, digits and _); inside a string, $${ stands for a literal ${',
  });

  for (let p = script.indexOf('${'); p >= 0; p = script.indexOf('${', p + 2)) {
    const t = tokenAt(tokens, p);
    if (t === undefined || t.kind === 'qident' || t.kind === 'string') continue; // comment, identifier, or a string (below)
    PARAMETER_AT.lastIndex = p;
    const m = PARAMETER_AT.exec(script);
    if (m === null) throw malformed(p);
    const end = p + m[0].length;
    edits.push({ start: p, end, text: sqlStringLiteral(valueOf(m[1]!, p, end)) });
  }
  for (const t of tokens) {
    if (t.kind !== 'string' || !t.text.includes('${')) continue;
    const rewritten = substituteInString(t, script, valueOf, malformed);
    if (rewritten !== undefined) edits.push({ start: t.start, end: t.end, text: rewritten });
  }

  const first = missing[0];
  if (first !== undefined) {
    const names = [...new Set(missing.map((x) => x.name))];
    const others = names.length > 1 ? ` (also missing: ${names.slice(1).join(', ')})` : '';
    throw new ShoalError('INVALID_PARAMETER_USAGE', `No value for parameter '${first.name}'${others}`, {
      span: src.span(first.start, first.end),
      hint: `Pass ${names.map((n) => `--param ${n}=VALUE`).join(' ')}${values.size > 0 ? `; given: ${[...values.keys()].join(', ')}` : ''}`,
    });
  }

  edits.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  const replacements: Replacement[] = [];
  let from = 0;
  let length = 0;
  for (const e of edits) {
    parts.push(script.slice(from, e.start));
    length += e.start - from;
    replacements.push({ origStart: e.start, origEnd: e.end, newStart: length, newEnd: length + e.text.length });
    parts.push(e.text);
    length += e.text.length;
    from = e.end;
  }
  parts.push(script.slice(from));
  const mapOffset = (offset: number, bias: 'start' | 'end'): number => {
    let delta = 0;
    for (const r of replacements) {
      if (offset < r.newStart || (bias === 'end' && offset === r.newStart)) break;
      if (offset < r.newEnd || (bias === 'end' && offset === r.newEnd)) return bias === 'start' ? r.origStart : r.origEnd;
      delta = r.origEnd - r.newEnd;
    }
    return offset + delta;
  };
  return {
    text: parts.join(''),
    used,
    originalSpan: (span) => replacements.length === 0 ? span : src.span(mapOffset(span.start.offset, 'start'), mapOffset(span.end.offset, 'end')),
  };
}

/** The token containing `offset`, if any (offsets between tokens are whitespace or comments). */
function tokenAt(tokens: readonly Token[], offset: number): Token | undefined {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.end <= offset) lo = mid + 1;
    else hi = mid;
  }
  const t = tokens[lo];
  return t !== undefined && t.start <= offset ? t : undefined;
}

/** The string token with its parameters substituted and re-quoted; undefined when it holds none. */
function substituteInString(
  t: Token, script: string,
  valueOf: (name: string, start: number, end: number) => string,
  malformed: (at: number) => ShoalError,
): string | undefined {
  let out = '';
  let changed = false;
  const end = t.end - 1; // the closing quote
  for (let i = t.start + 1; i < end;) {
    const c = script[i];
    if (c === "'") { // '' inside the string
      out += "'";
      i += 2;
      continue;
    }
    if (c === '$' && script.startsWith('$${', i)) {
      out += '${';
      i += 3;
      changed = true;
      continue;
    }
    if (c === '$' && script.startsWith('${', i)) {
      PARAMETER_AT.lastIndex = i;
      const m = PARAMETER_AT.exec(script);
      if (m === null || i + m[0].length > end) throw malformed(i);
      out += valueOf(m[1]!, i, i + m[0].length);
      i += m[0].length;
      changed = true;
      continue;
    }
    out += c;
    i++;
  }
  return changed ? sqlStringLiteral(out) : undefined;
}
