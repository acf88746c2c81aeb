import { describe, expect, it } from 'vitest';
import { boxVolume, orthorhombicBox, type Box } from '../../box.js';
import { OptionError, SelectionError, SolvscopeError } from '../../errors.js';
import { cloneFrame, createFrame, type Frame } from '../../frame.js';
import type { FrameIndex, FrameSource, FramesOptions } from '../../frame-source.js';
import { minimumImageDistance2, periodicCell } from '../../geometry/minimum-image.js';
import { buildTopology, type Topology } from '../../topology.js';
import type { SystemInfo } from '../analysis.js';
import { planChunks } from '../plan.js';
import { accumulateChunk, finalizeRun, setupAnalyses, type PreparedJob } from '../run.js';
import { exactSumAdd, exactSumMerge, exactSumValue } from './exact-sum.js';
import { rdfAnalysis, type RdfResult, type RdfSpec } from './rdf.js';
import { mulberry32 as rng } from '../../random.js';


/** Frames held in memory, served through the FrameSource interface. */
class MemoryFrameSource implements FrameSource {
  readonly format = 'memory';
  readonly name = 'memory';
  readonly tailError = null;
  readonly index: FrameIndex;
  constructor(private readonly list: Frame[]) {
    this.index = { format: 'memory', atomCount: this.atomCount, offsets: new Float64Array(list.length + 1), fileSize: 0 };
  }
  get atomCount(): number {
    return this.list.length ? this.list[0].positions.length / 3 : 0;
  }
  get frameCount(): number {
    return this.list.length;
  }
  async readFrame(i: number): Promise<Frame> {
    return cloneFrame(this.list[i]);
  }
  async *frames(o: FramesOptions = {}): AsyncIterable<Frame> {
    const step = o.step ?? 1;
    for (let i = o.start ?? 0; i < (o.stop ?? this.list.length); i += step) yield cloneFrame(this.list[i]);
  }
  async close(): Promise<void> {}
}

interface System {
  topology: Topology;
  frames: Frame[];
}

/**
 * Two species A and B in molecules of `molSize` atoms (names cycle A, B within a molecule),
 * positions uniform in the cell (fractional coordinates), box scaled a little per frame.
 */
function randomSystem(seed: number, nMol: number, molSize: number, baseBox: Box, frames: number): System {
  const r = rng(seed);
  const n = nMol * molSize;
  const names: string[] = [];
  const resnames: string[] = [];
  const resids: number[] = [];
  const moleculeIds: number[] = [];
  for (let m = 0; m < nMol; m++) {
    for (let k = 0; k < molSize; k++) {
      names.push(k % 2 ? 'B' : 'A');
      resnames.push('MOL');
      resids.push(Math.floor(m / 2) + 1); // two molecules per residue
      moleculeIds.push(m);
    }
  }
  const topology = buildTopology({ atomCount: n, names, resnames, resids, moleculeIds });
  const list: Frame[] = [];
  for (let f = 0; f < frames; f++) {
    const s = 1 + 0.02 * Math.sin(f);
    const box = baseBox.map((v) => v * s) as Box;
    const fr = createFrame(n);
    fr.index = f;
    fr.time = f;
    fr.box = box;
    for (let i = 0; i < n; i++) {
      // some atoms outside the primary cell
      const a = r() * 1.4 - 0.2;
      const b = r() * 1.4 - 0.2;
      const c = r() * 1.4 - 0.2;
      fr.positions[3 * i] = a * box[0] + b * box[3] + c * box[6];
      fr.positions[3 * i + 1] = a * box[1] + b * box[4] + c * box[7];
      fr.positions[3 * i + 2] = a * box[2] + b * box[5] + c * box[8];
    }
    list.push(fr);
  }
  return { topology, frames: list };
}

async function runRdf(sys: System, spec: RdfSpec, chunkFrames?: number): Promise<RdfResult> {
  const system: SystemInfo = { topology: sys.topology, frameCount: sys.frames.length, periodic: true };
  const source = new MemoryFrameSource(sys.frames);
  const job: PreparedJob = { source, system, analyses: setupAnalyses({ rdf: rdfAnalysis }, [{ id: 'rdf', spec }], system) };
  const plan = planChunks(source.frameCount, chunkFrames === undefined ? {} : { chunkFrames });
  const outcomes = [];
  for (const c of plan) outcomes.push(await accumulateChunk(job, c));
  const run = finalizeRun(job, outcomes);
  expect(run.failures).toEqual([]);
  return run.results[0] as RdfResult;
}

