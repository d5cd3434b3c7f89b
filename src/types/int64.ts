/**
 * Exact 64-bit integers without BigInt in hot loops: a BigInt64Array viewed as Int32 pairs gives each value as
 * hi * 2^32 + (lo >>> 0), which is an exact double whenever |v| <= 2^53. Kernels use these fast paths and fall
 * back to BigInt only when a value or result leaves that range, so results stay exact past 2^53.
 */
export const TWO_32 = 4294967296;

export function int32View(a: BigInt64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** Value i as a double; exact when the result is a safe integer (check with Number.isSafeInteger). */
export function int64At(view: Int32Array, i: number): number {
  return view[2 * i + 1]! * TWO_32 + (view[2 * i]! >>> 0);
}

/** Writes the safe integer x (|x| <= 2^53) into slot i of an Int32 view of a BigInt64Array. */
export function setInt64(view: Int32Array, i: number, x: number): void {
  const hi = Math.floor(x / TWO_32);
  view[2 * i + 1] = hi;
  view[2 * i] = x - hi * TWO_32;
}

/**
 * The whole array as doubles when every value is a safe integer, else null (the caller then uses BigInt).
 * The copy costs far less than a BigInt operation per value.
 */
export function int64ToFloat64(a: BigInt64Array, length = a.length): Float64Array | null {
  const v = int32View(a);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const hi = v[2 * i + 1]!;
    // |hi| < 2^21 guarantees |value| < 2^53.
    if (hi >= 0x200000 || hi < -0x200000) return null;
    out[i] = hi * TWO_32 + (v[2 * i]! >>> 0);
  }
  return out;
}

/** Doubles holding safe integers back into a BigInt64Array. */
export function float64ToInt64(a: Float64Array | readonly number[], length = a.length): BigInt64Array {
  const out = new BigInt64Array(length);
  const v = int32View(out);
  for (let i = 0; i < length; i++) setInt64(v, i, a[i]!);
  return out;
}

export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;
