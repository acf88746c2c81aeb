/**
 * Residence-time correlation functions from shell membership, computed exactly from runs.
 *
 * For one ion–molecule pair, h(t) = 1 when the molecule is in the ion's first shell at visited
 * frame t (0-based within a contiguous segment of T frames). A *run* is a maximal interval
 * [a, b) of frames with h = 1. Sums over all pairs of one species, per lag τ (frames):
 *
 *   N_I(τ) = Σ_pairs Σ_{t=0}^{T−1−τ} h(t) h(t+τ)            intermittent numerator
 *   D_I(τ) = Σ_pairs Σ_{t=0}^{T−1−τ} h(t)                    same time origins, h² = h
 *   C_I(τ) = N_I(τ) / D_I(τ)
 *
 *   h̃ = h with every gap of g frames between two runs filled when g·Δt < tolerance
 *   N_C(τ) = Σ_pairs Σ_t h̃(t) h̃(t+1) … h̃(t+τ)              continuous numerator
 *   D_C(τ) = Σ_pairs Σ_{t=0}^{T−1−τ} h̃(t)
 *   C_C(τ) = N_C(τ) / D_C(τ)
 *
 * C(0) = 1, and C ≡ 1 when no pair ever changes. Each term is a piecewise-linear function of τ
 * with integer kinks (the overlap of two runs as one slides past the other is a trapezoid), so
 * every run (or pair of runs within maxLag) adds four kinks to a second-difference array
 * instead of looping over τ: the cost is O(runs + run pairs closer than maxLag + maxLag) per
 * species, and the sums are exact integers in float64 (independent of summation order).
 *
 * ResidenceAccumulator needs every run of every pair at once (O(frames) membership); the
 * solvation analysis computes the same sums in O(maxLag) memory, chunk by chunk, in
 * residence-window.ts, and its tests check it against this class.
 */

/**
 * Σ of functions of the form δ·max(0, τ − p), evaluated at τ = 0…maxLag. Kinks at p ≤ 0 fold
 * into the value and slope at τ = 0; kinks beyond maxLag do not matter.
 */
export class LagSum {
  readonly maxLag: number;
  private readonly d2: Float64Array;
  private c0 = 0;
  private s0 = 0;

  constructor(maxLag: number) {
    this.maxLag = maxLag;
    this.d2 = new Float64Array(maxLag + 2);
  }

  /** Add a constant to every lag. */
  constant(v: number): void {
    this.c0 += v;
  }

  /** Add δ·max(0, τ − p) for every lag τ. */
  kink(p: number, delta: number): void {
    if (p <= 0) {
      this.c0 += delta * -p;
      this.s0 += delta;
    } else if (p <= this.maxLag) {
      this.d2[p] += delta;
    }
  }

  /** Values at τ = 0…maxLag. */
  values(): Float64Array {
    const out = new Float64Array(this.maxLag + 1);
    let val = this.c0;
    let slope = this.s0;
    for (let t = 0; t <= this.maxLag; t++) {
      out[t] = val;
      // the step t → t+1 has the slope of every kink at p ≤ t (p ≥ 1 live in d2[p]; d2[0] stays 0)
      slope += this.d2[t];
      val += slope;
    }
    return out;
  }
}

/** Numerators and denominators of C_I and C_C for one species, summed over its pairs. */
export class ResidenceAccumulator {
  readonly numI: LagSum;
  readonly denI: LagSum;
  readonly numC: LagSum;
  readonly denC: LagSum;
  /** Distinct ion–molecule pairs seen bound. */
  pairs = 0;
  /** Binding events: runs of h (before gap forgiveness). */
  events = 0;
  /** Bound pair-frames: Σ h. */
  boundFrames = 0;

  constructor(
    readonly maxLag: number,
    /** Largest gap (frames) that the continuous definition forgives; 0 forgives nothing. */
    readonly maxGapFrames: number,
  ) {
    this.numI = new LagSum(maxLag);
    this.denI = new LagSum(maxLag);
    this.numC = new LagSum(maxLag);
    this.denC = new LagSum(maxLag);
  }

