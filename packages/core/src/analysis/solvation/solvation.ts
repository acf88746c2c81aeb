import { boxInscribedRadius } from '../../box.js';
import { OptionError } from '../../errors.js';
import type { Frame } from '../../frame.js';
import { NeighborGrid } from '../../geometry/neighbor-grid.js';
import type { Analysis, SystemInfo } from '../analysis.js';
import { blockAverage } from '../stats.js';
import { speciationLabel } from './labels.js';
import { maxForgivenGap, ResidenceAccumulator, residenceTimes } from './residence.js';
import { resolveSolvationSpec, type SolvationContext, type SolvationSpec } from './spec.js';

// The 'solvation' analysis: see solvationAnalysis below and README.md beside this file.
export type { SolvationSpec } from './spec.js';

/** A fraction with its block standard error (NaN when fewer than 2 non-empty blocks). */
export interface FractionEstimate {
  fraction: number;
  stderr: number;
}

/** A per-ion-frame count: mean, block standard error, and distribution. */
export interface CountEstimate {
  mean: number;
  stderr: number;
  /** Fraction of ion-frames with the count k, keyed by k; only non-zero entries. */
  distribution: Record<string, number>;
}

export interface CoordinationEntry {
  /** Species name (topology). */
  species: string;
  /** The species key as written in the spec. */
  key: string;
  /** Å */
  cutoff: number;
  /** The donors option ('heteroatoms', 'all' or the selection). */
  donors: string;
  /** Number of donor atoms of this species in the system. */
  donorAtomCount: number;
  /** Species charge (e) and whether it counts as an anion for pairing. */
  charge: number;
  anion: boolean;
  /** Donor atoms within cutoff per ion-frame. */
  atoms: CountEstimate;
  /** Molecules in the shell per ion-frame. */
  molecules: CountEstimate;
  /** Fraction of bound-molecule events (ion-frame × molecule) with κ donor atoms within cutoff, keyed by κ. */
  denticity: Record<string, number>;
  /** Number of bound-molecule events (Σ over ion-frames of the molecule CN). */
  boundEvents: number;
  /** Fraction of donor-atom contacts (Σ over ion-frames of the atom CN) made by atoms of each name. */
  donorAtoms: Record<string, number>;
}

export interface SpeciationEntry {
  /** Canonical label, e.g. `[Mg(TFSI)(DME)2]+`. */
  label: string;
  /** Ion name in the label (element symbol for monatomic ions). */
  ion: string;
  /** Ligand counts by species name (only non-zero). */
  composition: Record<string, number>;
  /** Net charge (e): ion charge + Σ ligand charges (not rounded). */
  charge: number;
  /** Fraction of ion-frames with this shell, with block standard error. */
  fraction: number;
  stderr: number;
  ionFrames: number;
}

export interface PairingResult {
  /** Per cation-frame: SSIP = no anion in its shell; CIP = anions, each in no other cation's shell; AGG = at least one of its anions also in another cation's shell. */
  cation: { SSIP: FractionEstimate; CIP: FractionEstimate; AGG: FractionEstimate };
  /** Per anion-frame: SSIP = in no cation's shell; CIP = in exactly one; AGG_I = bridging 2 cations; AGG_II = 3 or more. */
  anion: { SSIP: FractionEstimate; CIP: FractionEstimate; AGG_I: FractionEstimate; AGG_II: FractionEstimate };
  /** Species counted as anions. */
  anions: string[];
  cationFrames: number;
  anionFrames: number;
  /** Mean number of anion molecules in a cation's shell. */
  anionsPerCation: number;
}

export interface ClusterComposition {
  cations: number;
  anions: number;
  /** cations + anions */
  size: number;
  /** Net charge (e) when every ion and every anion species has one charge, else null. */
  charge: number | null;
  /** Mean number of such clusters per frame. */
  perFrame: number;
  /** Fraction of all clusters. */
  fraction: number;
  /** Fraction of cation-frames in which the cation belongs to such a cluster. */
  cationFraction: number;
  /** Fraction of anion-frames in which the anion belongs to such a cluster (NaN without anions). */
  anionFraction: number;
}

export interface ClusterResult {
  /** Mean number of clusters per frame (isolated ions count as clusters of size 1). */
  perFrame: number;
  /** Mean cluster size (ions per cluster). */
  meanSize: number;
  /** Largest cluster seen (ions). */
  largest: number;
  /** By (cations, anions), sorted by size then cations. */
  composition: ClusterComposition[];
  /** By total size; fraction of clusters with block standard error. */
  size: { size: number; perFrame: number; fraction: number; stderr: number }[];
}

/** Residence times read off one correlation function. */
export interface ResidenceTimesResult {
  /** C fell below 1/e within the lags computed. */
  converged: boolean;
  /** First time C(τ) < 1/e (linear interpolation), ps; null when not converged or Δt unknown. */
  tau_1e_ps: number | null;
  /** Same in visited frames. */
  tau_1e_frames: number | null;
  /** ∫₀^τmax C(τ) dτ by the trapezoid rule, ps (a lower bound when not converged). */
  tau_integral_ps: number | null;
  tau_integral_frames: number;
}

