import { boxVolume } from '../../box.js';
import { OptionError, SelectionError, SolvscopeError } from '../../errors.js';
import type { Frame } from '../../frame.js';
import { periodicCell } from '../../geometry/minimum-image.js';
import { NeighborGrid } from '../../geometry/neighbor-grid.js';
import { isDynamic, parseSelection, selectNonEmpty } from '../../selection/index.js';
import type { Topology } from '../../topology.js';
import { grown } from '../../typed-arrays.js';
import type { Analysis, FrameScratch, NearHits, SystemInfo } from '../analysis.js';
import { blockAverage } from '../stats.js';
import { exactSumAdd, exactSumMerge, exactSumValue, type ExactSum } from './exact-sum.js';
import { firstShell, type FirstShell } from './first-shell.js';
import { MdaDistance } from './mda-distance.js';

/**
 * 'rdf': radial distribution function g(r) between a reference and a selected group, with the
 * running coordination number n(r). See README.md in this folder for the formulas.
 *
 * Pairs: every (i in ref, j in sel) at minimum-image distance rMin ≤ r ≤ rMax (numpy.histogram
 * bins: the last one includes rMax), except
 *  - self pairs i = j (always; they only occur when the selections overlap),
 *  - pairs in the same molecule or residue when `exclude` asks for it,
 *  - pairs in the same MDAnalysis-style exclusion block when `exclusionBlock` = [xA, xB] is
 *    given: ref atom number p (0-based within ref) and sel atom number q are in the same
 *    block when ⌊p/xA⌋ = ⌊q/xB⌋.
 * N_pairs = N_ref·N_sel − (number of excluded ordered pairs), counted exactly in setup. For
 * identical selections without other exclusions N_pairs = N(N−1), which is MDAnalysis
 * `InterRDF(g, g, exclusion_block=(1, 1))`.
 *
 * Normalisations (F frames, ⟨V⟩ = mean box volume, ΔV_k = 4/3 π (r_{k+1}³ − r_k³)), as
 * MDAnalysis 2.4 `InterRDF(norm=…)` computes them:
 *  - 'rdf' (default): g_k = count_k / (F · ΔV_k · N_pairs / ⟨V⟩)
 *  - 'density':       g_k = count_k / (F · ΔV_k)   (summed over ref atoms, as MDAnalysis does)
 *  - 'none':          g_k = count_k / F
 * Running coordination number at the upper bin edges, exact from counts:
 *   n_k = Σ_{m ≤ k} count_m / (F · N_ref)  (= 4π ρ ∫₀^{r_{k+1}} g r² dr with ρ = N_pairs/(N_ref ⟨V⟩)).
 *
 * Hits within float32 rounding of a bin edge are re-evaluated with MDAnalysis' arithmetic
 * (mda-distance.ts) so that counts agree with MDAnalysis bin for bin on XTC data, whose 0.01 Å
 * coordinate grid puts many distances exactly on 0.02 Å edges.
 *
 * Counts and Σ V are merged exactly, so results are bit-identical for any chunking; the
 * per-chunk states give block standard errors.
 */
export interface RdfSpec {
  /** Reference selection (the centres), e.g. 'name MG'. */
  ref: string;
  /** Selection counted around each reference atom, e.g. 'name OW'. */
  sel: string;
  /** Lower end of the histogram, Å (default 0). */
  rMin?: number;
  /** Upper end of the histogram, Å (default 12); at most half the shortest periodic translation of every box. */
  rMax?: number;
  /** Bin width, Å (default 0.02); rMax − rMin must be a whole number of bins. Ignored when `bins` is given. */
  binWidth?: number;
  /** Number of bins (overrides binWidth). */
  bins?: number;
  /** Normalisation; default 'rdf'. */
  norm?: 'rdf' | 'density' | 'none';
  /** Exclude pairs in the same molecule or residue; default 'none' (self pairs are always excluded). */
  exclude?: 'none' | 'same-molecule' | 'same-residue';
  /** MDAnalysis exclusion_block [xA, xB]. */
  exclusionBlock?: [number, number];
}