/**
 * O(N²) reference histogram: every pair with the exact minimum image, bins found by search in
 * the edges. `nearEdge[k]` counts pairs within 1e-4 Å of edge k: rdf decides those with
 * MDAnalysis' float32 arithmetic (to agree with it count for count), so they may sit on
 * either side; `edgeWindow` (Å) widens that band for coordinates far from the origin, where
 * float32 rounding moves distances by more.
 */
function bruteCounts(
  sys: System,
  ref: number[],
  sel: number[],
  edges: Float64Array,
  excluded: (i: number, j: number, p: number, q: number) => boolean,
  edgeWindow = 1e-4,
): { counts: Float64Array; nearEdge: Float64Array } {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const nearEdge = new Float64Array(bins + 1);
  for (const fr of sys.frames) {
    const cell = periodicCell(fr.box!);
    const p = fr.positions;
    for (let a = 0; a < ref.length; a++) {
      const i = ref[a];
      for (let b = 0; b < sel.length; b++) {
        const j = sel[b];
        if (i === j || excluded(i, j, a, b)) continue;
        const d = Math.sqrt(minimumImageDistance2(cell, p[3 * j] - p[3 * i], p[3 * j + 1] - p[3 * i + 1], p[3 * j + 2] - p[3 * i + 2]));
        let lo = 0;
        let hi = bins;
        while (hi - lo > 1) {
          const mid = (lo + hi) >> 1;
          if (d >= edges[mid]) lo = mid;
          else hi = mid;
        }
        if (Math.abs(d - edges[lo]) < edgeWindow) nearEdge[lo]++;
        if (Math.abs(d - edges[lo + 1]) < edgeWindow) nearEdge[lo + 1]++;
        if (d < edges[0] || d >= edges[bins]) continue;
        counts[lo]++;
      }
    }
  }
  return { counts, nearEdge };
}

/**
 * Histograms agree except for pairs within rounding of an edge: the cumulative counts may
 * differ at edge k by at most the pairs near that edge (and the mismatches must be rare).
 */
function expectSameHistogram(got: Float64Array, want: { counts: Float64Array; nearEdge: Float64Array }, maxMoved = Math.max(2, got.length / 20)): void {
  let cg = 0;
  let cw = 0;
  const problems: string[] = [];
  let moved = 0;
  for (let k = 0; k < got.length; k++) {
    cg += got[k];
    cw += want.counts[k];
    if (got[k] !== want.counts[k]) moved++;
    if (Math.abs(cg - cw) > want.nearEdge[k + 1]) problems.push(`bin ${k}: cumulative ${cg} vs brute force ${cw}`);
  }
  expect(problems).toEqual([]);
  expect(moved).toBeLessThanOrEqual(maxMoved);
}

const indicesOf = (t: Topology, name: string) => t.names.flatMap((n, i) => (n === name ? [i] : []));
const dodecahedron = (d: number): Box => new Float64Array([d, 0, 0, 0, d, 0, d / 2, d / 2, (d * Math.SQRT2) / 2]);

