/**
 * Number formatting for tables, chart labels and summaries. Deterministic (no locale), and
 * with a true minus sign (U+2212) for display; CSV output uses `String(x)` instead (see csv.ts).
 */

/** Missing values in display text. */
export const MISSING = '\u2014';

function minus(s: string): string {
  return s.replace(/^-/, '\u2212');
}

/**
 * A number with `sig` significant digits (default 4), trailing zeros removed; integers
 * print whole; very small or large magnitudes in exponent form. Non-finite → `—`.
 */
export function formatNumber(v: number | null | undefined, sig = 4): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return minus(String(v));
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) return minus(v.toExponential(sig - 1).replace(/\.?0+e/, 'e'));
  let s = v.toPrecision(sig);
  if (s.includes('e')) s = String(Number(s));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return minus(s);
}

/** Decimals that show `stderr` with 2 significant digits when it starts with 1 or 2, else 1. */
export function errorDecimals(stderr: number): number {
  const e = Math.floor(Math.log10(stderr));
  const lead = stderr / Math.pow(10, e);
  return Math.min(10, Math.max(0, -e + (lead < 3 ? 1 : 0)));
}

/**
 * `mean ± stderr` with the mean rounded to the precision of its error (PDG-style: the
 * error keeps 1 significant digit, 2 when it starts with 1 or 2). Without a usable error
 * (null, NaN) only the mean is printed, with `sig` significant digits; a zero error prints
 * `± 0`.
 */
export function formatEstimate(mean: number | null | undefined, stderr: number | null | undefined, sig = 4): string {
  if (mean === null || mean === undefined || !Number.isFinite(mean)) return MISSING;
  if (stderr === null || stderr === undefined || !Number.isFinite(stderr)) return formatNumber(mean, sig);
  if (stderr === 0) return `${formatNumber(mean, sig)} \u00b1 0`;
  const d = errorDecimals(Math.abs(stderr));
  return `${minus(mean.toFixed(d))} \u00b1 ${Math.abs(stderr).toFixed(d)}`;
}

/**
 * The two halves of {@link formatEstimate}: the mean and `± error` (empty when the error is
 * unknown), for labels set on two lines.
 */
export function estimateParts(mean: number | null | undefined, stderr: number | null | undefined, sig = 3): [string, string] {
  const s = formatEstimate(mean, stderr, sig);
  const i = s.indexOf(' \u00b1 ');
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + 1)];
}

/**
 * Format values that share one display (bar labels) with the same decimals: enough for
 * `sig` significant digits of the largest magnitude.
 */
export function sharedDecimals(values: Iterable<number>, sig = 3): number {
  let m = 0;
  for (const v of values) if (Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  if (m === 0) return 0;
  return Math.min(8, Math.max(0, sig - 1 - Math.floor(Math.log10(m))));
}

/** A fraction as a percentage with one decimal and a no-break space (`66.7 %`), or `—`. */
export function formatPercent(f: number | null | undefined): string {
  if (f === null || f === undefined || !Number.isFinite(f)) return MISSING;
  return `${minus((f * 100).toFixed(1))}\u00a0%`;
}

/** Byte count in binary units (`1.5 MiB`). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return MISSING;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[u]}`;
}