export interface ResidenceEntry {
  species: string;
  /**
   * Intermittent residence time (ps): τ_1/e of C_I; when C_I never falls below 1/e, the
   * window length maxLag·Δt (by default the trajectory length) as a lower bound, with
   * `converged: false`. null when Δt is unknown or no molecule of the species ever binds.
   */
  intermittent_ps: number | null;
  /** Continuous residence time (ps): τ_1/e of C_C, same conventions. */
  continuous_ps: number | null;
  /** Both C_I and C_C fell below 1/e within the window. */
  converged: boolean;
  /** True when a reported time is the window length because C did not decay ("longer than the trajectory"). */
  lowerBound: boolean;
  /** maxLag·Δt (ps): the longest lag computed. */
  window_ps: number | null;
  intermittent: ResidenceTimesResult;
  continuous: ResidenceTimesResult;
  /** Distinct ion–molecule pairs ever bound. */
  pairs: number;
  /** Binding events (uninterrupted runs of membership). */
  events: number;
  /** ps between visited frames (NaN if unknown). */
  dtPs: number;
  maxLagFrames: number;
  /** Largest absence (frames) the continuous definition forgives. */
  toleranceFrames: number;
  /** C_I and C_C at a subset of lags (all lags up to 1000, log-spaced beyond). */
  curve: { lagFrames: number[]; lagPs: number[] | null; intermittent: number[]; continuous: number[] };
}

export interface PerIonTimeline {
  /** Label of each code: the speciation labels in result order. */
  labels: string[];
  /** Atom index of each ion. */
  ions: number[];
  /** File frame number of each visited frame. */
  frameIndices: number[];
  /** ps (NaN when frames carry no time). */
  timesPs: number[];
  /**
   * Run-length encoded label codes per ion: flat triples [firstFrame, frameCount, labelCode, …],
   * firstFrame being the ordinal into frameIndices; the runs of one ion cover every visited frame.
   */
  runs: number[][];
}

export interface SolvationResult {
  ions: { selection: string; count: number; species: string[]; charge: number[] };
  frames: number;
  ionFrames: number;
  /** Non-empty chunks = blocks of the standard errors. */
  blocks: number;
  coordination: CoordinationEntry[];
  speciation: SpeciationEntry[];
  pairing: PairingResult;
  clusters: ClusterResult;
  residence: ResidenceEntry[];
  perIonTimeline?: PerIonTimeline;
  warnings: string[];
}

/** Bound molecules per ion per frame, for residence times and the timeline. */
interface MembershipPart extends Record<string, unknown> {
  frames: number;
  /** File frame number per frame. */
  frameIndex: Float64Array;
  /** ps per frame. */
  time: Float64Array;
  /** Number of bound molecules per (frame, ion), frame-major. */
  counts: Int32Array;
  /** Bound molecule indices, sorted per (frame, ion), concatenated. */
  data: Int32Array;
  dataLength: number;
}

/** Mergeable state. Histograms are exact integer counts in float64, grown on demand. */
export interface SolvationState extends Record<string, unknown> {
  frames: number;
  ionFrames: number;
  /** Per slot: ion-frames by atom CN. */
  atomHist: Float64Array[];
  /** Per slot: ion-frames by molecule CN. */
  molHist: Float64Array[];
  /** Per slot: bound-molecule events by denticity. */
  dentHist: Float64Array[];
  /** Per slot: donor contacts by donor name index. */
  nameHist: Float64Array[];
  /** Composition keys `ionKind|c0,c1,…` and their ion-frame counts. */
  specKeys: string[];
  specCounts: number[];
  /** Cation-frames: SSIP, CIP, AGG. */
  cation: Float64Array;
  /** Anion-frames: SSIP, CIP, AGG_I, AGG_II. */
  anion: Float64Array;
  /** Cluster keys cations·(A+1)+anions and their counts (clusters summed over frames). */
  clusterKeys: number[];
  clusterCounts: number[];
  /** Membership parts in frame order (merge concatenates). */
  memb: MembershipPart[];
}

interface StateCache {
  spec: Map<string, number>;
  cluster: Map<number, number>;
  lastCounts: Int32Array;
  lastSpec: Int32Array;
}

/** Per-thread context: the resolved spec plus scratch buffers. */
export interface SolvationRuntime extends SolvationContext {
  grid: NeighborGrid;
  caches: WeakMap<object, StateCache>;
  /** Stamp per molecule: the ion-frame tick it was last seen in, and its contacts then. */
  molStamp: Float64Array;
  molHits: Int32Array;
  tick: number;
  /** Anion bookkeeping per frame. */
  anionStamp: Float64Array;
  anionBind: Int32Array;
  anionLocal: Int32Array;
  anionList: Int32Array;
  frameTick: number;
  /** Bound molecules of the current frame, per ion from ionStart[i] to ionStart[i+1]. */
  bound: Int32Array;
  ionStart: Int32Array;
  ionSlotCounts: Int32Array;
  atomCnt: Int32Array;
  uf: Int32Array;
  compC: Int32Array;
  compA: Int32Array;
}

function setup(spec: SolvationSpec, system: SystemInfo): SolvationRuntime {
  const c = resolveSolvationSpec(spec, system.topology);
  const nI = c.ionAtoms.length;
  const S = c.slots.length;
  const nm = system.topology.moleculeCount;
  const nA = c.anionMoleculeCount;
  return {
    ...c,
    grid: new NeighborGrid(),
    caches: new WeakMap(),
    molStamp: new Float64Array(nm).fill(-1),
    molHits: new Int32Array(nm),
    tick: 0,
    anionStamp: new Float64Array(nm).fill(-1),
    anionBind: new Int32Array(nm),
    anionLocal: new Int32Array(nm),
    anionList: new Int32Array(nA),
    frameTick: 0,
    bound: new Int32Array(Math.max(16, nI * 8)),
    ionStart: new Int32Array(nI + 1),
    ionSlotCounts: new Int32Array(nI * S),
    atomCnt: new Int32Array(S),
    uf: new Int32Array(nI + nA),
    compC: new Int32Array(nI + nA),
    compA: new Int32Array(nI + nA),
  };
}

