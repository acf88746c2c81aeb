import { FormatError, type SolvscopeError } from './errors.js';
import type { Frame } from './frame.js';
import { resolveRange, type FrameIndex, type FrameSource, type FramesOptions } from './frame-source.js';

/**
 * Several trajectory files of one system read as one trajectory: a long run written in parts
 * (GROMACS `-noappend` part0001, part0002 …, or restarts), frames in the order of the parts.
 * Frame i of the whole is frame i − (frames of the parts before it) of its part; frames carry
 * the whole's index and their part's own time and step. Analyses see one run: a g(r) or a
 * residence time spans the parts as if they were one file.
 *
 * `index` describes the whole, not bytes: format 'concat', offsets 0, 1, …, frameCount (a frame
 * is one unit), `extra.parts` the parts' names and frame counts. Each part keeps its own byte
 * index (`parts[k].index`); a worker reopens the parts with those.
 */
export class ConcatFrameSource implements FrameSource {
  readonly format: string;
  readonly name: string;
  readonly atomCount: number;
  readonly frameCount: number;
  readonly index: FrameIndex;
  /** The first part's tail problem (truncated last frame …), if any; see {@link tailErrors}. */
  readonly tailError: SolvscopeError | null;
  /** Frame number (in the whole) of each part's first frame, and the total at the end. */
  readonly starts: Float64Array;

  /**
   * @throws FormatError 'MISMATCH' naming both files when a part has another atom count than the
   *   first; 'FORMAT' for no parts.
   */
  constructor(readonly parts: readonly FrameSource[]) {
    if (parts.length === 0) throw new FormatError('FORMAT', 'no trajectory files to read', {});
    const first = parts[0];
    for (const p of parts) {
      if (p.atomCount !== first.atomCount) {
        throw new FormatError('MISMATCH', `this part has ${p.atomCount} atoms but ${first.name}, the first part, has ${first.atomCount}`, {
          file: p.name,
          format: p.format.toUpperCase(),
          frame: 0,
        });
      }
    }
    this.atomCount = first.atomCount;
    this.starts = new Float64Array(parts.length + 1);
    for (let k = 0; k < parts.length; k++) this.starts[k + 1] = this.starts[k] + parts[k].frameCount;
    this.frameCount = this.starts[parts.length];
    const formats = [...new Set(parts.map((p) => p.format))];
    this.format = formats.length === 1 ? formats[0] : formats.join('+');
    this.name = parts.length === 1 ? first.name : `${first.name} + ${parts.length - 1} more part${parts.length > 2 ? 's' : ''}`;
    this.tailError = parts.find((p) => p.tailError)?.tailError ?? null;
    this.index = {
      format: 'concat',
      atomCount: this.atomCount,
      offsets: Float64Array.from({ length: this.frameCount + 1 }, (_, i) => i),
      fileSize: parts.reduce((s, p) => s + p.index.fileSize, 0),
      extra: { parts: parts.map((p) => ({ name: p.name, format: p.format, frames: p.frameCount })) },
    };
  }

  /** Every part's tail problem, in part order (a truncated middle part loses its last frames). */
  get tailErrors(): SolvscopeError[] {
    return this.parts.flatMap((p) => (p.tailError ? [p.tailError] : []));
  }

  /** The part holding frame i of the whole (i in [0, frameCount)). */
  partOf(i: number): number {
    let lo = 0;
    let hi = this.parts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async readFrame(i: number, into?: Frame): Promise<Frame> {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new RangeError(`frame ${i} is out of range (${this.frameCount} frames in ${this.parts.length} parts)`);
    }
    const k = this.partOf(i);
    const f = await this.parts[k].readFrame(i - this.starts[k], into);
    f.index = i;
    return f;
  }

  async *frames(options: FramesOptions = {}): AsyncIterable<Frame> {
    const { start, stop, step } = resolveRange(options, this.frameCount);
    if (stop <= start) return;
    for (let k = this.partOf(start); k < this.parts.length; k++) {
      const s0 = this.starts[k];
      const s1 = this.starts[k + 1];
      if (s0 >= stop) break;
      // first frame of the range in this part: start + m·step ≥ s0
      const first = s0 <= start ? start : start + Math.ceil((s0 - start) / step) * step;
      if (first >= s1 || first >= stop) continue;
      const localStop = Math.min(stop, s1) - s0;
      for await (const f of this.parts[k].frames({ ...options, start: first - s0, stop: localStop, step })) {
        f.index += s0;
        yield f;
      }
    }
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(this.parts.map((p) => p.close()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}
