import { describe, expect, it } from 'vitest';
import { ConcatFrameSource } from './concat-source.js';
import { FormatError } from './errors.js';
import { cloneFrame, createFrame, type Frame } from './frame.js';
import { resolveRange, type FrameIndex, type FrameSource, type FramesOptions } from './frame-source.js';

/** Frames in memory; frame i of part `tag` has positions[0] = tag·1000 + i and time 10·i. */
class Part implements FrameSource {
  readonly format = 'memory';
  readonly tailError = null;
  readonly index: FrameIndex;
  readonly list: Frame[];
  closed = false;
  constructor(
    readonly name: string,
    tag: number,
    readonly frameCount: number,
    readonly atomCount = 2,
  ) {
    this.list = Array.from({ length: frameCount }, (_, i) => {
      const f = createFrame(atomCount);
      f.index = i;
      f.time = 10 * i;
      f.positions[0] = tag * 1000 + i;
      return f;
    });
    this.index = { format: 'memory', atomCount, offsets: new Float64Array(frameCount + 1), fileSize: 100 * frameCount };
  }
  async readFrame(i: number): Promise<Frame> {
    return cloneFrame(this.list[i]);
  }
  async *frames(o: FramesOptions = {}): AsyncIterable<Frame> {
    const r = resolveRange(o, this.frameCount);
    for (let i = r.start; i < r.stop; i += r.step) yield cloneFrame(this.list[i]);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

async function collect(src: FrameSource, o?: FramesOptions): Promise<[number, number][]> {
  const out: [number, number][] = [];
  for await (const f of src.frames(o)) out.push([f.index, f.positions[0]]);
  return out;
}

/** What the parts hold, frame by frame of the whole: [index in the whole, positions[0]]. */
function expected(lengths: number[]): [number, number][] {
  const out: [number, number][] = [];
  lengths.forEach((n, tag) => {
    for (let i = 0; i < n; i++) out.push([out.length, tag * 1000 + i]);
  });
  return out;
}

describe('ConcatFrameSource', () => {
  const lengths = [4, 0, 5, 3];
  const make = () => new ConcatFrameSource(lengths.map((n, tag) => new Part(`part${tag}.xtc`, tag, n)));

  it('reads the parts in order as one trajectory, numbering frames in the whole', async () => {
    const src = make();
    expect(src.frameCount).toBe(12);
    expect(src.atomCount).toBe(2);
    expect(Array.from(src.starts)).toEqual([0, 4, 4, 9, 12]);
    expect(src.name).toBe('part0.xtc + 3 more parts');
    expect(src.index.offsets.length).toBe(13);
    expect(await collect(src)).toEqual(expected(lengths));
  });

  it('gives every slice the frames of the same slice of the whole, across part boundaries', async () => {
    const src = make();
    const all = expected(lengths);
    for (const step of [1, 2, 3, 5, 13]) {
      for (let start = -3; start <= 13; start++) {
        for (const stop of [undefined, 0, 3, 4, 5, 9, 10, 12, 20, -1]) {
          const r = resolveRange({ start, stop, step }, 12);
          const want = [];
          for (let i = r.start; i < r.stop; i += r.step) want.push(all[i]);
          expect(await collect(src, { start, stop, step })).toEqual(want);
        }
      }
    }
  });

  it('reads any frame at random, keeping its part time', async () => {
    const src = make();
    for (let i = 0; i < 12; i++) {
      const f = await src.readFrame(i);
      expect([f.index, f.positions[0]]).toEqual(expected(lengths)[i]);
    }
    expect((await src.readFrame(4)).time).toBe(0); // the first frame of part 2
    await expect(src.readFrame(12)).rejects.toThrow(/frame 12 is out of range \(12 frames in 4 parts\)/);
  });

  it('rejects parts with another atom count, naming both files, and an empty list', () => {
    const parts = [new Part('a.xtc', 0, 3), new Part('b.xtc', 1, 3, 5)];
    expect(() => new ConcatFrameSource(parts)).toThrow(FormatError);
    expect(() => new ConcatFrameSource(parts)).toThrow(/b\.xtc.*this part has 5 atoms but a\.xtc, the first part, has 2/);
    expect(() => new ConcatFrameSource([])).toThrow(/no trajectory files/);
  });

  it('closes every part', async () => {
    const parts = [new Part('a.xtc', 0, 3), new Part('b.xtc', 1, 3)];
    await new ConcatFrameSource(parts).close();
    expect(parts.every((p) => p.closed)).toBe(true);
  });
});