function init(ctx: SolvationRuntime): SolvationState {
  const S = ctx.slots.length;
  const mk = (n: number) => Array.from({ length: S }, () => new Float64Array(n));
  return {
    frames: 0,
    ionFrames: 0,
    atomHist: mk(8),
    molHist: mk(8),
    dentHist: mk(4),
    nameHist: ctx.slots.map((s) => new Float64Array(s.donorNames.length)),
    specKeys: [],
    specCounts: [],
    cation: new Float64Array(3),
    anion: new Float64Array(4),
    clusterKeys: [],
    clusterCounts: [],
    memb: [],
  };
}

function bump(hists: Float64Array[], s: number, k: number, by = 1): void {
  let h = hists[s];
  if (k >= h.length) {
    const g = new Float64Array(Math.max(k + 1, h.length * 2));
    g.set(h);
    hists[s] = h = g;
  }
  h[k] += by;
}

function cacheOf(ctx: SolvationRuntime, st: SolvationState): StateCache {
  let c = ctx.caches.get(st);
  if (!c) {
    c = {
      spec: new Map(st.specKeys.map((k, i) => [k, i])),
      cluster: new Map(st.clusterKeys.map((k, i) => [k, i])),
      lastCounts: new Int32Array(ctx.ionAtoms.length * ctx.slots.length),
      lastSpec: new Int32Array(ctx.ionAtoms.length).fill(-1),
    };
    ctx.caches.set(st, c);
  }
  return c;
}

function countKey(keys: number[], counts: number[], index: Map<number, number>, key: number, by: number): void {
  const i = index.get(key);
  if (i === undefined) {
    index.set(key, keys.length);
    keys.push(key);
    counts.push(by);
  } else counts[i] += by;
}

function find(p: Int32Array, x: number): number {
  while (p[x] !== x) {
    p[x] = p[p[x]];
    x = p[x];
  }
  return x;
}

function grow32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const g = new Int32Array(Math.max(need, a.length * 2));
  g.set(a);
  return g;
}

function growF64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const g = new Float64Array(Math.max(need, a.length * 2));
  g.set(a);
  return g;
}

