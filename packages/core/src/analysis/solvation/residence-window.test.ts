import { describe, expect, it } from 'vitest';
import { CACL2_WATER } from '@solvscope/fixtures';
import { orthorhombicBox } from '../../box.js';
import type { FrameSource } from '../../frame-source.js';
import { fileSource } from '../../../../formats/src/testing/node-source.js';
import type { Frame } from '../../frame.js';
import { buildTopology, type TopologyInit } from '../../topology.js';
import type { SystemInfo } from '../analysis.js';
import { maxForgivenGap, ResidenceAccumulator, residenceTimes } from './residence.js';
import { createWindow, DEFAULT_MAX_LAG, packWindow, type ResidenceLayout } from './residence-window.js';
import { solvationAnalysis, type ResidenceEntry, type SolvationResult, type SolvationSpec, type SolvationState } from './solvation.js';
import { lcg as rng } from '../../random.js';

// ---------------------------------------------------------------------------------------------
// Synthetic systems whose shell membership is known by construction: ion i sits alone in its
// own 40 Å cell; its ligand k is bound (2 Å away) in frame t when h[i][k][t] = 1, else parked at
// 9 Å. Ligands alternate between two species, LIG (an O) and ANI (a Cl).

interface Membership {
  /** h[i][k][t] */
  h: Uint8Array[][];
  dt: number;
}

const SPECIES = ['LIG', 'ANI'];

function systemOf({ h, dt }: Membership, frameStep = 1): { sys: SystemInfo; frames: Frame[] } {
  const nI = h.length;
  const nL = h[0].length;
  const T = h[0][0].length;
  const names: string[] = [];
  const elements: string[] = [];
  const resnames: string[] = [];
  for (let i = 0; i < nI; i++) {
    names.push('MG');
    elements.push('Mg');
    resnames.push('MG');
  }
  for (let i = 0; i < nI; i++) {
    for (let k = 0; k < nL; k++) {
      const lig = SPECIES[k % 2] === 'LIG';
      names.push(lig ? 'OL' : 'CL');
      elements.push(lig ? 'O' : 'Cl');
      resnames.push(SPECIES[k % 2]);
    }
  }
  const n = names.length;
  const topology = buildTopology({ atomCount: n, names, elements, resnames, resids: Array.from({ length: n }, (_, i) => i + 1) });
  const frames: Frame[] = [];
  for (let t = 0; t < T; t++) {
    const p = new Float32Array(3 * n);
    for (let i = 0; i < nI; i++) {
      p.set([20 + 40 * i, 20, 20], 3 * i);
      for (let k = 0; k < nL; k++) {
        const phi = (2 * Math.PI * k) / nL;
        const r = h[i][k][t] ? 2 : 9;
        p.set([20 + 40 * i + r * Math.cos(phi), 20 + r * Math.sin(phi), 20 + (k % 3) * 0.1], 3 * (nI + i * nL + k));
      }
    }
    frames.push({ index: t * frameStep, time: t * dt, step: -1, positions: p, box: orthorhombicBox(40 * nI, 40, 40), velocities: null, forces: null });
  }
  return { sys: { topology, frameCount: T, periodic: true }, frames };
}

/** Random on/off membership: switches on with probability pOn per frame, off with pOff. */
function randomMembership(seed: number, ions: number, ligands: number, T: number, pOn: number, pOff: number, dt = 0.5): Membership {
  const rand = rng(seed);
  const h = Array.from({ length: ions }, () =>
    Array.from({ length: ligands }, () => {
      const s = new Uint8Array(T);
      let on = rand() < 0.5;
      for (let t = 0; t < T; t++) {
        if (rand() < (on ? pOff : pOn)) on = !on;
        s[t] = on ? 1 : 0;
      }
      return s;
    }),
  );
  return { h, dt };
}

const specOf = (residence: SolvationSpec['residence'], timeline = true): SolvationSpec => ({
  ions: 'name MG',
  species: { LIG: { cutoff: 3 }, ANI: { cutoff: 3 } },
  residence,
  timeline,
});

