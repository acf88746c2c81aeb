/**
 * Residence-time correlation sums in O(maxLag) memory, mergeable across chunks.
 *
 * The sums are those of residence.ts (see there and README.md): per partner species and lag τ,
 * over ion–molecule pairs and time origins t in one contiguous segment of frames,
 *
 *   N_I(τ) = Σ h(t) h(t+τ)             D_I(τ) = Σ_t h(t) [t+τ in the segment]
 *   N_C(τ) = Σ Π_{u=t..t+τ} h̃(u)       D_C(τ) = Σ_t h̃(t) [t+τ in the segment]
 *
 * N_I and N_C count pairs of frames (t, t+τ) with τ ≤ maxLag, so they split exactly into pairs
 * inside a chunk and pairs that straddle a chunk boundary; a straddling pair only involves the
 * last maxLag frames before the boundary and the first maxLag frames after it. D = (bound
 * frames) − (bound frames among the last τ frames of the segment), so it needs only totals and
 * per-frame counts of the last maxLag frames. A state therefore keeps:
 *
 * - exact sums: N_I and N_C as lag-sum buffers (kinks), the totals of h and h̃, and the suffix
 *   counts of segments that already ended (gaps);
 * - per species, the bound count of each of the last min(maxLag, segment) frames (a ring);
 * - per ion–molecule pair that is bound near an edge, a small record ({@link PairWindow}): its
 *   membership runs in the first maxLag frames (head) and the last maxLag frames (tail), and the
 *   h̃-runs that are still open at the state's start or end, which a neighbour may extend by
 *   filling a forgiven gap across the boundary.
 *
 * Accumulate adds, for each new frame F and bound pair, every pair (t, F) with F − t ≤ maxLag;
 * merge adds the straddling pairs and joins open h̃-runs. Every quantity is an integer held in
 * float64, so the sums are the same whatever the chunking (merge is associative) and equal those
 * of the all-frames algorithm in residence.ts.
 */

import { maxForgivenGap } from './residence.js';

/** Default longest lag (visited frames) when the spec gives none: min(frames − 1, this). */
export const DEFAULT_MAX_LAG = 2000;

/**
 * Window data of one ion–molecule pair. Ordinals are visited frames counted from the state's
 * first frame; intervals are [a, b) with b exclusive, flat [a0, b0, a1, b1, …], sorted.
 */
export interface PairWindow {
  /** Pair key: ion ordinal × partnerCount + partner-molecule ordinal. */
  k: number;
  /**
   * Closed membership intervals of the last segment that may still pair with a later frame within
   * maxLag: those ending after F − maxLag, or, while a run is open, after its start − maxLag (its
   * pairs with earlier runs are added when it closes). Older ones are dropped lazily.
   */
  iv: number[];
  /** Start of the membership interval still open at the state's end (bound in its last frame), else −1. */
  cur: number;
  /** Closed membership intervals of the first segment that start before maxLag (the head). */
  hd: number[];
  /** Start of the last h̃-run of the last segment (−1: none); `lb` = end of its last bound frame. */
  hs: number;
  lb: number;
  /**
   * Start of the first h̃-run of the first segment when the absence before it is at most maxGap
   * frames (so a previous state may extend it), else −1; `fb` = end of its last bound frame.
   */
  fa: number;
  fb: number;
}

/** The residence part of a solvation state. Plain numbers, arrays and typed arrays only. */
export interface ResidenceWindow extends Record<string, unknown> {
  /** Capacity: the longest lag kept (visited frames, ≥ 1). */
  maxLag: number;
  /** Largest absence (frames) the continuous definition forgives; −1 until two consecutive frames fix Δt. */
  maxGap: number;
  /** 1 when merged states had decided different maxGap (uneven frame spacing). */
  gapConflict: number;
  /**
   * Per species: lag-sum buffers [c0, s0, d2[0…]] of N_I and N_C. They hold min(maxLag, frames)
   * lags and grow with the state up to maxLag, so a short chunk's state stays small.
   */
  numI: Float64Array[];
  numC: Float64Array[];
  /** Per species, τ = 0…maxLag: Σ over ended segments of the bound (h / h̃) frames among their last τ frames (empty until a segment ends). */
  sufI: Float64Array[];
  sufC: Float64Array[];
  /** Per species: bound pair-frames Σh, Σh̃, and binding events (membership runs). */
  totI: number[];
  totC: number[];
  events: number[];
  /** Per species: ring (slot = ordinal mod maxLag; grows up to maxLag) of bound pairs per frame, last segment. */
  cntI: Float64Array[];
  cntC: Float64Array[];
  pairs: PairWindow[];
  /**
   * The pair records packed for the trip between threads ({@link packWindow}): per pair
   * [k, cur, hs, lb, fa, fb, iv.length, hd.length, iv…, hd…]; null when they are in `pairs`.
   * A 10-frame chunk at 110k atoms has ~4500 records: as objects, finding their
   * transferables, serializing and deserializing them cost ~11 ms per chunk.
   */
  packed: Int32Array | null;
  /** Distinct pair keys ever bound: a list while short, a bitset (ions × partners bits) beyond. */
  seenKeys: number[];
  seenBits: Uint8Array | null;
}