  /**
   * Add one pair's runs within one segment of `segmentFrames` frames. `runs` holds
   * [a0, b0, a1, b1, …] with 0 ≤ a < b ≤ segmentFrames, sorted, disjoint and non-adjacent.
   */
  addPair(runs: ArrayLike<number>, runCount: number, segmentFrames: number): void {
    if (runCount === 0) return;
    const T = segmentFrames;
    const maxLag = this.maxLag;
    this.pairs++;
    this.events += runCount;
    // intermittent: denominator and the overlap trapezoids of every run pair (u ≤ v)
    for (let u = 0; u < runCount; u++) {
      const a1 = runs[2 * u];
      const b1 = runs[2 * u + 1];
      const l1 = b1 - a1;
      this.boundFrames += l1;
      this.denI.constant(l1);
      this.denI.kink(T - b1, -1);
      this.denI.kink(T - a1, 1);
      for (let v = u; v < runCount; v++) {
        const a2 = runs[2 * v];
        const b2 = runs[2 * v + 1];
        const t0 = a2 - b1;
        if (t0 >= maxLag) break;
        const l2 = b2 - a2;
        const lo = l1 < l2 ? l1 : l2;
        const hi = l1 < l2 ? l2 : l1;
        this.numI.kink(t0, 1);
        this.numI.kink(t0 + lo, -1);
        this.numI.kink(t0 + hi, -1);
        this.numI.kink(t0 + l1 + l2, 1);
      }
    }
    // continuous: merge runs across forgiven gaps, then count origins that stay bound for τ
    let a = runs[0];
    let b = runs[1];
    for (let u = 1; u <= runCount; u++) {
      if (u < runCount && runs[2 * u] - b <= this.maxGapFrames) {
        b = runs[2 * u + 1];
        continue;
      }
      const l = b - a;
      this.numC.constant(l);
      this.numC.kink(0, -1);
      this.numC.kink(l, 1);
      this.denC.constant(l);
      this.denC.kink(T - b, -1);
      this.denC.kink(T - a, 1);
      if (u < runCount) {
        a = runs[2 * u];
        b = runs[2 * u + 1];
      }
    }
  }

  /** C_I(τ) and C_C(τ) for τ = 0…maxLag (NaN where no time origin has a bound pair). */
  curves(): { intermittent: Float64Array; continuous: Float64Array } {
    return { intermittent: ratio(this.numI.values(), this.denI.values()), continuous: ratio(this.numC.values(), this.denC.values()) };
  }
}

function ratio(n: Float64Array, d: Float64Array): Float64Array {
  const out = new Float64Array(n.length);
  for (let i = 0; i < n.length; i++) out[i] = d[i] > 0 ? n[i] / d[i] : NaN;
  return out;
}

/** Residence times read off one correlation function. */
export interface ResidenceTimes {
  /** C fell below 1/e within the lags computed. */
  converged: boolean;
  /**
   * First time at which C(τ) < 1/e, linearly interpolated between the two bracketing lags
   * (frames); null when C never falls below 1/e within maxLag.
   */
  tau1eFrames: number | null;
  /**
   * ∫ C(τ) dτ by the trapezoid rule over τ = 0…τ_end (frames), τ_end = the last lag with a time
   * origin (normally maxLag). Includes the long-time plateau of C_I (⟨h⟩, the chance that a
   * random pair is bound), so it is an upper-biased estimate in small systems.
   */
  tauIntegralFrames: number;
}

/** Read τ_1/e and ∫C from a correlation function C(τ), τ = 0, 1, … frames. */
export function residenceTimes(c: ArrayLike<number>): ResidenceTimes {
  const target = Math.exp(-1);
  let tau1e: number | null = null;
  let last = -1;
  for (let t = 0; t < c.length; t++) {
    if (!Number.isFinite(c[t])) break;
    last = t;
    if (tau1e === null && c[t] < target) {
      tau1e = t === 0 ? 0 : t - 1 + (c[t - 1] - target) / (c[t - 1] - c[t]);
    }
  }
  let integral = 0;
  for (let t = 1; t <= last; t++) integral += 0.5 * (c[t - 1] + c[t]);
  return { converged: tau1e !== null, tau1eFrames: tau1e, tauIntegralFrames: last >= 0 ? integral : NaN };
}

/**
 * Largest gap (in frames) forgiven by the continuous definition: the largest integer g with
 * g·Δt < tolerance (ps). 0 when tolerance ≤ Δt or Δt is unknown.
 */
export function maxForgivenGap(tolerancePs: number, dtPs: number): number {
  if (!(tolerancePs > 0) || !(dtPs > 0)) return 0;
  const x = Math.round((tolerancePs / dtPs) * 1e9) / 1e9;
  return Math.max(0, Math.ceil(x) - 1);
}
