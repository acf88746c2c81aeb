import {
  AbortError,
  FormatError,
  SolvscopeError,
  createFrame,
  errorFromJSON,
  resolveRange,
  type ByteSource,
  type Frame,
  type FrameIndex,
  type FrameSource,
  type FramesOptions,
} from '@solvscope/core';

/** Sequential reads fetch up to this many bytes at once (several frames per read). */
export const BATCH_BYTES = 4 << 20;

/**
 * Shared machinery for every reader: random access through the frame index and batched
 * sequential reads. A format implements only {@link decodeFrame}: turn the bytes of one frame
 * (exactly `[offsets[i], offsets[i+1])`) into a Frame, converting to Å / ps on the way.
 */
export abstract class IndexedFrameSource implements FrameSource {
  readonly format: string;
  readonly source: ByteSource;
  readonly index: FrameIndex;
  readonly tailError: SolvscopeError | null;

  /** @throws FormatError 'FORMAT' when `index` was built for another format (e.g. a stale cache entry). */
  constructor(format: string, source: ByteSource, index: FrameIndex) {
    if (index.format !== format) {
      throw new FormatError('FORMAT', `the frame index was built for ${index.format}, not ${format}`, { file: source.name, format: format.toUpperCase() });
    }
    this.format = format;
    this.source = source;
    this.index = index;
    this.tailError = index.tail ? errorFromJSON(index.tail) : null;
  }

  get name(): string {
    return this.source.name;
  }
  get atomCount(): number {
    return this.index.atomCount;
  }
  get frameCount(): number {
    return this.index.offsets.length - 1;
  }

  /**
   * Decode frame `frame` from `bytes` (the whole frame record) into `into`.
   * `byteOffset` is the file offset of bytes[0], for error messages.
   * Must set positions, box, time, step and optional velocities/forces; `index` is set by the caller.
   */
  protected abstract decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void;

  /** Display name of the format for messages ('XTC', 'GRO' …). */
  protected get formatLabel(): string {
    return this.format.toUpperCase();
  }

  protected checkFrameNumber(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.frameCount) {
      throw new FormatError('FORMAT', `frame ${i} does not exist (the file has ${this.frameCount} frames)`, {
        file: this.name,
        format: this.formatLabel,
      });
    }
  }

  private decodeChecked(bytes: Uint8Array, i: number, into: Frame): Frame {
    const off = this.index.offsets[i];
    try {
      this.decodeFrame(bytes, i, off, into);
    } catch (e) {
      if (e instanceof SolvscopeError) throw e.withContext({ file: this.name, format: this.formatLabel, frame: i, byteOffset: off });
      throw new FormatError('CORRUPT', `could not decode frame: ${(e as Error).message}`, {
        file: this.name,
        format: this.formatLabel,
        frame: i,
        byteOffset: off,
      });
    }
    into.index = i;
    return into;
  }

  async readFrame(i: number, into?: Frame): Promise<Frame> {
    this.checkFrameNumber(i);
    const a = this.index.offsets[i];
    const b = this.index.offsets[i + 1];
    const bytes = await this.source.read(a, b - a);
    if (bytes.length !== b - a) {
      throw new FormatError('TRUNCATED', `frame needs ${b - a} bytes, file ends after ${bytes.length}`, {
        file: this.name,
        format: this.formatLabel,
        frame: i,
        byteOffset: a,
      });
    }
    return this.decodeChecked(bytes, i, into ?? createFrame(this.atomCount));
  }

  async *frames(options: FramesOptions = {}): AsyncGenerator<Frame> {
    const { start, stop, step } = resolveRange(options, this.frameCount);
    const reuse = options.reuse ?? true;
    const offsets = this.index.offsets;
    let frame = createFrame(this.atomCount);
    let batch = new Uint8Array(0);
    let i = start;
    while (i < stop) {
      if (options.signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file: this.name, frame: i });
      // Gather frames i, i+step, … whose bytes fit in one batch read.
      const first = i;
      let last = i;
      while (last + step < stop && offsets[last + step + 1] - offsets[first] <= BATCH_BYTES) last += step;
      const base = offsets[first];
      const len = offsets[last + 1] - base;
      // one batch buffer for the whole pass when the source can fill it (frames are decoded
      // synchronously before the next read, so nothing keeps a view of the old bytes)
      let bytes: Uint8Array;
      if (this.source.readInto) {
        if (batch.length < len) batch = new Uint8Array(len);
        bytes = await this.source.readInto(base, len, batch);
      } else bytes = await this.source.read(base, len);
      if (bytes.length !== len) {
        throw new FormatError('TRUNCATED', `frames ${first}..${last} need ${len} bytes, file ends after ${bytes.length}`, {
          file: this.name,
          format: this.formatLabel,
          frame: first,
          byteOffset: base,
        });
      }
      for (let k = first; k <= last; k += step) {
        const a = offsets[k] - base;
        const b = offsets[k + 1] - base;
        if (!reuse) frame = createFrame(this.atomCount);
        yield this.decodeChecked(bytes.subarray(a, b), k, frame);
      }
      i = last + step;
    }
  }

  async close(): Promise<void> {
    await this.source.close();
  }
}