function accumulate(ctx: SolvationRuntime, st: SolvationState, frame: Frame): void {
  const pos = frame.positions;
  const box = frame.box;
  if (box && ctx.maxCutoff > boxInscribedRadius(box)) {
    throw new OptionError(
      'OPTION',
      `solvation: cutoff ${ctx.maxCutoff} Å exceeds half the box width (${boxInscribedRadius(box).toFixed(3)} Å): minimum-image shells would be ambiguous`,
      { option: 'species.cutoff', frame: frame.index },
    );
  }
  const nI = ctx.ionAtoms.length;
  const S = ctx.slots.length;
  const { slotOfAtom, nameOfAtom, slotOfMolecule, cut2, ionMolecule, molStamp, molHits, atomCnt, ionSlotCounts, ionStart } = ctx;
  const molOf = ctx.topology.molecules;
  const cache = cacheOf(ctx, st);
  ctx.grid.build(pos, ctx.donorAtoms, box, ctx.maxCutoff);
  let nb = 0;
  ionSlotCounts.fill(0);
  for (let i = 0; i < nI; i++) {
    const tick = ++ctx.tick;
    const a = ctx.ionAtoms[i];
    const n = ctx.grid.query(pos[3 * a], pos[3 * a + 1], pos[3 * a + 2]);
    const hitA = ctx.grid.hitAtoms;
    const hitD = ctx.grid.hitD2;
    atomCnt.fill(0);
    const start = nb;
    const own = ionMolecule[i];
    for (let k = 0; k < n; k++) {
      const at = hitA[k];
      const s = slotOfAtom[at];
      if (!(hitD[k] < cut2[s])) continue;
      const m = molOf[at];
      if (m === own) continue;
      atomCnt[s]++;
      st.nameHist[s][nameOfAtom[at]]++;
      if (molStamp[m] !== tick) {
        molStamp[m] = tick;
        molHits[m] = 1;
        if (nb >= ctx.bound.length) ctx.bound = grow32(ctx.bound, nb + 1);
        ctx.bound[nb++] = m;
      } else molHits[m]++;
    }
    const bound = ctx.bound;
    // insertion sort: shells are small, and sorted lists make membership canonical
    for (let x = start + 1; x < nb; x++) {
      const v = bound[x];
      let y = x - 1;
      while (y >= start && bound[y] > v) {
        bound[y + 1] = bound[y];
        y--;
      }
      bound[y + 1] = v;
    }
    ionStart[i] = start;
    ionStart[i + 1] = nb;
    const row = i * S;
    for (let x = start; x < nb; x++) {
      const m = bound[x];
      const s = slotOfMolecule[m];
      ionSlotCounts[row + s]++;
      bump(st.dentHist, s, molHits[m]);
    }
    for (let s = 0; s < S; s++) {
      bump(st.atomHist, s, atomCnt[s]);
      bump(st.molHist, s, ionSlotCounts[row + s]);
    }
    // speciation: reuse the ion's previous composition when unchanged (the common case)
    let same = cache.lastSpec[i] >= 0;
    if (same) {
      for (let s = 0; s < S; s++) {
        if (cache.lastCounts[row + s] !== ionSlotCounts[row + s]) {
          same = false;
          break;
        }
      }
    }
    if (!same) {
      let key = `${ctx.ionKind[i]}|`;
      for (let s = 0; s < S; s++) {
        key += s ? `,${ionSlotCounts[row + s]}` : `${ionSlotCounts[row + s]}`;
        cache.lastCounts[row + s] = ionSlotCounts[row + s];
      }
      let idx = cache.spec.get(key);
      if (idx === undefined) {
        idx = st.specKeys.length;
        cache.spec.set(key, idx);
        st.specKeys.push(key);
        st.specCounts.push(0);
      }
      cache.lastSpec[i] = idx;
    }
    st.specCounts[cache.lastSpec[i]]++;
  }
  const bound = ctx.bound;

  // ion pairing: how many cations hold each anion molecule in their shell
  const ft = ++ctx.frameTick;
  const { isAnionMolecule, anionStamp, anionBind, anionLocal, anionList } = ctx;
  let nBound = 0;
  for (let x = 0; x < nb; x++) {
    const m = bound[x];
    if (!isAnionMolecule[m]) continue;
    if (anionStamp[m] !== ft) {
      anionStamp[m] = ft;
      anionBind[m] = 1;
      anionLocal[m] = nBound;
      anionList[nBound++] = m;
    } else anionBind[m]++;
  }
  const nA = ctx.anionMoleculeCount;
  st.anion[0] += nA - nBound;
  for (let k = 0; k < nBound; k++) {
    const c = anionBind[anionList[k]];
    st.anion[c === 1 ? 1 : c === 2 ? 2 : 3]++;
  }
  const uf = ctx.uf;
  for (let k = 0; k < nI + nBound; k++) uf[k] = k;
  for (let i = 0; i < nI; i++) {
    let has = false;
    let agg = false;
    for (let x = ionStart[i]; x < ionStart[i + 1]; x++) {
      const m = bound[x];
      if (!isAnionMolecule[m]) continue;
      has = true;
      if (anionBind[m] > 1) agg = true;
      const ra = find(uf, i);
      const rb = find(uf, nI + anionLocal[m]);
      if (ra !== rb) uf[Math.max(ra, rb)] = Math.min(ra, rb);
    }
    st.cation[has ? (agg ? 2 : 1) : 0]++;
  }
  // clusters: connected components of the cation–anion graph; free anions are size-1 clusters
  const { compC, compA } = ctx;
  for (let k = 0; k < nI + nBound; k++) {
    compC[k] = 0;
    compA[k] = 0;
  }
  for (let k = 0; k < nI + nBound; k++) {
    const r = find(uf, k);
    if (k < nI) compC[r]++;
    else compA[r]++;
  }
  const base = nA + 1;
  for (let k = 0; k < nI + nBound; k++) {
    if (uf[k] === k) countKey(st.clusterKeys, st.clusterCounts, cache.cluster, compC[k] * base + compA[k], 1);
  }
  if (nA - nBound > 0) countKey(st.clusterKeys, st.clusterCounts, cache.cluster, 1, nA - nBound);

  st.frames++;
  st.ionFrames += nI;

  if (ctx.storeMembership) {
    let part = st.memb[st.memb.length - 1];
    if (!part) {
      part = { frames: 0, frameIndex: new Float64Array(16), time: new Float64Array(16), counts: new Int32Array(16 * nI), data: new Int32Array(Math.max(16, nb * 16)), dataLength: 0 };
      st.memb.push(part);
    }
    const f = part.frames;
    part.frameIndex = growF64(part.frameIndex, f + 1);
    part.time = growF64(part.time, f + 1);
    part.counts = grow32(part.counts, (f + 1) * nI);
    part.data = grow32(part.data, part.dataLength + nb);
    part.frameIndex[f] = frame.index;
    part.time[f] = frame.time;
    for (let i = 0; i < nI; i++) part.counts[f * nI + i] = ionStart[i + 1] - ionStart[i];
    part.data.set(bound.subarray(0, nb), part.dataLength);
    part.dataLength += nb;
    part.frames = f + 1;
  }
}

function addHists(into: Float64Array[], other: Float64Array[]): void {
  for (let s = 0; s < other.length; s++) {
    const o = other[s];
    let last = o.length - 1;
    while (last >= 0 && o[last] === 0) last--;
    if (last >= into[s].length) {
      const g = new Float64Array(last + 1);
      g.set(into[s]);
      into[s] = g;
    }
    const t = into[s];
    for (let k = 0; k <= last; k++) t[k] += o[k];
  }
}

