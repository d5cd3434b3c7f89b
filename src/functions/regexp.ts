/**
 * Regular expression functions (Trino's names and semantics): regexp_like, regexp_extract, regexp_replace,
 * regexp_count, regexp_position. Patterns run on JavaScript's engine in Unicode mode; Java's leading inline flags
 * ((?i), (?s), (?m), (?x) is not supported) are translated. Replacements use Java's syntax, as Trino's do: $g or
 * ${name} for a group, \$ for a dollar sign, \\ for a backslash.
 */
import { ShoalError } from '../common/index.js';
import { BIGINT, BOOLEAN, INTEGER, VARCHAR, type Scalar, type SqlType } from '../types/index.js';
import { doc, type FunctionDoc, type ScalarFunction } from './function.js';
import { rowwise, scalarFunction } from './scalar-helpers.js';

const S = VARCHAR;
const cache = new Map<string, RegExp>();

/** The compiled pattern (global, Unicode); patterns are cached since most calls repeat one constant pattern. */
export function compilePattern(pattern: string): RegExp {
  let re = cache.get(pattern);
  if (re !== undefined) {
    re.lastIndex = 0;
    return re;
  }
  let source = pattern, flags = 'gu';
  const inline = /^\(\?([ims]+)\)/.exec(pattern);
  if (inline !== null) {
    source = pattern.slice(inline[0].length);
    for (const f of inline[1]!) if (!flags.includes(f)) flags += f;
  }
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Invalid regular expression '${pattern}': ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  if (cache.size > 1000) cache.clear();
  cache.set(pattern, re);
  return re;
}

function groupCount(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags).exec('')!.length - 1;
}

function checkGroup(re: RegExp, group: bigint): number {
  const n = groupCount(re);
  if (group < 0n || group > BigInt(n)) {
    throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `Pattern has ${n} groups. Cannot access group ${group}`);
  }
  return Number(group);
}

type ReplacementPart = string | { readonly group: number | string };

/** Parses a Java-style replacement string against the pattern's groups. */
function parseReplacement(replacement: string, re: RegExp): ReplacementPart[] {
  const groups = groupCount(re);
  const parts: ReplacementPart[] = [];
  let text = '';
  for (let i = 0; i < replacement.length; i++) {
    const ch = replacement[i]!;
    if (ch === '\\') {
      i++;
      if (i >= replacement.length) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'character to be escaped is missing');
      text += replacement[i]!;
    } else if (ch === '$') {
      i++;
      if (replacement[i] === '{') {
        const close = replacement.indexOf('}', i);
        if (close < 0) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', "named capturing group is missing trailing '}'");
        const name = replacement.slice(i + 1, close);
        if (!new RegExp(`\\(\\?<${name.replace(/[^\w]/g, '')}>`).test(re.source)) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `No group with name {${name}}`);
        parts.push(text, { group: name });
        text = '';
        i = close;
      } else {
        const d = replacement[i];
        if (d === undefined || d < '0' || d > '9') throw new ShoalError('INVALID_FUNCTION_ARGUMENT', 'Illegal group reference');
        // Java takes further digits while the group number stays valid.
        let g = Number(d);
        if (g > groups) throw new ShoalError('INVALID_FUNCTION_ARGUMENT', `No group ${g}`);
        while (i + 1 < replacement.length && /[0-9]/.test(replacement[i + 1]!) && g * 10 + Number(replacement[i + 1]) <= groups) {
          g = g * 10 + Number(replacement[++i]);
        }
        parts.push(text, { group: g });
        text = '';
      }
    } else text += ch;
  }
  parts.push(text);
  return parts;
}

function regexpReplace(s: string, pattern: string, replacement: string): string {
  const re = compilePattern(pattern);
  const parts = parseReplacement(replacement, re);
  return s.replace(re, (...m: unknown[]) => {
    const named = typeof m[m.length - 1] === 'object' ? (m[m.length - 1] as Record<string, string | undefined>) : {};
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else out += (typeof p.group === 'number' ? (m[p.group] as string | undefined) : named[p.group]) ?? '';
    }
    return out;
  });
}

function firstMatch(s: string, pattern: string): RegExpExecArray | null {
  const re = compilePattern(pattern);
  const m = re.exec(s);
  re.lastIndex = 0;
  return m;
}

function codePointIndex(s: string, utf16: number): number {
  let n = 0;
  for (let i = 0; i < utf16; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

function f(name: string, docs: FunctionDoc[], params: readonly SqlType[], returns: SqlType, fn: (v: (string | bigint)[]) => Scalar): ScalarFunction {
  return scalarFunction(name, docs, [{ params, returns, kernel: () => rowwise(params, returns, (vals) => fn(vals as (string | bigint)[])) }]);
}

export const REGEXP_FUNCTIONS: readonly [ScalarFunction, ...string[]][] = [
  [f('regexp_like', [doc('varchar, varchar', 'boolean', 'Whether the pattern matches anywhere in the string')], [S, S], BOOLEAN, ([s, p]) => firstMatch(s as string, p as string) !== null)],
  [scalarFunction('regexp_extract', [
    doc('varchar, varchar', 'varchar', 'The first match of the pattern, or NULL when none'),
    doc('varchar, varchar, bigint', 'varchar', 'Capturing group g of the first match, or NULL when none'),
  ], [
    { params: [S, S], returns: S, kernel: () => rowwise([S, S], S, ([s, p]) => firstMatch(s as string, p as string)?.[0] ?? null) },
    {
      params: [S, S, BIGINT], returns: S,
      kernel: () => rowwise([S, S, BIGINT], S, ([s, p, g]) => {
        const group = checkGroup(compilePattern(p as string), g as bigint);
        return firstMatch(s as string, p as string)?.[group] ?? null;
      }),
    },
  ])],
  [scalarFunction('regexp_replace', [
    doc('varchar, varchar', 'varchar', 'Removes every match of the pattern'),
    doc('varchar, varchar, varchar', 'varchar', 'Replaces every match of the pattern; $g or ${name} insert a group, \\$ a dollar sign'),
  ], [
    { params: [S, S], returns: S, kernel: () => rowwise([S, S], S, ([s, p]) => (s as string).replace(compilePattern(p as string), '')) },
    { params: [S, S, S], returns: S, kernel: () => rowwise([S, S, S], S, ([s, p, r]) => regexpReplace(s as string, p as string, r as string)) },
  ])],
  [f('regexp_count', [doc('varchar, varchar', 'bigint', 'Number of matches of the pattern')], [S, S], BIGINT, ([s, p]) => {
    const re = compilePattern(p as string);
    let n = 0n;
    for (const m of (s as string).matchAll(re)) if (m.index !== undefined) n++;
    return n;
  })],
  [f('regexp_position', [doc('varchar, varchar', 'integer', 'Position (1-based) of the first match of the pattern, or -1')], [S, S], INTEGER, ([s, p]) => {
    const m = firstMatch(s as string, p as string);
    return m === null ? -1 : codePointIndex(s as string, m.index) + 1;
  })],
];