/** Chunk states of `chunk` frames each; the chunks listed in `fail` are dropped (as failed chunks are). */
function chunkStates(sys: SystemInfo, frames: Frame[], spec: SolvationSpec, chunk: number, fail: number[] = []) {
  const ctx = solvationAnalysis.setup(spec, sys);
  const states: SolvationState[] = [];
  const kept: number[] = [];
  for (let a = 0, c = 0; a < frames.length; a += chunk, c++) {
    if (fail.includes(c)) continue;
    const s = solvationAnalysis.init(ctx);
    for (let t = a; t < Math.min(frames.length, a + chunk); t++) {
      solvationAnalysis.accumulate(ctx, s, frames[t]);
      kept.push(t);
    }
    // every other state packed, as a finished chunk is before it crosses threads: both forms merge
    if (c % 2 === 0) solvationAnalysis.endChunk!(ctx, s);
    states.push(structuredClone(s));
  }
  return { ctx, states, kept };
}

function analyse(sys: SystemInfo, frames: Frame[], spec: SolvationSpec, chunk: number, fail: number[] = []): { result: SolvationResult; kept: number[] } {
  const { ctx, states, kept } = chunkStates(sys, frames, spec, chunk, fail);
  const merged = solvationAnalysis.init(ctx);
  for (const s of states) solvationAnalysis.merge(ctx, merged, s);
  return { result: solvationAnalysis.finalize(ctx, merged, states), kept };
}

const strip = (r: unknown): string => JSON.stringify(r, (k, v) => (k === 'stderr' || k === 'blocks' ? undefined : k === 'warnings' ? (v as string[]).filter((w) => !w.startsWith('error bars:')) : v));

// ---------------------------------------------------------------------------------------------
// The reference: the previous O(frames) implementation, which kept every frame's membership and
// built the runs of each ion–molecule pair in finalize (ResidenceAccumulator), moved here
// unchanged except that `pairs` counts distinct pairs over the whole run (it used to count a pair
// once per segment, contrary to its documentation).

interface ReferenceInput {
  /** bound[f][i]: sorted molecule indices in the shell of ion i in visited frame f. */
  bound: number[][][];
  frameIndex: number[];
  time: number[];
  slotOfMolecule: ArrayLike<number>;
  species: string[];
  moleculeCount: number;
  maxLagFrames: number;
  tolerancePs: number;
}

function curveLags(maxLag: number): number[] {
  const out: number[] = [];
  for (let t = 0; t <= Math.min(maxLag, 1000); t++) out.push(t);
  let t = 1000;
  while (t < maxLag) {
    t = Math.min(maxLag, Math.max(t + 1, Math.round(t * Math.pow(10, 1 / 200))));
    out.push(t);
  }
  return out;
}