export const RDF_DEFAULT_R_MAX = 12;
export const RDF_DEFAULT_BIN_WIDTH = 0.02;

interface RdfContext {
  refAtoms: Int32Array;
  selAtoms: Int32Array;
  nRef: number;
  nSel: number;
  /** Ordered pairs excluded from counting (and from N_pairs). */
  excludedPairs: number;
  nPairs: number;
  bins: number;
  rMin: number;
  rMax: number;
  edges: Float64Array;
  norm: 'rdf' | 'density' | 'none';
  exclude: 'none' | 'same-molecule' | 'same-residue';
  exclusionBlock: [number, number] | null;
  /** True when some atom is in both selections (self pairs must be skipped). */
  overlap: boolean;
  /** Per-atom group key (molecule or residue index) when `exclude` is set. */
  group: Int32Array | null;
  /** Block number of each ref atom (by position in ref). */
  refBlock: Int32Array | null;
  /** Block number of each atom by its position in sel (-1 if not in sel), indexed by atom. */
  selBlock: Int32Array | null;
  maxAtom: number;
  grid: NeighborGrid;
  mda: MdaDistance;
  /** Near-hit lists another analysis asked for (FrameScratch.nearWanted): the request answered, and the lists. */
  nearFor: { ref: Int32Array; radius: number } | null;
  near: NearHits | null;
}

/** Mergeable state: exact integer counts, exact volume sums. */
export interface RdfState extends Record<string, unknown> {
  frames: number;
  /** Frames that had a periodic box. */
  boxedFrames: number;
  /** Pair counts per bin (exact integers in float64). */
  counts: Float64Array;
  /** Σ V (Å³) and Σ 1/V (Å⁻³) as exact expansions. */
  volume: ExactSum;
  inverseVolume: ExactSum;
  /** Smallest packing radius seen (Å). */
  minPackingRadius: number;
}

export interface RdfResult {
  norm: 'rdf' | 'density' | 'none';
  /** Å */
  rMin: number;
  /** Å */
  rMax: number;
  /** Å */
  binWidth: number;
  bins: number;
  /** Bin centres, Å (½(edges[k] + edges[k+1])). */
  r: Float64Array;
  /** Bin edges, Å, length bins + 1 (numpy linspace(rMin, rMax, bins + 1)). */
  edges: Float64Array;
  /** The normalised histogram (g(r) for norm 'rdf'; Å⁻³ for 'density'; pairs per frame for 'none'). */
  g: Float64Array;
  /** Block standard error of g per bin (NaN with fewer than 2 non-empty chunks). */
  gStderr: Float64Array;
  /** Running coordination number at the upper edges edges[k+1]: mean number of sel atoms within that distance of a ref atom. */
  n: Float64Array;
  /** Block standard error of n. */
  nStderr: Float64Array;
  /** Raw pair counts summed over frames (integers). */
  counts: Float64Array;
  frames: number;
  /** Chunks (blocks) with frames, used for the standard errors. */
  blocks: number;
  nRef: number;
  nSel: number;
  /** N_ref·N_sel minus excluded ordered pairs. */
  nPairs: number;
  excludedPairs: number;
  /** Mean box volume ⟨V⟩, Å³ (NaN without a box). */
  meanVolume: number;
  /** Mean inverse volume ⟨1/V⟩, Å⁻³. */
  meanInverseVolume: number;
  /** N_sel/⟨V⟩, Å⁻³. */
  density: number;
  /** N_pairs/(N_ref·⟨V⟩), Å⁻³: the density that makes n(r) = 4πρ∫g r² dr. */
  pairDensity: number;
  /** Smallest half-shortest-translation of the boxes seen, Å (the largest rMax these frames allow). */
  maxAllowedRMax: number;
  /** First peak / first minimum of the rdf-normalised g (null without a box or with fewer than 2 bins). */
  firstShell: FirstShell | null;
}

function checkNumber(v: unknown, name: string, flag: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new OptionError('OPTION', `${name} (${flag}) must be a finite number of Å (got ${JSON.stringify(v)})`, { option: flag });
  return v;
}

