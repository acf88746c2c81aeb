/**
 * Axis ticks by the "nice numbers" idea (P. Heckbert, "Nice numbers for graph labels",
 * Graphics Gems, 1990): the tick step is 1, 2 or 5 × 10^k, and the axis is extended outwards
 * to whole steps. Unlike Heckbert's loose labelling, the step is the smallest such number
 * that keeps the tick count within `maxTicks` ([0, 12] gets steps of 2, not 5).
 */

/**
 * The nice number near `x` (> 0): 1, 2, 5 or 10 × 10^k. With `round` the nearest one
 * (thresholds 1.5, 3, 7); otherwise the smallest nice number ≥ x.
 */
export function niceNumber(x: number, round: boolean): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const exp = Math.floor(Math.log10(x));
  const p = Math.pow(10, exp);
  const f = x / p;
  let nf: number;
  if (round) nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else nf = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return cleanFloat(nf * p);
}

export interface Ticks {
  /** Axis start (a multiple of step, ≤ the data minimum). */
  min: number;
  /** Axis end (a multiple of step, ≥ the data maximum). */
  max: number;
  /** Tick spacing: 1, 2 or 5 × 10^k. */
  step: number;
  /** Tick values from min to max inclusive, free of floating-point noise. */
  values: number[];
  /** Number of decimals that prints every tick exactly. */
  decimals: number;
}

/**
 * Nice ticks covering [lo, hi]. A degenerate range (lo = hi) is widened to ±1 around the
 * value (or ±10 % of it), and a non-finite range falls back to [0, 1].
 *
 * @param maxTicks the most ticks wanted (default 6, at least 2); the result has between
 *   about maxTicks/2.5 and maxTicks ticks.
 */
export function niceTicks(lo: number, hi: number, maxTicks = 6): Ticks {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) [lo, hi] = [hi, lo];
  if (lo === hi) {
    const d = lo === 0 ? 1 : Math.abs(lo) * 0.1;
    lo -= d;
    hi += d;
  }
  const n = Math.max(2, Math.round(maxTicks));
  const step = tickStep(lo, hi, n);
  const i0 = Math.floor(lo / step + 1e-9);
  const i1 = Math.ceil(hi / step - 1e-9);
  const decimals = stepDecimals(step);
  const values: number[] = [];
  for (let i = i0; i <= i1; i++) values.push(roundTo(i * step, decimals));
  return { min: values[0], max: values[values.length - 1], step, values, decimals };
}

/**
 * The smallest step of the form 1, 2 or 5 × 10^k for which the ticks covering [lo, hi]
 * (extended outwards to whole steps) number at most n.
 */
function tickStep(lo: number, hi: number, n: number): number {
  const raw = (hi - lo) / (n - 1);
  let k = Math.floor(Math.log10(raw)) - 1;
  for (let guard = 0; guard < 40; guard++, k++) {
    for (const m of [1, 2, 5]) {
      const s = cleanFloat(m * Math.pow(10, k));
      if (s < raw * (1 - 1e-9)) continue;
      const count = Math.ceil(hi / s - 1e-9) - Math.floor(lo / s + 1e-9) + 1;
      if (count <= n) return s;
    }
  }
  return niceNumber(hi - lo, false);
}

/** Ticks plus the axis domain they label. */
export interface Axis {
  ticks: Ticks;
  /** Axis ends in data units: the outer ticks, or past the last one when headroom asks. */
  domain: [number, number];
}

/**
 * Nice ticks for [lo, hi] and an axis domain that leaves at least `headroom` × (hi − lo)
 * above the data: normally the outer tick, but when the data end within that margin of the
 * top tick, the axis runs on past it (to hi + margin) rather than adding a whole step.
 */
export function niceAxis(lo: number, hi: number, maxTicks = 6, headroom = 0): Axis {
  const ticks = niceTicks(lo, hi, maxTicks);
  const need = Number.isFinite(hi) && Number.isFinite(lo) ? hi + headroom * (hi - lo) : ticks.max;
  return { ticks, domain: [ticks.min, Math.max(ticks.max, need)] };
}

/** Decimals needed to print multiples of `step` exactly (0 for steps ≥ 1). */
export function stepDecimals(step: number): number {
  if (!(step > 0)) return 0;
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Print a tick value with the axis' decimals and a true minus sign (U+2212); very large or
 * very small magnitudes use exponent notation (`2×10⁻⁵`).
 */
export function formatTick(v: number, decimals: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a >= 1e6 || decimals > 5 ? exponentForm(v) : v.toFixed(decimals);
  return s.replace(/^-/, '\u2212');
}

const SUPERSCRIPT: Record<string, string> = {
  '-': '\u207b', '0': '\u2070', '1': '\u00b9', '2': '\u00b2', '3': '\u00b3', '4': '\u2074',
  '5': '\u2075', '6': '\u2076', '7': '\u2077', '8': '\u2078', '9': '\u2079',
};

function exponentForm(v: number): string {
  const [m, e] = v.toExponential(2).split('e');
  const mant = String(Number(m));
  const exp = String(Number(e)).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]);
  return `${mant}\u00d710${exp}`;
}

function roundTo(v: number, decimals: number): number {
  const r = Number(v.toFixed(Math.min(decimals, 20)));
  return r === 0 ? 0 : r;
}

function cleanFloat(v: number): number {
  return Number(v.toPrecision(12));
}
