/**
 * The script being parsed: its text, a line index for fast offset → line/column, and spans. Every span the
 * front end produces is made here, in coordinates of the whole script (never of a rewritten text).
 */
import type { SourcePosition, SourceSpan } from '../common/index.js';

export class SourceText {
  readonly text: string;
  private readonly lineStarts: number[];

  constructor(text: string) {
    this.text = text;
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** Same result as common/positionAt, in O(log lines). */
  position(offset: number): SourcePosition {
    const o = Math.min(Math.max(offset, 0), this.text.length);
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { offset: o, line: lo + 1, column: o - (this.lineStarts[lo] ?? 0) + 1 };
  }

  span(start: number, end: number): SourceSpan {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }

  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}

/** The smallest span covering all given spans (undefined entries are ignored). */
export function coverSpans(spans: readonly (SourceSpan | undefined)[]): SourceSpan | undefined {
  let out: SourceSpan | undefined;
  for (const s of spans) {
    if (s === undefined) continue;
    if (out === undefined) {
      out = s;
      continue;
    }
    out = {
      start: s.start.offset < out.start.offset ? s.start : out.start,
      end: s.end.offset > out.end.offset ? s.end : out.end,
    };
  }
  return out;
}