/** What the window needs to know about the system (from the resolved spec). */
export interface ResidenceLayout {
  maxLag: number;
  slots: number;
  ions: number;
  /** Molecules that are shell partners, numbered 0…partnerCount−1 in molecule order. */
  partnerCount: number;
  /** Species slot of each partner ordinal. */
  partnerSlot: Int32Array;
  tolerancePs: number;
  timestepPs: number | null;
}

/** Per-thread helpers of one state (never crosses threads; rebuilt from the state when missing). */
export interface ResidenceCache {
  map: Map<number, PairWindow>;
  /** Partner ordinals bound to each ion in the previous frame: ion i at prev[prevStart[i]…prevStart[i+1]). */
  prev: Int32Array;
  prevStart: Int32Array;
  /** The record of each entry of `prev` (most bound pairs were bound in the previous frame: no map lookup). */
  prevRec: PairWindow[];
  /** Scratch: the records of the frame being added, becomes `prevRec`. */
  nextRec: PairWindow[];
  seen: Set<number> | null;
}

export function createWindow(L: ResidenceLayout): ResidenceWindow {
  const M = L.maxLag;
  const per = (n: number) => Array.from({ length: L.slots }, () => new Float64Array(n));
  return {
    maxLag: M,
    maxGap: -1,
    gapConflict: 0,
    numI: per(3),
    numC: per(3),
    sufI: per(0),
    sufC: per(0),
    totI: new Array<number>(L.slots).fill(0),
    totC: new Array<number>(L.slots).fill(0),
    events: new Array<number>(L.slots).fill(0),
    cntI: per(0),
    cntC: per(0),
    pairs: [],
    packed: null,
    seenKeys: [],
    seenBits: null,
  };
}

/**
 * A pair record. Every record is made here, so all have the same fields in the same order (one
 * hidden class for the merge and accumulate code, whether made by windowFrame or read back from
 * a packed state).
 */
function pairRecord(k: number, iv: number[] = [], cur = -1, hd: number[] = [], hs = -1, lb = 0, fa = -1, fb = 0): PairWindow {
  return { k, iv, cur, hd, hs, lb, fa, fb };
}

const PACKED_HEAD = 8;
/**
 * Pair keys up to this fit a small integer (V8's Smi with pointer compression), so records read
 * back from the packed form (an Int32Array) have the same field representation as those
 * windowFrame makes and the merge code stays monomorphic. (A first version packed into a
 * Float64Array; its 20 merges took 140–350 ms against 100–250 ms for unpacked states, noisy.)
 */
const PACKABLE_KEY = 0x3fffffff;

/**
 * Move the pair records of `w` into one typed array (see {@link ResidenceWindow.packed}).
 * Frame ordinals always fit; systems with more than 2^30 ion–molecule pair keys stay unpacked.
 */
export function packWindow(w: ResidenceWindow): void {
  if (w.packed || w.pairs.length === 0) return;
  if (!sortedByKey(w.pairs)) w.pairs.sort(byKey); // merges walk both states in key order
  let n = 0;
  for (const r of w.pairs) {
    if (r.k > PACKABLE_KEY) return;
    n += PACKED_HEAD + r.iv.length + r.hd.length;
  }
  const d = new Int32Array(n);
  let o = 0;
  for (const r of w.pairs) {
    d[o] = r.k;
    d[o + 1] = r.cur;
    d[o + 2] = r.hs;
    d[o + 3] = r.lb;
    d[o + 4] = r.fa;
    d[o + 5] = r.fb;
    d[o + 6] = r.iv.length;
    d[o + 7] = r.hd.length;
    o += PACKED_HEAD;
    for (let j = 0; j < r.iv.length; j++) d[o++] = r.iv[j];
    for (let j = 0; j < r.hd.length; j++) d[o++] = r.hd[j];
  }
  w.packed = d;
  w.pairs = [];
}

/** The pair records of `w` (new objects when packed; `w` is not changed). */
function readPairs(w: ResidenceWindow): PairWindow[] {
  const d = w.packed;
  if (!d) return w.pairs;
  const out: PairWindow[] = [];
  for (let o = 0; o < d.length; ) {
    const ni = d[o + 6];
    const nh = d[o + 7];
    const iv: number[] = [];
    const hd: number[] = [];
    let j = o + PACKED_HEAD;
    for (const e = j + ni; j < e; j++) iv.push(d[j]);
    for (const e = j + nh; j < e; j++) hd.push(d[j]);
    out.push(pairRecord(d[o], iv, d[o + 1], hd, d[o + 2], d[o + 3], d[o + 4], d[o + 5]));
    o = j;
  }
  return out;
}

const byKey = (x: PairWindow, y: PairWindow) => x.k - y.k;

function sortedByKey(a: PairWindow[]): boolean {
  for (let i = 1; i < a.length; i++) if (a[i - 1].k > a[i].k) return false;
  return true;
}

/** Bring packed pair records back into `w.pairs`. */
function unpackWindow(w: ResidenceWindow): void {
  if (!w.packed) return;
  w.pairs = readPairs(w);
  w.packed = null;
}

