/**
 * Shoal's SQL lexer. It runs before node-sql-parser ever sees the text, so that every rewrite works on tokens
 * and never touches the inside of a literal, and so that every token keeps its offset in the user's script.
 *
 * Contract:
 *  - `'...'` strings: the only escape is `''` (no backslash escapes: `'\t'` is backslash + t).
 *  - `"..."` identifiers: the only escape is `""`; they keep their case.
 *  - numbers: `1`, `1.5`, `1.`, `.5`, `1e3`, `1.5E-2`.
 *  - words: letters, digits, `_`, `$` (not first); any Unicode letter counts as a letter.
 *  - `--` line comments and `/* *\/` block comments (not nested) are skipped, as is whitespace.
 *  - anything else that is not an operator Shoal understands becomes an `invalid` token.
 * `lex` never throws: problems (unterminated literal/comment, invalid character) are reported in order next to
 * the tokens, so the statement splitter can work on broken input; the parser turns the first one into an error.
 */

export type TokenKind = 'word' | 'qident' | 'string' | 'number' | 'op' | 'invalid';

export interface Token {
  readonly kind: TokenKind;
  /** The source text of the token, quotes included. */
  readonly text: string;
  /** Unescaped content for strings and quoted identifiers; the text otherwise. */
  readonly value: string;
  /** Offsets into the lexed text: [start, end). */
  readonly start: number;
  readonly end: number;
}

export interface LexProblem {
  readonly kind: 'unterminated_string' | 'unterminated_identifier' | 'unterminated_comment' | 'invalid_character' | 'empty_identifier' | 'bad_number';
  readonly start: number;
  readonly end: number;
  readonly message: string;
  readonly hint?: string | undefined;
}

export interface LexResult {
  readonly tokens: readonly Token[];
  readonly problems: readonly LexProblem[];
  /** Where the text ends inside an unterminated string, quoted identifier or block comment, if it does. */
  readonly openConstruct?: LexProblem | undefined;
}

const MULTI_CHAR_OPS = ['<>', '!=', '<=', '>=', '||', '::', '->', '=>'];
const SINGLE_CHAR_OPS = new Set(['+', '-', '*', '/', '%', '=', '<', '>', '.', ',', '(', ')', '[', ']', ';']);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

const WORD_START = /[\p{L}_]/u;
const WORD_PART = /[\p{L}\p{N}_$]/u;

function isWordStart(c: string | undefined): boolean {
  return c !== undefined && WORD_START.test(c);
}

function isWordPart(c: string | undefined): boolean {
  return c !== undefined && WORD_PART.test(c);
}

/** Lexes `text[from, to)`; offsets in the result are offsets into `text`. */
export function lex(text: string, from = 0, to = text.length): LexResult {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  let openConstruct: LexProblem | undefined;
  let i = from;
  const push = (kind: TokenKind, start: number, end: number, value?: string): void => {
    const raw = text.slice(start, end);
    tokens.push({ kind, text: raw, value: value ?? raw, start, end });
  };
  while (i < to) {
    const c = text[i];
    if (c === undefined) break;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v' || c === '\u00a0' || c === '\ufeff') {
      i++;
      continue;
    }
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      while (i < to && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      if (close < 0 || close + 2 > to) {
        const p: LexProblem = { kind: 'unterminated_comment', start: i, end: i + 2, message: 'Unterminated block comment', hint: 'Close the comment with */' };
        problems.push(p);
        openConstruct = p;
        i = to;
        break;
      }
      i = close + 2;
      continue;
    }
    if (c === "'") {
      const r = scanQuoted(text, i, to, "'");
      if (r.end < 0) {
        const p: LexProblem = { kind: 'unterminated_string', start: i, end: i + 1, message: 'Unterminated string literal', hint: "Close the string with '; write a quote inside a string as ''" };
        problems.push(p);
        openConstruct = p;
        break;
      }
      push('string', i, r.end, r.value);
      i = r.end;
      continue;
    }
    if (c === '"') {
      const r = scanQuoted(text, i, to, '"');
      if (r.end < 0) {
        const p: LexProblem = { kind: 'unterminated_identifier', start: i, end: i + 1, message: 'Unterminated quoted identifier', hint: 'Close the identifier with "; use single quotes for strings' };
        problems.push(p);
        openConstruct = p;
        break;
      }
      if (r.value.length === 0) {
        problems.push({ kind: 'empty_identifier', start: i, end: r.end, message: 'Zero-length delimited identifier not allowed', hint: 'Use single quotes for strings; double quotes are identifiers' });
      }
      push('qident', i, r.end, r.value);
      i = r.end;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(next))) {
      const end = scanNumber(text, i, to);
      if (isWordPart(text[end]) && end < to) {
        let j = end;
        while (j < to && isWordPart(text[j])) j++;
        problems.push({ kind: 'bad_number', start: i, end: j, message: `Invalid number '${text.slice(i, j)}'`, hint: 'Put a space between a number and a name, or quote the identifier' });
        push('invalid', i, j);
        i = j;
        continue;
      }
      push('number', i, end);
      i = end;
      continue;
    }
    if (isWordStart(c)) {
      let j = i + 1;
      while (j < to && isWordPart(text[j])) j++;
      push('word', i, j);
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (i + 2 <= to && MULTI_CHAR_OPS.includes(two)) {
      push('op', i, i + 2);
      i += 2;
      continue;
    }
    if (SINGLE_CHAR_OPS.has(c)) {
      push('op', i, i + 1);
      i++;
      continue;
    }
    // A surrogate pair counts as one character.
    const cp = text.codePointAt(i) ?? 0;
    const width = cp > 0xffff ? 2 : 1;
    problems.push(invalidCharacter(c, i, i + width));
    push('invalid', i, i + width);
    i += width;
  }
  return { tokens, problems, openConstruct };
}

function invalidCharacter(c: string, start: number, end: number): LexProblem {
  let hint: string | undefined;
  if (c === '`') hint = 'Quote identifiers with double quotes';
  else if (c === '$') hint = 'Job parameters ${name} are substituted only by shoal run --param name=value';
  else if (c === '?' || c === ':') hint = 'Query parameters are not supported';
  else if (c === '~') hint = 'Use regexp_like(x, pattern) for regular expressions';
  else if (c === '!') hint = 'Use <> or != for inequality and NOT for negation';
  else if (c === '&' || c === '|' || c === '^') hint = 'Use bitwise_and/bitwise_or/bitwise_xor; || concatenates strings';
  const shown = /[\x00-\x1f\x7f]/.test(c) ? `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}` : c;
  return { kind: 'invalid_character', start, end, message: `Unexpected character '${shown}'`, hint };
}

function scanQuoted(text: string, start: number, to: number, q: string): { end: number; value: string } {
  let value = '';
  let i = start + 1;
  for (;;) {
    const close = text.indexOf(q, i);
    if (close < 0 || close >= to) return { end: -1, value };
    value += text.slice(i, close);
    if (text[close + 1] === q && close + 1 < to) {
      value += q;
      i = close + 2;
      continue;
    }
    return { end: close + 1, value };
  }
}

function scanNumber(text: string, start: number, to: number): number {
  let i = start;
  while (i < to && isDigit(text[i])) i++;
  if (text[i] === '.' && i < to) {
    i++;
    while (i < to && isDigit(text[i])) i++;
  }
  const e = text[i];
  if ((e === 'e' || e === 'E') && i < to) {
    let j = i + 1;
    if (text[j] === '+' || text[j] === '-') j++;
    if (isDigit(text[j]) && j < to) {
      while (j < to && isDigit(text[j])) j++;
      i = j;
    }
  }
  return i;
}
