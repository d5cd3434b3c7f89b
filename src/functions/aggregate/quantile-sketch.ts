/** Items per compactor level: rank error stays well under 0.1% of n for n up to millions (randomised halving). */
const LEVEL_CAPACITY = 1024;

/**
 * A mergeless KLL-style quantile sketch of one group's doubles: level l holds items of weight 2^l; a full level
 * is sorted and every other item (odd or even positions by a coin flip) moves up with twice the weight. Exact
 * while the group has at most LEVEL_CAPACITY values. The coin is a fixed-seed xorshift, so results repeat.
 */
export class QuantileSketch {
  private levels: Float64Array[] = [new Float64Array(8)];
  private counts: number[] = [0];
  private coin = 0x9e3779b9;

  add(x: number): void {
    this.push(0, x);
  }

  private push(level: number, x: number): void {
    let buf = this.levels[level];
    if (buf === undefined) {
      buf = new Float64Array(LEVEL_CAPACITY);
      this.levels[level] = buf;
      this.counts[level] = 0;
    }
    let n = this.counts[level]!;
    if (n === buf.length) {
      if (buf.length < LEVEL_CAPACITY) {
        const next = new Float64Array(Math.min(LEVEL_CAPACITY, buf.length * 2));
        next.set(buf);
        this.levels[level] = buf = next;
      } else {
        this.compact(level);
        n = 0;
      }
    }
    buf[n] = x;
    this.counts[level] = n + 1;
  }

  private compact(level: number): void {
    const buf = this.levels[level]!;
    const n = this.counts[level]!;
    const items = buf.subarray(0, n).sort();
    this.coin ^= this.coin << 13;
    this.coin ^= this.coin >>> 17;
    this.coin ^= this.coin << 5;
    this.counts[level] = 0;
    for (let i = this.coin & 1; i < n; i += 2) this.push(level + 1, items[i]!);
  }

  /** Number of values added. */
  get size(): number {
    return this.counts.reduce((s, c, l) => s + c * 2 ** l, 0);
  }

  /** The smallest held value whose cumulative weight reaches p of the total (nearest rank); NaN when empty. */
  quantile(p: number): number {
    let total = 0;
    for (let l = 0; l < this.levels.length; l++) total += this.counts[l]! * 2 ** l;
    if (total === 0) return Number.NaN;
    const values: number[] = [];
    const weights: number[] = [];
    for (let l = 0; l < this.levels.length; l++) {
      const buf = this.levels[l]!;
      for (let k = 0; k < this.counts[l]!; k++) {
        values.push(buf[k]!);
        weights.push(2 ** l);
      }
    }
    const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
    const target = p * total;
    let cum = 0;
    for (const i of order) {
      cum += weights[i]!;
      if (cum >= target) return values[i]!;
    }
    return values[order[order.length - 1]!]!;
  }

  memoryBytes(): number {
    return this.levels.reduce((s, b) => s + b.byteLength, 0);
  }
}