export function createCache(L: ResidenceLayout, w: ResidenceWindow): ResidenceCache {
  unpackWindow(w);
  const map = new Map<number, PairWindow>();
  const open: PairWindow[] = [];
  for (const r of w.pairs) {
    map.set(r.k, r);
    if (r.cur >= 0) open.push(r);
  }
  open.sort((x, y) => x.k - y.k);
  const prevStart = new Int32Array(L.ions + 1);
  const prev = new Int32Array(Math.max(16, open.length));
  for (const r of open) prevStart[Math.floor(r.k / L.partnerCount) + 1]++;
  for (let i = 0; i < L.ions; i++) prevStart[i + 1] += prevStart[i];
  open.forEach((r, x) => (prev[x] = r.k % L.partnerCount));
  return { map, prev, prevStart, prevRec: open, nextRec: [], seen: w.seenBits ? null : new Set(w.seenKeys) };
}

/** The largest gap the continuous definition forgives, from the spacing of two consecutive frames. */
export function decideMaxGap(L: ResidenceLayout, dtPs: number, step: number): number {
  if (!(L.tolerancePs > 0)) return 0;
  const dt = dtPs > 0 && Number.isFinite(dtPs) ? dtPs : L.timestepPs !== null ? L.timestepPs * step : NaN;
  return maxForgivenGap(L.tolerancePs, dt);
}

// ---------------------------------------------------------------------------------------------
// lag-sum buffers: [c0, s0, d2[0…]]; value(τ) = c0 + s0·τ + Σ_{1≤p≤τ} d2[p]·(τ − p). A buffer
// of length n + 3 holds kinks at p ≤ n; callers grow it (fitLag) before adding kinks up to n.

/** `a` with room for `n` entries (grown by doubling, at most `max`), contents kept. */
function fit(a: Float64Array, n: number, max: number): Float64Array {
  if (a.length >= n) return a;
  const g = new Float64Array(Math.min(max, Math.max(n, 2 * a.length)));
  g.set(a);
  return g;
}

/** Make every species' buffers hold lags up to min(M, n) and rings min(M, n) frames. */
function fitAll(w: ResidenceWindow, n: number): void {
  const M = w.maxLag;
  const m = Math.min(M, n);
  for (let s = 0; s < w.numI.length; s++) {
    w.numI[s] = fit(w.numI[s], m + 3, M + 3);
    w.numC[s] = fit(w.numC[s], m + 3, M + 3);
    w.cntI[s] = fit(w.cntI[s], m, M);
    w.cntC[s] = fit(w.cntC[s], m, M);
  }
}

/** Full-length suffix arrays (allocated when the first segment of a state ends). */
function fitSuffixes(w: ResidenceWindow): void {
  for (let s = 0; s < w.sufI.length; s++) {
    w.sufI[s] = fit(w.sufI[s], w.maxLag + 1, w.maxLag + 1);
    w.sufC[s] = fit(w.sufC[s], w.maxLag + 1, w.maxLag + 1);
  }
}

function kink(buf: Float64Array, p: number, delta: number): void {
  if (p <= 0) {
    buf[0] += delta * -p;
    buf[1] += delta;
  } else if (p < buf.length - 2) buf[2 + p] += delta;
}

/** Add 1 for every lag τ in [0, q] (the per-frame, per-bound-pair case). */
function indicatorFrom0(buf: Float64Array, q: number): void {
  const n = buf.length - 2;
  buf[0] += 1;
  if (q <= 0) buf[1] -= 1;
  else if (q < n) buf[2 + q] -= 1;
  if (q + 1 < n) buf[3 + q] += 1;
}

/** Add #{t ∈ [a1, a1+l1) : t + τ ∈ [a2, a2+l2)} for intervals with t0 = a2 − (a1 + l1) ≥ 0. */
function trapezoid(buf: Float64Array, t0: number, l1: number, l2: number): void {
  const lo = l1 < l2 ? l1 : l2;
  const hi = l1 < l2 ? l2 : l1;
  kink(buf, t0, 1);
  kink(buf, t0 + lo, -1);
  kink(buf, t0 + hi, -1);
  kink(buf, t0 + l1 + l2, 1);
}

/**
 * Add the pairs of frames between the run [a, b) and every earlier run of the same pair in `iv`
 * (closed intervals before a): Σ_I #{t ∈ I : t + τ ∈ [a, b)}.
 */
function commitRun(buf: Float64Array, iv: number[], a: number, b: number): void {
  const M = buf.length - 3;
  for (let j = iv.length - 2; j >= 0; j -= 2) {
    const t0 = a - iv[j + 1];
    if (t0 >= M) break;
    trapezoid(buf, t0, iv[j + 1] - iv[j], b - a);
  }
}

/** Values of a lag-sum buffer at τ = 0…n (n ≤ its capacity). */
export function lagValues(buf: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n + 1);
  let val = buf[0];
  let slope = buf[1];
  for (let t = 0; t <= n; t++) {
    out[t] = val;
    if (2 + t < buf.length) slope += buf[2 + t];
    val += slope;
  }
  return out;
}

