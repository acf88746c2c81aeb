import { describe, expect, it } from 'vitest';
import { boxFromLengthsAngles, orthorhombicBox, type Box } from '../../box.js';
import { OptionError, SelectionError } from '../../errors.js';
import { cloneFrame, type Frame } from '../../frame.js';
import { resolveRange, type FrameIndex, type FrameSource, type FramesOptions } from '../../frame-source.js';
import { buildTopology, type Topology } from '../../topology.js';
import type { SystemInfo } from '../analysis.js';
import { planChunks } from '../plan.js';
import { accumulateChunk, finalizeRun, setupAnalyses, type PreparedJob } from '../run.js';
import { chargeSuffix, speciationLabel } from './labels.js';
import { solvationAnalysis, type SolvationResult, type SolvationSpec } from './solvation.js';
import { lcg as rng } from '../../random.js';

// ---------------------------------------------------------------------------------------------
// test helpers: an in-memory frame source, a topology builder, and a brute-force minimum image

class MemoryFrameSource implements FrameSource {
  readonly format = 'memory';
  readonly name = 'memory';
  readonly tailError = null;
  readonly index: FrameIndex;
  constructor(private readonly list: Frame[]) {
    this.index = { format: 'memory', atomCount: this.atomCount, offsets: new Float64Array(list.length + 1), fileSize: 0 };
  }
  get atomCount(): number {
    return this.list[0]?.positions.length / 3 || 0;
  }
  get frameCount(): number {
    return this.list.length;
  }
  async readFrame(i: number): Promise<Frame> {
    return cloneFrame(this.list[i]);
  }
  async *frames(options: FramesOptions = {}): AsyncIterable<Frame> {
    const r = resolveRange(options, this.list.length);
    for (let i = r.start; i < r.stop; i += r.step) yield cloneFrame(this.list[i]);
  }
  async close(): Promise<void> {}
}

interface Mol {
  resname: string;
  atoms: [name: string, element: string, x: number, y: number, z: number][];
}

/** Topology and one frame from a list of molecules (one residue each). */
function system(mols: Mol[]): { topo: Topology; positions: Float32Array } {
  const names: string[] = [];
  const elements: string[] = [];
  const resnames: string[] = [];
  const resids: number[] = [];
  const xyz: number[] = [];
  mols.forEach((m, r) => {
    for (const [name, el, x, y, z] of m.atoms) {
      names.push(name);
      elements.push(el);
      resnames.push(m.resname);
      resids.push(r + 1);
      xyz.push(x, y, z);
    }
  });
  const topo = buildTopology({ atomCount: names.length, names, elements, resnames, resids });
  return { topo, positions: Float32Array.from(xyz) };
}

function frameOf(positions: Float32Array, box: Box | null, index = 0, time = index): Frame {
  return { index, time, step: -1, positions, box, velocities: null, forces: null };
}

async function run(topo: Topology, frames: Frame[], spec: SolvationSpec, chunkFrames?: number): Promise<SolvationResult> {
  const source = new MemoryFrameSource(frames);
  const sys: SystemInfo = { topology: topo, frameCount: frames.length, periodic: frames[0].box !== null };
  const job: PreparedJob = { source, system: sys, analyses: setupAnalyses({ solvation: solvationAnalysis }, [{ id: 'solvation', spec }], sys) };
  const outcomes = [];
  for (const chunk of planChunks(frames.length, { chunkFrames })) outcomes.push(await accumulateChunk(job, chunk));
  const fin = finalizeRun(job, outcomes);
  expect(fin.failures).toEqual([]);
  return fin.results[0] as SolvationResult;
}

