import { describe, expect, it } from 'vitest';
import { orthorhombicBox } from '../../box.js';
import type { Frame } from '../../frame.js';
import { buildTopology } from '../../topology.js';
import type { SystemInfo } from '../analysis.js';
import { LagSum, maxForgivenGap, ResidenceAccumulator, residenceTimes } from './residence.js';
import { solvationAnalysis, type SolvationResult, type SolvationSpec } from './solvation.js';
import { lcg as rng } from '../../random.js';

/** Deterministic pseudo-random numbers in [0, 1). */

/** Reference C_I and C_C straight from the definitions, O(pairs × T × maxLag × τ). */
function bruteCurves(series: Uint8Array[], maxLag: number, maxGap: number): { ci: number[]; cc: number[] } {
  const filled = series.map((h) => {
    const f = h.slice();
    let lastEnd = -1; // index of the last bound frame
    for (let t = 0; t < f.length; t++) {
      if (!h[t]) continue;
      if (lastEnd >= 0 && t - lastEnd - 1 > 0 && t - lastEnd - 1 <= maxGap) for (let u = lastEnd + 1; u < t; u++) f[u] = 1;
      lastEnd = t;
    }
    return f;
  });
  const ci: number[] = [];
  const cc: number[] = [];
  for (let tau = 0; tau <= maxLag; tau++) {
    let nI = 0;
    let dI = 0;
    let nC = 0;
    let dC = 0;
    series.forEach((h, p) => {
      const f = filled[p];
      const T = h.length;
      for (let t = 0; t + tau < T; t++) {
        dI += h[t];
        nI += h[t] * h[t + tau];
        dC += f[t];
        let all = 1;
        for (let u = t; u <= t + tau; u++) all &= f[u];
        nC += all;
      }
    });
    ci.push(dI ? nI / dI : NaN);
    cc.push(dC ? nC / dC : NaN);
  }
  return { ci, cc };
}

function runsOf(h: Uint8Array): number[] {
  const out: number[] = [];
  for (let t = 0; t < h.length; t++) {
    if (h[t] && (t === 0 || !h[t - 1])) out.push(t);
    if (h[t] && (t === h.length - 1 || !h[t + 1])) out.push(t + 1);
  }
  return out;
}

describe('correlation sums from runs', () => {
  it('adds piecewise-linear kinks exactly', () => {
    const s = new LagSum(6);
    s.constant(2);
    s.kink(-3, 1); // τ + 3
    s.kink(2, -2); // −2(τ−2)+
    s.kink(9, 5); // beyond maxLag
    expect(Array.from(s.values())).toEqual([5, 6, 7, 6, 5, 4, 3]);
  });

  it('reproduces the brute-force intermittent and continuous functions for random membership', () => {
    const rand = rng(42);
    const T = 60;
    const series = Array.from({ length: 7 }, (_, p) => {
      const h = new Uint8Array(T);
      let on = p % 2 === 0;
      for (let t = 0; t < T; t++) {
        if (rand() < (on ? 0.2 : 0.3)) on = !on;
        h[t] = on ? 1 : 0;
      }
      return h;
    });
    for (const [maxLag, maxGap] of [
      [59, 0],
      [20, 0],
      [59, 2],
      [7, 3],
    ]) {
      const acc = new ResidenceAccumulator(maxLag, maxGap);
      for (const h of series) {
        const r = runsOf(h);
        acc.addPair(r, r.length / 2, T);
      }
      const { intermittent, continuous } = acc.curves();
      const ref = bruteCurves(series, maxLag, maxGap);
      for (let t = 0; t <= maxLag; t++) {
        expect(intermittent[t]).toBeCloseTo(ref.ci[t], 12);
        expect(continuous[t]).toBeCloseTo(ref.cc[t], 12);
      }
    }
  });

  it('reads τ_1/e by linear interpolation and integrates by the trapezoid rule', () => {
    const c = [1, 0.5, 0.25, 0.125];
    const r = residenceTimes(c);
    expect(r.converged).toBe(true);
    expect(r.tau1eFrames).toBeCloseTo(1 + (0.5 - Math.exp(-1)) / 0.25, 14);
    expect(r.tauIntegralFrames).toBe(0.75 + 0.375 + 0.1875);
    const slow = residenceTimes([1, 0.9, 0.8]);
    expect(slow).toMatchObject({ converged: false, tau1eFrames: null });
    expect(slow.tauIntegralFrames).toBeCloseTo(0.95 + 0.85, 14);
  });

  it('forgives gaps strictly shorter than the tolerance', () => {
    expect(maxForgivenGap(0, 1)).toBe(0);
    expect(maxForgivenGap(2, 1)).toBe(1);
    expect(maxForgivenGap(2.5, 1)).toBe(2);
    expect(maxForgivenGap(0.3, 0.1)).toBe(2);
    expect(maxForgivenGap(1, NaN)).toBe(0);
  });
});

