import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FormatError, MemoryByteSource, SolvscopeError, createFrame, type ByteSource, type FrameSource } from '@solvscope/core';
import { FORMATS, MG_TFSI_DME, TRICLINIC, readJson, type CoordsRef } from '@solvscope/fixtures';
import { describeFrameSource } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { decodeXtcFrame, openXtc, scanXtcIndex, sniffXtc, xtcFormat } from './index.js';
import { encodeXtcFrame } from './xtc-writer.js';

describeFrameSource('formats.xtc', {
  open: async () => openXtc(await fileSource(FORMATS.xtc)),
  format: 'xtc',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref: readJson<CoordsRef>('mgcl2-water-formats', 'coords-ref.json'),
  positionTolerance: 1e-6,
  box: 'yes',
  boxTolerance: 1e-4,
  time: { tolerance: 1e-6 },
});

describeFrameSource('triclinic prod.xtc', {
  open: async () => openXtc(await fileSource(TRICLINIC.xtc)),
  format: 'xtc',
  atomCount: TRICLINIC.atoms,
  frameCount: TRICLINIC.frames,
  ref: readJson<CoordsRef>('mgcl2-water-triclinic', 'coords-ref.json'),
  positionTolerance: 1e-6,
  box: 'yes',
  boxTolerance: 1e-4,
  time: { tolerance: 1e-6 },
});

describeFrameSource('mg-tfsi-dme prod.xtc', {
  open: async () => openXtc(await fileSource(MG_TFSI_DME.xtc)),
  format: 'xtc',
  atomCount: MG_TFSI_DME.atoms,
  frameCount: MG_TFSI_DME.frames,
  ref: readJson<CoordsRef>('mg-tfsi-dme', 'coords-ref.json'),
  positionTolerance: 1e-6,
  box: 'yes',
  boxTolerance: 1e-4,
  time: { tolerance: 1e-6 },
});

// ---- helpers

const fileBytes = (path: string) => new Uint8Array(readFileSync(path));

/** Frame start offsets (and the end of the file), found by a plain walk written for the test. */
function frameStarts(b: Uint8Array): number[] {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const starts: number[] = [];
  let off = 0;
  while (off < b.length) {
    starts.push(off);
    off += 92 + ((v.getInt32(off + 88) + 3) & ~3);
  }
  starts.push(off);
  return starts;
}

function setInt32(b: Uint8Array, at: number, v: number): Uint8Array {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setInt32(at, v);
  return b;
}