describe('rdf', () => {
  for (const [label, box] of [
    ['orthorhombic', orthorhombicBox(22, 24, 26)],
    ['triclinic (dodecahedron)', dodecahedron(26)],
  ] as const) {
    it(`matches an O(N²) brute-force histogram bin for bin (${label})`, async () => {
      const sys = randomSystem(11, 150, 3, box, 4);
      const res = await runRdf(sys, { ref: 'name A', sel: 'name B', rMax: 9, binWidth: 0.05 });
      const A = indicesOf(sys.topology, 'A');
      const B = indicesOf(sys.topology, 'B');
      const brute = bruteCounts(sys, A, B, res.edges, () => false);
      expectSameHistogram(res.counts, brute);
      const want = res.counts; // histogram checked above; now the normalisation
      expect(res.counts.reduce((s, v) => s + v, 0)).toBeGreaterThan(1000);
      // normalisation from the definition
      const F = sys.frames.length;
      const V = sys.frames.reduce((s, f) => s + boxVolume(f.box!), 0) / F;
      expect(res.meanVolume).toBeCloseTo(V, 8);
      const N = A.length * B.length;
      for (let k = 0; k < res.bins; k += 17) {
        const shell = (4 / 3) * Math.PI * (res.edges[k + 1] ** 3 - res.edges[k] ** 3);
        expect(res.g[k]).toBeCloseTo(want[k] / (F * shell * (N / V)), 10);
      }
      let cum = 0;
      for (let k = 0; k < res.bins; k++) {
        cum += want[k];
        expect(res.n[k]).toBeCloseTo(cum / (F * A.length), 12);
      }
    });
  }

  it('matches brute force for unwrapped coordinates tens of boxes away (tolerance beyond the grid pad: rebuild path)', async () => {
    const sys = randomSystem(5, 150, 3, orthorhombicBox(22, 24, 26), 3);
    const r = rng(99);
    for (const fr of sys.frames) {
      const b = fr.box!;
      for (let i = 0; i < fr.positions.length / 3; i++) {
        // whole-box shifts of up to ±40 boxes per atom: same minimum images, |x| up to ~1000 Å
        const [na, nb, nc] = [0, 1, 2].map(() => Math.round((r() * 2 - 1) * 40));
        fr.positions[3 * i] += na * b[0] + nb * b[3] + nc * b[6];
        fr.positions[3 * i + 1] += na * b[1] + nb * b[4] + nc * b[7];
        fr.positions[3 * i + 2] += na * b[2] + nb * b[5] + nc * b[8];
      }
    }
    const res = await runRdf(sys, { ref: 'name A', sel: 'name B', rMax: 9, binWidth: 0.05 });
    // float32 rounding at |x| ~ 1000 Å moves MDAnalysis distances by up to ~4e-4 Å
    const brute = bruteCounts(sys, indicesOf(sys.topology, 'A'), indicesOf(sys.topology, 'B'), res.edges, () => false, 2e-3);
    // (many pairs lie within that band of some edge, so only the cumulative check is tight)
    expectSameHistogram(res.counts, brute, res.bins);
    expect(res.counts.reduce((s, v) => s + v, 0)).toBeGreaterThan(1000);
  });

  it('excludes self pairs of overlapping selections and counts N(N−1) pairs for identical ones', async () => {
    const sys = randomSystem(12, 120, 2, orthorhombicBox(20, 20, 20), 3);
    const res = await runRdf(sys, { ref: 'name A', sel: 'name A', rMax: 9.5, binWidth: 0.1 });
    const A = indicesOf(sys.topology, 'A');
    expect(res.nPairs).toBe(A.length * (A.length - 1));
    expect(res.excludedPairs).toBe(A.length);
    expectSameHistogram(res.counts, bruteCounts(sys, A, A, res.edges, () => false));
    // partial overlap: 'all' around 'name A'
    const all = Array.from({ length: sys.topology.atomCount }, (_, i) => i);
    const res2 = await runRdf(sys, { ref: 'name A', sel: 'all', rMax: 9.5, binWidth: 0.1 });
    expect(res2.nPairs).toBe(A.length * all.length - A.length);
    expectSameHistogram(res2.counts, bruteCounts(sys, A, all, res2.edges, () => false));
  });

  it('excludes pairs in the same molecule or residue and subtracts exactly those pairs from N_pairs', async () => {
    const sys = randomSystem(13, 100, 4, orthorhombicBox(20, 21, 22), 3);
    const t = sys.topology;
    const all = Array.from({ length: t.atomCount }, (_, i) => i);
    const A = indicesOf(t, 'A');
    for (const [exclude, key] of [
      ['same-molecule', t.molecules],
      ['same-residue', t.residueIndex],
    ] as const) {
      const res = await runRdf(sys, { ref: 'name A', sel: 'all', rMax: 9, binWidth: 0.1, exclude });
      expectSameHistogram(res.counts, bruteCounts(sys, A, all, res.edges, (i, j) => key[i] === key[j]));
      let excluded = 0;
      for (const i of A) for (const j of all) if (key[i] === key[j]) excluded++;
      expect(res.excludedPairs).toBe(excluded);
      expect(res.nPairs).toBe(A.length * all.length - excluded);
    }
  });

  it('applies an MDAnalysis exclusion block to positions within the selections', async () => {
    const sys = randomSystem(14, 100, 4, orthorhombicBox(20, 21, 22), 2);
    const all = Array.from({ length: sys.topology.atomCount }, (_, i) => i);
    const res = await runRdf(sys, { ref: 'all', sel: 'all', rMax: 9, binWidth: 0.1, exclusionBlock: [4, 4] });
    expectSameHistogram(res.counts, bruteCounts(sys, all, all, res.edges, (_i, _j, p, q) => Math.floor(p / 4) === Math.floor(q / 4)));
    // MDAnalysis: N −= xA·xB·(nA/xA)
    expect(res.nPairs).toBe(all.length * all.length - 4 * 4 * (all.length / 4));
  });

  it('gives bit-identical results for any chunking', async () => {
    const sys = randomSystem(15, 200, 3, dodecahedron(24), 13);
    const spec: RdfSpec = { ref: 'name A', sel: 'name B', rMax: 8, binWidth: 0.04 };
    const base = await runRdf(sys, spec, 13);
    for (const cf of [1, 3, 7]) {
      const res = await runRdf(sys, spec, cf);
      for (const key of ['g', 'n', 'counts', 'r', 'edges'] as const) expect(Array.from(res[key])).toEqual(Array.from(base[key]));
      expect(res.meanVolume).toBe(base.meanVolume);
      expect(res.meanInverseVolume).toBe(base.meanInverseVolume);
      expect(res.firstShell).toEqual(base.firstShell);
      expect(res.frames).toBe(13);
    }
    expect(base.blocks).toBe(1);
    const blocked = await runRdf(sys, spec, 3);
    expect(blocked.blocks).toBe(5);
    expect(Number.isFinite(blocked.gStderr[100])).toBe(true);
  });

  it('merging an empty state changes nothing', async () => {
    const sys = randomSystem(16, 100, 2, orthorhombicBox(18, 18, 18), 2);
    const system: SystemInfo = { topology: sys.topology, frameCount: 2, periodic: true };
    const ctx = rdfAnalysis.setup({ ref: 'name A', sel: 'name B', rMax: 8, binWidth: 0.1 }, system);
    const s = rdfAnalysis.init(ctx);
    for (const f of sys.frames) rdfAnalysis.accumulate(ctx, s, f);
    const before = structuredClone(s);
    rdfAnalysis.merge(ctx, s, rdfAnalysis.init(ctx));
    expect(s).toEqual(before);
    // the state survives structured cloning (it crosses threads)
    const t = rdfAnalysis.init(ctx);
    rdfAnalysis.merge(ctx, t, structuredClone(s));
    expect(rdfAnalysis.finalize(ctx, t, [t]).g).toEqual(rdfAnalysis.finalize(ctx, s, [s]).g);
  });

  it('approaches g = 1 and n(r) = 4/3 π r³ ρ for an ideal gas', async () => {
    const r = rng(17);
    const L = 30;
    const n = 2000;
    const topology = buildTopology({ atomCount: n, names: Array.from({ length: n }, (_, i) => (i < 400 ? 'A' : 'B')) });
    const frames: Frame[] = [];
    for (let f = 0; f < 12; f++) {
      const fr = createFrame(n);
      fr.index = f;
      fr.box = orthorhombicBox(L, L, L);
      for (let i = 0; i < 3 * n; i++) fr.positions[i] = r() * L;
      frames.push(fr);
    }
    const res = await runRdf({ topology, frames }, { ref: 'name A', sel: 'name B', rMax: 12, binWidth: 0.5 }, 3);
    const rho = 1600 / L ** 3;
    expect(res.density).toBeCloseTo(rho, 12);
    for (let k = 4; k < res.bins; k++) {
      // Poisson error of the bin count: sqrt(expected) / expected
      const expected = 12 * 400 * rho * (4 / 3) * Math.PI * (res.edges[k + 1] ** 3 - res.edges[k] ** 3);
      expect(Math.abs(res.g[k] - 1)).toBeLessThan(5 / Math.sqrt(expected));
      const nIdeal = rho * (4 / 3) * Math.PI * res.edges[k + 1] ** 3;
      expect(Math.abs(res.n[k] - nIdeal) / nIdeal).toBeLessThan(5 / Math.sqrt(12 * 400 * nIdeal));
    }
    // block errors are of the size of the Poisson error at large r
    const k = res.bins - 1;
    const expected = 12 * 400 * rho * (4 / 3) * Math.PI * (res.edges[k + 1] ** 3 - res.edges[k] ** 3);
    expect(res.gStderr[k]).toBeGreaterThan(0.2 / Math.sqrt(expected));
    expect(res.gStderr[k]).toBeLessThan(5 / Math.sqrt(expected));
  });

  it('normalises like MDAnalysis for norm density and none', async () => {
    const sys = randomSystem(18, 150, 2, orthorhombicBox(20, 20, 20), 3);
    const spec: RdfSpec = { ref: 'name A', sel: 'name B', rMax: 9, binWidth: 0.1 };
    const g = await runRdf(sys, spec);
    const d = await runRdf(sys, { ...spec, norm: 'density' });
    const none = await runRdf(sys, { ...spec, norm: 'none' });
    for (let k = 10; k < g.bins; k += 7) {
      const shell = (4 / 3) * Math.PI * (g.edges[k + 1] ** 3 - g.edges[k] ** 3);
      expect(d.g[k]).toBeCloseTo(g.counts[k] / (3 * shell), 12);
      expect(none.g[k]).toBeCloseTo(g.counts[k] / 3, 12);
      expect(d.g[k]).toBeCloseTo((g.g[k] * g.nPairs) / g.meanVolume, 10);
    }
    expect(Array.from(d.n)).toEqual(Array.from(g.n));
  });

  it('allows norm density without a box and rejects norm rdf there', async () => {
    const sys = randomSystem(19, 60, 2, orthorhombicBox(15, 15, 15), 2);
    for (const f of sys.frames) f.box = null;
    const res = await runRdf(sys, { ref: 'name A', sel: 'name B', rMax: 30, binWidth: 0.5, norm: 'density' });
    expect(res.counts.reduce((s, v) => s + v, 0)).toBeGreaterThan(0);
    expect(res.firstShell).toBeNull();
    const system: SystemInfo = { topology: sys.topology, frameCount: 2, periodic: false };
    const ctx = rdfAnalysis.setup({ ref: 'name A', sel: 'name B' }, system);
    const err = (() => {
      try {
        rdfAnalysis.accumulate(ctx, rdfAnalysis.init(ctx), sys.frames[1]);
      } catch (e) {
        return e as SolvscopeError;
      }
    })();
    expect(err?.code).toBe('UNSUPPORTED');
    expect(err?.context.frame).toBe(1);
  });

  it('rejects rMax beyond half the shortest translation of a frame box, naming --r-max and the maximum', async () => {
    const sys = randomSystem(20, 50, 2, dodecahedron(20), 3);
    const system: SystemInfo = { topology: sys.topology, frameCount: 3, periodic: true };
    const ctx = rdfAnalysis.setup({ ref: 'name A', sel: 'name B', rMax: 10.1, binWidth: 0.1 }, system);
    let err: OptionError | undefined;
    try {
      rdfAnalysis.accumulate(ctx, rdfAnalysis.init(ctx), sys.frames[0]);
    } catch (e) {
      err = e as OptionError;
    }
    expect(err).toBeInstanceOf(OptionError);
    expect(err!.context.option).toBe('--r-max');
    expect(err!.message).toMatch(/rMax \(--r-max\) 10\.1 Å is larger than .*10\.000 Å.*--r-max 10 or less/);
    // 10 Å fits the dodecahedron with d = 20 (its faces are only 14.1 Å apart)
    const ok = rdfAnalysis.setup({ ref: 'name A', sel: 'name B', rMax: 9.5, binWidth: 0.1 }, system);
    rdfAnalysis.accumulate(ok, rdfAnalysis.init(ok), sys.frames[0]);
  });

  it('rejects empty selections and bad options, naming the option', () => {
    const sys = randomSystem(21, 10, 2, orthorhombicBox(15, 15, 15), 1);
    const system: SystemInfo = { topology: sys.topology, frameCount: 1, periodic: true };
    const fail = (spec: unknown) => {
      try {
        rdfAnalysis.setup(spec as RdfSpec, system);
      } catch (e) {
        return e as SolvscopeError;
      }
      throw new Error('no error');
    };
    const e1 = fail({ ref: 'name ZZ', sel: 'name B' });
    expect(e1).toBeInstanceOf(SelectionError);
    expect(e1.message).toMatch(/^ref/);
    expect(fail({ ref: 'name A', sel: 'name ZZ' }).message).toMatch(/^sel/);
    expect(fail({ ref: 'name A', sel: 'name B', rMax: -1 }).context.option).toBe('--r-max');
    expect(fail({ ref: 'name A', sel: 'name B', rMax: 5, binWidth: 0.03 }).context.option).toBe('--bin-width');
    expect(fail({ ref: 'name A', sel: 'name B', norm: 'gr' }).message).toMatch(/rdf, density, none/);
    expect(fail({ ref: 'name A', sel: 'name B', exclude: 'x' }).context.option).toBe('--exclude');
    expect(fail({ ref: 'name A', sel: 'name B', bins: 0 }).context.option).toBe('--bins');
    expect(fail({ ref: 'name A', sel: 'name B', exclusionBlock: [0, 1] }).context.option).toBe('--exclusion-block');
    expect(fail({ ref: 'index 0', sel: 'index 0' }).message).toMatch(/no pairs/);
    expect(fail({ ref: 'name A', sel: 'name B and around 3 name A' })).toBeInstanceOf(SelectionError);
    const ok = rdfAnalysis.setup({ ref: 'name A', sel: 'name B', rMax: 5, bins: 7 }, system);
    expect(rdfAnalysis.init(ok).counts.length).toBe(7);
  });

  it('bins exactly like numpy.histogram at bin edges', async () => {
    // two atoms at distances that are exact bin edges: numpy puts d = edge into the upper bin,
    // and d = rMax into the last bin
    const topology = buildTopology({ atomCount: 2, names: ['A', 'B'] });
    const frames: Frame[] = [];
    for (const [f, d] of [0.5, 1, 2.5, 3.75, 5].entries()) {
      const fr = createFrame(2);
      fr.index = f;
      fr.box = orthorhombicBox(16, 16, 16); // 1/16 is exact in float32, as MDAnalysis computes it
      fr.positions.set([1, 1, 1, 1 + d, 1, 1]);
      frames.push(fr);
    }
    const res = await runRdf({ topology, frames }, { ref: 'name A', sel: 'name B', rMax: 5, binWidth: 0.25 });
    const idx = Array.from(res.counts).flatMap((c, k) => (c ? [k] : []));
    expect(idx).toEqual([2, 4, 10, 15, 19]);
  });
});

describe('exact sums', () => {
  it('are independent of grouping and order', () => {
    const r = rng(22);
    const xs = Array.from({ length: 1000 }, () => (r() - 0.3) * 10 ** Math.floor(r() * 20 - 10));
    const a: number[] = [];
    for (const x of xs) exactSumAdd(a, x);
    const parts = [[], [], []] as number[][];
    xs.forEach((x, i) => exactSumAdd(parts[i % 3], x));
    const b: number[] = [];
    for (const p of parts.reverse()) exactSumMerge(b, p);
    expect(exactSumValue(b)).toBe(exactSumValue(a));
    expect(exactSumValue([])).toBe(0);
    const c: number[] = [];
    for (const x of [1e16, 1, -1e16]) exactSumAdd(c, x);
    expect(exactSumValue(c)).toBe(1);
    const d: number[] = [];
    for (const x of [0.1, 0.2, 0.3]) exactSumAdd(d, x);
    expect(0.1 + 0.2 + 0.3).not.toBe(0.6);
    expect(exactSumValue(d)).toBe(0.6); // Python: math.fsum([.1, .2, .3]) == 0.6
  });
});
