/**
 * Exact floating-point sums that can be split and merged in any order.
 *
 * A sum is kept as a list of non-overlapping partials (Shewchuk's expansion, as in Python's
 * `math.fsum`): adding a number is exact, merging two lists is exact, and
 * {@link exactSumValue} rounds the exact total once. The result therefore does not depend on
 * how frames were split into chunks or in which order chunks were merged, which a plain
 * `a += v` cannot promise (floating addition is not associative). The list is a plain
 * `number[]`, so it crosses threads by structured clone; it stays short (a handful of entries
 * for sums of similar magnitudes, at most ~40 for the whole double range).
 *
 * Inputs must be finite.
 */
export type ExactSum = number[];

/** Add x to the exact sum in place. */
export function exactSumAdd(partials: ExactSum, x: number): void {
  let i = 0;
  for (let k = 0; k < partials.length; k++) {
    let y = partials[k];
    if (Math.abs(x) < Math.abs(y)) {
      const t = x;
      x = y;
      y = t;
    }
    const hi = x + y;
    const lo = y - (hi - x);
    if (lo !== 0) partials[i++] = lo;
    x = hi;
  }
  partials.length = i;
  partials.push(x);
}

/** Fold `other` into `into` (exact). */
export function exactSumMerge(into: ExactSum, other: ExactSum): void {
  for (let k = 0; k < other.length; k++) exactSumAdd(into, other[k]);
}

/** The exact sum rounded once to the nearest double (ties to even), like Python's math.fsum. */
export function exactSumValue(partials: ExactSum): number {
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  // Round half-way cases correctly: if the rest has the same sign as lo, nudge.
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    const yr = x - hi;
    if (y === yr) hi = x;
  }
  return hi;
}
