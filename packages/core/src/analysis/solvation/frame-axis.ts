import { SolvscopeError } from '../../errors.js';

/**
 * The visited frames of a state as contiguous segments: O(gaps), not O(frames).
 *
 * A segment is a run of visited frames whose file frame numbers advance by `step`. Inside one
 * chunk the frames are consecutive by construction (the runner checks the count), so the step
 * is the difference of the first two frames of any chunk with two frames or more. A state made
 * only of one-frame chunks learns the step from the first join (the difference of the two frame
 * numbers). Frame numbers that contradict a step already known (a smaller difference) set
 * `irregular`; finalize then warns that correlations may span missing frames.
 */
export interface FrameAxis extends Record<string, unknown> {
  /** File frame-number step between consecutive visited frames; 0 until two frames meet. */
  step: number;
  /** Flat [firstIndex, lastIndex, count, firstTimePs, lastTimePs] per segment, in frame order. */
  segs: number[];
  /** Smallest and largest time difference (ps) between consecutive frames within a segment (±Infinity: none). */
  minDt: number;
  maxDt: number;
  /** Frames whose time is not finite. */
  badTimes: number;
  /** 1 when frame numbers contradicted the step (irregular numbering). */
  irregular: number;
}

export const SEG = 5;

export function createAxis(): FrameAxis {
  return { step: 0, segs: [], minDt: Infinity, maxDt: -Infinity, badTimes: 0, irregular: 0 };
}

export function segmentCount(a: FrameAxis): number {
  return a.segs.length / SEG;
}

export function firstIndex(a: FrameAxis): number {
  return a.segs[0];
}

export function lastIndex(a: FrameAxis): number {
  return a.segs[a.segs.length - SEG + 1];
}

/** Visited frames of the first / last segment. */
export function firstSegmentLength(a: FrameAxis): number {
  return a.segs[2];
}

export function lastSegmentLength(a: FrameAxis): number {
  return a.segs[a.segs.length - SEG + 2];
}

export function lastTime(a: FrameAxis): number {
  return a.segs[a.segs.length - 1];
}

export function firstTime(a: FrameAxis): number {
  return a.segs[3];
}

function noteDt(a: FrameAxis, dt: number): void {
  if (!Number.isFinite(dt)) return;
  if (dt < a.minDt) a.minDt = dt;
  if (dt > a.maxDt) a.maxDt = dt;
}

/**
 * Append one frame. Returns the time difference to the previous frame when the frame continues
 * the last segment (NaN when times are missing), or null when it starts a new segment.
 */
export function axisAppend(a: FrameAxis, index: number, time: number): number | null {
  if (!Number.isFinite(time)) a.badTimes++;
  const s = a.segs;
  if (s.length === 0) {
    s.push(index, index, 1, time, time);
    return null;
  }
  const d = index - lastIndex(a);
  if (a.step === 0 && d > 0) a.step = d;
  if (d === a.step) {
    const o = s.length - SEG;
    const dt = time - s[o + 4];
    s[o + 1] = index;
    s[o + 2]++;
    s[o + 4] = time;
    noteDt(a, dt);
    return dt;
  }
  if (d < a.step) a.irregular = 1;
  s.push(index, index, 1, time, time);
  return null;
}

/** How two axes join: which comes first, whether the boundary is contiguous, and the step. */
export interface AxisJoin {
  /** True when `b` (the other state) comes before `a` in frame order. */
  swapped: boolean;
  adjacent: boolean;
  step: number;
  /** Time difference across the boundary (ps; NaN when unknown or not adjacent). */
  dt: number;
}

/**
 * Decide how `a` and `b` join. Both must be non-empty and must not interleave.
 * @throws SolvscopeError 'INTERNAL' when the frame ranges of the two states overlap.
 */
export function axisJoin(a: FrameAxis, b: FrameAxis): AxisJoin {
  const swapped = firstIndex(b) < firstIndex(a);
  const [p, q] = swapped ? [b, a] : [a, b];
  const d = firstIndex(q) - lastIndex(p);
  if (d <= 0) {
    throw new SolvscopeError('INTERNAL', `solvation: cannot merge states whose frames overlap (frames ${firstIndex(p)}–${lastIndex(p)} and ${firstIndex(q)}–${lastIndex(q)})`, {
      frame: firstIndex(q),
    });
  }
  const step = p.step || q.step || d;
  return { swapped, adjacent: d === step, step, dt: d === step ? firstTime(q) - lastTime(p) : NaN };
}

/** The axis of `p` followed by `q` (new object; inputs unchanged). */
export function axisConcat(p: FrameAxis, q: FrameAxis, j: AxisJoin): FrameAxis {
  const out: FrameAxis = {
    step: j.step,
    segs: p.segs.slice(),
    minDt: Math.min(p.minDt, q.minDt),
    maxDt: Math.max(p.maxDt, q.maxDt),
    badTimes: p.badTimes + q.badTimes,
    irregular: p.irregular | q.irregular,
  };
  if ((p.step && q.step && p.step !== q.step) || firstIndex(q) - lastIndex(p) < j.step) out.irregular = 1;
  let from = 0;
  if (j.adjacent) {
    const o = out.segs.length - SEG;
    out.segs[o + 1] = q.segs[1];
    out.segs[o + 2] += q.segs[2];
    out.segs[o + 4] = q.segs[4];
    noteDt(out, j.dt);
    from = SEG;
  }
  for (let k = from; k < q.segs.length; k++) out.segs.push(q.segs[k]);
  return out;
}

/** Frame spacing (ps): Σ over segments of (last − first time) / Σ (count − 1); NaN when unknown. */
export function axisDt(a: FrameAxis): number {
  let frames = 0;
  let span = 0;
  let pairs = 0;
  for (let o = 0; o < a.segs.length; o += SEG) {
    frames += a.segs[o + 2];
    if (a.segs[o + 2] > 1) {
      span += a.segs[o + 4] - a.segs[o + 3];
      pairs += a.segs[o + 2] - 1;
    }
  }
  if (frames < 2 || a.badTimes > 0 || pairs === 0) return NaN;
  return span / pairs;
}
