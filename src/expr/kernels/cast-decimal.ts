import { divRoundHalfUpNumber, numbersToDecimals } from '../../types/index.js';

/** Unscaled decimal values computed in doubles, with the Decimal128 words written from them. */
export interface DecimalNumbers {
  readonly view: Float64Array;
  readonly words: Uint32Array;
  readonly maxAbs: number;
}

const HALF_SAFE = 2 ** 52;

/**
 * Rescales exact integer doubles (unscaled at scale `from`; integers are scale 0) to unscaled values at scale
 * `to` of a decimal with `precision` digits, rounding half away from zero, without BigInt. Returns null when the
 * bound on the magnitudes (`maxAbs`, NULL slots included) does not prove every step exact: the caller then takes
 * its BigInt path. A valid row whose result has more than `precision` digits is passed to `outOfRange` (which
 * throws, or records a NULL for TRY_CAST) and holds 0.
 */
export function rescaleNumbers(
  nums: ArrayLike<number>, maxAbs: number, n: number, from: number, to: number, precision: number,
  isValid: (i: number) => boolean, outOfRange: (i: number) => void,
): DecimalNumbers | null {
  if (!(maxAbs >= 0)) return null; // NaN: no exact view
  const out = new Float64Array(n);
  let bound: number;
  if (to >= from) {
    const f = 10 ** (to - from);
    bound = maxAbs * f;
    if (!(bound <= Number.MAX_SAFE_INTEGER)) return null;
    for (let i = 0; i < n; i++) out[i] = nums[i]! * f;
  } else {
    const f = 10 ** (from - to);
    if (!(maxAbs < HALF_SAFE && f < HALF_SAFE)) return null;
    for (let i = 0; i < n; i++) out[i] = divRoundHalfUpNumber(nums[i]!, f);
    bound = Math.ceil(maxAbs / f) + 1;
  }
  const limit = 10 ** precision;
  if (bound >= limit) {
    for (let i = 0; i < n; i++) {
      const v = out[i]!;
      if ((v >= limit || v <= -limit) && isValid(i)) {
        outOfRange(i);
        out[i] = 0;
      }
    }
  }
  return { view: out, words: numbersToDecimals(out, n), maxAbs: Math.min(bound, limit) };
}
