import { OptionError } from '../../errors.js';

/** Where the first solvation shell of g(r) ends. Distances Å, g dimensionless, n counts. */
export interface FirstShell {
  /** Bin index of the maximum of the smoothed curve. */
  peakIndex: number;
  /** Centre of that bin (Å). */
  peakR: number;
  /** Raw g at peakR. */
  peakG: number;
  /** Smoothed g at peakR. */
  peakGSmoothed: number;
  /** Maximum of the raw histogram: bin centre (Å) and g (the number usually quoted as the first peak). */
  rawPeakR: number;
  rawPeakG: number;
  /** Bin index of the first minimum of the smoothed curve after the peak. */
  minIndex: number;
  /** Centre of that bin (Å). */
  minR: number;
  /** Raw and smoothed g at minR. */
  minG: number;
  minGSmoothed: number;
  /** Upper edge of the minimum bin (Å): the shell cutoff to use for coordination numbers. */
  minEdgeR: number;
  /** Smallest raw g within ± half a smoothing width of minIndex: bin centre (Å) and g. */
  rawMinR: number;
  rawMinG: number;
  /**
   * Last bin of the flat stretch of the smoothed curve that starts at the minimum (centre, Å)
   * — e.g. the gap with g = 0 between the first and second Mg²⁺ shells. Equals minR when the
   * minimum is a single bin.
   */
  plateauEndIndex: number;
  plateauEndR: number;
  /** n(r) at the upper edge of the minimum bin and of the plateau end (NaN when n is not given). */
  nAtMin: number;
  nAtPlateauEnd: number;
}

export interface FirstShellOptions {
  /** Width of the running mean, in bins; odd (default: the odd number of bins nearest 0.22 Å, 11 for 0.02 Å bins). */
  smoothBins?: number;
  /** How far after the peak to look for the minimum, Å (default 2.5). */
  window?: number;
}

/**
 * Running mean with zero padding, as `np.convolve(g, ones(w)/w, mode='same')` (w odd):
 * gs[i] = Σ_{j=i−h}^{i+h} g[j]·(1/w), h = (w−1)/2, terms outside the array count as 0.
 */
export function smoothRunningMean(g: ArrayLike<number>, width: number, out = new Float64Array(g.length)): Float64Array {
  const h = (width - 1) >> 1;
  const inv = 1 / width;
  const n = g.length;
  for (let i = 0; i < n; i++) {
    let s = 0;
    const lo = Math.max(0, i - h);
    const hi = Math.min(n - 1, i + h);
    for (let j = lo; j <= hi; j++) s += g[j] * inv;
    out[i] = s;
  }
  return out;
}

/**
 * First peak and first minimum of a radial distribution function, robust to noise in
 * ion–ion g(r). The algorithm (identical to `first_min_algorithm` of the fixtures' ref.json):
 *
 *  1. gs = running mean of g over `smoothBins` bins (0.22 Å), zero-padded at both ends.
 *  2. first peak = argmax(gs) (global maximum of the smoothed curve; first occurrence).
 *  3. first minimum = argmin(gs) over bins [peak, peak + window] (window 2.5 Å, clipped to
 *     the data; first occurrence).
 *  4. plateau end = last consecutive bin after the minimum where gs equals the minimum value.
 *
 * The raw-histogram maximum and the raw minimum within ± half a smoothing width of the
 * smoothed minimum are reported too; n(r) values are read at the upper bin edges (that is
 * where the running coordination number from counts is exact).
 *
 * @param curve bin centres r (Å, uniform spacing), g, and optionally n at the upper edges.
 * @throws OptionError when r and g differ in length, have fewer than 2 bins, or options are invalid.
 */
export function firstShell(curve: { r: ArrayLike<number>; g: ArrayLike<number>; n?: ArrayLike<number> }, options: FirstShellOptions = {}): FirstShell {
  const { r, g, n } = curve;
  const len = g.length;
  if (r.length !== len || len < 2) throw new OptionError('OPTION', `firstShell needs r and g of equal length ≥ 2 (got ${r.length} and ${len})`, { option: 'g' });
  const dr = (r[len - 1] - r[0]) / (len - 1);
  let w = options.smoothBins ?? Math.max(1, Math.round(0.22 / dr));
  if (w % 2 === 0) w += 1;
  if (!Number.isInteger(w) || w < 1) throw new OptionError('OPTION', `smoothBins must be a positive odd integer (got ${options.smoothBins})`, { option: 'smoothBins' });
  const window = options.window ?? 2.5;
  if (!(window > 0)) throw new OptionError('OPTION', `window must be a positive number of Å (got ${window})`, { option: 'window' });
  const gs = smoothRunningMean(g, w);
  let peak = 0;
  for (let i = 1; i < len; i++) if (gs[i] > gs[peak]) peak = i;
  let rawPeak = 0;
  for (let i = 1; i < len; i++) if (g[i] > g[rawPeak]) rawPeak = i;
  const hi = Math.min(len - 1, peak + Math.round(window / dr));
  let min = peak;
  for (let i = peak + 1; i <= hi; i++) if (gs[i] < gs[min]) min = i;
  let plateau = min;
  while (plateau + 1 < len && gs[plateau + 1] === gs[min]) plateau++;
  const h = (w - 1) >> 1;
  let rawMin = min;
  for (let i = Math.max(0, min - h); i <= Math.min(len - 1, min + h); i++) if (g[i] < g[rawMin]) rawMin = i;
  const half = dr / 2;
  return {
    peakIndex: peak,
    peakR: r[peak],
    peakG: g[peak],
    peakGSmoothed: gs[peak],
    rawPeakR: r[rawPeak],
    rawPeakG: g[rawPeak],
    minIndex: min,
    minR: r[min],
    minG: g[min],
    minGSmoothed: gs[min],
    minEdgeR: r[min] + half,
    rawMinR: r[rawMin],
    rawMinG: g[rawMin],
    plateauEndIndex: plateau,
    plateauEndR: r[plateau],
    nAtMin: n ? n[min] : NaN,
    nAtPlateauEnd: n ? n[plateau] : NaN,
  };
}