/** suf[τ] += Σ of the ring over the last min(τ, W) frames before F, τ = 0…M. */
function addSuffix(suf: Float64Array, ring: Float64Array, F: number, W: number, M: number): void {
  let acc = 0;
  for (let t = 1; t <= M; t++) {
    if (t <= W) acc += ring[(F - t) % M];
    suf[t] += acc;
  }
}

function markSeen(L: ResidenceLayout, w: ResidenceWindow, c: ResidenceCache | null, k: number): void {
  if (w.seenBits) {
    w.seenBits[k >> 3] |= 1 << (k & 7);
    return;
  }
  if (c?.seen) {
    if (c.seen.has(k)) return;
    c.seen.add(k);
  }
  w.seenKeys.push(k);
  const bytes = Math.ceil((L.ions * L.partnerCount) / 8);
  if (w.seenKeys.length * 8 > bytes) {
    const bits = new Uint8Array(bytes);
    for (const x of w.seenKeys) bits[x >> 3] |= 1 << (x & 7);
    w.seenBits = bits;
    w.seenKeys = [];
    if (c) c.seen = null;
  }
}

// ---------------------------------------------------------------------------------------------
// accumulate

/** Where the frame being added sits on the state's axis. */
export interface FramePlace {
  /** Ordinal of the frame within the state. */
  F: number;
  /** The state has one segment (after adding this frame). */
  single: boolean;
  /** The frame starts a new segment after a gap; `closedLength` = frames of the segment that ended, `closedFirst` = it was the first. */
  gap: boolean;
  closedLength: number;
  closedFirst: boolean;
}

function closeSegment(L: ResidenceLayout, w: ResidenceWindow, c: ResidenceCache, F: number, length: number, first: boolean): void {
  const M = w.maxLag;
  const W = Math.min(M, length);
  fitSuffixes(w);
  for (let s = 0; s < w.numI.length; s++) {
    addSuffix(w.sufI[s], w.cntI[s], F, W, M);
    addSuffix(w.sufC[s], w.cntC[s], F, W, M);
    w.cntI[s].fill(0);
    w.cntC[s].fill(0);
  }
  const keep: PairWindow[] = [];
  for (const r of w.pairs) {
    if (r.cur >= 0) {
      commitRun(w.numI[L.partnerSlot[r.k % L.partnerCount]], r.iv, r.cur, F);
      if (first && r.cur < M) r.hd.push(r.cur, F);
    }
    r.cur = -1;
    r.iv = [];
    r.hs = -1;
    r.lb = 0;
    if (r.hd.length || r.fa >= 0) keep.push(r);
    else c.map.delete(r.k);
  }
  w.pairs = keep;
  c.prevStart.fill(0);
}

function trim(iv: number[], from: number): void {
  let drop = 0;
  while (drop < iv.length && iv[drop + 1] <= from) drop += 2;
  if (drop) iv.splice(0, drop);
}

/** Drop intervals that fell out of the tail and records that no longer matter. */
function sweep(w: ResidenceWindow, c: ResidenceCache, F: number): void {
  const M = w.maxLag;
  const G = w.maxGap;
  const keep: PairWindow[] = [];
  for (const r of w.pairs) {
    trim(r.iv, (r.cur >= 0 ? r.cur : F) - M);
    if (r.hs >= 0 && F - r.lb > Math.max(G, 0)) {
      r.hs = -1;
      r.lb = 0;
    }
    if (r.iv.length || r.cur >= 0 || r.hs >= 0 || r.hd.length || r.fa >= 0) keep.push(r);
    else c.map.delete(r.k);
  }
  w.pairs = keep;
}

/**
 * Add one frame: `bound[ionStart[i]…ionStart[i+1])` are the partner ordinals (sorted) in the
 * shell of ion i. Adds every pair of frames (t, F), F − t ≤ maxLag, of each bound pair.
 */
