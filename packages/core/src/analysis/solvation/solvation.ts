import { boxInscribedRadius } from '../../box.js';
import { OptionError } from '../../errors.js';
import type { Frame } from '../../frame.js';
import { NeighborGrid } from '../../geometry/neighbor-grid.js';
import { grown } from '../../typed-arrays.js';
import type { Analysis, FrameScratch, NearHits, PublishedGrid, SystemInfo } from '../analysis.js';
import { blockAverage } from '../stats.js';
import { speciationLabel } from './labels.js';
import { axisAppend, axisConcat, axisDt, axisJoin, createAxis, SEG, segmentCount, lastSegmentLength, firstSegmentLength, type FrameAxis } from './frame-axis.js';
import { residenceTimes } from './residence.js';
import {
  cloneWindow,
  concatWindows,
  createCache,
  createWindow,
  decideMaxGap,
  DEFAULT_MAX_LAG,
  packWindow,
  windowFrame,
  windowSums,
  type ResidenceCache,
  type ResidenceLayout,
  type ResidenceWindow,
  type WindowSpan,
} from './residence-window.js';
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
   * Intermittent residence time (ps): τ_1/e of C_I; when C_I never falls below 1/e within the
   * window, the window length maxLag·Δt as a lower bound, with `converged: false` ("longer than
   * the window"; by default the window is min(trajectory, 2000 frames)). null when Δt is unknown
   * or no molecule of the species ever binds.
   */
  intermittent_ps: number | null;
  /** Continuous residence time (ps): τ_1/e of C_C, same conventions. */
  continuous_ps: number | null;
  /** Both C_I and C_C fell below 1/e within the window. */
  converged: boolean;
  /** True when a reported time is the window length because C did not decay ("longer than the window"). */
  lowerBound: boolean;
  /** maxLag·Δt (ps): the longest lag computed. */
  window_ps: number | null;
  intermittent: ResidenceTimesResult;
  continuous: ResidenceTimesResult;
  /** Distinct ion–molecule pairs ever bound (over the whole run, gaps included). */
  pairs: number;
  /** Binding events (uninterrupted runs of membership). */
  events: number;
  /** ps between visited frames (NaN if unknown). */
  dtPs: number;
  /** Longest lag computed (visited frames): min(spec maxLagFrames, default min(frames − 1, 2000), longest segment − 1). */
  maxLagFrames: number;
  /** Largest absence (frames) the continuous definition forgives. */
  toleranceFrames: number;
  /** C_I and C_C at a subset of lags (all lags up to 1000, log-spaced beyond). */
  curve: { lagFrames: number[]; lagPs: number[] | null; intermittent: number[]; continuous: number[] };
}

/** A contiguous run of visited frames (no missing frame inside). */
export interface TimelineSegment {
  /** Ordinal of the segment's first frame on the timeline (the runs' frame axis). */
  first: number;
  /** Visited frames in the segment. */
  count: number;
  /** File frame number of its first frame, and the file frame-number step between its frames (0 for one frame). */
  frame: number;
  step: number;
  /** ps of its first and last frame (NaN when frames carry no time). */
  startPs: number;
  endPs: number;
}