function resolveSelection(topo: Topology, expr: unknown, option: string, flag: string): Int32Array {
  if (typeof expr !== 'string' || !expr.trim()) throw new OptionError('OPTION', `${option} (${flag}) must be a selection string (got ${JSON.stringify(expr)})`, { option: flag });
  if (isDynamic(parseSelection(expr))) {
    throw new SelectionError('SELECTION', `${option}: rdf needs a static selection; '${expr}' depends on coordinates`, { option: flag });
  }
  return selectNonEmpty(topo, expr, option);
}

/**
 * Count ordered pairs (i ∈ ref, j ∈ sel) that are excluded: same group key (the key is the
 * atom itself when only self pairs are excluded) or same exclusion block. Exact, O(N).
 * |G ∪ B| = |G| + |B| − |G ∩ B|, each term a sum over keys of (ref count × sel count).
 */
function countExcluded(ctx: Pick<RdfContext, 'refAtoms' | 'selAtoms' | 'group' | 'exclusionBlock'>): number {
  const { refAtoms, selAtoms, group, exclusionBlock } = ctx;
  const keyG = (a: number) => (group ? group[a] : a);
  const pairsByKey = (kr: (p: number) => string | number, ks: (q: number) => string | number) => {
    const m = new Map<string | number, number>();
    for (let p = 0; p < refAtoms.length; p++) {
      const k = kr(p);
      m.set(k, (m.get(k) ?? 0) + 1);
    }
    let total = 0;
    for (let q = 0; q < selAtoms.length; q++) total += m.get(ks(q)) ?? 0;
    return total;
  };
  const g = pairsByKey((p) => keyG(refAtoms[p]), (q) => keyG(selAtoms[q]));
  if (!exclusionBlock) return g;
  const [xa, xb] = exclusionBlock;
  const b = pairsByKey((p) => Math.floor(p / xa), (q) => Math.floor(q / xb));
  const gb = pairsByKey((p) => `${keyG(refAtoms[p])}:${Math.floor(p / xa)}`, (q) => `${keyG(selAtoms[q])}:${Math.floor(q / xb)}`);
  return g + b - gb;
}

/** numpy.linspace(start, stop, num): start + i·step, last element exactly stop. */
function linspace(start: number, stop: number, num: number): Float64Array {
  const out = new Float64Array(num);
  const step = (stop - start) / (num - 1);
  for (let i = 0; i < num; i++) out[i] = i * step + start;
  out[num - 1] = stop;
  return out;
}