/** Squared minimum-image distance by trying all 125 images of a lower-triangular box (reference only). */
function bruteD2(p: Float32Array, i: number, j: number, box: Box | null): number {
  const dx = p[3 * j] - p[3 * i];
  const dy = p[3 * j + 1] - p[3 * i + 1];
  const dz = p[3 * j + 2] - p[3 * i + 2];
  if (!box) return dx * dx + dy * dy + dz * dz;
  let best = Infinity;
  for (let a = -2; a <= 2; a++)
    for (let b = -2; b <= 2; b++)
      for (let c = -2; c <= 2; c++) {
        const x = dx + a * box[0] + b * box[3] + c * box[6];
        const y = dy + a * box[1] + b * box[4] + c * box[7];
        const z = dz + a * box[2] + b * box[5] + c * box[8];
        best = Math.min(best, x * x + y * y + z * z);
      }
  return best;
}

/** Deterministic pseudo-random numbers in [0, 1). */

const water = (ox: number, oy: number, oz: number, dir: [number, number, number] = [1, 0, 0]): Mol => ({
  resname: 'SOL',
  atoms: [
    ['OW', 'O', ox, oy, oz],
    ['HW1', 'H', ox + 0.96 * dir[0] + 0.3, oy + 0.96 * dir[1], oz + 0.96 * dir[2]],
    ['HW2', 'H', ox + 0.96 * dir[0] - 0.3, oy + 0.96 * dir[1] + 0.3, oz + 0.96 * dir[2]],
  ],
});
const mg = (x: number, y: number, z: number): Mol => ({ resname: 'MG', atoms: [['MG', 'Mg', x, y, z]] });
const cl = (x: number, y: number, z: number): Mol => ({ resname: 'CL', atoms: [['CL', 'Cl', x, y, z]] });

/** A DME-like ligand (heavy atoms only) whose two ether O sit at the given points. */
const dme = (o1: [number, number, number], o2: [number, number, number], away: [number, number, number]): Mol => ({
  resname: 'DME',
  atoms: [
    ['C1', 'C', o1[0] + 1.4 * away[0], o1[1] + 1.4 * away[1], o1[2] + 1.4 * away[2]],
    ['O1', 'O', ...o1],
    ['C2', 'C', o1[0] + 1.4 * away[0] + 0.7, o1[1] + 1.4 * away[1], o1[2] + 1.4 * away[2]],
    ['C3', 'C', o2[0] + 1.4 * away[0] - 0.7, o2[1] + 1.4 * away[1], o2[2] + 1.4 * away[2]],
    ['O2', 'O', ...o2],
    ['C4', 'C', o2[0] + 1.4 * away[0], o2[1] + 1.4 * away[1], o2[2] + 1.4 * away[2]],
  ],
});

/** A TFSI-like anion (no CF3) whose O1 sits at the given point; its other atoms point along `away`. */
const tfsi = (o: [number, number, number], away: [number, number, number]): Mol => {
  const at = (k: number): [number, number, number] => [o[0] + k * away[0], o[1] + k * away[1], o[2] + k * away[2]];
  return {
    resname: 'TFSI',
    atoms: [
      ['N1', 'N', ...at(3.2)],
      ['S1', 'S', ...at(1.45)],
      ['O1', 'O', ...o],
      ['O2', 'O', ...at(2.4)],
      ['S2', 'S', ...at(4.5)],
      ['O3', 'O', ...at(5.5)],
      ['O4', 'O', ...at(6)],
    ],
  };
};

const strip = (r: SolvationResult): unknown =>
  JSON.parse(JSON.stringify(r, (k, v) => (k === 'stderr' || k === 'blocks' ? undefined : k === 'warnings' ? (v as string[]).filter((w) => !w.startsWith('error bars:')) : v)));

// ---------------------------------------------------------------------------------------------

