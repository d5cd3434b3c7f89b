/**
 * Trino renders DOUBLE as Java's Double.toString does: plain notation with at least one fraction digit for
 * 1e-3 <= |x| < 1e7 (`1.0`, `0.125`), scientific otherwise (`1.0E7`, `1.5E-4`). CAST(x AS varchar) uses it.
 */
export function formatDoubleAsTrino(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const [mantissa, exp] = x.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exp.startsWith('+') ? exp.slice(1) : exp}`;
}