export function windowFrame(L: ResidenceLayout, w: ResidenceWindow, c: ResidenceCache, at: FramePlace, bound: Int32Array, ionStart: Int32Array): void {
  const M = w.maxLag;
  const F = at.F;
  if (w.packed) throw new Error('internal: windowFrame on a packed window (its cache is stale)');
  if (at.gap && F > 0) closeSegment(L, w, c, F, at.closedLength, at.closedFirst);
  if (F > 0 && F % Math.max(M, 64) === 0) sweep(w, c, F);
  fitAll(w, F + 1);
  const slot = F % M;
  for (let s = 0; s < w.cntI.length; s++) {
    w.cntI[s][slot] = 0;
    w.cntC[s][slot] = 0;
  }
  const G = w.maxGap;
  const P = L.partnerCount;
  const { prev, prevStart, prevRec } = c;
  const nextRec = c.nextRec;
  for (let i = 0; i < L.ions; i++) {
    let p = prevStart[i];
    const pe = prevStart[i + 1];
    let x = ionStart[i];
    const xe = ionStart[i + 1];
    while (p < pe || x < xe) {
      const mp = p < pe ? prev[p] : Infinity;
      const mx = x < xe ? bound[x] : Infinity;
      if (mp < mx) {
        // bound in the previous frame, not in this one: the run closes; add its pairs with the
        // earlier runs of the pair (its pairs of frames within itself were added frame by frame)
        const r = prevRec[p];
        commitRun(w.numI[L.partnerSlot[mp]], r.iv, r.cur, F);
        trim(r.iv, F - M);
        r.iv.push(r.cur, F);
        if (at.single && r.cur < M) r.hd.push(r.cur, F);
        r.cur = -1;
        p++;
        continue;
      }
      const s = L.partnerSlot[mx];
      let r: PairWindow | undefined;
      if (mp === mx) r = prevRec[p++];
      else {
        const k = i * P + mx;
        r = c.map.get(k);
        if (!r) {
          r = pairRecord(k);
          c.map.set(k, r);
          w.pairs.push(r);
          markSeen(L, w, c, k);
        }
      }
      nextRec[x++] = r;
      // intermittent: pairs (t, F) with t in the current run (pairs with earlier runs are
      // added when the run closes)
      if (r.cur < 0) {
        r.cur = F;
        w.events[s]++;
      }
      indicatorFrom0(w.numI[s], F - r.cur);
      // continuous: extend the h̃-run across a forgiven gap, or start one
      const nc = w.numC[s];
      if (r.hs >= 0 && (r.lb === F || F - r.lb <= G)) {
        for (let u = r.lb; u < F; u++) {
          indicatorFrom0(nc, u - r.hs);
          w.totC[s]++;
          if (u > F - M) w.cntC[s][u % M]++;
        }
        indicatorFrom0(nc, F - r.hs);
      } else {
        r.hs = F;
        indicatorFrom0(nc, 0);
        if (at.single && r.fa < 0 && (F === 0 || F <= G)) r.fa = F;
      }
      r.lb = F + 1;
      if (r.fa >= 0 && r.hs === r.fa) r.fb = F + 1;
      w.totI[s]++;
      w.totC[s]++;
      w.cntI[s][slot]++;
      w.cntC[s][slot]++;
    }
  }
  const nb = ionStart[L.ions];
  if (c.prev.length < nb) c.prev = new Int32Array(Math.max(nb, c.prev.length * 2));
  c.prev.set(bound.subarray(0, nb));
  c.prevStart.set(ionStart.subarray(0, L.ions + 1));
  nextRec.length = nb;
  c.nextRec = prevRec;
  c.prevRec = nextRec;
}

// ---------------------------------------------------------------------------------------------
// merge

/** Shape of a state's axis that merge needs. */
export interface WindowSpan {
  frames: number;
  segments: number;
  firstLength: number;
  lastLength: number;
}

function copyWindow(w: ResidenceWindow): ResidenceWindow {
  const c = (a: Float64Array[]) => a.map((x) => x.slice());
  return {
    maxLag: w.maxLag,
    maxGap: w.maxGap,
    gapConflict: w.gapConflict,
    numI: c(w.numI),
    numC: c(w.numC),
    sufI: c(w.sufI),
    sufC: c(w.sufC),
    totI: w.totI.slice(),
    totC: w.totC.slice(),
    events: w.events.slice(),
    cntI: c(w.cntI),
    cntC: c(w.cntC),
    pairs: w.pairs.map((r) => pairRecord(r.k, r.iv.slice(), r.cur, r.hd.slice(), r.hs, r.lb, r.fa, r.fb)),
    packed: w.packed ? w.packed.slice() : null,
    seenKeys: w.seenKeys.slice(),
    seenBits: w.seenBits ? w.seenBits.slice() : null,
  };
}

/** Closed tail intervals of r, plus its open one, clipped to [F − M, F). */
function tailIntervals(r: PairWindow, F: number, M: number): number[] {
  const out: number[] = [];
  const from = F - M;
  for (let j = 0; j < r.iv.length; j += 2) if (r.iv[j + 1] > from) out.push(Math.max(r.iv[j], from), r.iv[j + 1]);
  if (r.cur >= 0) out.push(Math.max(r.cur, from), F);
  return out;
}

/** Head intervals of r (closed ones, plus the open one of a one-segment state), clipped to [0, M). */
function headIntervals(r: PairWindow, F: number, single: boolean, M: number): number[] {
  const out: number[] = [];
  for (let j = 0; j < r.hd.length; j += 2) out.push(r.hd[j], Math.min(r.hd[j + 1], M));
  if (single && r.cur >= 0 && r.cur < M) out.push(r.cur, Math.min(F, M));
  return out;
}

/**
 * The window of state p followed by state q. q is not modified; p is updated in place and
 * returned when `ownP` (the caller's own state), else copied first. `adjacent`: q's first frame
 * directly follows p's last one, so p's last segment and q's first are one. `dtPs`: time across
 * the boundary, used to fix maxGap when neither state could.
 */