function merge(ctx: SolvationRuntime, into: SolvationState, other: SolvationState): void {
  into.frames += other.frames;
  into.ionFrames += other.ionFrames;
  addHists(into.atomHist, other.atomHist);
  addHists(into.molHist, other.molHist);
  addHists(into.dentHist, other.dentHist);
  addHists(into.nameHist, other.nameHist);
  const specIndex = new Map(into.specKeys.map((k, i) => [k, i]));
  other.specKeys.forEach((k, j) => {
    const i = specIndex.get(k);
    if (i === undefined) {
      specIndex.set(k, into.specKeys.length);
      into.specKeys.push(k);
      into.specCounts.push(other.specCounts[j]);
    } else into.specCounts[i] += other.specCounts[j];
  });
  for (let k = 0; k < 3; k++) into.cation[k] += other.cation[k];
  for (let k = 0; k < 4; k++) into.anion[k] += other.anion[k];
  const clusterIndex = new Map(into.clusterKeys.map((k, i) => [k, i]));
  other.clusterKeys.forEach((k, j) => countKey(into.clusterKeys, into.clusterCounts, clusterIndex, k, other.clusterCounts[j]));
  // membership parts are taken over by reference (concatenation in merge order)
  for (const p of other.memb) if (p.frames > 0) into.memb.push(p);
  ctx.caches.delete(into);
}

/** Distribution {k: fraction} of a histogram (non-zero entries) and Σ k·h_k. */
function distribution(h: Float64Array, total: number): { dist: Record<string, number>; sum: number } {
  const dist: Record<string, number> = {};
  let sum = 0;
  for (let k = 0; k < h.length; k++) {
    if (h[k] > 0) {
      dist[String(k)] = h[k] / total;
      sum += k * h[k];
    }
  }
  return { dist, sum };
}

function histSum(h: Float64Array): number {
  let s = 0;
  for (let k = 0; k < h.length; k++) s += k * h[k];
  return s;
}

function fractionOf(chunks: readonly SolvationState[], num: (c: SolvationState) => number, den: (c: SolvationState) => number): FractionEstimate {
  const b = blockAverage(chunks.map(num), chunks.map(den));
  return { fraction: b.mean, stderr: b.stderr };
}

