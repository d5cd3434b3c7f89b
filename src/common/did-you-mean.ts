/** Levenshtein distance, bounded: returns max+1 as soon as the distance must exceed `max`. */
export function editDistance(a: string, b: string, max = Number.MAX_SAFE_INTEGER): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/**
 * The candidate closest to `name` (case-insensitive), if it is close enough to be a plausible typo:
 * at most a third of the name's length in edits, and at least one edit allowed.
 */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  const target = name.toLowerCase();
  const max = Math.max(1, Math.floor(target.length / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const c of candidates) {
    const d = editDistance(target, c.toLowerCase(), max);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  return best;
}

export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const c = closestName(name, candidates);
  return c === undefined ? undefined : `Did you mean '${c}'?`;
}