function referenceResidence(x: ReferenceInput): ResidenceEntry[] {
  const T = x.bound.length;
  const nI = T ? x.bound[0].length : 0;
  let step = Infinity;
  for (let k = 1; k < T; k++) {
    const d = x.frameIndex[k] - x.frameIndex[k - 1];
    if (d > 0 && d < step) step = d;
  }
  if (!Number.isFinite(step)) step = 1;
  const segStarts = [0];
  for (let k = 1; k < T; k++) if (x.frameIndex[k] - x.frameIndex[k - 1] !== step) segStarts.push(k);
  segStarts.push(T);
  let dtPs = NaN;
  let sum = 0;
  let n = 0;
  for (let si = 0; si + 1 < segStarts.length; si++) {
    for (let k = segStarts[si] + 1; k < segStarts[si + 1]; k++) {
      sum += x.time[k] - x.time[k - 1];
      n++;
    }
  }
  if (n > 0) dtPs = sum / n;
  let longest = 0;
  for (let si = 0; si + 1 < segStarts.length; si++) longest = Math.max(longest, segStarts[si + 1] - segStarts[si]);
  const maxLag = Math.max(0, Math.min(x.maxLagFrames, longest - 1));
  const maxGap = maxForgivenGap(x.tolerancePs, dtPs);
  const nm = x.moleculeCount;
  const acc = x.species.map(() => new ResidenceAccumulator(maxLag, maxGap));
  const distinct = x.species.map(() => new Set<number>());
  for (let si = 0; si + 1 < segStarts.length; si++) {
    const k0 = segStarts[si];
    const k1 = segStarts[si + 1];
    const pairRuns = new Map<number, number[]>();
    for (let i = 0; i < nI; i++) {
      let prev: number[] = [];
      let prevStart: number[] = [];
      for (let k = k0; k <= k1; k++) {
        const cur = k < k1 ? x.bound[k][i] : [];
        const curStart: number[] = [];
        let p = 0;
        const close = (m: number, start: number) => {
          const key = i * nm + m;
          if (!pairRuns.has(key)) pairRuns.set(key, []);
          pairRuns.get(key)!.push(start, k - k0);
        };
        for (let c = 0; c < cur.length; c++) {
          while (p < prev.length && prev[p] < cur[c]) {
            close(prev[p], prevStart[p]);
            p++;
          }
          if (p < prev.length && prev[p] === cur[c]) {
            curStart.push(prevStart[p]);
            p++;
          } else curStart.push(k - k0);
        }
        for (; p < prev.length; p++) close(prev[p], prevStart[p]);
        prev = cur;
        prevStart = curStart;
      }
    }
    for (const key of [...pairRuns.keys()].sort((a, b) => a - b)) {
      const r = pairRuns.get(key)!;
      const s = x.slotOfMolecule[key % nm];
      acc[s].addPair(r, r.length / 2, k1 - k0);
      distinct[s].add(key);
    }
  }
  const lags = curveLags(maxLag);
  const windowPs = maxLag * dtPs;
  return x.species.map((species, s) => {
    const a = acc[s];
    const { intermittent, continuous } = a.curves();
    const times = (c: Float64Array) => {
      const r = residenceTimes(c);
      return {
        converged: r.converged,
        tau_1e_frames: r.tau1eFrames,
        tau_1e_ps: r.tau1eFrames !== null ? r.tau1eFrames * dtPs : null,
        tau_integral_frames: r.tauIntegralFrames,
        tau_integral_ps: Number.isFinite(r.tauIntegralFrames) ? r.tauIntegralFrames * dtPs : null,
      };
    };
    const ti = times(intermittent);
    const tc = times(continuous);
    const bound = a.events > 0;
    const value = (t: ReturnType<typeof times>) => (!bound ? null : t.converged ? t.tau_1e_ps : windowPs);
    return {
      species,
      intermittent_ps: value(ti),
      continuous_ps: value(tc),
      converged: bound && ti.converged && tc.converged,
      lowerBound: bound && (!ti.converged || !tc.converged),
      window_ps: windowPs,
      intermittent: ti,
      continuous: tc,
      pairs: distinct[s].size,
      events: a.events,
      dtPs,
      maxLagFrames: maxLag,
      toleranceFrames: maxGap,
      curve: {
        lagFrames: lags,
        lagPs: lags.map((t) => t * dtPs),
        intermittent: lags.map((t) => intermittent[t]),
        continuous: lags.map((t) => continuous[t]),
      },
    };
  });
}

/** The reference's input for the frames `kept` of a synthetic membership. */
function referenceInput(m: Membership, sys: SystemInfo, frames: Frame[], kept: number[], maxLagFrames: number, tolerancePs: number): ReferenceInput {
  const nI = m.h.length;
  const nL = m.h[0].length;
  const slotOfMolecule = new Int32Array(sys.topology.moleculeCount).fill(-1);
  for (let i = 0; i < nI; i++) for (let k = 0; k < nL; k++) slotOfMolecule[nI + i * nL + k] = k % 2;
  return {
    bound: kept.map((t) => m.h.map((lig, i) => lig.flatMap((s, k) => (s[t] ? [nI + i * nL + k] : [])))),
    frameIndex: kept.map((t) => frames[t].index),
    time: kept.map((t) => frames[t].time),
    slotOfMolecule,
    species: SPECIES,
    moleculeCount: sys.topology.moleculeCount,
    maxLagFrames,
    tolerancePs,
  };
}