function finalize(ctx: SolvationRuntime, m: SolvationState, chunks: readonly SolvationState[]): SolvationResult {
  const topo = ctx.topology;
  const S = ctx.slots.length;
  const nI = ctx.ionAtoms.length;
  const warnings: string[] = [];
  const blocks = chunks.filter((c) => c.ionFrames > 0).length;

  // coordination
  const coordination: CoordinationEntry[] = ctx.slots.map((sl, s) => {
    const a = distribution(m.atomHist[s], m.ionFrames);
    const mo = distribution(m.molHist[s], m.ionFrames);
    const ab = blockAverage(chunks.map((c) => histSum(c.atomHist[s])), chunks.map((c) => c.ionFrames));
    const mb = blockAverage(chunks.map((c) => histSum(c.molHist[s])), chunks.map((c) => c.ionFrames));
    let events = 0;
    for (let k = 0; k < m.dentHist[s].length; k++) events += m.dentHist[s][k];
    const dent: Record<string, number> = {};
    for (let k = 0; k < m.dentHist[s].length; k++) if (m.dentHist[s][k] > 0) dent[String(k)] = m.dentHist[s][k] / events;
    let contacts = 0;
    for (let k = 0; k < m.nameHist[s].length; k++) contacts += m.nameHist[s][k];
    const names: Record<string, number> = {};
    sl.donorNames.forEach((nm, k) => {
      if (m.nameHist[s][k] > 0) names[nm] = m.nameHist[s][k] / contacts;
    });
    return {
      species: sl.species.name,
      key: sl.key,
      cutoff: sl.cutoff,
      donors: sl.donors,
      donorAtomCount: sl.donorAtoms.length,
      charge: sl.species.charge,
      anion: sl.anion,
      atoms: { mean: m.ionFrames ? a.sum / m.ionFrames : NaN, stderr: ab.stderr, distribution: a.dist },
      molecules: { mean: m.ionFrames ? mo.sum / m.ionFrames : NaN, stderr: mb.stderr, distribution: mo.dist },
      denticity: dent,
      boundEvents: events,
      donorAtoms: names,
    };
  });

  // speciation
  const chunkSpec = chunks.map((c) => new Map(c.specKeys.map((k, i) => [k, c.specCounts[i]])));
  const speciation: SpeciationEntry[] = m.specKeys.map((key, idx) => {
    const [kindStr, countStr] = key.split('|');
    const kind = ctx.ionKinds[Number(kindStr)];
    const counts = countStr.split(',').map(Number);
    let charge = kind.charge;
    const composition: Record<string, number> = {};
    const ligands = ctx.slots.map((sl, s) => {
      charge += counts[s] * sl.species.charge;
      if (counts[s] > 0) composition[sl.species.name] = counts[s];
      return { name: sl.labelName, count: counts[s], group: sl.group };
    });
    const b = blockAverage(chunkSpec.map((c) => c.get(key) ?? 0), chunks.map((c) => c.ionFrames));
    return {
      label: speciationLabel(kind.labelName, ligands, charge),
      ion: kind.labelName,
      composition,
      charge: Math.round(charge * 1e6) / 1e6,
      fraction: m.specCounts[idx] / m.ionFrames,
      stderr: b.stderr,
      ionFrames: m.specCounts[idx],
    };
  });
  const specOrder = speciation.map((_, i) => i).sort((x, y) => {
    const a = speciation[x];
    const b = speciation[y];
    return b.ionFrames - a.ionFrames || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) || (m.specKeys[x] < m.specKeys[y] ? -1 : 1);
  });
  const codeOfKey = new Map<string, number>();
  specOrder.forEach((i, code) => codeOfKey.set(m.specKeys[i], code));
  const speciationSorted = specOrder.map((i) => speciation[i]);

  // pairing
  const cf = (k: number) => fractionOf(chunks, (c) => c.cation[k], (c) => c.cation[0] + c.cation[1] + c.cation[2]);
  const af = (k: number) => fractionOf(chunks, (c) => c.anion[k], (c) => c.anion[0] + c.anion[1] + c.anion[2] + c.anion[3]);
  let anionContacts = 0;
  ctx.slots.forEach((sl, s) => {
    if (sl.anion) anionContacts += histSum(m.molHist[s]);
  });
  const pairing: PairingResult = {
    cation: { SSIP: cf(0), CIP: cf(1), AGG: cf(2) },
    anion: { SSIP: af(0), CIP: af(1), AGG_I: af(2), AGG_II: af(3) },
    anions: ctx.slots.filter((s) => s.anion).map((s) => s.species.name),
    cationFrames: m.cation[0] + m.cation[1] + m.cation[2],
    anionFrames: m.anion[0] + m.anion[1] + m.anion[2] + m.anion[3],
    anionsPerCation: m.ionFrames ? anionContacts / m.ionFrames : NaN,
  };

  // clusters
  const base = ctx.anionMoleculeCount + 1;
  const ionCharges = new Set(ctx.ionKinds.map((k) => k.charge));
  const anionCharges = new Set(ctx.slots.filter((s) => s.anion).map((s) => s.species.charge));
  const qc = ionCharges.size === 1 ? [...ionCharges][0] : null;
  const qa = anionCharges.size === 1 ? [...anionCharges][0] : anionCharges.size === 0 ? 0 : null;
  let totalClusters = 0;
  let totalIons = 0;
  let largest = 0;
  for (let k = 0; k < m.clusterKeys.length; k++) {
    const size = Math.floor(m.clusterKeys[k] / base) + (m.clusterKeys[k] % base);
    totalClusters += m.clusterCounts[k];
    totalIons += size * m.clusterCounts[k];
    if (m.clusterCounts[k] > 0 && size > largest) largest = size;
  }
  const composition: ClusterComposition[] = m.clusterKeys
    .map((key, k) => {
      const cations = Math.floor(key / base);
      const anions = key % base;
      const n = m.clusterCounts[k];
      return {
        cations,
        anions,
        size: cations + anions,
        charge: qc !== null && qa !== null ? Math.round((cations * qc + anions * qa) * 1e6) / 1e6 : null,
        perFrame: n / m.frames,
        fraction: n / totalClusters,
        cationFraction: (cations * n) / m.ionFrames,
        anionFraction: pairing.anionFrames ? (anions * n) / pairing.anionFrames : NaN,
      };
    })
    .sort((x, y) => x.size - y.size || y.cations - x.cations);
  const sizes = [...new Set(composition.map((c) => c.size))].sort((x, y) => x - y);
  const chunkSizeCount = (c: SolvationState, size: number | null) => {
    let n = 0;
    c.clusterKeys.forEach((key, k) => {
      if (size === null || Math.floor(key / base) + (key % base) === size) n += c.clusterCounts[k];
    });
    return n;
  };
  const clusters: ClusterResult = {
    perFrame: m.frames ? totalClusters / m.frames : NaN,
    meanSize: totalClusters ? totalIons / totalClusters : NaN,
    largest,
    composition,
    size: sizes.map((size) => {
      const n = chunkSizeCount(m, size);
      const b = blockAverage(chunks.map((c) => chunkSizeCount(c, size)), chunks.map((c) => chunkSizeCount(c, null)));
      return { size, perFrame: n / m.frames, fraction: n / totalClusters, stderr: b.stderr };
    }),
  };

  const { residence, timeline } = membershipResults(ctx, m, codeOfKey, speciationSorted, warnings);

  return {
    ions: {
      selection: ctx.ionsSelection,
      count: nI,
      species: ctx.ionKinds.map((k) => k.species.name),
      charge: ctx.ionKinds.map((k) => k.charge),
    },
    frames: m.frames,
    ionFrames: m.ionFrames,
    blocks,
    coordination,
    speciation: speciationSorted,
    pairing,
    clusters,
    residence,
    ...(timeline ? { perIonTimeline: timeline } : {}),
    warnings,
  };
}

/** Lags reported in the residence curve: all up to 1000, then ~log-spaced (200 per decade). */
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