describe('speciation labels', () => {
  it('writes charges as 2+, +, nothing, - and 2-', () => {
    expect([2, 1, 0, -1, -2, 0.9999, -0.0001].map(chargeSuffix)).toEqual(['2+', '+', '', '-', '2-', '+', '']);
  });
  it('writes the ion, then anions, then neutrals, each sorted by name, polyatomic ligands in parentheses', () => {
    const L = (name: string, count: number, group: number) => ({ name, count, group });
    expect(speciationLabel('Mg', [L('DME', 2, 1), L('TFSI', 1, 0)], 1)).toBe('[Mg(TFSI)(DME)2]+');
    expect(speciationLabel('Mg', [L('DME', 3, 1), L('TFSI', 0, 0)], 2)).toBe('[Mg(DME)3]2+');
    expect(speciationLabel('Mg', [L('H2O', 6, 1)], 2)).toBe('[Mg(H2O)6]2+');
    expect(speciationLabel('Mg', [L('H2O', 5, 1), L('Cl', 1, 0)], 1)).toBe('[MgCl(H2O)5]+');
    expect(speciationLabel('Mg', [L('Cl', 2, 0), L('H2O', 4, 1)], 0)).toBe('[MgCl2(H2O)4]');
    expect(speciationLabel('Ca', [L('PF6', 2, 0), L('BF4', 1, 0), L('EC', 1, 1), L('DMC', 2, 1)], -1)).toBe('[Ca(BF4)(PF6)2(DMC)2(EC)]-');
    expect(speciationLabel('Mg', [], 2)).toBe('[Mg]2+');
  });
});