/** The timeline's composition (species counts) of ion i in every kept frame, expanded from its runs. */
function expandTimeline(r: SolvationResult, i: number): string[] {
  const t = r.perIonTimeline!;
  const out: string[] = [];
  const runs = t.runs[i];
  for (let k = 0; k < runs.length; k += 3) {
    const c = r.speciation[runs[k + 2]].composition;
    for (let n = 0; n < runs[k + 1]; n++) out.push(`${c.LIG ?? 0},${c.ANI ?? 0}`);
  }
  return out;
}

function referenceTimeline(m: Membership, kept: number[], i: number): string[] {
  return kept.map((t) => {
    let lig = 0;
    let ani = 0;
    m.h[i].forEach((s, k) => {
      if (s[t]) {
        if (k % 2 === 0) lig++;
        else ani++;
      }
    });
    return `${lig},${ani}`;
  });
}

/** Bytes of a state: typed arrays by byteLength, plain number arrays at 8 bytes per entry. */
function stateBytes(x: unknown): number {
  if (ArrayBuffer.isView(x)) return x.byteLength;
  if (Array.isArray(x)) return x.reduce((s: number, v) => s + (typeof v === 'number' ? 8 : stateBytes(v)), 0);
  if (x && typeof x === 'object') return Object.values(x).reduce((s: number, v) => s + stateBytes(v), 0);
  return 0;
}

// ---------------------------------------------------------------------------------------------

