import { boxVolume } from '../../box.js';
import type { Frame } from '../../frame.js';
import type { Analysis, SystemInfo } from '../analysis.js';
import { blockAverage, type BlockEstimate } from '../stats.js';

/**
 * 'summary': what the frames themselves say — frame count, time range, box volume statistics
 * and a positional checksum. Cheap; used by `solvscope info --scan` and to test that every
 * executor visits exactly the same frames.
 *
 * Definitions: ⟨V⟩ = Σ V_f / N_frames (Å³) over frames with a box; stderr from block averages
 * of the chunks; `checksum` = Σ_f Σ_i (x + 2y + 3z) in float64, summed in frame order (chunk
 * states are merged in chunk order, so it is identical for any executor).
 */
export interface SummarySpec {
  /** No options yet. */
  readonly _?: never;
}

interface SummaryState extends Record<string, unknown> {
  frames: number;
  boxed: number;
  volumeSum: number;
  volumeMin: number;
  volumeMax: number;
  timeFirst: number;
  timeLast: number;
  firstIndex: number;
  lastIndex: number;
  checksum: number;
}

export interface SummaryResult {
  frames: number;
  framesWithBox: number;
  firstFrame: number;
  lastFrame: number;
  /** ps */
  timeFirstPs: number;
  /** ps */
  timeLastPs: number;
  /** Å³ with block standard error. */
  volumeA3: BlockEstimate & { min: number; max: number };
  checksum: number;
}

export const summaryAnalysis: Analysis<SummarySpec, SystemInfo, SummaryState, SummaryResult> = {
  id: 'summary',
  setup: (_spec, system) => system,
  init: () => ({
    frames: 0,
    boxed: 0,
    volumeSum: 0,
    volumeMin: Infinity,
    volumeMax: -Infinity,
    timeFirst: NaN,
    timeLast: NaN,
    firstIndex: -1,
    lastIndex: -1,
    checksum: 0,
  }),
  accumulate(_ctx, s, f: Frame) {
    if (s.frames === 0) {
      s.timeFirst = f.time;
      s.firstIndex = f.index;
    }
    s.timeLast = f.time;
    s.lastIndex = f.index;
    s.frames++;
    if (f.box) {
      const v = boxVolume(f.box);
      s.boxed++;
      s.volumeSum += v;
      if (v < s.volumeMin) s.volumeMin = v;
      if (v > s.volumeMax) s.volumeMax = v;
    }
    const p = f.positions;
    let c = 0;
    for (let i = 0; i < p.length; i += 3) c += p[i] + 2 * p[i + 1] + 3 * p[i + 2];
    s.checksum += c;
  },
  merge(_ctx, a, b) {
    if (b.frames === 0) return;
    if (a.frames === 0) {
      a.timeFirst = b.timeFirst;
      a.firstIndex = b.firstIndex;
    }
    a.timeLast = b.timeLast;
    a.lastIndex = b.lastIndex;
    a.frames += b.frames;
    a.boxed += b.boxed;
    a.volumeSum += b.volumeSum;
    a.volumeMin = Math.min(a.volumeMin, b.volumeMin);
    a.volumeMax = Math.max(a.volumeMax, b.volumeMax);
    a.checksum += b.checksum;
  },
  finalize(_ctx, m, chunks) {
    const v = blockAverage(
      chunks.map((c) => c.volumeSum),
      chunks.map((c) => c.boxed),
    );
    return {
      frames: m.frames,
      framesWithBox: m.boxed,
      firstFrame: m.firstIndex,
      lastFrame: m.lastIndex,
      timeFirstPs: m.timeFirst,
      timeLastPs: m.timeLast,
      volumeA3: { ...v, min: m.boxed ? m.volumeMin : NaN, max: m.boxed ? m.volumeMax : NaN },
      checksum: m.checksum,
    };
  },
};
