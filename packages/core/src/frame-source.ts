import type { SolvscopeError, SerializedError } from './errors.js';
import type { Frame } from './frame.js';

/**
 * Byte offset of every frame, built by one scan that skips coordinates. Gives the exact frame
 * count, random access and chunk boundaries for workers. Plain data: it can be cached on disk
 * or sent to a worker.
 */
export interface FrameIndex {
  /** Format name that built it. */
  format: string;
  /** Atoms per frame. */
  atomCount: number;
  /** Length frameCount + 1: frame i spans bytes [offsets[i], offsets[i+1]). */
  offsets: Float64Array;
  /** Text formats: 1-based line number of each frame's first line (same length as offsets). */
  lines?: Float64Array;
  /** Size of the file when indexed (for cache invalidation and appended data). */
  fileSize: number;
  /** Problem found after the last complete frame (truncated or corrupt tail), if any. */
  tail?: SerializedError;
  /** Format-specific facts discovered by the scan (e.g. DCD header, dump column map). */
  extra?: Record<string, unknown>;
}

/** Which frames to visit: Python-style start/stop/step (stop exclusive). */
export interface FrameRange {
  start?: number;
  stop?: number;
  step?: number;
}

export interface FramesOptions extends FrameRange {
  /**
   * Reuse one Frame object (and its buffers) for every yielded frame. Default true: the
   * consumer must copy what it keeps. Set false to receive a fresh Frame each time.
   */
  reuse?: boolean;
  signal?: AbortSignal;
}

/** What a format can carry. */
export interface FormatCapabilities {
  positions: boolean;
  velocities: boolean;
  forces: boolean;
  box: boolean;
  time: boolean;
  topology: boolean;
}

/** A streaming, indexed sequence of frames over one file. */
export interface FrameSource {
  /** Registry name of the format, e.g. 'xtc'. */
  readonly format: string;
  /** Name of the underlying byte source. */
  readonly name: string;
  readonly atomCount: number;
  /** Number of complete frames. */
  readonly frameCount: number;
  readonly index: FrameIndex;
  /**
   * The problem found at the end of the file (truncated last frame, garbage after the last
   * frame), or null. Frames before it are usable; analyses report it as a warning.
   */
  readonly tailError: SolvscopeError | null;
  /** Random access to frame i (0-based). Decodes into `into` when given. */
  readFrame(i: number, into?: Frame): Promise<Frame>;
  /** Sequential frames, read in large batches. */
  frames(options?: FramesOptions): AsyncIterable<Frame>;
  close(): Promise<void>;
}

/** Normalise a FrameRange against a frame count (negative indices count from the end). */
export function resolveRange(range: FrameRange | undefined, frameCount: number): { start: number; stop: number; step: number } {
  const step = range?.step ?? 1;
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`frame step must be a positive integer (got ${step})`);
  const norm = (v: number | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    const x = v < 0 ? frameCount + v : v;
    return Math.max(0, Math.min(frameCount, x));
  };
  return { start: norm(range?.start, 0), stop: norm(range?.stop, frameCount), step };
}

/** Frame numbers a range selects. */
export function rangeLength(r: { start: number; stop: number; step: number }): number {
  return r.stop <= r.start ? 0 : Math.ceil((r.stop - r.start) / r.step);
}