/**
 * One Mg and `n` one-atom ligands; ligand k is bound (at 2 Å) in frame t when h[k][t] = 1,
 * otherwise parked 9 Å away. Frames are dt ps apart.
 */
function membershipFrames(h: Uint8Array[], dt: number): { sys: SystemInfo; frames: Frame[] } {
  const n = h.length;
  const T = h[0].length;
  const topo = buildTopology({
    atomCount: n + 1,
    names: ['MG', ...h.map(() => 'OL')],
    elements: ['Mg', ...h.map(() => 'O')],
    resnames: ['MG', ...h.map(() => 'LIG')],
    resids: Array.from({ length: n + 1 }, (_, i) => i + 1),
  });
  const frames: Frame[] = [];
  for (let t = 0; t < T; t++) {
    const p = new Float32Array(3 * (n + 1));
    p.set([15, 15, 15]);
    for (let k = 0; k < n; k++) {
      const phi = (2 * Math.PI * k) / n;
      const r = h[k][t] ? 2 : 9;
      p.set([15 + r * Math.cos(phi), 15 + r * Math.sin(phi), 15 + (k % 3) * 0.1], 3 * (k + 1));
    }
    frames.push({ index: t, time: t * dt, step: -1, positions: p, box: orthorhombicBox(30, 30, 30), velocities: null, forces: null });
  }
  return { sys: { topology: topo, frameCount: T, periodic: true }, frames };
}

function analyse(sys: SystemInfo, frames: Frame[], spec: SolvationSpec, chunk = 50): SolvationResult {
  const ctx = solvationAnalysis.setup(spec, sys);
  const chunks = [];
  for (let a = 0; a < frames.length; a += chunk) {
    const s = solvationAnalysis.init(ctx);
    for (const f of frames.slice(a, a + chunk)) solvationAnalysis.accumulate(ctx, s, f);
    chunks.push(structuredClone(s));
  }
  const merged = solvationAnalysis.init(ctx);
  for (const c of chunks) solvationAnalysis.merge(ctx, merged, c);
  return solvationAnalysis.finalize(ctx, merged, chunks);
}