function setup(spec: RdfSpec, system: SystemInfo): RdfContext {
  if (typeof spec !== 'object' || spec === null) throw new OptionError('OPTION', 'rdf needs a spec object with ref and sel', { option: 'rdf' });
  const topo = system.topology;
  const norm = spec.norm ?? 'rdf';
  if (norm !== 'rdf' && norm !== 'density' && norm !== 'none') {
    throw new OptionError('OPTION', `norm (--norm) must be one of rdf, density, none (got ${JSON.stringify(norm)})`, { option: '--norm' });
  }
  const exclude = spec.exclude ?? 'none';
  if (exclude !== 'none' && exclude !== 'same-molecule' && exclude !== 'same-residue') {
    throw new OptionError('OPTION', `exclude (--exclude) must be one of none, same-molecule, same-residue (got ${JSON.stringify(exclude)})`, { option: '--exclude' });
  }
  const rMin = checkNumber(spec.rMin, 'rMin', '--r-min', 0);
  const rMax = checkNumber(spec.rMax, 'rMax', '--r-max', RDF_DEFAULT_R_MAX);
  if (rMin < 0) throw new OptionError('OPTION', `rMin (--r-min) must be ≥ 0 Å (got ${rMin})`, { option: '--r-min' });
  if (!(rMax > rMin)) throw new OptionError('OPTION', `rMax (--r-max) must be a positive number of Å larger than rMin (got ${rMax})`, { option: '--r-max' });
  let bins: number;
  if (spec.bins !== undefined) {
    bins = spec.bins;
    if (!Number.isInteger(bins) || bins < 1 || bins > 1e7) throw new OptionError('OPTION', `bins (--bins) must be a positive integer (got ${JSON.stringify(spec.bins)})`, { option: '--bins' });
  } else {
    const width = checkNumber(spec.binWidth, 'binWidth', '--bin-width', RDF_DEFAULT_BIN_WIDTH);
    if (!(width > 0)) throw new OptionError('OPTION', `binWidth (--bin-width) must be a positive number of Å (got ${width})`, { option: '--bin-width' });
    const exact = (rMax - rMin) / width;
    bins = Math.round(exact);
    if (bins < 1 || Math.abs(exact - bins) > 1e-6 * Math.max(1, exact) || bins > 1e7) {
      throw new OptionError(
        'OPTION',
        `rMax − rMin (${rMax - rMin} Å) must be a whole number of binWidth (--bin-width) ${width} Å wide (got ${exact} bins); adjust --r-max or --bin-width, or give --bins`,
        { option: '--bin-width' },
      );
    }
  }
  let exclusionBlock: [number, number] | null = null;
  if (spec.exclusionBlock !== undefined) {
    const b = spec.exclusionBlock;
    if (!Array.isArray(b) || b.length !== 2 || !b.every((x) => Number.isInteger(x) && x >= 1)) {
      throw new OptionError('OPTION', `exclusionBlock (--exclusion-block) must be two positive integers [xA, xB] (got ${JSON.stringify(b)})`, { option: '--exclusion-block' });
    }
    exclusionBlock = [b[0], b[1]];
  }
  const refAtoms = resolveSelection(topo, spec.ref, 'ref', '--ref');
  const selAtoms = resolveSelection(topo, spec.sel, 'sel', '--sel');
  const n = topo.atomCount;
  const inSel = new Uint8Array(n);
  for (const a of selAtoms) inSel[a] = 1;
  let overlap = false;
  for (const a of refAtoms) if (inSel[a]) overlap = true;
  const group = exclude === 'same-molecule' ? topo.molecules : exclude === 'same-residue' ? topo.residueIndex : null;
  let refBlock: Int32Array | null = null;
  let selBlock: Int32Array | null = null;
  if (exclusionBlock) {
    refBlock = new Int32Array(refAtoms.length);
    for (let p = 0; p < refAtoms.length; p++) refBlock[p] = Math.floor(p / exclusionBlock[0]);
    selBlock = new Int32Array(n).fill(-1);
    for (let q = 0; q < selAtoms.length; q++) selBlock[selAtoms[q]] = Math.floor(q / exclusionBlock[1]);
  }
  const partial = { refAtoms, selAtoms, group, exclusionBlock };
  const excludedPairs = countExcluded(partial);
  const nPairs = refAtoms.length * selAtoms.length - excludedPairs;
  if (nPairs <= 0) {
    throw new SelectionError('SELECTION', `ref and sel leave no pairs to count after exclusions (${refAtoms.length} × ${selAtoms.length} atoms, ${excludedPairs} pairs excluded)`, { option: '--sel' });
  }
  let maxAtom = 0;
  for (const a of refAtoms) if (a > maxAtom) maxAtom = a;
  for (const a of selAtoms) if (a > maxAtom) maxAtom = a;
  return {
    refAtoms,
    selAtoms,
    nRef: refAtoms.length,
    nSel: selAtoms.length,
    excludedPairs,
    nPairs,
    bins,
    rMin,
    rMax,
    edges: linspace(rMin, rMax, bins + 1),
    norm,
    exclude,
    exclusionBlock,
    overlap,
    group,
    refBlock,
    selBlock,
    maxAtom,
    grid: new NeighborGrid(),
    mda: new MdaDistance(),
    nearFor: null,
    near: null,
  };
}

/**
 * The near-hit lists to fill on this frame, if a later analysis asked for them from the points
 * of exactly this ref (same atoms, same order) within this grid's cutoff; else null.
 */