describe('first-shell geometry', () => {
  it('counts the six water oxygens of an octahedron and labels the shell [Mg(H2O)6]2+', async () => {
    const c = 10;
    const d = 2.05;
    const axes: [number, number, number][] = [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]];
    const { topo, positions } = system([
      mg(c, c, c),
      ...axes.map((a) => water(c + d * a[0], c + d * a[1], c + d * a[2], a)),
      water(3, 3, 3),
      water(16, 4, 15),
    ]);
    const r = await run(topo, [frameOf(positions, orthorhombicBox(20, 20, 20))], { ions: 'name MG', species: { SOL: { cutoff: 2.8 } } });
    const w = r.coordination[0];
    expect(w.species).toBe('SOL');
    expect(w.donors).toBe('heteroatoms');
    expect(w.donorAtomCount).toBe(8);
    expect(w.atoms).toMatchObject({ mean: 6, distribution: { '6': 1 } });
    expect(w.molecules).toMatchObject({ mean: 6, distribution: { '6': 1 } });
    expect(w.denticity).toEqual({ '1': 1 });
    expect(w.donorAtoms).toEqual({ OW: 1 });
    expect(r.speciation).toEqual([{ label: '[Mg(H2O)6]2+', ion: 'Mg', composition: { SOL: 6 }, charge: 2, fraction: 1, stderr: NaN, ionFrames: 1 }]);
    expect(r.pairing.cation.SSIP.fraction).toBe(1);
    expect(r.pairing.anionFrames).toBe(0);
    expect(r.clusters.composition).toEqual([expect.objectContaining({ cations: 1, anions: 0, size: 1, perFrame: 1, fraction: 1 })]);
    expect(r.ionFrames).toBe(1);
  });

  it('uses a strict cutoff per species: a donor at exactly its cutoff is outside', async () => {
    const { topo, positions } = system([mg(5, 5, 5), water(7, 5, 5), water(5, 3.5, 5, [0, -1, 0]), cl(5, 5, 8)]);
    for (const CL of [{ cutoff: 3 }, { cutoff: 3.5 }]) {
      const r = await run(topo, [frameOf(positions, null)], { ions: 'name MG', species: { SOL: { cutoff: 2 }, CL } });
      expect(r.coordination[0].atoms.distribution).toEqual({ '1': 1 });
      expect(r.coordination[1].atoms.distribution).toEqual(CL.cutoff === 3 ? { '0': 1 } : { '1': 1 });
    }
  });

  it('counts a bidentate ligand as one molecule with two donor atoms (κ2)', async () => {
    const c = 10;
    const s = 2.0 / Math.SQRT2;
    const { topo, positions } = system([mg(c, c, c), dme([c + s, c + s, c], [c + s, c - s, c], [1, 0, 0])]);
    const r = await run(topo, [frameOf(positions, orthorhombicBox(20, 20, 20))], { ions: 'name MG', species: { DME: { cutoff: 2.8 } } });
    const e = r.coordination[0];
    expect(e.atoms.distribution).toEqual({ '2': 1 });
    expect(e.molecules.distribution).toEqual({ '1': 1 });
    expect(e.denticity).toEqual({ '2': 1 });
    expect(e.donorAtoms).toEqual({ O1: 0.5, O2: 0.5 });
    expect(r.speciation[0].label).toBe('[Mg(DME)]2+');
  });

  it('restricts a donor selection to its species even when atom names are shared', async () => {
    // DME and TFSI both have atoms named O1/O2; TFSI's donors must not pick up DME oxygens.
    const c = 10;
    const s = 2.0 / Math.SQRT2;
    const { topo, positions } = system([
      mg(c, c, c),
      dme([c + s, c + s, c], [c + s, c - s, c], [1, 0, 0]),
      dme([c - s, c, c + s], [c - s, c, c - s], [-1, 0, 0]),
      tfsi([c, c + 2.05, c], [0, 1, 0]),
    ]);
    const r = await run(topo, [frameOf(positions, orthorhombicBox(30, 30, 30))], {
      ions: 'name MG',
      species: { DME: { cutoff: 2.8 }, TFSI: { donors: 'name O1 O2 O3 O4', cutoff: 2.8 } },
    });
    const [d, t] = r.coordination;
    expect(d.atoms.mean).toBe(4);
    expect(d.molecules.mean).toBe(2);
    expect(t.donorAtomCount).toBe(4);
    expect(t.atoms.mean).toBe(1);
    expect(t.molecules.mean).toBe(1);
    expect(t.donorAtoms).toEqual({ O1: 1 });
    expect(t.anion).toBe(true);
    expect(r.speciation[0]).toMatchObject({ label: '[Mg(TFSI)(DME)2]+', composition: { DME: 2, TFSI: 1 }, charge: 1 });
    expect(r.pairing.cation.CIP.fraction).toBe(1);
    expect(r.pairing.anion.CIP.fraction).toBe(1);
  });

  it('finds a ligand across the box face by the minimum image, and not without a box', async () => {
    const { topo, positions } = system([mg(0.5, 10, 10), water(19, 10, 10, [-1, 0, 0]), water(17, 10, 10, [-1, 0, 0]), water(10, 19.6, 0.2, [0, 1, 0])]);
    const spec = { ions: 'name MG', species: { SOL: { cutoff: 2.8 } } };
    const periodic = await run(topo, [frameOf(positions, orthorhombicBox(20, 20, 20))], spec);
    expect(periodic.coordination[0].atoms.distribution).toEqual({ '1': 1 });
    const open = await run(topo, [frameOf(positions, null)], spec);
    expect(open.coordination[0].atoms.distribution).toEqual({ '0': 1 });
  });

  it('matches a brute-force minimum-image count in a triclinic cell', async () => {
    const box = boxFromLengthsAngles(24, 26, 25, 70, 80, 65);
    const rand = rng(7);
    const mols: Mol[] = [];
    const frac = () => {
      const u = rand();
      const v = rand();
      const w = rand();
      return [u * box[0] + v * box[3] + w * box[6], v * box[4] + w * box[7], w * box[8]] as [number, number, number];
    };
    for (let i = 0; i < 6; i++) mols.push(mg(...frac()));
    for (let i = 0; i < 400; i++) mols.push({ resname: 'OX', atoms: [['OX', 'O', ...frac()]] });
    const { topo, positions } = system(mols);
    // a second frame with everything shifted by −(a+b+c)/3 so that many atoms sit outside the cell
    const shifted = positions.slice();
    for (let k = 0; k < shifted.length; k += 3) {
      shifted[k] -= (box[0] + box[3] + box[6]) / 3;
      shifted[k + 1] -= (box[4] + box[7]) / 3;
      shifted[k + 2] -= box[8] / 3;
    }
    const cutoff = 4.5;
    const r = await run(topo, [frameOf(positions, box, 0), frameOf(shifted, box, 1)], { ions: 'name MG', species: { OX: { cutoff } } });
    const hist = new Map<number, number>();
    for (const p of [positions, shifted]) {
      for (let i = 0; i < 6; i++) {
        let n = 0;
        for (let j = 6; j < 406; j++) if (bruteD2(p, i, j, box) < cutoff * cutoff) n++;
        hist.set(n, (hist.get(n) ?? 0) + 1);
      }
    }
    const expected: Record<string, number> = {};
    for (const [k, v] of [...hist].sort((a, b) => a[0] - b[0])) expected[String(k)] = v / 12;
    expect(r.coordination[0].atoms.distribution).toEqual(expected);
    expect(Object.keys(expected).length).toBeGreaterThan(1);
  });
});

