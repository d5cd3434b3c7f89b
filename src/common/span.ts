/** A region of SQL text. Offsets are 0-based UTF-16 indexes into the statement text; line and column are 1-based. */
export interface SourcePosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

export interface SourceSpan {
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

/** Position of `offset` in `text` (1-based line and column). */
export function positionAt(text: string, offset: number): SourcePosition {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: end, line, column: end - lineStart + 1 };
}

export function spanOf(text: string, start: number, end: number): SourceSpan {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

/** The smallest span covering both. */
export function unionSpan(a: SourceSpan | undefined, b: SourceSpan | undefined): SourceSpan | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return {
    start: a.start.offset <= b.start.offset ? a.start : b.start,
    end: a.end.offset >= b.end.offset ? a.end : b.end,
  };
}

/** Moves a span found in a statement to its place in the whole script the statement came from. */
export function shiftSpan(span: SourceSpan, base: SourcePosition): SourceSpan {
  const shift = (p: SourcePosition): SourcePosition => ({
    offset: p.offset + base.offset,
    line: p.line + base.line - 1,
    column: p.line === 1 ? p.column + base.column - 1 : p.column,
  });
  return { start: shift(span.start), end: shift(span.end) };
}