export function concatWindows(
  L: ResidenceLayout,
  p0: ResidenceWindow,
  ps: WindowSpan,
  q: ResidenceWindow,
  qs: WindowSpan,
  adjacent: boolean,
  dtPs: number,
  step: number,
  ownP: boolean,
): ResidenceWindow {
  const p = ownP ? p0 : copyWindow(p0);
  unpackWindow(p);
  const M = p.maxLag;
  const Fp = ps.frames;
  const F = Fp + qs.frames;
  const P = L.partnerCount;
  let G = p.maxGap >= 0 ? p.maxGap : q.maxGap;
  const conflict = p.maxGap >= 0 && q.maxGap >= 0 && p.maxGap !== q.maxGap ? 1 : 0;
  if (G < 0 && adjacent) G = decideMaxGap(L, dtPs, step);
  const pSingle = ps.segments === 1;
  const qSingle = qs.segments === 1;
  const pairs = p.pairs;
  const pI = p.cntI;
  const pC = p.cntC;
  const out = p;
  out.maxGap = G;
  out.gapConflict = p.gapConflict | q.gapConflict | conflict;
  fitAll(out, F);
  if (q.sufI[0]?.length || !adjacent || !qSingle) fitSuffixes(out);
  for (const [x, y] of [
    [out.numI, q.numI],
    [out.numC, q.numC],
    [out.sufI, q.sufI],
    [out.sufC, q.sufC],
  ]) {
    for (let s = 0; s < x.length; s++) for (let k = 0; k < y[s].length; k++) x[s][k] += y[s][k];
  }
  for (let s = 0; s < L.slots; s++) {
    out.totI[s] += q.totI[s];
    out.totC[s] += q.totC[s];
    out.events[s] += q.events[s];
  }
  out.cntI = pI.map(() => new Float64Array(Math.min(M, F)));
  out.cntC = pC.map(() => new Float64Array(Math.min(M, F)));
  out.pairs = [];

  // the tail ring: the last min(M, length of the last segment) frames
  const lastLength = adjacent && qSingle ? ps.lastLength + qs.frames : qs.lastLength;
  const W = Math.min(M, lastLength);
  for (let u = F - W; u < F; u++) {
    for (let s = 0; s < L.slots; s++) {
      const fromQ = u >= Fp;
      const v = fromQ ? u - Fp : u;
      out.cntI[s][u % M] = (fromQ ? q.cntI[s] : pI[s])[v % M];
      out.cntC[s][u % M] = (fromQ ? q.cntC[s] : pC[s])[v % M];
    }
  }
  const Wp = Math.min(M, ps.lastLength);
  if (!adjacent) {
    // p's last segment ends here
    for (let s = 0; s < L.slots; s++) {
      addSuffix(out.sufI[s], pI[s], Fp, Wp, M);
      addSuffix(out.sufC[s], pC[s], Fp, Wp, M);
    }
  }
  // q's first segment, already ended inside q, now starts with p's last segment: its suffix
  // counts at lags beyond its own length L0 reach into p's last frames
  const closedJoin = adjacent && !qSingle;
  const L0 = qs.firstLength;
  const E = Fp + L0;
  const fillAt: Float64Array[] = closedJoin ? out.sufC.map(() => new Float64Array(M + 1)) : [];
  if (closedJoin) {
    for (let s = 0; s < L.slots; s++) {
      let accI = 0;
      let accC = 0;
      for (let j = 1; L0 + j <= M; j++) {
        if (j <= Wp) {
          accI += pI[s][(Fp - j) % M];
          accC += pC[s][(Fp - j) % M];
        }
        out.sufI[s][L0 + j] += accI;
        out.sufC[s][L0 + j] += accC;
      }
    }
  }

  // distinct pairs: a bitset once the list would cost more (or grow long enough to make unions slow)
  const bytes = Math.ceil((L.ions * P) / 8);
  const n = p.seenKeys.length + q.seenKeys.length;
  if (p.seenBits || q.seenBits || n * 8 > bytes || n > 4096) {
    let bits = p.seenBits;
    if (!bits) {
      bits = new Uint8Array(bytes);
      for (const x of p.seenKeys) bits[x >> 3] |= 1 << (x & 7);
    }
    if (q.seenBits) for (let k = 0; k < bytes; k++) bits[k] |= q.seenBits[k];
    else for (const x of q.seenKeys) bits[x >> 3] |= 1 << (x & 7);
    out.seenBits = bits;
    out.seenKeys = [];
  } else {
    const set = new Set(p.seenKeys);
    for (const x of q.seenKeys) if (!set.has(x)) out.seenKeys.push(x);
  }

  // pair records, walked in key order (packed states and merge outputs are sorted by key). p's
  // records (ours: p is the caller's own state or a copy) are updated in place; q's are read
  // only. A new record per pair was half the merge's cost, a map of q's keys most of the rest.
  if (!sortedByKey(pairs)) pairs.sort(byKey);
  let qPairs = readPairs(q);
  if (!sortedByKey(qPairs)) qPairs = (q.packed ? qPairs : qPairs.slice()).sort(byKey);
  const emit = (r: PairWindow) => {
    if (r.hs >= 0 && F - r.lb > Math.max(G, 0)) {
      r.hs = -1;
      r.lb = 0;
    }
    if (r.iv.length || r.cur >= 0 || r.hs >= 0 || r.hd.length || r.fa >= 0) out.pairs.push(r);
  };
  /** Intervals still needed: within maxLag of the end, or of the start of the open run (in place). */
  const keep = (iv: number[], cur: number) => {
    trim(iv, (cur >= 0 ? cur : F) - M);
    return iv;
  };
  const shifted = (iv: number[], skipFirst: boolean) => {
    const o: number[] = [];
    for (let j = skipFirst ? 2 : 0; j < iv.length; j += 2) o.push(iv[j] + Fp, iv[j + 1] + Fp);
    return o;
  };
  const one = (a: PairWindow | undefined, b: PairWindow | undefined) => {
    const k = (a ?? b)!.k;
    const s = L.partnerSlot[k % P];
    // a's fields as they were (the record is rewritten below when it is a)
    const aCur = a ? a.cur : -1;
    const aIv = a ? a.iv : null;
    const aHd = a ? a.hd : null;
    const aHs = a ? a.hs : -1;
    const aLb = a ? a.lb : 0;
    const aFa = a ? a.fa : -1;
    const aFb = a ? a.fb : 0;
    const r: PairWindow = a ?? pairRecord(k);
    if (!adjacent) {
      let hd: number[] = [];
      if (aHd) {
        // p's open run ends with p's last segment
        if (aCur >= 0) commitRun(out.numI[s], aIv!, aCur, Fp);
        hd = aHd;
        if (pSingle && aCur >= 0 && aCur < M) hd.push(aCur, Fp);
      }
      r.hd = hd;
      r.fa = aFa;
      r.fb = aFb;
      if (b) {
        r.cur = b.cur >= 0 ? b.cur + Fp : -1;
        r.iv = keep(shifted(b.iv, false), r.cur);
        r.hs = b.hs >= 0 ? b.hs + Fp : -1;
        r.lb = b.hs >= 0 ? b.lb + Fp : 0;
      } else {
        r.cur = -1;
        r.iv = [];
        r.hs = -1;
        r.lb = 0;
      }
      emit(r);
      return;
    }
    const aOpen = aCur >= 0;
    if (!b) {
      // untouched by q: p's open run closes at the boundary, nothing else crosses it
      if (aOpen) {
        const ni = out.numI[s];
        commitRun(ni, aIv!, aCur, Fp);
        if (qSingle) aIv!.push(aCur, Fp);
        if (pSingle && aCur < M) aHd!.push(aCur, Fp);
      }
      if (qSingle) {
        keep(aIv!, -1);
        if (aHs < 0) r.lb = 0;
      } else {
        r.iv = [];
        r.hs = -1;
        r.lb = 0;
      }
      if (pSingle && aFa < 0) r.fb = 0;
      r.cur = -1;
      emit(r);
      return;
    }
    // intermittent: pairs of frames across the boundary. A run bound on both sides of it is one
    // run (coalesce); pairs with a run still open at the merged state's end wait until it closes.
    const ni = out.numI[s];
    const bFirstClosed = b.hd.length > 0 && b.hd[0] === 0;
    const bFirstOpen = qSingle && b.cur === 0;
    const coalesce = aOpen && (bFirstClosed || bFirstOpen);
    const unionOpen = coalesce && bFirstOpen;
    if (coalesce) out.events[s]--;
    if (a) {
      const ia = tailIntervals(a, Fp, M);
      const ib = headIntervals(b, qs.frames, qSingle, M);
      const qOpenLast = qSingle && b.cur >= 0 && b.cur < M;
      for (let x = 0; x < ia.length; x += 2) {
        const isJp = aOpen && x === ia.length - 2;
        for (let y = 0; y < ib.length; y += 2) {
          const t0 = ib[y] + Fp - ia[x + 1];
          if (t0 >= M) break;
          if (qOpenLast && y === ib.length - 2 && !(coalesce && isJp && y === 0)) continue;
          trapezoid(ni, t0, ia[x + 1] - ia[x], ib[y + 1] - ib[y]);
        }
      }
    }
    // p's open run closes here (alone, or as part of q's first run): its pairs with earlier runs
    if (aOpen && !unionOpen) commitRun(ni, aIv!, aCur, Fp);
    // tail intervals of the merged state
    if (qSingle) {
      const iv: number[] = aIv ?? [];
      let cur = -1;
      if (aOpen) {
        if (!coalesce) iv.push(aCur, Fp);
        else if (bFirstClosed) iv.push(aCur, Fp + b.hd[1]);
        else cur = aCur;
      }
      for (const x of shifted(b.iv, coalesce && b.iv.length > 0 && b.iv[0] === 0)) iv.push(x);
      if (b.cur >= 0 && !(coalesce && b.cur === 0)) cur = b.cur + Fp;
      r.iv = keep(iv, cur);
      r.cur = cur;
    } else {
      r.cur = b.cur >= 0 ? b.cur + Fp : -1;
      r.iv = keep(shifted(b.iv, false), r.cur);
    }
    // head intervals of the merged state
    if (pSingle) {
      const hd = aHd ?? [];
      if (aOpen && aCur < M) {
        if (!coalesce) hd.push(aCur, Fp);
        else if (bFirstClosed) hd.push(aCur, Fp + b.hd[1]);
      }
      for (let j = coalesce && bFirstClosed ? 2 : 0; j < b.hd.length; j += 2) if (b.hd[j] + Fp < M) hd.push(b.hd[j] + Fp, b.hd[j + 1] + Fp);
      r.hd = hd;
    } else r.hd = aHd ?? [];
    // continuous: join the h̃-run open at p's end with the one open at q's start
    let joined = false;
    if (a && aHs >= 0 && b.fa >= 0) {
      const g = Fp - aLb + b.fa;
      if (g === 0 || g <= G) {
        joined = true;
        const l1 = aLb - aHs;
        const l2 = b.fb - b.fa;
        const nc = out.numC[s];
        // pairs inside the joined run minus those inside each part: (L−τ)+ − (l1−τ)+ − (l2−τ)+
        nc[0] += g;
        kink(nc, 0, 1);
        kink(nc, l1 + g + l2, 1);
        kink(nc, l1, -1);
        kink(nc, l2, -1);
        out.totC[s] += g;
        // the filled frames: in the open tail ring, or in the suffix of the segment that ended
        if (closedJoin) for (let u = Math.max(aLb, E - M); u < Fp + b.fa; u++) fillAt[s][E - u]++;
        else for (let u = Math.max(aLb, F - W); u < Fp + b.fa; u++) out.cntC[s][u % M]++;
      }
    }
    let hs = -1;
    let lb = 0;
    if (qSingle) {
      if (joined && b.hs >= 0 && b.hs === b.fa) {
        hs = aHs;
        lb = b.lb + Fp;
      } else if (b.hs >= 0) {
        hs = b.hs + Fp;
        lb = b.lb + Fp;
      } else if (aHs >= 0) {
        hs = aHs;
        lb = aLb;
      }
    } else if (b.hs >= 0) {
      hs = b.hs + Fp;
      lb = b.lb + Fp;
    }
    r.hs = hs;
    r.lb = lb;
    let fa = -1;
    let fb = 0;
    if (pSingle) {
      if (aFa >= 0) {
        fa = aFa;
        fb = joined && aHs === aFa ? b.fb + Fp : aFb;
      } else if (b.fa >= 0 && Fp + b.fa <= G) {
        fa = b.fa + Fp;
        fb = b.fb + Fp;
      }
    } else if (a) {
      fa = aFa;
      fb = aFb;
    }
    r.fa = fa;
    r.fb = fb;
    emit(r);
  };
  for (let i = 0, j = 0; i < pairs.length || j < qPairs.length; ) {
    const ka = i < pairs.length ? pairs[i].k : Infinity;
    const kb = j < qPairs.length ? qPairs[j].k : Infinity;
    if (ka < kb) one(pairs[i++], undefined);
    else if (kb < ka) one(undefined, qPairs[j++]);
    else one(pairs[i++], qPairs[j++]);
  }
  for (let s = 0; s < fillAt.length; s++) {
    let acc = 0;
    for (let t = 1; t <= M; t++) {
      acc += fillAt[s][t];
      out.sufC[s][t] += acc;
    }
  }
  return out;
}