function membershipResults(
  ctx: SolvationRuntime,
  m: SolvationState,
  codeOfKey: Map<string, number>,
  speciation: SpeciationEntry[],
  warnings: string[],
): { residence: ResidenceEntry[]; timeline: PerIonTimeline | null } {
  if (!ctx.storeMembership) return { residence: [], timeline: null };
  const nI = ctx.ionAtoms.length;
  const S = ctx.slots.length;
  const parts = m.memb.filter((p) => p.frames > 0).sort((a, b) => a.frameIndex[0] - b.frameIndex[0]);
  let T = 0;
  for (const p of parts) T += p.frames;
  // concatenated frame axis; per frame: part, local frame, data offset of ion 0
  const frameIndex = new Float64Array(T);
  const time = new Float64Array(T);
  const partOf = new Int32Array(T);
  const localOf = new Int32Array(T);
  const offsets: Int32Array[] = parts.map((p) => {
    const o = new Int32Array(p.frames * nI + 1);
    for (let k = 0; k < p.frames * nI; k++) o[k + 1] = o[k] + p.counts[k];
    return o;
  });
  let g = 0;
  parts.forEach((p, pi) => {
    for (let f = 0; f < p.frames; f++, g++) {
      frameIndex[g] = p.frameIndex[f];
      time[g] = p.time[f];
      partOf[g] = pi;
      localOf[g] = f;
    }
  });
  const list = (k: number, i: number): [Int32Array, number, number] => {
    const p = parts[partOf[k]];
    const o = offsets[partOf[k]];
    const r = localOf[k] * nI + i;
    return [p.data, o[r], o[r + 1]];
  };

  // contiguous segments: the smallest frame-number step splits where the spacing differs
  let step = Infinity;
  for (let k = 1; k < T; k++) {
    const d = frameIndex[k] - frameIndex[k - 1];
    if (d > 0 && d < step) step = d;
  }
  if (!Number.isFinite(step)) step = 1;
  const segStarts: number[] = [0];
  for (let k = 1; k < T; k++) if (frameIndex[k] - frameIndex[k - 1] !== step) segStarts.push(k);
  segStarts.push(T);
  if (segStarts.length > 2) warnings.push(`residence: the visited frames have ${segStarts.length - 2} gap(s) (failed chunks or irregular frame numbers); correlations use time origins within each contiguous segment`);

  // Δt between visited frames
  let dtPs = NaN;
  let allTimes = T > 1;
  for (let k = 0; k < T; k++) if (!Number.isFinite(time[k])) allTimes = false;
  if (allTimes) {
    let sum = 0;
    let n = 0;
    for (let si = 0; si + 1 < segStarts.length; si++) {
      for (let k = segStarts[si] + 1; k < segStarts[si + 1]; k++) {
        sum += time[k] - time[k - 1];
        n++;
      }
    }
    if (n > 0) {
      dtPs = sum / n;
      let worst = 0;
      for (let si = 0; si + 1 < segStarts.length; si++) {
        for (let k = segStarts[si] + 1; k < segStarts[si + 1]; k++) worst = Math.max(worst, Math.abs(time[k] - time[k - 1] - dtPs));
      }
      if (!(dtPs > 0)) dtPs = NaN;
      else if (worst > 1e-3 * dtPs + 1e-6) warnings.push(`residence: frame times are not evenly spaced (Δt = ${dtPs} ps on average, off by up to ${worst} ps); lags assume even spacing`);
    }
  }
  if (!Number.isFinite(dtPs) && ctx.timestepPs !== null) dtPs = ctx.timestepPs * step;
  if (!Number.isFinite(dtPs) && T > 1 && ctx.residence !== false) warnings.push('residence: frames carry no time and no timestepPs was given; residence times are reported in frames only');

  // timeline: run-length encoded speciation code per ion
  let timeline: PerIonTimeline | null = null;
  if (ctx.timeline) {
    const runs: number[][] = Array.from({ length: nI }, () => []);
    const slotOf = ctx.slotOfMolecule;
    const counts = new Int32Array(S);
    for (let i = 0; i < nI; i++) {
      const r = runs[i];
      let prevCode = -1;
      let prevData: Int32Array | null = null;
      let prevA = 0;
      let prevB = 0;
      for (let k = 0; k < T; k++) {
        const [data, a, b] = list(k, i);
        let code = prevCode;
        let same = prevData !== null && b - a === prevB - prevA;
        for (let x = 0; same && x < b - a; x++) if (data[a + x] !== prevData![prevA + x]) same = false;
        if (!same) {
          counts.fill(0);
          for (let x = a; x < b; x++) counts[slotOf[data[x]]]++;
          const key = `${ctx.ionKind[i]}|${Array.from(counts).join(',')}`;
          code = codeOfKey.get(key) ?? -1;
        }
        if (code === prevCode && r.length) r[r.length - 2]++;
        else r.push(k, 1, code);
        prevCode = code;
        prevData = data;
        prevA = a;
        prevB = b;
      }
    }
    timeline = {
      labels: speciation.map((s) => s.label),
      ions: Array.from(ctx.ionAtoms),
      frameIndices: Array.from(frameIndex),
      timesPs: Array.from(time),
      runs,
    };
  }

  if (ctx.residence === false) return { residence: [], timeline };
  let longest = 0;
  for (let si = 0; si + 1 < segStarts.length; si++) longest = Math.max(longest, segStarts[si + 1] - segStarts[si]);
  const maxLag = Math.max(0, Math.min(ctx.residence.maxLagFrames ?? Infinity, longest - 1));
  const maxGap = Number.isFinite(dtPs) ? maxForgivenGap(ctx.residence.tolerancePs, dtPs) : 0;
  if (ctx.residence.tolerancePs > 0 && !Number.isFinite(dtPs)) warnings.push('residence: tolerancePs ignored because the frame spacing is unknown');
  const acc = ctx.slots.map(() => new ResidenceAccumulator(maxLag, maxGap));
  const nm = ctx.topology.moleculeCount;
  for (let si = 0; si + 1 < segStarts.length; si++) {
    const k0 = segStarts[si];
    const k1 = segStarts[si + 1];
    const Tseg = k1 - k0;
    // runs of each (ion, molecule) pair within the segment, in time order
    const pairRuns = new Map<number, number[]>();
    for (let i = 0; i < nI; i++) {
      let prev: number[] = [];
      let prevStart: number[] = [];
      for (let k = k0; k <= k1; k++) {
        const cur: number[] = [];
        const curStart: number[] = [];
        if (k < k1) {
          const [data, a, b] = list(k, i);
          for (let x = a; x < b; x++) cur.push(data[x]);
        }
        let p = 0;
        for (let c = 0; c < cur.length; c++) {
          while (p < prev.length && prev[p] < cur[c]) {
            closeRun(pairRuns, i * nm + prev[p], prevStart[p], k - k0);
            p++;
          }
          if (p < prev.length && prev[p] === cur[c]) {
            curStart.push(prevStart[p]);
            p++;
          } else curStart.push(k - k0);
        }
        for (; p < prev.length; p++) closeRun(pairRuns, i * nm + prev[p], prevStart[p], k - k0);
        prev = cur;
        prevStart = curStart;
      }
    }
    const keys = [...pairRuns.keys()].sort((x, y) => x - y);
    for (const key of keys) {
      const r = pairRuns.get(key)!;
      acc[ctx.slotOfMolecule[key % nm]].addPair(r, r.length / 2, Tseg);
    }
  }
  const lags = curveLags(maxLag);
  const dtKnown = Number.isFinite(dtPs);
  const windowPs = dtKnown ? maxLag * dtPs : null;
  const residence: ResidenceEntry[] = ctx.slots.map((sl, s) => {
    const a = acc[s];
    const { intermittent, continuous } = a.curves();
    const times = (c: Float64Array): ResidenceTimesResult => {
      const r = residenceTimes(c);
      return {
        converged: r.converged,
        tau_1e_frames: r.tau1eFrames,
        tau_1e_ps: r.tau1eFrames !== null && dtKnown ? r.tau1eFrames * dtPs : null,
        tau_integral_frames: r.tauIntegralFrames,
        tau_integral_ps: dtKnown && Number.isFinite(r.tauIntegralFrames) ? r.tauIntegralFrames * dtPs : null,
      };
    };
    const ti = times(intermittent);
    const tc = times(continuous);
    const bound = a.events > 0;
    const value = (t: ResidenceTimesResult) => (!bound || !dtKnown ? null : t.converged ? t.tau_1e_ps : windowPs);
    return {
      species: sl.species.name,
      intermittent_ps: value(ti),
      continuous_ps: value(tc),
      converged: bound && ti.converged && tc.converged,
      lowerBound: bound && (!ti.converged || !tc.converged),
      window_ps: windowPs,
      intermittent: ti,
      continuous: tc,
      pairs: a.pairs,
      events: a.events,
      dtPs,
      maxLagFrames: maxLag,
      toleranceFrames: maxGap,
      curve: {
        lagFrames: lags,
        lagPs: dtKnown ? lags.map((t) => t * dtPs) : null,
        intermittent: lags.map((t) => intermittent[t]),
        continuous: lags.map((t) => continuous[t]),
      },
    };
  });
  return { residence, timeline };
}

