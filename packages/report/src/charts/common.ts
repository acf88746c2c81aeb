import { OptionError } from '@solvscope/core';

/** Default chart size, px: legible on screen, and at print width (≈ 16 cm). */
export const DEFAULT_WIDTH = 640;
export const DEFAULT_HEIGHT = 400;

/** A numeric array argument: plain arrays, typed arrays, or JSON with nulls for missing values. */
export type NumberArray = ArrayLike<number | null>;

/** Read element i as a number (null/undefined → NaN). */
export function at(a: NumberArray | null | undefined, i: number): number {
  if (!a) return NaN;
  const v = a[i];
  return v === null || v === undefined ? NaN : v;
}

/** Throw an OptionError naming the chart and option when `cond` fails. */
export function check(cond: boolean, chart: string, option: string, detail: string): asserts cond {
  if (!cond) throw new OptionError('OPTION', `${chart}: ${option} ${detail}`, { option });
}

/** Check a chart size option. */
export function checkSize(chart: string, width: number, height: number): void {
  check(Number.isFinite(width) && width >= 200 && width <= 10000, chart, 'width', `must be a number of px between 200 and 10000 (got ${width})`);
  check(Number.isFinite(height) && height >= 150 && height <= 10000, chart, 'height', `must be a number of px between 150 and 10000 (got ${height})`);
}

/** Largest finite value of a[lo..hi) (−∞ if none). */
export function finiteMax(values: Iterable<number>): number {
  let m = -Infinity;
  for (const v of values) if (Number.isFinite(v) && v > m) m = v;
  return m;
}

/** Smallest finite value (∞ if none). */
export function finiteMin(values: Iterable<number>): number {
  let m = Infinity;
  for (const v of values) if (Number.isFinite(v) && v < m) m = v;
  return m;
}

/** Ticks that fit a pixel length with about `spacing` px between them. */
export function tickTarget(lengthPx: number, spacing: number): number {
  return Math.max(3, Math.min(10, Math.round(lengthPx / spacing) + 1));
}