/** Copy (merging into an empty state). */
export function cloneWindow(w: ResidenceWindow): ResidenceWindow {
  return copyWindow(w);
}

// ---------------------------------------------------------------------------------------------
// finalize

/** Numerators and denominators of C_I and C_C of species s at τ = 0…n, plus its pair and event counts. */
export function windowSums(
  L: ResidenceLayout,
  w: ResidenceWindow,
  s: number,
  n: number,
  frames: number,
  lastLength: number,
): { numI: Float64Array; denI: Float64Array; numC: Float64Array; denC: Float64Array; pairs: number; events: number } {
  const M = w.maxLag;
  const W = Math.min(M, lastLength);
  const den = (tot: number, suf: Float64Array, ring: Float64Array) => {
    const out = new Float64Array(n + 1);
    let acc = 0;
    for (let t = 0; t <= n; t++) {
      if (t >= 1 && t <= W) acc += ring[(frames - t) % M];
      out[t] = tot - (t < suf.length ? suf[t] : 0) - acc;
    }
    return out;
  };
  let pairs = 0;
  const P = L.partnerCount;
  if (w.seenBits) {
    const bits = w.seenBits;
    const n = L.ions * P;
    for (let byte = 0; byte < bits.length; byte++) {
      const v = bits[byte];
      if (v === 0) continue; // most ion–molecule pairs never meet
      for (let k = byte << 3, e = Math.min(n, k + 8); k < e; k++) if (v & (1 << (k & 7)) && L.partnerSlot[k % P] === s) pairs++;
    }
  } else for (const k of w.seenKeys) if (L.partnerSlot[k % P] === s) pairs++;
  // runs still open at the end: their pairs with earlier runs
  const numI = w.numI[s].slice();
  for (const r of readPairs(w)) if (r.cur >= 0 && L.partnerSlot[r.k % P] === s) commitRun(numI, r.iv, r.cur, frames);
  return {
    numI: lagValues(numI, n),
    denI: frames ? den(w.totI[s], w.sufI[s], w.cntI[s]) : new Float64Array(n + 1),
    numC: lagValues(w.numC[s], n),
    denC: frames ? den(w.totC[s], w.sufC[s], w.cntC[s]) : new Float64Array(n + 1),
    pairs,
    events: w.events[s],
  };
}