describe('residence times in the solvation analysis', () => {
  it('recovers the decay time of an exponential (geometric) survival', () => {
    // bound ligands stay bound with probability q per frame: C_C(τ) = q^τ, τ_1/e = −1/ln q frames
    const q = 0.9;
    const rand = rng(2024);
    const T = 3000;
    const h = Array.from({ length: 24 }, () => {
      const s = new Uint8Array(T);
      let on = false;
      for (let t = 0; t < T; t++) {
        on = on ? rand() < q : rand() < 0.03;
        s[t] = on ? 1 : 0;
      }
      return s;
    });
    const { sys, frames } = membershipFrames(h, 0.5);
    const r = analyse(sys, frames, { ions: 'name MG', species: { LIG: { cutoff: 3 } }, residence: { maxLagFrames: 200 } }, 700);
    const e = r.residence[0];
    expect(e.species).toBe('LIG');
    expect(e.dtPs).toBe(0.5);
    expect(e.maxLagFrames).toBe(200);
    expect(e.converged).toBe(true);
    expect(e.lowerBound).toBe(false);
    const expected = (-1 / Math.log(q)) * 0.5;
    expect(Math.abs(e.continuous_ps! - expected) / expected).toBeLessThan(0.08);
    expect(e.continuous.tau_1e_ps).toBe(e.continuous_ps);
    // against the definitions, computed independently
    const ref = bruteCurves(h, 40, 0);
    for (let t = 0; t <= 40; t++) {
      expect(e.curve.intermittent[t]).toBeCloseTo(ref.ci[t], 12);
      expect(e.curve.continuous[t]).toBeCloseTo(ref.cc[t], 12);
    }
    expect(e.curve.lagPs!.slice(0, 3)).toEqual([0, 0.5, 1]);
    // re-binding makes the intermittent function decay more slowly
    expect(e.intermittent_ps!).toBeGreaterThan(e.continuous_ps!);
    let runs = 0;
    for (const s of h) runs += runsOf(s).length / 2;
    expect(e.events).toBe(runs);
    expect(e.pairs).toBe(24);
  });

  it('reports a shell that never changes as longer than the trajectory', () => {
    const T = 41;
    const h = [new Uint8Array(T).fill(1), new Uint8Array(T).fill(1), new Uint8Array(T)];
    const { sys, frames } = membershipFrames(h, 0.25);
    const r = analyse(sys, frames, { ions: 'name MG', species: { LIG: { cutoff: 3 } } }, 9);
    const e = r.residence[0];
    expect(e.converged).toBe(false);
    expect(e.lowerBound).toBe(true);
    expect(e.maxLagFrames).toBe(40);
    expect(e.window_ps).toBe(10);
    expect(e.intermittent_ps).toBe(10);
    expect(e.continuous_ps).toBe(10);
    expect(e.intermittent.tau_1e_ps).toBeNull();
    expect(e.intermittent.tau_integral_ps).toBe(10);
    expect(new Set(e.curve.continuous)).toEqual(new Set([1]));
    expect(e.pairs).toBe(2);
  });

  it('forgives short absences in the continuous definition only', () => {
    const T = 60;
    const s = new Uint8Array(T);
    for (let t = 0; t < 10; t++) s[t] = 1;
    for (let t = 12; t < 30; t++) s[t] = 1;
    const { sys, frames } = membershipFrames([s], 1);
    const spec = (tolerancePs: number): SolvationSpec => ({ ions: 'name MG', species: { LIG: { cutoff: 3 } }, residence: { tolerancePs } });
    const strict = analyse(sys, frames, spec(2)).residence[0];
    const lenient = analyse(sys, frames, spec(3)).residence[0];
    expect(strict.toleranceFrames).toBe(1);
    expect(lenient.toleranceFrames).toBe(2);
    expect(lenient.curve.intermittent).toEqual(strict.curve.intermittent);
    const refStrict = bruteCurves([s], 59, 1);
    const refLenient = bruteCurves([s], 59, 2);
    for (let t = 0; t < 60; t++) {
      expect(strict.curve.continuous[t]).toBeCloseTo(refStrict.cc[t], 12);
      expect(lenient.curve.continuous[t]).toBeCloseTo(refLenient.cc[t], 12);
    }
    // merged run of 30 frames: C_C(τ) = (30 − τ)/(30 − max(0, τ − 30)) … = (30−τ)/30 for τ ≤ 30
    expect(lenient.curve.continuous[15]).toBe(0.5);
    expect(lenient.continuous_ps).toBeCloseTo(30 * (1 - Math.exp(-1)), 10);
  });

  it('uses timestepPs when frames carry no time, and frames only when neither is known', () => {
    const s = new Uint8Array(30);
    for (let t = 3; t < 9; t++) s[t] = 1;
    const { sys, frames } = membershipFrames([s], 1);
    for (const f of frames) f.time = NaN;
    const withStep = analyse(sys, frames, { ions: 'name MG', species: { LIG: { cutoff: 3 } }, timestepPs: 0.2 }).residence[0];
    expect(withStep.dtPs).toBe(0.2);
    const none = analyse(sys, frames, { ions: 'name MG', species: { LIG: { cutoff: 3 } } });
    expect(none.residence[0].continuous_ps).toBeNull();
    expect(none.residence[0].continuous.tau_1e_frames).toBeCloseTo(withStep.continuous_ps! / 0.2, 10);
    expect(none.warnings.join(' ')).toMatch(/no time and no timestepPs/);
  });

  it('splits the time axis at missing frames instead of correlating across the gap', () => {
    const T = 40;
    const s = new Uint8Array(T).fill(1);
    const { sys, frames } = membershipFrames([s], 1);
    const kept = [...frames.slice(0, 10), ...frames.slice(20)];
    const r = analyse(sys, kept, { ions: 'name MG', species: { LIG: { cutoff: 3 } } }, 10);
    expect(r.residence[0].maxLagFrames).toBe(19);
    expect(r.warnings.join(' ')).toMatch(/1 gap/);
  });

  it('can be switched off', () => {
    const { sys, frames } = membershipFrames([new Uint8Array(5).fill(1)], 1);
    const r = analyse(sys, frames, { ions: 'name MG', species: { LIG: { cutoff: 3 } }, residence: false, timeline: false });
    expect(r.residence).toEqual([]);
    expect(r.perIonTimeline).toBeUndefined();
  });
});
