/**
 * Comment text as the specification builds it (clause 4.2.2.10): a pool of pseudo-English sentences from a small
 * grammar is generated once, and every comment column value is a substring of the pool at a random offset with
 * a random length in the column's range (so values may start or end inside a word, as dbgen's do). The pool is
 * smaller than dbgen's 300 MB (see `poolBytes`), which only repeats substrings more often.
 */
import { Rng } from '../../../scripts/prng.js';
import { ADJECTIVES, ADVERBS, AUXILIARIES, NOUNS, NOUN_PHRASES, PREPOSITIONS, SENTENCES, TERMINATORS, VERBS, VERB_PHRASES, type Weighted } from './spec-lists.js';
import type { Utf8Column } from './columns.js';

class Picker {
  private readonly cdf: Float64Array;
  private readonly words: readonly string[];

  constructor(list: Weighted) {
    this.words = list.map(([w]) => w);
    this.cdf = new Float64Array(list.length);
    let s = 0;
    list.forEach(([, w], i) => {
      s += w;
      this.cdf[i] = s;
    });
  }

  pick(rng: Rng): string {
    return this.words[rng.pickCdf(this.cdf)] ?? '';
  }
}

const nouns = new Picker(NOUNS);
const verbs = new Picker(VERBS);
const adjectives = new Picker(ADJECTIVES);
const adverbs = new Picker(ADVERBS);
const prepositions = new Picker(PREPOSITIONS);
const auxiliaries = new Picker(AUXILIARIES);
const terminators = new Picker(TERMINATORS);
const sentences = new Picker(SENTENCES);
const nounPhrases = new Picker(NOUN_PHRASES);
const verbPhrases = new Picker(VERB_PHRASES);

function nounPhrase(rng: Rng): string {
  const shape = nounPhrases.pick(rng);
  switch (shape) {
    case 'N':
      return nouns.pick(rng);
    case 'J N':
      return `${adjectives.pick(rng)} ${nouns.pick(rng)}`;
    case 'J, J N':
      return `${adjectives.pick(rng)}, ${adjectives.pick(rng)} ${nouns.pick(rng)}`;
    default:
      return `${adverbs.pick(rng)} ${adjectives.pick(rng)} ${nouns.pick(rng)}`;
  }
}

function verbPhrase(rng: Rng): string {
  const shape = verbPhrases.pick(rng);
  switch (shape) {
    case 'V':
      return verbs.pick(rng);
    case 'X V':
      return `${auxiliaries.pick(rng)} ${verbs.pick(rng)}`;
    case 'V D':
      return `${verbs.pick(rng)} ${adverbs.pick(rng)}`;
    default:
      return `${auxiliaries.pick(rng)} ${verbs.pick(rng)} ${adverbs.pick(rng)}`;
  }
}

function sentence(rng: Rng): string {
  const parts: string[] = [];
  let terminator = '';
  for (const symbol of sentences.pick(rng).split(' ')) {
    if (symbol === 'N') parts.push(nounPhrase(rng));
    else if (symbol === 'V') parts.push(verbPhrase(rng));
    else if (symbol === 'P') parts.push(`${prepositions.pick(rng)} the ${nounPhrase(rng)}`);
    else terminator = terminators.pick(rng);
  }
  return `${parts.join(' ')}${terminator}`;
}

/** Pool size for a scale factor: 1 MiB at small scale factors, growing to 16 MiB from SF 2. */
export function poolBytes(sf: number): number {
  return Math.min(16 << 20, Math.max(1 << 20, Math.round(sf * (8 << 20))));
}

export class TextPool {
  readonly bytes: Uint8Array;

  constructor(size: number, seed: string) {
    const rng = new Rng(`text-pool:${seed}`);
    const out = new Uint8Array(size);
    let used = 0;
    while (used < size) {
      const s = `${sentence(rng)} `;
      for (let i = 0; i < s.length && used < size; i++) out[used++] = s.charCodeAt(i);
    }
    this.bytes = out;
  }

  /** Appends a comment of a random length in [min, max] to `col` as one value. */
  comment(col: Utf8Column, rng: Rng, min: number, max: number): void {
    this.appendComment(col, rng, min, max);
    col.end();
  }

  /** Appends the comment's bytes to the open value of `col` (the caller ends it) and returns its length. */
  appendComment(col: Utf8Column, rng: Rng, min: number, max: number): number {
    const len = min + rng.int(max - min + 1);
    const start = rng.int(this.bytes.length - len);
    col.appendBytes(this.bytes, start, start + len);
    return len;
  }
}
