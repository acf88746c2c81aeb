/**
 * The reader conformance suite: every FrameSource runs these checks (atom count, frame count,
 * first/middle/last frame against MDAnalysis reference coordinates, box, time, random access
 * equal to sequential reads, reuse of the `into` buffer, ranges, errors for missing frames).
 */
import { describe, expect, it } from 'vitest';
import { SolvscopeError, boxToLengthsAngles, boxVolume, createFrame, type FrameSource } from '@solvscope/core';

export interface CoordsRefLike {
  atoms: number[];
  frames: { frame: number; time_ps: number; dimensions: number[]; volume_A3: number; positions: number[][] }[];
}

export interface ConformanceSpec {
  open: () => Promise<FrameSource>;
  format: string;
  atomCount: number;
  frameCount: number;
  /** Reference positions (MDAnalysis), frame numbers as in this file. */
  ref: CoordsRefLike;
  /** Max |Δ| for positions in Å (float32 rounding of text formats: ~5e-4 for 3 decimals in nm). */
  positionTolerance: number;
  /** 'none' when the format carries no box. */
  box: 'yes' | 'none';
  /** Max |Δ| on box lengths (Å) and angles (degrees). */
  boxTolerance?: number;
  /** Whether the format stores times; tolerance in ps. */
  time?: { tolerance: number } | 'none';
}

export function describeFrameSource(name: string, spec: ConformanceSpec): void {
  describe(`${name}: reader conformance`, () => {
    it('reports the format, atom count and frame count', async () => {
      const src = await spec.open();
      try {
        expect(src.format).toBe(spec.format);
        expect(src.atomCount).toBe(spec.atomCount);
        expect(src.frameCount).toBe(spec.frameCount);
        expect(src.tailError).toBeNull();
      } finally {
        await src.close();
      }
    });

    for (const rf of spec.ref.frames) {
      it(`reads frame ${rf.frame} like MDAnalysis (positions, box, time)`, async () => {
        const src = await spec.open();
        try {
          const f = await src.readFrame(rf.frame);
          expect(f.index).toBe(rf.frame);
          expect(f.positions.length).toBe(spec.atomCount * 3);
          let maxd = 0;
          spec.ref.atoms.forEach((a, k) => {
            for (let d = 0; d < 3; d++) maxd = Math.max(maxd, Math.abs(f.positions[3 * a + d] - rf.positions[k][d]));
          });
          expect(maxd).toBeLessThanOrEqual(spec.positionTolerance);
          for (let i = 0; i < f.positions.length; i++) if (!Number.isFinite(f.positions[i])) throw new Error(`non-finite coordinate at ${i}`);
          if (spec.box === 'yes') {
            expect(f.box).not.toBeNull();
            const dims = boxToLengthsAngles(f.box!);
            const tol = spec.boxTolerance ?? 1e-3;
            for (let d = 0; d < 6; d++) expect(Math.abs(dims[d] - rf.dimensions[d])).toBeLessThanOrEqual(tol);
            expect(Math.abs(boxVolume(f.box!) - rf.volume_A3) / rf.volume_A3).toBeLessThan(1e-4);
          } else {
            expect(f.box).toBeNull();
          }
          if (spec.time && spec.time !== 'none') expect(Math.abs(f.time - rf.time_ps)).toBeLessThanOrEqual(spec.time.tolerance);
        } finally {
          await src.close();
        }
      });
    }

    it('gives the same frames by random access as by sequential reading', async () => {
      const src = await spec.open();
      try {
        const seq: Float32Array[] = [];
        const boxes: (Float64Array | null)[] = [];
        const times: number[] = [];
        for await (const f of src.frames()) {
          seq.push(f.positions.slice());
          boxes.push(f.box ? f.box.slice() : null);
          times.push(f.time);
        }
        expect(seq.length).toBe(spec.frameCount);
        const order = [...Array(spec.frameCount).keys()].reverse();
        for (const i of order) {
          const f = await src.readFrame(i);
          expect(Buffer.from(f.positions.buffer, f.positions.byteOffset, f.positions.byteLength).equals(Buffer.from(seq[i].buffer))).toBe(true);
          expect(f.box ? Array.from(f.box) : null).toEqual(boxes[i] ? Array.from(boxes[i]!) : null);
          expect(Object.is(f.time, times[i]) || f.time === times[i]).toBe(true);
        }
      } finally {
        await src.close();
      }
    });

    it('decodes into a caller-supplied frame and honours start/stop/step', async () => {
      const src = await spec.open();
      try {
        const into = createFrame(spec.atomCount);
        const f = await src.readFrame(spec.frameCount - 1, into);
        expect(f).toBe(into);
        expect(f.positions).toBe(into.positions);
        const idx: number[] = [];
        for await (const g of src.frames({ start: 1, stop: spec.frameCount, step: 3 })) idx.push(g.index);
        const want: number[] = [];
        for (let i = 1; i < spec.frameCount; i += 3) want.push(i);
        expect(idx).toEqual(want);
        const fresh: Float32Array[] = [];
        for await (const g of src.frames({ reuse: false, stop: 2 })) fresh.push(g.positions);
        if (fresh.length === 2) expect(fresh[0]).not.toBe(fresh[1]);
      } finally {
        await src.close();
      }
    });

    it('rejects a frame number past the end with a FormatError naming the file', async () => {
      const src = await spec.open();
      try {
        await expect(src.readFrame(spec.frameCount)).rejects.toBeInstanceOf(SolvscopeError);
        await expect(src.readFrame(spec.frameCount)).rejects.toThrow(src.name);
      } finally {
        await src.close();
      }
    });
  });
}

/**
 * Open a truncated copy; the reader must either reject with a SolvscopeError naming the file
 * (and a byte offset or line), or open with the complete frames before the cut and a tailError.
 */
export async function checkTruncated(
  open: () => Promise<FrameSource>,
  completeFrames: number,
): Promise<{ threw: SolvscopeError | null; source: FrameSource | null }> {
  try {
    const src = await open();
    expect(src.frameCount).toBe(completeFrames);
    // every complete frame must still decode
    for await (const _f of src.frames()) {
      // consume
    }
    if (src.tailError) {
      expect(src.tailError).toBeInstanceOf(SolvscopeError);
      expect(src.tailError.context.file).toBeTruthy();
      expect(src.tailError.context.byteOffset !== undefined || src.tailError.context.line !== undefined).toBe(true);
    }
    return { threw: null, source: src };
  } catch (e) {
    if (!(e instanceof SolvscopeError)) throw e;
    expect(e.context.file).toBeTruthy();
    expect(e.context.byteOffset !== undefined || e.context.line !== undefined).toBe(true);
    return { threw: e, source: null };
  }
}