describe('ion pairing and clusters', () => {
  it('calls a bridging anion AGG from both sides and a distant one SSIP', async () => {
    const { topo, positions } = system([mg(8, 10, 10), mg(12, 10, 10), cl(10, 10, 10), cl(2, 2, 2)]);
    const r = await run(topo, [frameOf(positions, orthorhombicBox(20, 20, 20))], { ions: 'name MG', species: { CL: { cutoff: 3 } } });
    expect(r.pairing.anions).toEqual(['CL']);
    expect(r.pairing.cation.AGG.fraction).toBe(1);
    expect(r.pairing.cation.SSIP.fraction).toBe(0);
    expect(r.pairing.anion).toMatchObject({ SSIP: { fraction: 0.5 }, CIP: { fraction: 0 }, AGG_I: { fraction: 0.5 }, AGG_II: { fraction: 0 } });
    expect(r.speciation).toEqual([expect.objectContaining({ label: '[MgCl]+', composition: { CL: 1 }, charge: 1, fraction: 1 })]);
    expect(r.clusters.composition).toEqual([
      { cations: 0, anions: 1, size: 1, charge: -1, perFrame: 1, fraction: 0.5, cationFraction: 0, anionFraction: 0.5 },
      { cations: 2, anions: 1, size: 3, charge: 3, perFrame: 1, fraction: 0.5, cationFraction: 1, anionFraction: 0.5 },
    ]);
    expect(r.clusters.largest).toBe(3);
    expect(r.clusters.meanSize).toBe(2);
  });

  it('separates SSIP, CIP and AGG cations and CIP, AGG_I and AGG_II anions', async () => {
    const { topo, positions } = system([
      mg(5, 5, 5), // CIP with Cl a
      mg(25, 25, 25), // SSIP
      mg(5, 20, 5), // AGG: shares Cl b with the next Mg
      mg(9, 20, 5),
      mg(20, 5, 20), // three Mg around Cl c: AGG_II
      mg(24, 5, 20),
      mg(22, 5 + 2 * Math.sqrt(3), 20),
      cl(5, 5, 7.5), // a
      cl(7, 20, 5), // b
      cl(22, 5 + 2 / Math.sqrt(3), 20), // c
      cl(15, 15, 15), // free
    ]);
    const r = await run(topo, [frameOf(positions, orthorhombicBox(30, 30, 30))], { ions: 'name MG', species: { CL: { cutoff: 3 } } });
    expect(r.pairing.cation).toMatchObject({ SSIP: { fraction: 1 / 7 }, CIP: { fraction: 1 / 7 }, AGG: { fraction: 5 / 7 } });
    expect(r.pairing.anion).toMatchObject({ SSIP: { fraction: 0.25 }, CIP: { fraction: 0.25 }, AGG_I: { fraction: 0.25 }, AGG_II: { fraction: 0.25 } });
    expect(r.pairing.anionsPerCation).toBe(6 / 7);
    const comp = r.clusters.composition.map((c) => [c.cations, c.anions, c.perFrame]);
    expect(comp).toEqual([
      [1, 0, 1],
      [0, 1, 1],
      [1, 1, 1],
      [2, 1, 1],
      [3, 1, 1],
    ]);
    expect(r.clusters.size.map((s) => [s.size, s.fraction])).toEqual([
      [1, 0.4],
      [2, 0.2],
      [3, 0.2],
      [4, 0.2],
    ]);
  });

  it('lets the spec choose the anions', async () => {
    const { topo, positions } = system([mg(8, 10, 10), cl(10, 10, 10)]);
    const r = await run(topo, [frameOf(positions, orthorhombicBox(20, 20, 20))], { ions: 'name MG', species: { CL: { cutoff: 3 } }, anions: [] });
    expect(r.pairing.anions).toEqual([]);
    expect(r.pairing.cation.SSIP.fraction).toBe(1);
    expect(r.clusters.composition.map((c) => [c.cations, c.anions])).toEqual([[1, 0]]);
  });
});

