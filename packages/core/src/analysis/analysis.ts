import type { Frame } from '../frame.js';
import type { Topology } from '../topology.js';
import type { NeighborGrid } from '../geometry/neighbor-grid.js';

/**
 * What the analyses of one job share while they process a frame (one per job and thread, never
 * crosses threads). `grids` is cleared before each frame: neighbour grids already built on
 * this frame's positions, each over the listed atoms, so a later analysis can query them (with
 * a radius up to the grid's cutoff) instead of building its own: analyze's g(r)s publish theirs
 * and the shell assignment reuses them, or reads the hits they recorded for it (`near`).
 */
export interface FrameScratch {
  grids: PublishedGrid[];
  /**
   * Kept across frames: near-neighbour lists a later analysis would like from the analysis that
   * publishes the grid over `atoms` (keyed by that list) and queries it from every point of
   * `ref` anyway (the g(r)s): for each point, the hits closer than `radius`. The shell
   * assignment asks on its first frame and, from then on, reads the lists instead of querying.
   */
  nearWanted: Map<Int32Array, { ref: Int32Array; radius: number }>;
}

/** A grid built on this frame over `atoms`, and the near-hit lists recorded with it if asked for. */
export interface PublishedGrid {
  atoms: Int32Array;
  grid: NeighborGrid;
  near?: NearHits | null;
}

/**
 * Hits closer than `radius` of the query from each point p of `ref`:
 * atoms[start[p]…start[p+1]) with squared distances d2 (Å²), as NeighborGrid.query returns them.
 */
export interface NearHits {
  ref: Int32Array;
  radius: number;
  start: Int32Array;
  atoms: Int32Array;
  d2: Float64Array;
}

/** A scratch object for {@link Analysis.accumulate}; reset with {@link resetFrameScratch} before each frame. */
export function createFrameScratch(): FrameScratch {
  return { grids: [], nearWanted: new Map() };
}

export function resetFrameScratch(s: FrameScratch): void {
  s.grids.length = 0;
}

/**
 * What an analysis knows about the system before the first frame.
 */
export interface SystemInfo {
  topology: Topology;
  /** Frames the run will visit (after range/step), if known. */
  frameCount: number;
  /** Box kind of the first frame; analyses that need a box check it in accumulate. */
  periodic: boolean;
}

/**
 * Mergeable state: only numbers, strings, plain objects/arrays and typed arrays, so it crosses
 * threads by structured clone (typed-array buffers transferred). Counts are integers where
 * possible so merging is exact; floating sums are merged in chunk order.
 */
export type AnalysisState = Record<string, unknown>;

/**
 * One analysis: prepare → accumulate(frame)… → merge(state, state) → finalize.
 *
 * - `setup` resolves the JSON spec against the topology (selections → atom indices, cutoffs,
 *   scratch buffers). It runs once per thread and its result never crosses threads.
 * - `init` returns a zeroed state; `accumulate` adds one frame; `merge` folds `other` into
 *   `into` (must be associative, and merging an init() state must change nothing).
 * - `finalize` receives the per-chunk states in chunk order (for block error bars) and their
 *   merge, and returns the plain-object result with units documented.
 *
 * The spec is plain JSON; workers rebuild analyses from their id through the registry.
 */
export interface Analysis<Spec, Ctx, State extends AnalysisState, Result> {
  readonly id: string;
  setup(spec: Spec, system: SystemInfo): Ctx;
  init(ctx: Ctx): State;
  /** Add one frame. `scratch` (optional) is shared by the job's analyses (its `grids` for this frame only). */
  accumulate(ctx: Ctx, state: State, frame: Frame, scratch?: FrameScratch): void;
  merge(ctx: Ctx, into: State, other: State): void;
  /**
   * Optional: called once on each chunk state when its chunk is done, before it is merged or
   * sent to another thread; no frame is added to it afterwards. Lets an analysis make the state
   * cheap to send (a few typed arrays instead of many small objects).
   */
  endChunk?(ctx: Ctx, state: State): void;
  finalize(ctx: Ctx, merged: State, chunks: readonly State[]): Result;
  /**
   * Optional: the part of a chunk state that `finalize` reads from `chunks` (block error bars).
   * Runners merge chunk states as they arrive and keep only this, so memory does not grow with
   * the number of chunks by more than these summaries. Default: the whole state.
   */
  blockState?(ctx: Ctx, state: State): State;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAnalysis = Analysis<any, any, any, any>;

/** Collect the ArrayBuffers inside a state, for transfer lists. */
export function stateTransferables(state: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>()): ArrayBuffer[] {
  const bufs = new Set<ArrayBuffer>(out);
  const walk = (v: object): void => {
    if (seen.has(v)) return;
    seen.add(v);
    if (ArrayBuffer.isView(v)) {
      const buf = v.buffer as ArrayBuffer;
      if (buf.byteLength > 0 && !bufs.has(buf)) {
        bufs.add(buf);
        out.push(buf);
      }
      return;
    }
    // plain arrays in states can be long arrays of numbers (residence records not packed by
    // endChunk, block summaries): look only at their object entries
    const items = Array.isArray(v) ? v : Object.values(v);
    for (let k = 0; k < items.length; k++) {
      const x = items[k];
      if (x !== null && typeof x === 'object') walk(x);
    }
  };
  if (state !== null && typeof state === 'object') walk(state);
  return out;
}
