import type { Frame } from '../frame.js';
import type { Topology } from '../topology.js';

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
  accumulate(ctx: Ctx, state: State, frame: Frame): void;
  merge(ctx: Ctx, into: State, other: State): void;
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
  if (state === null || typeof state !== 'object' || seen.has(state)) return out;
  seen.add(state);
  if (ArrayBuffer.isView(state)) {
    const buf = state.buffer as ArrayBuffer;
    if (!out.includes(buf) && buf.byteLength > 0) out.push(buf);
    return out;
  }
  for (const v of Array.isArray(state) ? state : Object.values(state as object)) stateTransferables(v, out, seen);
  return out;
}