function closeRun(map: Map<number, number[]>, key: number, start: number, end: number): void {
  let r = map.get(key);
  if (!r) map.set(key, (r = []));
  r.push(start, end);
}

/**
 * 'solvation': the first solvation shell of every ion in every frame, found once with a
 * neighbour grid over the donor atoms, and everything derived from it in the same pass —
 * coordination numbers, denticity, speciation, ion pairing, ion clusters, residence times and a
 * per-ion timeline. Definitions and formulas: see README.md beside this file; in short:
 *
 * - A molecule j of a listed species is in the first shell of ion i in a frame when at least one
 *   of its donor atoms has minimum-image distance d < cutoff(species) (strict).
 * - Atom CN = donor atoms within cutoff; molecule CN = molecules in the shell; per ion-frame.
 * - Denticity of a bound molecule = its donor atoms within cutoff of that same ion.
 * - Speciation: the shell as a multiset of species, labelled `[Mg(TFSI)(DME)2]+`.
 * - Pairing (Seo & Henderson): cation side SSIP/CIP/AGG, anion side SSIP/CIP/AGG_I/AGG_II.
 * - Clusters: connected components of the cation–anion shell graph, isolated ions included.
 * - Residence: C_I(τ) and C_C(τ) from membership h_ij(t), τ_1/e and ∫C dτ.
 *
 * Every count is an exact integer (held in float64), so merging chunk states is exact and the
 * result is bit-identical for any chunking; standard errors are block standard errors with one
 * block per chunk ({@link blockAverage}).
 *
 * Cost: one neighbour-grid build over the donor atoms and one query per ion per frame, at the
 * largest cutoff — about the cost of one g(r) pass. Memory: the per-chunk state holds the
 * histograms plus, for residence times and the timeline, the sorted bound-molecule list of
 * every ion in every frame (≈ ions × shell size × frames Int32 values, e.g. 12 × 6 × 301 ≈
 * 22 000 ints for the bundled example); switch both off with `residence: false, timeline: false`.
 *
 * @throws OptionError (setup) for a malformed spec, naming the option; SelectionError for a bad
 *   ion or donor selection. (accumulate) OptionError when a cutoff exceeds half the box width
 *   (the inscribed radius), where minimum-image shells are ambiguous; SolvscopeError 'CORRUPT'
 *   from the neighbour grid for non-finite donor positions.
 */
export const solvationAnalysis: Analysis<SolvationSpec, SolvationRuntime, SolvationState, SolvationResult> = {
  id: 'solvation',
  setup,
  init,
  accumulate,
  merge,
  finalize,
};