export interface PerIonTimeline {
  /** Label of each code: the speciation labels in result order. */
  labels: string[];
  /** Atom index of each ion. */
  ions: number[];
  /** The visited frames as contiguous segments (O(gaps)); frameIndices and timesPs expand them. */
  segments: TimelineSegment[];
  /** File frame number of each visited frame (expanded from `segments` in finalize; exact). */
  frameIndices: number[];
  /**
   * ps of each visited frame, expanded from `segments`: evenly spaced between each segment's
   * first and last time (exact at both ends; equals the file's times when they are evenly
   * spaced). NaN when frames carry no time.
   */
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
  /** Visited frames as contiguous segments (O(gaps)). */
  axis: FrameAxis;
  /** Residence-time sums and the membership windows at the state's edges (O(ions × shell × maxLag)); null when residence is off. */
  res: ResidenceWindow | null;
  /**
   * Per ion: run-length encoded speciation, flat [firstOrdinal, frameCount, specKeys index, …]
   * in the first `tlLength[i]` entries (O(label changes)); null when the timeline is off.
   */
  tl: Int32Array[] | null;
  tlLength: number[];
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
  /** [`grid` over the donor atoms], for the loop over grids when no shared grid is used. */
  ownGrid: PublishedGrid[];
  /** Per grid of the current frame: the near-hit lists to read instead of querying (or null). */
  nears: (NearHits | null)[];
  /** Which published grids cover the donors (see sharedGrids), for the last set of published atom lists. */
  shared: { lists: Int32Array[]; use: number[] | null } | null;
  /** Frames whose shells came from grids shared by the g(r)s, and of those, from their near-hit lists (tests, profiling). */
  sharedFrames: number;
  nearFrames: number;
  caches: WeakMap<object, StateCache>;
  /**
   * What the shell loop reads per hit, interleaved so that one cache line serves an atom or a
   * molecule (these loads were most of the shell assignment's time at 110k atoms):
   * per atom [slot, molecule, donor-name code] (slot −1: not a donor), per molecule
   * [stamp, contacts, slot, partner ordinal]: the ion tick it was last seen in, its contacts
   * with that ion, its species slot (−1: not a partner) and its ordinal among partners (−1).
   */
  atomInfo: Int32Array;
  molInfo: Int32Array;
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
  /** The residence window layout (null when residence is off). */
  layout: ResidenceLayout | null;
  resCaches: WeakMap<ResidenceWindow, ResidenceCache>;
  /** Bound partner ordinals of the current frame (scratch). */
  partnerBound: Int32Array;
}

/**
 * Longest lag kept (visited frames): the spec's maxLagFrames, else DEFAULT_MAX_LAG, and never
 * more than the frames the run visits minus one (when known). At least 1.
 */
function residenceMaxLag(maxLagFrames: number | null, frameCount: number): number {
  let m = maxLagFrames ?? DEFAULT_MAX_LAG;
  if (Number.isFinite(frameCount) && frameCount > 0) m = Math.min(m, frameCount - 1);
  return Math.max(1, m);
}