function nearLists(ctx: RdfContext, scratch: FrameScratch | undefined): NearHits | null {
  const want = scratch?.nearWanted.get(ctx.selAtoms);
  if (!want) return null;
  if (ctx.nearFor !== want) {
    ctx.nearFor = want;
    const ref = ctx.refAtoms;
    let same = want.ref.length === ref.length;
    for (let p = 0; same && p < ref.length; p++) if (want.ref[p] !== ref[p]) same = false;
    ctx.near = same ? { ref: want.ref, radius: want.radius, start: new Int32Array(ref.length + 1), atoms: new Int32Array(1024), d2: new Float64Array(1024) } : null;
  }
  return ctx.near && want.radius <= ctx.grid.cutoff ? ctx.near : null;
}

function init(ctx: RdfContext): RdfState {
  return { frames: 0, boxedFrames: 0, counts: new Float64Array(ctx.bins), volume: [], inverseVolume: [], minPackingRadius: Infinity };
}

/** Relative pad of the first grid build over rMax (covers the tie-break tolerance while |coordinates| + 1.5 × box ≲ 600 Å at rMax 12 Å). */
const RMAX_PAD = 1e-4;

/**
 * Histogram one frame.
 * @throws OptionError (option '--r-max') when rMax exceeds half the shortest periodic
 *   translation of this frame's box (the allowed maximum is in the message).
 * @throws SolvscopeError 'UNSUPPORTED' for norm 'rdf' on a frame without a box; 'MISMATCH'
 *   when the frame has fewer atoms than the selections need.
 */