async function openError(src: ByteSource): Promise<FormatError> {
  try {
    await openXtc(src);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('openXtc did not reject');
}

async function frameError(src: FrameSource, i: number): Promise<FormatError> {
  try {
    await src.readFrame(i);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('readFrame did not reject');
}

const bytes = fileBytes(FORMATS.xtc);
const starts = frameStarts(bytes);
const nFrames = starts.length - 1;

describe('xtc index scan', () => {
  it('finds every frame by its header and byte count', async () => {
    const index = await scanXtcIndex(memorySource(FORMATS.xtc));
    expect(Array.from(index.offsets)).toEqual(starts);
    expect(index.atomCount).toBe(3066);
    expect(index.fileSize).toBe(bytes.length);
    expect(index.tail).toBeUndefined();
  });

  it('reads only frame headers when frames are large', async () => {
    // 30 frames of 30 000 atoms (~140 KB each): after the first 64 KiB, one 96-byte read per frame.
    const natoms = 30000;
    const frame = createFrame(natoms);
    for (let k = 0; k < natoms * 3; k++) frame.positions[k] = ((k * 7919) % 30011) / 1000;
    frame.box = new Float64Array([30, 0, 0, 0, 30, 0, 0, 0, 30]);
    const records: Uint8Array[] = [];
    for (let f = 0; f < 30; f++) {
      frame.time = f;
      frame.step = f * 10;
      records.push(encodeXtcFrame(frame, undefined, 1000));
    }
    const all = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
    let at = 0;
    for (const r of records) {
      all.set(r, at);
      at += r.length;
    }
    expect(records[0].length).toBeGreaterThan(1 << 16);
    let read = 0;
    let calls = 0;
    const mem = new MemoryByteSource('big.xtc', all);
    const counting: ByteSource = {
      name: mem.name,
      size: mem.size,
      read: async (o, l) => {
        calls++;
        const b = await mem.read(o, l);
        read += b.length;
        return b;
      },
      close: async () => {},
    };
    const index = await scanXtcIndex(counting);
    expect(index.offsets.length).toBe(31);
    expect(read).toBeLessThanOrEqual((1 << 16) + 30 * 96);
    expect(calls).toBeLessThanOrEqual(30);
    const src = await openXtc(mem, { index });
    const last = await src.readFrame(29);
    expect(last.step).toBe(290);
    expect(Math.abs(last.positions[3 * 29999 + 2] - frame.positions[3 * 29999 + 2])).toBeLessThanOrEqual(0.005 + 1e-5);
  });

  it('reports scan progress and honours an abort signal', async () => {
    const seen: number[] = [];
    await scanXtcIndex(memorySource(FORMATS.xtc), { onScanProgress: (b, total) => seen.push(b / total) });
    expect(seen[seen.length - 1]).toBe(1);
    const ac = new AbortController();
    ac.abort();
    await expect(scanXtcIndex(memorySource(FORMATS.xtc), { signal: ac.signal })).rejects.toMatchObject({ code: 'ABORTED' });
  });

  it('opens with a cached index without scanning, and refuses an index of another format', async () => {
    const index = await scanXtcIndex(memorySource(FORMATS.xtc));
    const src = await openXtc(memorySource(FORMATS.xtc), { index });
    expect(src.frameCount).toBe(10);
    await expect(openXtc(memorySource(FORMATS.xtc), { index: { ...index, format: 'trr' } })).rejects.toThrow('the frame index was built for trr, not xtc');
  });

  it('recognises XTC by its magic number and is registered as the xtc descriptor', () => {
    expect(sniffXtc(bytes.subarray(0, 64))).toBe(true);
    expect(sniffXtc(fileBytes(FORMATS.trr).subarray(0, 64))).toBe(false);
    expect(sniffXtc(Uint8Array.of(0, 0, 7))).toBe(false);
    expect(xtcFormat.name).toBe('xtc');
    expect(xtcFormat.extensions).toEqual(['xtc']);
    expect(xtcFormat.units).toEqual({ length: 'nm', time: 'ps' });
    expect(xtcFormat.capabilities.write).toBe(true);
  });
});

describe('truncated xtc files', () => {
  // Cut points relative to a frame start: inside the magic, after magic / natoms / step / time,
  // inside and after the box, after the second natoms, precision, minint, maxint, smallidx,
  // the byte count, inside the compressed data and at the last byte of the padding.
  const headerCuts = [1, 2, 4, 8, 12, 16, 40, 52, 56, 60, 72, 84, 88, 91];
  const dataCuts = [92, 93, 200, 1000];
  const frameLen = (f: number) => starts[f + 1] - starts[f];

  const expectHeaderCut = (e: SolvscopeError, f: number, cut: number) => {
    expect(e).toBeInstanceOf(FormatError);
    expect(e.code).toBe('TRUNCATED');
    expect(e.context).toMatchObject({ file: 'formats.xtc', format: 'XTC', frame: f, byteOffset: starts[f] });
    expect(e.detail).toBe(`frame header needs ${cut < 8 ? 56 : 92} bytes, file ends after ${cut}`);
  };
  const expectDataCut = (e: SolvscopeError, f: number, cut: number) => {
    expect(e).toBeInstanceOf(FormatError);
    expect(e.code).toBe('TRUNCATED');
    expect(e.context).toMatchObject({ file: 'formats.xtc', format: 'XTC', frame: f, byteOffset: starts[f] + 92 });
    expect(e.detail).toBe(`compressed coordinates need ${frameLen(f) - 92} bytes, file ends after ${cut - 92}`);
  };

  it('refuses an empty file', async () => {
    const e = await openError(new MemoryByteSource('formats.xtc', new Uint8Array(0)));
    expect(e.code).toBe('FORMAT');
    expect(e.message).toBe('formats.xtc: XTC (byte 0): the file is empty');
  });

  for (const cut of [...headerCuts, ...dataCuts, frameLen(0) - 1]) {
    it(`refuses a file cut ${cut} bytes into the first frame (no complete frame)`, async () => {
      const e = await openError(memorySource(FORMATS.xtc, (b) => b.slice(0, cut)));
      if (cut < 92) expectHeaderCut(e, 0, cut);
      else expectDataCut(e, 0, cut);
    });
  }

  for (const cut of [...headerCuts, ...dataCuts, frameLen(nFrames - 1) - 1]) {
    it(`keeps the 9 complete frames when the last frame is cut ${cut} bytes in`, async () => {
      const src = await openXtc(memorySource(FORMATS.xtc, (b) => b.slice(0, starts[nFrames - 1] + cut)));
      expect(src.frameCount).toBe(nFrames - 1);
      const e = src.tailError!;
      if (cut < 92) expectHeaderCut(e, nFrames - 1, cut);
      else expectDataCut(e, nFrames - 1, cut);
      let n = 0;
      for await (const f of src.frames()) expect(f.index).toBe(n++);
      expect(n).toBe(nFrames - 1);
    });
  }

  it('has no tail error when the file ends exactly between frames', async () => {
    const src = await openXtc(memorySource(FORMATS.xtc, (b) => b.slice(0, starts[nFrames - 1])));
    expect(src.frameCount).toBe(nFrames - 1);
    expect(src.tailError).toBeNull();
  });

  it('words the tail error with file, frame and byte offset', async () => {
    const src = await openXtc(memorySource(FORMATS.xtc, (b) => b.slice(0, starts[9] + 200)));
    expect(src.tailError!.message).toBe(`formats.xtc: XTC frame 9 (byte ${starts[9] + 92}): compressed coordinates need ${frameLen(9) - 92} bytes, file ends after 108`);
  });
});

describe('corrupted xtc files', () => {
  it('rejects a wrong magic number in the first frame as CORRUPT at byte 0', async () => {
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, 0, 1993)));
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toBe('formats.xtc: XTC frame 0 (byte 0): not an XTC frame: magic number is 1993, expected 1995 or 2023');
  });

  it('rejects a wrong magic number in a middle frame (garbage inside the file)', async () => {
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, starts[5], 0x12345678)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ file: 'formats.xtc', frame: 5, byteOffset: starts[5] });
  });

  it('rejects an atom count that differs from the first frame', async () => {
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, starts[3] + 4, 3067)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 3, byteOffset: starts[3] + 4 });
    expect(e.detail).toBe('frame has 3067 atoms, the first frame has 3066');
  });

  it('rejects an absurd atom count without allocating for it', async () => {
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(setInt32(b, 4, 2_000_000_000), 52, 2_000_000_000)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 0, byteOffset: 4 });
    expect(e.detail).toBe(`2000000000 atoms cannot fit in ${new DataView(bytes.buffer, bytes.byteOffset).getInt32(88)} bytes of compressed coordinates`);
    const neg = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, 4, -3)));
    expect(neg.detail).toBe('atom count -3 is negative');
  });

  it('rejects a second atom count that disagrees with the header', async () => {
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, starts[2] + 52, 3000)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 2, byteOffset: starts[2] + 52 });
  });

  it('rejects an impossible byte count as CORRUPT rather than a truncated tail', async () => {
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, starts[4] + 88, 0x7fffffff)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 4, byteOffset: starts[4] + 88 });
    expect(e.detail).toBe('byte count 2147483647 is impossible for 3066 atoms');
  });

  it('notices a byte count that skips past the next frame header', async () => {
    const count = new DataView(bytes.buffer, bytes.byteOffset).getInt32(starts[4] + 88);
    const e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, starts[4] + 88, count + 8)));
    expect(e.code).toBe('CORRUPT');
    // the scan lands 8 bytes (rounded to 4) into frame 5 and finds no magic number there
    expect(e.context.frame).toBe(5);
    expect(e.context.byteOffset).toBe(starts[4] + 92 + ((count + 8 + 3) & ~3));
  });

  it('reads a too-large byte count in the last frame as a truncated tail', async () => {
    const count = new DataView(bytes.buffer, bytes.byteOffset).getInt32(starts[9] + 88);
    const src = await openXtc(memorySource(FORMATS.xtc, (b) => setInt32(b, starts[9] + 88, count + 100)));
    expect(src.frameCount).toBe(9);
    expect(src.tailError!.code).toBe('TRUNCATED');
  });

  it('rejects a bad precision, coordinate range and smallidx at their fields', async () => {
    const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
    let e = await openError(memorySource(FORMATS.xtc, (b) => (dv(b).setFloat32(56, 0), b)));
    expect(e.context.byteOffset).toBe(56);
    expect(e.detail).toBe('precision 0 is not a positive number');
    e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, 76, -1000)));
    expect(e.context.byteOffset).toBe(76);
    expect(e.code).toBe('CORRUPT');
    e = await openError(memorySource(FORMATS.xtc, (b) => setInt32(b, 84, 99)));
    expect(e.context.byteOffset).toBe(84);
    expect(e.detail).toBe('smallidx 99 is outside 9..72');
  });

  it('rejects a non-finite box or time when the frame is read', async () => {
    const src = await openXtc(
      memorySource(FORMATS.xtc, (b) => {
        const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
        v.setFloat32(starts[2] + 16 + 16, NaN);
        v.setFloat32(starts[3] + 12, Infinity);
        return b;
      }),
    );
    let e = await frameError(src, 2);
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ file: 'formats.xtc', format: 'XTC', frame: 2, byteOffset: starts[2] + 32 });
    expect(e.detail).toBe('box element 4 is NaN');
    e = await frameError(src, 3);
    expect(e.context.byteOffset).toBe(starts[3] + 12);
    await expect(src.readFrame(1)).resolves.toBeTruthy();
  });

  it('rejects compressed data that ends before the last atom', async () => {
    // halve the byte count of frame 0 and move the rest of the file up, so the scan still works
    const count = new DataView(bytes.buffer, bytes.byteOffset).getInt32(88);
    const half = (count >> 1) & ~3;
    const cut = new Uint8Array(bytes.length - (starts[1] - 92 - half));
    cut.set(bytes.subarray(0, 92 + half));
    cut.set(bytes.subarray(starts[1]), 92 + half);
    setInt32(cut, 88, half);
    const src = await openXtc(new MemoryByteSource('formats.xtc', cut));
    expect(src.frameCount).toBe(10);
    const e = await frameError(src, 0);
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 0, byteOffset: 92 + half });
    expect(e.detail).toMatch(/^compressed coordinates end after \d+ bytes, but only \d+ of 3066 atoms were complete$/);
    await expect(src.readFrame(1)).resolves.toBeTruthy();
  });
});