/** A moving electrolyte: 4 Mg, 3 Cl, 40 waters, random walk in a 16 Å box. */
function movingSystem(frames: number, seed = 3): { topo: Topology; frames: Frame[] } {
  const rand = rng(seed);
  const L = 16;
  const mols: Mol[] = [];
  for (let i = 0; i < 4; i++) mols.push(mg(rand() * L, rand() * L, rand() * L));
  for (let i = 0; i < 3; i++) mols.push(cl(rand() * L, rand() * L, rand() * L));
  for (let i = 0; i < 40; i++) mols.push(water(rand() * L, rand() * L, rand() * L));
  const { topo, positions } = system(mols);
  const out: Frame[] = [];
  const p = positions.slice();
  for (let f = 0; f < frames; f++) {
    out.push(frameOf(p.slice(), orthorhombicBox(L, L, L), f, 2 * f));
    for (let m = 0; m < topo.moleculeCount; m++) {
      const d = [rand() - 0.5, rand() - 0.5, rand() - 0.5].map((x) => x * 1.6);
      for (let k = topo.moleculeStart[m]; k < topo.moleculeStart[m + 1]; k++) {
        const a = topo.moleculeAtoms[k];
        for (let q = 0; q < 3; q++) p[3 * a + q] += d[q];
      }
    }
  }
  return { topo, frames: out };
}

describe('chunking', () => {
  const spec: SolvationSpec = { ions: 'name MG', species: { SOL: { cutoff: 3.2 }, CL: { cutoff: 4 } }, residence: { tolerancePs: 3 } };

  it('gives identical results for chunks of 1, 3, 7 and all frames (block errors aside)', async () => {
    const { topo, frames } = movingSystem(40);
    const all = await run(topo, frames, spec, 40);
    expect(all.speciation.length).toBeGreaterThan(2);
    expect(all.residence[0].events).toBeGreaterThan(10);
    expect(all.pairing.cation.CIP.fraction).toBeGreaterThan(0);
    const ref = JSON.stringify(strip(all));
    for (const n of [1, 3, 7]) {
      const r = await run(topo, frames, spec, n);
      expect(JSON.stringify(strip(r))).toBe(ref);
      expect(r.blocks).toBe(Math.ceil(40 / n));
    }
  });

  it('gives identical block errors when the same plan runs again', async () => {
    const { topo, frames } = movingSystem(21, 5);
    const a = await run(topo, frames, spec, 4);
    const b = await run(topo, frames, spec, 4);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Number.isFinite(a.coordination[0].atoms.stderr)).toBe(true);
  });

  it('is unchanged by merging an empty state', async () => {
    const { topo, frames } = movingSystem(12, 9);
    const sys: SystemInfo = { topology: topo, frameCount: 12, periodic: true };
    const ctx = solvationAnalysis.setup(spec, sys);
    const s1 = solvationAnalysis.init(ctx);
    for (const f of frames) solvationAnalysis.accumulate(ctx, s1, f);
    const s2 = solvationAnalysis.init(ctx);
    for (const f of frames) solvationAnalysis.accumulate(ctx, s2, f);
    solvationAnalysis.merge(ctx, s2, solvationAnalysis.init(ctx));
    const e = solvationAnalysis.init(ctx);
    solvationAnalysis.merge(ctx, e, s1);
    const r1 = solvationAnalysis.finalize(ctx, s1, [s1]);
    expect(JSON.stringify(solvationAnalysis.finalize(ctx, s2, [s2]))).toBe(JSON.stringify(r1));
    expect(JSON.stringify(solvationAnalysis.finalize(ctx, e, [e]))).toBe(JSON.stringify(r1));
  });

  it('finalizes a run without frames to NaN means and empty tables', () => {
    const { topo } = movingSystem(1);
    const ctx = solvationAnalysis.setup(spec, { topology: topo, frameCount: 0, periodic: true });
    const r = solvationAnalysis.finalize(ctx, solvationAnalysis.init(ctx), []);
    expect(r.frames).toBe(0);
    expect(r.blocks).toBe(0);
    expect(r.coordination[0].atoms.mean).toBeNaN();
    expect(r.speciation).toEqual([]);
    expect(r.residence.map((e) => [e.converged, e.intermittent_ps])).toEqual([
      [false, null],
      [false, null],
    ]);
    expect(r.perIonTimeline!.runs).toEqual([[], [], [], []]);
  });

  it('keeps a per-ion timeline whose runs cover every frame and agree with the speciation counts', async () => {
    const { topo, frames } = movingSystem(30, 11);
    const r = await run(topo, frames, spec, 7);
    const t = r.perIonTimeline!;
    expect(t.labels).toEqual(r.speciation.map((s) => s.label));
    expect(t.frameIndices).toEqual(frames.map((f) => f.index));
    expect(t.timesPs).toEqual(frames.map((f) => f.time));
    const perCode = new Array(t.labels.length).fill(0);
    for (const runs of t.runs) {
      let next = 0;
      for (let k = 0; k < runs.length; k += 3) {
        expect(runs[k]).toBe(next);
        next += runs[k + 1];
        perCode[runs[k + 2]] += runs[k + 1];
        if (k > 0) expect(runs[k + 2]).not.toBe(runs[k - 1]);
      }
      expect(next).toBe(30);
    }
    expect(perCode).toEqual(r.speciation.map((s) => s.ionFrames));
  });
});