function accumulate(ctx: RdfContext, state: RdfState, frame: Frame, scratch?: FrameScratch): void {
  const pos = frame.positions;
  if (pos.length < 3 * (ctx.maxAtom + 1)) {
    throw new SolvscopeError('MISMATCH', `the frame has ${pos.length / 3} atoms but the selections refer to atom ${ctx.maxAtom + 1}`, { frame: frame.index });
  }
  const box = frame.box;
  let packing = Infinity;
  if (box) {
    const cell = periodicCell(box);
    if (ctx.rMax > cell.packingRadius) {
      throw new OptionError(
        'OPTION',
        `rMax (--r-max) ${ctx.rMax} Å is larger than half the shortest periodic translation of the box (${cell.packingRadius.toFixed(3)} Å in this frame); use --r-max ${Math.floor(cell.packingRadius * 100) / 100} or less`,
        { option: '--r-max', frame: frame.index },
      );
    }
    if (cell.packingRadius < state.minPackingRadius) state.minPackingRadius = cell.packingRadius;
    packing = cell.packingRadius;
    const v = boxVolume(box);
    exactSumAdd(state.volume, v);
    exactSumAdd(state.inverseVolume, 1 / v);
    state.boxedFrames++;
  } else if (ctx.norm === 'rdf') {
    throw new SolvscopeError('UNSUPPORTED', "g(r) normalisation (norm 'rdf') needs a periodic box and this frame has none; use --norm density or none", { frame: frame.index });
  }
  state.frames++;
  const refAtoms = ctx.refAtoms;
  const mda = ctx.mda;
  let tol = 0;
  const grid = ctx.grid;
  if (box) {
    // The tie-break tolerance needs the largest |coordinate| of ref and sel atoms; the grid
    // build reads every sel position anyway and reports it, so build first with a padded
    // cutoff and rebuild only when the tolerance turns out larger than the pad (coordinates
    // hundreds of boxes away). Extra hits beyond rMax + tol are dropped by the binning below
    // (their MDAnalysis distance is > rMax), so counts do not depend on the pad.
    const padded = Math.min(ctx.rMax * (1 + RMAX_PAD), packing);
    grid.build(pos, ctx.selAtoms, box, padded);
    let m = grid.maxAbsCoord;
    for (let k = 0; k < refAtoms.length; k++) {
      const a = 3 * refAtoms[k];
      m = Math.max(m, Math.abs(pos[a]), Math.abs(pos[a + 1]), Math.abs(pos[a + 2]));
    }
    mda.setFrame(pos, box, m);
    tol = mda.tolerance;
    // also find pairs just beyond rMax that MDAnalysis' rounding may put at ≤ rMax
    const cutoff = Math.min(ctx.rMax + tol, packing);
    if (cutoff > padded) grid.build(pos, ctx.selAtoms, box, cutoff);
  } else {
    grid.build(pos, ctx.selAtoms, box, ctx.rMax);
  }
  // later analyses of this frame (shell assignment) may query this grid, or read the hits
  // near each ref point that they asked for (recorded below, while the queries run anyway)
  const near = nearLists(ctx, scratch);
  scratch?.grids.push({ atoms: ctx.selAtoms, grid, near });
  const nearR2 = near ? near.radius * near.radius : -1;
  let nNear = 0;
  const counts = state.counts;
  const edges = ctx.edges;
  const bins = ctx.bins;
  const last = bins - 1;
  const rMin = ctx.rMin;
  const rMax = ctx.rMax;
  const rMinLow = rMin - tol;
  // numpy.histogram: index = ⌊(d − rMin)·bins/(rMax − rMin)⌋, then corrected against the edges
  const scale = bins / (rMax - rMin);
  // tolerance in bin widths, plus a margin for the difference between rMin + b/scale and the
  // linspace edges (a few ulps)
  const tLo = tol * scale + 1e-9;
  const tHi = 1 - tLo;
  const self = ctx.overlap;
  const group = ctx.group;
  const refBlock = ctx.refBlock;
  const selBlock = ctx.selBlock;
  for (let p = 0; p < refAtoms.length; p++) {
    const i = refAtoms[p];
    const count = grid.query(pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]);
    const hitAtoms = grid.hitAtoms;
    const hitD2 = grid.hitD2;
    const gi = group ? group[i] : 0;
    const bi = refBlock ? refBlock[p] : 0;
    if (near) {
      near.start[p] = nNear;
      near.atoms = grown(near.atoms, nNear + count);
      near.d2 = grown(near.d2, nNear + count);
    }
    for (let k = 0; k < count; k++) {
      const j = hitAtoms[k];
      if (hitD2[k] < nearR2) {
        near!.atoms[nNear] = j;
        near!.d2[nNear++] = hitD2[k];
      }
      if (self && j === i) continue;
      if (group && group[j] === gi) continue;
      if (selBlock && selBlock[j] === bi) continue;
      const d = Math.sqrt(hitD2[k]);
      const x = (d - rMin) * scale;
      let b = Math.floor(x);
      const t = x - b;
      // Fast path: clearly inside one bin (t = position within the bin, in bin widths),
      // whatever the float32 rounding of other codes.
      if (t > tLo && t < tHi && b >= 0 && b <= last) {
        counts[b]++;
        continue;
      }
      if (d < rMinLow) continue;
      // Within rounding of a bin edge: decide with MDAnalysis' own arithmetic, bin like numpy.
      const dm = tol > 0 ? mda.distance(i, j) : d;
      if (dm < rMin || dm > rMax) continue;
      b = Math.floor((dm - rMin) * scale);
      if (b > last) b = last;
      if (dm < edges[b]) b--;
      else if (b !== last && dm >= edges[b + 1]) b++;
      counts[b]++;
    }
  }
  if (near) near.start[refAtoms.length] = nNear;
}

function merge(_ctx: RdfContext, into: RdfState, other: RdfState): void {
  into.frames += other.frames;
  into.boxedFrames += other.boxedFrames;
  const a = into.counts;
  const b = other.counts;
  for (let k = 0; k < a.length; k++) a[k] += b[k];
  exactSumMerge(into.volume, other.volume);
  exactSumMerge(into.inverseVolume, other.inverseVolume);
  if (other.minPackingRadius < into.minPackingRadius) into.minPackingRadius = other.minPackingRadius;
}