describe('xtc variants', () => {
  it('reads frames of 9 atoms or fewer, stored as plain floats', async () => {
    const frame = createFrame(5);
    frame.positions.set([1.234, -5, 7.5, 10, 20, 30, 0.001, 0.002, 0.003, 100, 200, 300, -1, -2, -3]);
    frame.box = new Float64Array([20, 0, 0, 0, 21, 0, 0, 0, 22]);
    frame.time = 2.5;
    frame.step = 7;
    const rec = encodeXtcFrame(frame, undefined, 1000);
    expect(rec.length).toBe(56 + 5 * 12);
    const two = new Uint8Array(rec.length * 2);
    two.set(rec);
    two.set(rec, rec.length);
    const src = await openXtc(new MemoryByteSource('small.xtc', two));
    expect(src.frameCount).toBe(2);
    const f = await src.readFrame(1);
    for (let k = 0; k < 15; k++) expect(f.positions[k]).toBe(Math.fround(Math.fround(frame.positions[k] / 10) * 10));
    expect(f.time).toBe(2.5);
    expect(f.step).toBe(7);
    expect(Array.from(f.box!)).toEqual(Array.from(frame.box, (v) => Math.fround(v / 10) * 10));
  });

  it('reads frames without atoms and a zero box as a frame with no box', async () => {
    const frame = createFrame(0);
    frame.time = 1;
    const rec = encodeXtcFrame(frame, undefined, 1000);
    expect(rec.length).toBe(56);
    const src = await openXtc(new MemoryByteSource('empty-frames.xtc', rec));
    expect(src.atomCount).toBe(0);
    const f = await src.readFrame(0);
    expect(f.positions.length).toBe(0);
    expect(f.box).toBeNull();
  });

  it('reads the GROMACS 2023 large-system layout (magic 2023, 64-bit byte count)', async () => {
    // rebuild formats.xtc with magic 2023 and an 8-byte count, frame by frame
    const parts: Uint8Array[] = [];
    for (let f = 0; f < nFrames; f++) {
      const rec = bytes.subarray(starts[f], starts[f + 1]);
      const out = new Uint8Array(rec.length + 4);
      out.set(rec.subarray(0, 88));
      setInt32(out, 0, 2023);
      setInt32(out, 88, 0);
      out.set(rec.subarray(88), 92);
      parts.push(out);
    }
    const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    expect(sniffXtc(all)).toBe(true);
    const a = await openXtc(new MemoryByteSource('new.xtc', all));
    const b = await openXtc(memorySource(FORMATS.xtc));
    expect(a.frameCount).toBe(10);
    expect(a.index.extra).toEqual({ magic: 2023 });
    for (const i of [0, 9]) {
      const fa = await a.readFrame(i);
      const fb = await b.readFrame(i);
      expect(Array.from(fa.positions)).toEqual(Array.from(fb.positions));
    }
  });

  it('decodes a frame record on its own with decodeXtcFrame', () => {
    const f = decodeXtcFrame(bytes.subarray(starts[4], starts[5]), undefined, { byteOffset: starts[4] });
    expect(f.time).toBe(4);
    expect(f.positions.length).toBe(3066 * 3);
    const ref = readJson<CoordsRef>('mgcl2-water-formats', 'coords-ref.json').frames.find((r) => r.frame === 4)!;
    expect(f.positions[0]).toBe(Math.fround(ref.positions[0][0]));
    expect(() => decodeXtcFrame(bytes.subarray(starts[4], starts[5] - 10), undefined, { byteOffset: starts[4], file: 'x.xtc' })).toThrow(
      `x.xtc: XTC (byte ${starts[4] + 92}): coordinates need`,
    );
  });
});