function setup(spec: SolvationSpec, system: SystemInfo): SolvationRuntime {
  const c = resolveSolvationSpec(spec, system.topology);
  const nI = c.ionAtoms.length;
  const S = c.slots.length;
  const nm = system.topology.moleculeCount;
  const nA = c.anionMoleculeCount;
  const partnerIndex = new Int32Array(nm).fill(-1);
  const partnerSlot: number[] = [];
  for (let m = 0; m < nm; m++) {
    if (c.slotOfMolecule[m] < 0) continue;
    partnerIndex[m] = partnerSlot.length;
    partnerSlot.push(c.slotOfMolecule[m]);
  }
  const layout: ResidenceLayout | null =
    c.residence === false
      ? null
      : {
          maxLag: residenceMaxLag(c.residence.maxLagFrames, system.frameCount),
          slots: S,
          ions: nI,
          partnerCount: partnerSlot.length,
          partnerSlot: Int32Array.from(partnerSlot),
          tolerancePs: c.residence.tolerancePs,
          timestepPs: c.timestepPs,
        };
  const grid = new NeighborGrid();
  const na = system.topology.atomCount;
  const atomInfo = new Int32Array(3 * na);
  for (let a = 0; a < na; a++) {
    atomInfo[3 * a] = c.slotOfAtom[a];
    atomInfo[3 * a + 1] = system.topology.molecules[a];
    atomInfo[3 * a + 2] = c.nameOfAtom[a];
  }
  const molInfo = new Int32Array(4 * nm);
  for (let m = 0; m < nm; m++) {
    molInfo[4 * m] = -1;
    molInfo[4 * m + 2] = c.slotOfMolecule[m];
    molInfo[4 * m + 3] = partnerIndex[m];
  }
  return {
    ...c,
    grid,
    ownGrid: [{ atoms: c.donorAtoms, grid }],
    nears: [],
    shared: null,
    sharedFrames: 0,
    nearFrames: 0,
    caches: new WeakMap(),
    atomInfo,
    molInfo,
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
    layout,
    resCaches: new WeakMap(),
    partnerBound: new Int32Array(Math.max(16, nI * 8)),
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
    axis: createAxis(),
    res: ctx.layout ? createWindow(ctx.layout) : null,
    tl: ctx.timeline ? Array.from({ length: ctx.ionAtoms.length }, () => new Int32Array(6)) : null,
    tlLength: ctx.timeline ? new Array<number>(ctx.ionAtoms.length).fill(0) : [],
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

/**
 * Grids published on this frame (by the g(r)s of the same job) that together hold exactly the
 * donor atoms, each once, with a cutoff ≥ the largest shell cutoff; null when they do not.
 * The check runs when the set of published atom lists changes (once per thread in practice).
 */
function sharedGrids(ctx: SolvationRuntime, scratch: FrameScratch | undefined): PublishedGrid[] | null {
  const pub = scratch?.grids;
  if (!pub || pub.length === 0) return null;
  const memo = ctx.shared;
  let same = memo !== null && memo.lists.length === pub.length;
  for (let k = 0; same && k < pub.length; k++) if (memo!.lists[k] !== pub[k].atoms) same = false;
  if (!same) {
    const lists = pub.map((g) => g.atoms);
    const use: number[] = [];
    const seen = new Uint8Array(ctx.slotOfAtom.length);
    let covered = 0;
    let ok = true;
    for (let k = 0; k < pub.length && ok; k++) {
      const atoms = pub[k].atoms;
      let donors = 0;
      for (let q = 0; q < atoms.length; q++) if (ctx.slotOfAtom[atoms[q]] >= 0) donors++;
      if (donors === 0) continue; // another selection: not needed
      if (donors !== atoms.length) ok = false; // mixes donors and other atoms
      for (let q = 0; q < atoms.length && ok; q++) {
        if (seen[atoms[q]]) ok = false; // two grids hold the same atom
        seen[atoms[q]] = 1;
      }
      covered += donors;
      use.push(k);
    }
    ctx.shared = { lists, use: ok && covered === ctx.donorAtoms.length ? use : null };
  }
  const use = ctx.shared!.use;
  if (!use) return null;
  const entries = use.map((k) => pub[k]);
  for (const e of entries) if (e.grid.cutoff < ctx.maxCutoff) return null;
  // ask the publishers for the hits near each ion from the next frame on (they query from the
  // ions anyway when their ref is the ion selection: the g(r)s of analyze)
  for (const e of entries) if (!scratch!.nearWanted.has(e.atoms)) scratch!.nearWanted.set(e.atoms, { ref: ctx.ionAtoms, radius: ctx.maxCutoff });
  return entries;
}

function accumulate(ctx: SolvationRuntime, st: SolvationState, frame: Frame, scratch?: FrameScratch): void {
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
  const { atomInfo, molInfo, cut2, ionMolecule, atomCnt, ionSlotCounts, ionStart } = ctx;
  const cache = cacheOf(ctx, st);
  // The g(r)s of the same job have built grids over the donor atoms on this frame already
  // (at 12 Å): query those with the shell radius instead of building another one. Same pairs,
  // same squared distances (minimum images are found the same way), so the same shells.
  let grids = sharedGrids(ctx, scratch);
  if (grids) ctx.sharedFrames++;
  else {
    ctx.grid.build(pos, ctx.donorAtoms, box, ctx.maxCutoff);
    grids = ctx.ownGrid;
  }
  const radius = ctx.maxCutoff;
  // hits the publisher recorded for exactly these ions and this radius, else query
  const nears = ctx.nears;
  nears.length = grids.length;
  for (let g = 0; g < grids.length; g++) {
    const nh = grids[g].near;
    nears[g] = nh && nh.ref === ctx.ionAtoms && nh.radius === radius ? nh : null;
  }
  if (nears.length && nears.every((x) => x)) ctx.nearFrames++;
  let nb = 0;
  ionSlotCounts.fill(0);
  if (ctx.tick > 0x7fffffff - nI) {
    // ticks are Int32 stamps: start again (after ~2·10⁹ ion-frames)
    for (let o = 0; o < molInfo.length; o += 4) molInfo[o] = -1;
    ctx.tick = 0;
  }
  for (let i = 0; i < nI; i++) {
    const tick = ++ctx.tick;
    const a = ctx.ionAtoms[i];
    atomCnt.fill(0);
    const start = nb;
    const own = ionMolecule[i];
    for (let g = 0; g < grids.length; g++) {
      const nh = nears[g];
      let k0 = 0;
      let n: number;
      let hitA: Int32Array;
      let hitD: Float64Array;
      if (nh) {
        k0 = nh.start[i];
        n = nh.start[i + 1];
        hitA = nh.atoms;
        hitD = nh.d2;
      } else {
        const grid = grids[g].grid;
        n = grid.query(pos[3 * a], pos[3 * a + 1], pos[3 * a + 2], radius);
        hitA = grid.hitAtoms;
        hitD = grid.hitD2;
      }
      for (let k = k0; k < n; k++) {
        const ao = 3 * hitA[k];
        const s = atomInfo[ao];
        if (!(hitD[k] < cut2[s])) continue;
        const m = atomInfo[ao + 1];
        if (m === own) continue;
        atomCnt[s]++;
        st.nameHist[s][atomInfo[ao + 2]]++;
        const mo = 4 * m;
        if (molInfo[mo] !== tick) {
          molInfo[mo] = tick;
          molInfo[mo + 1] = 1;
          if (nb >= ctx.bound.length) ctx.bound = grown(ctx.bound, nb + 1);
          ctx.bound[nb++] = m;
        } else molInfo[mo + 1]++;
      }
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
      const mo = 4 * bound[x];
      const s = molInfo[mo + 2];
      ionSlotCounts[row + s]++;
      bump(st.dentHist, s, molInfo[mo + 1]);
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

  // frame axis, residence windows and timeline (all O(maxLag) or O(changes), never O(frames))
  const F = st.frames;
  const segsBefore = segmentCount(st.axis);
  const closedLength = segsBefore ? lastSegmentLength(st.axis) : 0;
  const dt = axisAppend(st.axis, frame.index, frame.time);
  const res = st.res;
  if (res && ctx.layout) {
    if (dt !== null && res.maxGap < 0) res.maxGap = decideMaxGap(ctx.layout, dt, st.axis.step);
    const pb = (ctx.partnerBound = grown(ctx.partnerBound, nb));
    for (let x = 0; x < nb; x++) pb[x] = ctx.molInfo[4 * bound[x] + 3];
    let rc = ctx.resCaches.get(res);
    if (!rc) ctx.resCaches.set(res, (rc = createCache(ctx.layout, res)));
    windowFrame(ctx.layout, res, rc, { F, single: segmentCount(st.axis) === 1, gap: dt === null, closedLength, closedFirst: segsBefore === 1 }, pb, ionStart);
  }
  if (st.tl) {
    for (let i = 0; i < nI; i++) {
      let r = st.tl[i];
      const n = st.tlLength[i];
      const code = cache.lastSpec[i];
      if (n && r[n - 1] === code) r[n - 2]++;
      else {
        if (n + 3 > r.length) st.tl[i] = r = grown(r, n + 3);
        r[n] = F;
        r[n + 1] = 1;
        r[n + 2] = code;
        st.tlLength[i] = n + 3;
      }
    }
  }

  st.frames++;
  st.ionFrames += nI;
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

function span(st: SolvationState): WindowSpan {
  return { frames: st.frames, segments: segmentCount(st.axis), firstLength: firstSegmentLength(st.axis), lastLength: lastSegmentLength(st.axis) };
}

/**
 * The timeline of p followed by q (q after p's `shift` frames). Codes are mapped through
 * `pCode` / `qCode` into the merged state's speciation keys. p's arrays are updated in place
 * when `own` (then pCode must be the identity), else copied.
 */
function appendTimelines(
  p: Int32Array[],
  pLen: number[],
  pCode: (v: number) => number,
  q: Int32Array[],
  qLen: number[],
  qCode: (v: number) => number,
  shift: number,
  own: boolean,
): { tl: Int32Array[]; len: number[] } {
  const tl: Int32Array[] = [];
  const len: number[] = [];
  p.forEach((a0, i) => {
    let n = pLen[i];
    let a = a0;
    if (!own) {
      a = a0.slice(0, Math.max(6, n));
      for (let k = 2; k < n; k += 3) a[k] = pCode(a[k]);
    }
    const b = q[i];
    for (let k = 0; k < qLen[i]; k += 3) {
      const code = qCode(b[k + 2]);
      if (k === 0 && n && a[n - 1] === code) a[n - 2] += b[1];
      else {
        if (n + 3 > a.length) a = grown(a, n + 3);
        a[n] = b[k] + shift;
        a[n + 1] = b[k + 1];
        a[n + 2] = code;
        n += 3;
      }
    }
    tl.push(a);
    len.push(n);
  });
  return { tl, len };
}

function merge(ctx: SolvationRuntime, into: SolvationState, other: SolvationState): void {
  const specIndex = new Map(into.specKeys.map((k, i) => [k, i]));
  const remap = other.specKeys.map((k, j) => {
    const i = specIndex.get(k);
    if (i === undefined) {
      specIndex.set(k, into.specKeys.length);
      into.specKeys.push(k);
      into.specCounts.push(other.specCounts[j]);
      return into.specKeys.length - 1;
    }
    into.specCounts[i] += other.specCounts[j];
    return i;
  });
  if (other.frames > 0) {
    const same = (v: number) => v;
    const mapped = (v: number) => remap[v];
    if (into.frames === 0) {
      into.axis = { ...other.axis, segs: other.axis.segs.slice() };
      into.res = other.res ? cloneWindow(other.res) : null;
      if (into.tl && other.tl) {
        const t = appendTimelines(into.tl, into.tlLength, same, other.tl, other.tlLength, mapped, 0, true);
        into.tl = t.tl;
        into.tlLength = t.len;
      }
    } else {
      // membership windows: join in frame order (either state may come first)
      const j = axisJoin(into.axis, other.axis);
      const [p, q] = j.swapped ? [other, into] : [into, other];
      if (into.res && other.res && ctx.layout) {
        ctx.resCaches.delete(into.res);
        into.res = concatWindows(ctx.layout, p.res!, span(p), q.res!, span(q), j.adjacent, j.dt, j.step, p === into);
      }
      if (into.tl && other.tl) {
        // codes of `other` are renumbered into `into`'s speciation keys
        const t = j.swapped
          ? appendTimelines(other.tl, other.tlLength, mapped, into.tl, into.tlLength, same, other.frames, false)
          : appendTimelines(into.tl, into.tlLength, same, other.tl, other.tlLength, mapped, into.frames, true);
        into.tl = t.tl;
        into.tlLength = t.len;
      }
      into.axis = axisConcat(p.axis, q.axis, j);
    }
  }
  into.frames += other.frames;
  into.ionFrames += other.ionFrames;
  addHists(into.atomHist, other.atomHist);
  addHists(into.molHist, other.molHist);
  addHists(into.dentHist, other.dentHist);
  addHists(into.nameHist, other.nameHist);
  for (let k = 0; k < 3; k++) into.cation[k] += other.cation[k];
  for (let k = 0; k < 4; k++) into.anion[k] += other.anion[k];
  const clusterIndex = new Map(into.clusterKeys.map((k, i) => [k, i]));
  other.clusterKeys.forEach((k, j) => countKey(into.clusterKeys, into.clusterCounts, clusterIndex, k, other.clusterCounts[j]));
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
  const blockWarning = correlatedBlocks(residence, chunks, blocks);
  if (blockWarning) warnings.push(blockWarning);

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
  const T = m.frames;
  const axis = m.axis;
  const segs = axis.segs;
  const nSeg = segmentCount(axis);
  if (nSeg > 1) warnings.push(`residence: the visited frames have ${nSeg - 1} gap(s) (failed chunks or irregular frame numbers); correlations use time origins within each contiguous segment`);

  // Δt between visited frames: (last − first time) summed over segments / frame pairs
  let dtPs = axisDt(axis);
  let noTime = 'frames carry no time';
  if (Number.isFinite(dtPs)) {
    const worst = Math.max(Math.abs(axis.maxDt - dtPs), Math.abs(axis.minDt - dtPs));
    if (!(dtPs > 0)) {
      // e.g. trajectory parts given out of order
      noTime = `frame times do not increase along the run (Δt = ${+dtPs.toPrecision(3)} ps on average)`;
      dtPs = NaN;
    } else if (worst > 1e-3 * dtPs + 1e-6) warnings.push(`residence: frame times are not evenly spaced (Δt = ${dtPs} ps on average, off by up to ${worst} ps); lags assume even spacing`);
  }
  const step = axis.step || 1;
  if (!Number.isFinite(dtPs) && ctx.timestepPs !== null) dtPs = ctx.timestepPs * step;
  if (!Number.isFinite(dtPs) && T > 1 && ctx.residence !== false) warnings.push(`residence: ${noTime} and no timestepPs was given; residence times are reported in frames only`);
  if (axis.irregular) warnings.push('residence: the visited frame numbers do not advance by one fixed step; segments were split where they could be told apart, and correlations may span missing frames');

  // timeline: run-length encoded speciation code per ion
  let timeline: PerIonTimeline | null = null;
  if (ctx.timeline && m.tl) {
    const codes = m.specKeys.map((k) => codeOfKey.get(k) ?? -1);
    const segments: TimelineSegment[] = [];
    const frameIndices: number[] = [];
    const timesPs: number[] = [];
    let first = 0;
    for (let o = 0; o < segs.length; o += SEG) {
      const [f0, f1, n, t0, t1] = segs.slice(o, o + SEG);
      const stepF = n > 1 ? (f1 - f0) / (n - 1) : 0;
      segments.push({ first, count: n, frame: f0, step: stepF, startPs: t0, endPs: t1 });
      for (let k = 0; k < n; k++) {
        frameIndices.push(f0 + k * stepF);
        timesPs.push(k === 0 ? t0 : k === n - 1 ? t1 : t0 + ((t1 - t0) * k) / (n - 1));
      }
      first += n;
    }
    timeline = {
      labels: speciation.map((s) => s.label),
      ions: Array.from(ctx.ionAtoms),
      segments,
      frameIndices,
      timesPs,
      runs: m.tl.map((r, i) => Array.from(r.subarray(0, m.tlLength[i]), (v, k) => (k % 3 === 2 ? codes[v] : v))),
    };
  }

  const res = m.res;
  if (ctx.residence === false || !res || !ctx.layout) return { residence: [], timeline };
  let longest = 0;
  for (let o = 0; o < segs.length; o += SEG) longest = Math.max(longest, segs[o + 2]);
  const maxLag = Math.max(0, Math.min(res.maxLag, longest - 1));
  const maxGap = Math.max(0, res.maxGap);
  if (ctx.residence.tolerancePs > 0 && !Number.isFinite(dtPs)) warnings.push('residence: tolerancePs ignored because the frame spacing is unknown');
  if (res.gapConflict) warnings.push(`residence: chunks saw different frame spacings, so they forgave different gaps in the continuous definition (tolerancePs ${ctx.residence.tolerancePs}); ${maxGap} frame(s) reported`);
  const lastLength = nSeg ? lastSegmentLength(axis) : 0;
  const lags = curveLags(maxLag);
  const dtKnown = Number.isFinite(dtPs);
  const windowPs = dtKnown ? maxLag * dtPs : null;
  const residence: ResidenceEntry[] = ctx.slots.map((sl, s) => {
    const a = windowSums(ctx.layout!, res, s, maxLag, T, lastLength);
    const intermittent = ratio(a.numI, a.denI);
    const continuous = ratio(a.numC, a.denC);
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

/**
 * A warning when partners stay in the shells longer than a block lasts: the chunks are then
 * correlated and their standard errors understate the uncertainty (they are 0 when no shell
 * changes at all, as in a short run of a glyme electrolyte). Continuous residence time
 * (1/e, frames) against the longest block; a residence longer than the window counts as the window.
 */
function correlatedBlocks(residence: readonly ResidenceEntry[], chunks: readonly SolvationState[], blocks: number): string | null {
  if (blocks < 2) return null;
  let blockFrames = 0;
  for (const c of chunks) if (c.ionFrames > 0) blockFrames = Math.max(blockFrames, c.frames);
  const slow = residence
    .filter((e) => e.events > 0)
    .map((e) => ({ name: e.species, frames: e.continuous.converged ? e.continuous.tau_1e_frames : e.maxLagFrames, atLeast: !e.continuous.converged }))
    .filter((e) => e.frames !== null && e.frames >= blockFrames);
  if (!slow.length) return null;
  const list = slow.map((e) => `${e.name} ${e.atLeast ? '> ' : ''}${Number.isInteger(e.frames) ? e.frames : e.frames!.toFixed(1)} frames`).join(', ');
  return `error bars: partners stay in the shells longer than a block (continuous residence: ${list}; ${blocks} blocks of ≤ ${blockFrames} frames), so the blocks are correlated and the ± understate the uncertainty of coordination, speciation and pairing (0 when no shell changes); use a longer run or independent replicas`;
}

function ratio(n: Float64Array, d: Float64Array): Float64Array {
  const out = new Float64Array(n.length);
  for (let i = 0; i < n.length; i++) out[i] = d[i] > 0 ? n[i] / d[i] : NaN;
  return out;
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
 * Every count is an exact integer (held in float64), so merging chunk states is exact and
 * associative, and the result is bit-identical for any chunking; standard errors are block
 * standard errors with one block per chunk ({@link blockAverage}). merge never modifies the
 * state it merges in; states may be merged in either order but must not overlap in frames.
 *
 * Cost: one neighbour-grid build over the donor atoms and one query per ion per frame, at the
 * largest cutoff — about the cost of one g(r) pass. Memory does not grow with the number of
 * frames except for the timeline: the state holds the histograms, the frame axis (O(gaps)), the
 * residence sums with membership windows of the first and last maxLag frames
 * (O(ions × shell × maxLag), maxLag ≤ 2000 by default; see residence-window.ts) and the
 * run-length encoded timeline (O(ions × label changes)); switch them off with
 * `residence: false, timeline: false`.
 *
 * @throws OptionError (setup) for a malformed spec, naming the option; SelectionError for a bad
 *   ion or donor selection. (accumulate) OptionError when a cutoff exceeds half the box width
 *   (the inscribed radius), where minimum-image shells are ambiguous; SolvscopeError 'CORRUPT'
 *   from the neighbour grid for non-finite donor positions. (merge) SolvscopeError 'INTERNAL'
 *   when the two states' frame ranges overlap.
 */
export const solvationAnalysis: Analysis<SolvationSpec, SolvationRuntime, SolvationState, SolvationResult> = {
  id: 'solvation',
  setup,
  init,
  accumulate,
  merge,
  endChunk: (ctx, st) => {
    if (!st.res) return;
    ctx.resCaches.delete(st.res);
    packWindow(st.res);
  },
  finalize,
  // finalize reads only the histograms and counts of chunk states; the residence windows,
  // timeline and frame axis live on in the merged state.
  blockState: (_ctx, st) => ({ ...st, res: null, tl: new Int32Array(0), tlLength: 0, axis: null }) as unknown as SolvationState,
};