describe('options', () => {
  const { topo } = system([mg(1, 1, 1), water(3, 1, 1), cl(5, 5, 5)]);
  const sys: SystemInfo = { topology: topo, frameCount: 1, periodic: true };
  const setup = (spec: unknown) => solvationAnalysis.setup(spec as SolvationSpec, sys);

  it('names an unknown species and lists the ones that exist', () => {
    expect(() => setup({ ions: 'name MG', species: { DME: { cutoff: 2.8 } } })).toThrow(OptionError);
    expect(() => setup({ ions: 'name MG', species: { DME: { cutoff: 2.8 } } })).toThrow(/species\.DME names no species.*SOL \(H2O\)/);
  });
  it('rejects missing, negative and unresolved cutoffs', () => {
    expect(() => setup({ ions: 'name MG', species: { SOL: {} } })).toThrow(/species\.SOL\.cutoff must be a positive number of Å/);
    expect(() => setup({ ions: 'name MG', species: { SOL: { cutoff: -1 } } })).toThrow(OptionError);
    expect(() => setup({ ions: 'name MG', species: { SOL: { cutoff: 'auto' } } })).toThrow(/'auto' must be resolved/);
  });
  it('rejects donors that select nothing in their species', () => {
    expect(() => setup({ ions: 'name MG', species: { SOL: { cutoff: 2.8, donors: 'name CL' } } })).toThrow(/species\.SOL\.donors 'name CL' selects no atoms of species SOL/);
  });
  it('rejects an empty ion selection and anions that are not shell partners', () => {
    expect(() => setup({ ions: 'name NA', species: { SOL: { cutoff: 2.8 } } })).toThrow(SelectionError);
    expect(() => setup({ ions: 'name MG', species: { SOL: { cutoff: 2.8 } }, anions: ['CL'] })).toThrow(/anions lists CL, which is not in species/);
  });
  it('refuses a cutoff that reaches half the box width', () => {
    const ctx = setup({ ions: 'name MG', species: { SOL: { cutoff: 6 } } });
    const f = frameOf(new Float32Array(3 * topo.atomCount), orthorhombicBox(11, 30, 30));
    expect(() => solvationAnalysis.accumulate(ctx, solvationAnalysis.init(ctx), f)).toThrow(/exceeds half the box width/);
  });
});