function finalize(ctx: RdfContext, m: RdfState, chunks: readonly RdfState[]): RdfResult {
  const { bins, edges, nPairs, nRef, nSel } = ctx;
  const F = m.frames;
  const meanVolume = m.boxedFrames > 0 ? exactSumValue(m.volume) / m.boxedFrames : NaN;
  const meanInverseVolume = m.boxedFrames > 0 ? exactSumValue(m.inverseVolume) / m.boxedFrames : NaN;
  const r = new Float64Array(bins);
  const shell = new Float64Array(bins);
  const fourThirdsPi = (4 / 3) * Math.PI;
  for (let k = 0; k < bins; k++) {
    r[k] = 0.5 * (edges[k] + edges[k + 1]);
    shell[k] = fourThirdsPi * (edges[k + 1] ** 3 - edges[k] ** 3);
  }
  // per-bin factor f_k so that g_k = (count_k / F) / f_k; MDAnalysis' operation order is kept
  // (norm = F · ΔV_k · (N/⟨V⟩), g = count / norm) so results agree to the last bits.
  const pairsPerVolume = nPairs / meanVolume;
  const g = new Float64Array(bins);
  const perFrameFactor = new Float64Array(bins);
  for (let k = 0; k < bins; k++) {
    let norm = F;
    let f = 1;
    if (ctx.norm !== 'none') {
      norm *= shell[k];
      f *= shell[k];
    }
    if (ctx.norm === 'rdf') {
      norm *= pairsPerVolume;
      f *= pairsPerVolume;
    }
    g[k] = F > 0 ? m.counts[k] / norm : NaN;
    perFrameFactor[k] = f;
  }
  const n = new Float64Array(bins);
  let cum = 0;
  for (let k = 0; k < bins; k++) {
    cum += m.counts[k];
    n[k] = F > 0 ? cum / (F * nRef) : NaN;
  }
  // Block errors: each chunk is a block; the per-frame count (and cumulative count) per bin
  // is block-averaged with frame weights and scaled by the same factors as the mean.
  const B = chunks.length;
  const sums = new Float64Array(B);
  const cums = new Float64Array(B);
  const weights = new Float64Array(B);
  for (let b = 0; b < B; b++) weights[b] = chunks[b].frames;
  const gStderr = new Float64Array(bins);
  const nStderr = new Float64Array(bins);
  let blocks = 0;
  for (let k = 0; k < bins; k++) {
    for (let b = 0; b < B; b++) {
      const c = chunks[b].counts[k];
      sums[b] = c;
      cums[b] += c;
    }
    const e = blockAverage(sums, weights);
    const en = blockAverage(cums, weights);
    blocks = e.blocks;
    gStderr[k] = e.stderr / perFrameFactor[k];
    nStderr[k] = en.stderr / nRef;
  }
  const binWidth = (ctx.rMax - ctx.rMin) / bins;
  const gRdf = ctx.norm === 'rdf' ? g : null;
  let shellResult: FirstShell | null = null;
  if (bins >= 2 && F > 0 && Number.isFinite(meanVolume)) {
    let curve = gRdf;
    if (!curve) {
      curve = new Float64Array(bins);
      for (let k = 0; k < bins; k++) curve[k] = m.counts[k] / (F * shell[k] * pairsPerVolume);
    }
    shellResult = firstShell({ r, g: curve, n });
  }
  return {
    norm: ctx.norm,
    rMin: ctx.rMin,
    rMax: ctx.rMax,
    binWidth,
    bins,
    r,
    edges: edges.slice(),
    g,
    gStderr,
    n,
    nStderr,
    counts: m.counts.slice(),
    frames: F,
    blocks,
    nRef,
    nSel,
    nPairs,
    excludedPairs: ctx.excludedPairs,
    meanVolume,
    meanInverseVolume,
    density: nSel / meanVolume,
    pairDensity: nPairs / (nRef * meanVolume),
    maxAllowedRMax: m.minPackingRadius,
    firstShell: shellResult,
  };
}

/** The 'rdf' analysis (see {@link RdfSpec} for options and README.md for formulas). */
export const rdfAnalysis: Analysis<RdfSpec, RdfContext, RdfState, RdfResult> = {
  id: 'rdf',
  setup,
  init,
  accumulate,
  merge,
  finalize,
};