describe('residence sums kept in O(maxLag) windows', () => {
  const mem = randomMembership(11, 3, 8, 360, 0.15, 0.2);
  const { sys, frames } = systemOf(mem);
  const cases: { name: string; residence: { tolerancePs?: number; maxLagFrames?: number } }[] = [
    { name: 'strict', residence: {} },
    { name: 'tolerance of 3 frames', residence: { tolerancePs: 1.6 } },
    { name: 'tolerance longer than the window', residence: { tolerancePs: 30, maxLagFrames: 23 } },
    { name: 'short window', residence: { tolerancePs: 1.1, maxLagFrames: 5 } },
  ];

  for (const c of cases) {
    it(`matches the all-frames reference for any chunking (${c.name})`, () => {
      const spec = specOf(c.residence);
      const ref = referenceResidence(referenceInput(mem, sys, frames, frames.map((_, t) => t), c.residence.maxLagFrames ?? Infinity, c.residence.tolerancePs ?? 0));
      const all = analyse(sys, frames, spec, frames.length).result;
      expect(JSON.parse(strip(all.residence))).toEqual(JSON.parse(strip(ref)));
      expect(all.residence[0].events).toBeGreaterThan(50);
      for (const chunk of [1, 3, 7, 50]) expect(strip(analyse(sys, frames, spec, chunk).result)).toBe(strip(all));
    });
  }

  it('splits the time axis at failed chunks exactly as the reference does', () => {
    for (const c of cases) {
      for (const [chunk, fail] of [
        [7, [2, 5, 6]],
        [1, [0, 40, 41, 359]],
        [50, [1]],
        [3, [1, 3, 5, 7, 9]],
      ] as [number, number[]][]) {
        const { result, kept } = analyse(sys, frames, specOf(c.residence), chunk, fail);
        const ref = referenceResidence(referenceInput(mem, sys, frames, kept, c.residence.maxLagFrames ?? Infinity, c.residence.tolerancePs ?? 0));
        expect(JSON.parse(strip(result.residence))).toEqual(JSON.parse(strip(ref)));
        expect(result.warnings.join(' ')).toMatch(/gap/);
        for (let i = 0; i < 3; i++) expect(expandTimeline(result, i)).toEqual(referenceTimeline(mem, kept, i));
        expect(result.perIonTimeline!.frameIndices).toEqual(kept.map((t) => frames[t].index));
        expect(result.perIonTimeline!.timesPs).toEqual(kept.map((t) => frames[t].time));
      }
    }
  });

  it('gives the same result whatever the merge order (merge is associative)', () => {
    const spec = specOf({ tolerancePs: 1.6, maxLagFrames: 40 });
    const want = strip(analyse(sys, frames, spec, frames.length).result);
    const rand = rng(5);
    for (const chunk of [1, 4, 13]) {
      const { ctx, states } = chunkStates(sys, frames, spec, chunk);
      // merge neighbouring groups in a random order until one is left, sometimes later-into-earlier
      const groups = states.map((s) => {
        const g = solvationAnalysis.init(ctx);
        solvationAnalysis.merge(ctx, g, s);
        return g;
      });
      while (groups.length > 1) {
        const k = Math.floor(rand() * (groups.length - 1));
        if (rand() < 0.5) solvationAnalysis.merge(ctx, groups[k], groups[k + 1]);
        else {
          solvationAnalysis.merge(ctx, groups[k + 1], groups[k]);
          groups[k] = groups[k + 1];
        }
        groups.splice(k + 1, 1);
      }
      expect(strip(solvationAnalysis.finalize(ctx, groups[0], states))).toBe(want);
    }
  });

  it('handles gaps inside chunks and between them, merged in any order', () => {
    // chunks of c frames on the file's axis; some chunks fail, and some lose frames inside
    // (after their first two frames, so that each chunk still shows the step)
    const rand = rng(17);
    for (const c of cases) {
      const spec = specOf(c.residence);
      for (const [size, fail] of [
        [5, [3, 4, 30]],
        [13, [7]],
        [60, [2]],
      ] as [number, number[]][]) {
        const missing = (t: number) => fail.includes(Math.floor(t / size)) || (t % size >= 2 && (t % 29 === 0 || t % 31 === 0 || t % 37 === 1));
        const ctx = solvationAnalysis.setup(spec, sys);
        const states: SolvationState[] = [];
        const kept: number[] = [];
        for (let a = 0; a < frames.length; a += size) {
          const st = solvationAnalysis.init(ctx);
          for (let t = a; t < Math.min(a + size, frames.length); t++) {
            if (missing(t)) continue;
            solvationAnalysis.accumulate(ctx, st, frames[t]);
            kept.push(t);
          }
          if (st.frames) states.push(structuredClone(st));
        }
        const ref = referenceResidence(referenceInput(mem, sys, frames, kept, c.residence.maxLagFrames ?? Infinity, c.residence.tolerancePs ?? 0));
        const groups = states.map((st) => structuredClone(st));
        while (groups.length > 1) {
          const k = Math.floor(rand() * (groups.length - 1));
          if (rand() < 0.5) solvationAnalysis.merge(ctx, groups[k], groups[k + 1]);
          else {
            solvationAnalysis.merge(ctx, groups[k + 1], groups[k]);
            groups[k] = groups[k + 1];
          }
          groups.splice(k + 1, 1);
        }
        const r = solvationAnalysis.finalize(ctx, groups[0], states);
        expect(JSON.parse(strip(r.residence))).toEqual(JSON.parse(strip(ref)));
        expect(r.warnings.join(' ')).toMatch(/gap/);
        expect(r.warnings.join(' ')).not.toMatch(/fixed step/);
        for (let i = 0; i < 3; i++) expect(expandTimeline(r, i)).toEqual(referenceTimeline(mem, kept, i));
        expect(r.perIonTimeline!.frameIndices).toEqual(kept);
      }
    }
  });

  it('warns when one-frame states meet across a gap before the step is known', () => {
    // states of one frame cannot tell the step from a gap: the first difference they meet is
    // taken as the step; a smaller one later makes the warning
    const { ctx, states } = chunkStates(sys, frames.slice(0, 12), specOf({}), 1);
    const merged = solvationAnalysis.init(ctx);
    solvationAnalysis.merge(ctx, merged, states[0]);
    for (const s of states.slice(2)) solvationAnalysis.merge(ctx, merged, s);
    expect(solvationAnalysis.finalize(ctx, merged, states).warnings.join(' ')).toMatch(/gap.*fixed step/);
    const inOrder = analyse(sys, frames.slice(0, 12), specOf({}), 1, [5]).result;
    expect(inOrder.warnings.join(' ')).not.toMatch(/fixed step/);
  });

  it('does not modify the states it merges', () => {
    const { ctx, states } = chunkStates(sys, frames, specOf({ tolerancePs: 1.6 }), 9);
    const before = states.map((s) => JSON.stringify(s, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    const merged = solvationAnalysis.init(ctx);
    for (const s of states) solvationAnalysis.merge(ctx, merged, s);
    solvationAnalysis.finalize(ctx, merged, states);
    expect(states.map((s) => JSON.stringify(s, (_, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)))).toEqual(before);
  });

  it('refuses to merge states whose frames overlap', () => {
    const { ctx, states } = chunkStates(sys, frames, specOf({}), 100);
    const merged = solvationAnalysis.init(ctx);
    solvationAnalysis.merge(ctx, merged, states[1]);
    expect(() => solvationAnalysis.merge(ctx, merged, structuredClone(states[1]))).toThrow(/overlap/);
  });
});

describe('the residence window', () => {
  it(`defaults to min(frames − 1, ${DEFAULT_MAX_LAG}) lags and reports a frozen shell as longer than the window`, () => {
    const T = 2600;
    const frozen: Membership = { h: [[new Uint8Array(T).fill(1), new Uint8Array(T).fill(1), new Uint8Array(T), new Uint8Array(T)]], dt: 0.5 };
    const { sys, frames } = systemOf(frozen);
    const r = analyse(sys, frames, specOf({}), 256).result.residence[0];
    expect(DEFAULT_MAX_LAG).toBe(2000);
    expect(r.maxLagFrames).toBe(DEFAULT_MAX_LAG);
    expect(r.window_ps).toBe(1000);
    expect(r).toMatchObject({ converged: false, lowerBound: true, intermittent_ps: 1000, continuous_ps: 1000, pairs: 1, events: 1 });
    expect(r.curve.lagFrames[r.curve.lagFrames.length - 1]).toBe(2000);
    expect(new Set(r.curve.intermittent)).toEqual(new Set([1]));
    const longer = analyse(sys, frames, specOf({ maxLagFrames: 5000 }), 256).result.residence[0];
    expect(longer.maxLagFrames).toBe(T - 1);
    expect(longer.window_ps).toBe((T - 1) * 0.5);
    const shorter = analyse({ ...sys, frameCount: 301 }, frames.slice(0, 301), specOf({}), 64).result.residence[0];
    expect(shorter.maxLagFrames).toBe(300);
  });

  it('warns that the error bars are too small when partners stay longer than a block', () => {
    const T = 600;
    const frozen: Membership = { h: [[new Uint8Array(T).fill(1), new Uint8Array(T).fill(1), new Uint8Array(T), new Uint8Array(T)]], dt: 0.5 };
    const slow = analyse(systemOf(frozen).sys, systemOf(frozen).frames, specOf({}), 50).result;
    expect(slow.warnings.join(' ')).toMatch(/longer than a block \(continuous residence: LIG > 599 frames, ANI > 599 frames; 12 blocks of ≤ 50 frames\), so the blocks are correlated/);
    // ligands that come and go every few frames: the blocks are independent enough
    const fast = randomMembership(2, 4, 7, T, 0.3, 0.3);
    const quick = analyse(systemOf(fast).sys, systemOf(fast).frames, specOf({}), 50).result;
    expect(quick.residence.every((e) => e.continuous.converged && e.continuous.tau_1e_frames! < 50)).toBe(true);
    expect(quick.warnings.join(' ')).not.toMatch(/correlated/);
  });

  it('keeps the state size independent of the trajectory length', () => {
    const sizes = [4000, 20000].map((T) => {
      const mem = randomMembership(3, 2, 12, T, 0.05, 0.05);
      const { sys, frames } = systemOf(mem);
      const spec = specOf({ tolerancePs: 1.6 }, false);
      const { ctx, states } = chunkStates(sys, frames, spec, 256);
      const merged = solvationAnalysis.init(ctx);
      for (const s of states) solvationAnalysis.merge(ctx, merged, s);
      const all = solvationAnalysis.init(ctx);
      for (const f of frames) solvationAnalysis.accumulate(ctx, all, f);
      const bytes = { merged: stateBytes(merged), single: stateBytes(all), chunk: Math.max(...states.map(stateBytes)) };
      // and the numbers are still those of the all-frames reference
      const ref = referenceResidence(referenceInput(mem, sys, frames, frames.map((_, t) => t), Infinity, 1.6));
      const r = solvationAnalysis.finalize(ctx, merged, states);
      expect(r.residence[0].maxLagFrames).toBe(2000);
      expect(r.residence.map((e) => e.curve.continuous.slice(0, 50))).toEqual(ref.map((e) => e.curve.continuous.slice(0, 50)));
      expect(strip(solvationAnalysis.finalize(ctx, all, [all]).residence)).toBe(strip(r.residence));
      return bytes;
    });
    const [short, long] = sizes;
    expect(long.merged).toBeLessThan(1.25 * short.merged);
    expect(long.single).toBeLessThan(1.25 * short.single);
    expect(long.chunk).toBeLessThan(1.25 * short.chunk);
    // the window holds O(species × maxLag) sums, not 20 000 frames × 24 pairs of membership
    expect(long.merged).toBeLessThan(20000 * 24 * 4);
  });

  it('describes the visited frames as segments with their step, and expands them for the timeline', () => {
    const mem = randomMembership(8, 1, 4, 40, 0.2, 0.2, 2);
    const { sys, frames } = systemOf(mem, 3);
    const { result, kept } = analyse(sys, frames, specOf({}), 10, [1]);
    const t = result.perIonTimeline!;
    expect(t.segments).toEqual([
      { first: 0, count: 10, frame: 0, step: 3, startPs: 0, endPs: 18 },
      { first: 10, count: 20, frame: 60, step: 3, startPs: 40, endPs: 78 },
    ]);
    expect(t.frameIndices).toEqual(kept.map((k) => 3 * k));
    expect(t.timesPs).toEqual(kept.map((k) => 2 * k));
    expect(result.residence[0].maxLagFrames).toBe(19);
    expect(result.residence[0].dtPs).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// Real data: CaCl2/water (fast water exchange around Ca2+), membership found by brute force.

interface Readers {
  openXtc(source: unknown): Promise<FrameSource>;
  readGroTopology(source: unknown): Promise<TopologyInit>;
}

async function loadReaders(): Promise<Readers | null> {
  for (const specifier of ['@solvscope/formats', '../../../../formats/src/index.js']) {
    try {
      const m = (await import(/* @vite-ignore */ specifier)) as Partial<Readers>;
      if (typeof m.openXtc === 'function' && typeof m.readGroTopology === 'function') return m as Readers;
    } catch {
      // not resolvable from core (no dependency) or not built yet: try the next specifier
    }
  }
  return null;
}

const readers = await loadReaders();

describe.skipIf(!readers)('residence windows on a real trajectory', () => {
  it('match the all-frames reference on CaCl2/water, shells found by brute force', async () => {
    const gro = await fileSource(CACL2_WATER.gro);
    const topology = buildTopology(await readers!.readGroTopology(gro).finally(() => gro.close()));
    const source = await readers!.openXtc(await fileSource(CACL2_WATER.xtc));
    const frames: Frame[] = [];
    for await (const f of source.frames()) frames.push({ ...f, positions: f.positions.slice(), box: f.box!.slice() as Frame['box'] });
    await source.close();
    const sys: SystemInfo = { topology, frameCount: frames.length, periodic: true };
    const species = ['SOL', 'CL'];
    const cutoff = [3.2, 3.5];
    const spec: SolvationSpec = { ions: 'name CA', species: { SOL: { cutoff: 3.2 }, CL: { cutoff: 3.5 } }, residence: { tolerancePs: 2.5 } };

    // brute-force shells: SOL donors are its heteroatoms (O), CL is one atom
    const ions: number[] = [];
    const donors: { atom: number; slot: number }[] = [];
    const slotOfMolecule = new Int32Array(topology.moleculeCount).fill(-1);
    for (let a = 0; a < topology.atomCount; a++) {
      if (topology.names[a] === 'CA') ions.push(a);
      const slot = species.indexOf(topology.resnames[a]);
      if (slot < 0) continue;
      slotOfMolecule[topology.molecules[a]] = slot;
      if (topology.elements[a] !== 'H') donors.push({ atom: a, slot });
    }
    const bound = frames.map((f) => {
      const L = [f.box![0], f.box![4], f.box![8]];
      expect([f.box![1], f.box![2], f.box![3], f.box![5], f.box![6], f.box![7]]).toEqual([0, 0, 0, 0, 0, 0]);
      return ions.map((ion) => {
        const set = new Set<number>();
        for (const { atom, slot } of donors) {
          let d2 = 0;
          for (let c = 0; c < 3; c++) {
            let d = f.positions[3 * atom + c] - f.positions[3 * ion + c];
            d -= L[c] * Math.round(d / L[c]);
            d2 += d * d;
          }
          if (d2 < cutoff[slot] * cutoff[slot]) set.add(topology.molecules[atom]);
        }
        return [...set].sort((x, y) => x - y);
      });
    });
    const ref = referenceResidence({
      bound,
      frameIndex: frames.map((f) => f.index),
      time: frames.map((f) => f.time),
      slotOfMolecule,
      species,
      moleculeCount: topology.moleculeCount,
      maxLagFrames: Infinity,
      tolerancePs: 2.5,
    });
    expect(ref[0].events).toBeGreaterThan(ref[0].pairs);
    expect(ref[0].toleranceFrames).toBe(2);
    for (const chunk of [16, 7, frames.length]) {
      const r = analyse(sys, frames, spec, chunk).result;
      expect(JSON.parse(strip(r.residence))).toEqual(JSON.parse(strip(ref)));
      // the timeline's compositions against the brute-force shells
      r.perIonTimeline!.runs.forEach((_, i) => {
        const want = bound.map((b) => {
          const n = [0, 0];
          for (const m of b[i]) n[slotOfMolecule[m]]++;
          return `${n[0]},${n[1]}`;
        });
        const runs = r.perIonTimeline!.runs[i];
        const comp: string[] = [];
        for (let k = 0; k < runs.length; k += 3) {
          const c = r.speciation[runs[k + 2]].composition;
          for (let n = 0; n < runs[k + 1]; n++) comp.push(`${c.SOL ?? 0},${c.CL ?? 0}`);
        }
        expect(comp).toEqual(want);
      });
    }
  });
});

describe('packed pair records', () => {
  const layout = (ions: number, partners: number): ResidenceLayout => ({
    maxLag: 100,
    slots: 1,
    ions,
    partnerCount: partners,
    partnerSlot: new Int32Array(partners),
    tolerancePs: 0,
    timestepPs: null,
  });
  const record = (k: number, iv: number[], hd: number[]) => ({ k, iv, cur: -1, hd, hs: 4, lb: 7, fa: 0, fb: 2 });

  it('pack into one Int32Array sorted by pair key: [k, cur, hs, lb, fa, fb, #iv, #hd, iv…, hd…]', () => {
    const w = createWindow(layout(4, 10));
    w.pairs.push(record(31, [3, 5], []), record(2, [0, 1, 4, 6], [0, 1]));
    packWindow(w);
    expect(w.pairs).toEqual([]);
    expect(Array.from(w.packed!)).toEqual([2, -1, 4, 7, 0, 2, 4, 2, 0, 1, 4, 6, 0, 1, 31, -1, 4, 7, 0, 2, 2, 0, 3, 5]);
    expect(structuredClone(w).packed).toEqual(w.packed);
  });

  it('stay as objects when a pair key would not fit a small integer', () => {
    const w = createWindow(layout(40_000, 40_000));
    const big = record(2 ** 30 + 5, [1, 2], []);
    w.pairs.push(record(3, [], []), big);
    packWindow(w);
    expect(w.packed).toBeNull();
    expect(w.pairs[1]).toBe(big);
  });
});
