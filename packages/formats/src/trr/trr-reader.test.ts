import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FormatError, MemoryByteSource, SolvscopeError, type ByteSource, type FrameSource } from '@solvscope/core';
import { FORMATS, TRICLINIC, readJson, type CoordsRef } from '@solvscope/fixtures';
import { describeFrameSource } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { openXtc } from '../xtc/xtc-reader.js';
import { decodeTrrFrame, openTrr, scanTrrIndex, sniffTrr, trrFormat } from './index.js';

describeFrameSource('formats.trr', {
  open: async () => openTrr(await fileSource(FORMATS.trr)),
  format: 'trr',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref: readJson<CoordsRef>('mgcl2-water-formats', 'coords-ref.json'),
  positionTolerance: 1e-6,
  box: 'yes',
  boxTolerance: 1e-4,
  time: { tolerance: 1e-6 },
});

describeFrameSource('triclinic prod.trr', {
  open: async () => openTrr(await fileSource(TRICLINIC.trr)),
  format: 'trr',
  atomCount: TRICLINIC.atoms,
  frameCount: TRICLINIC.frames,
  ref: readJson<CoordsRef>('mgcl2-water-triclinic', 'coords-ref.json'),
  // prod.trr is mdrun's full-precision output; the reference was read from the 0.001 nm XTC
  positionTolerance: 0.005 + 1e-5,
  box: 'yes',
  boxTolerance: 1e-4,
  time: { tolerance: 1e-6 },
});

// ---- synthetic TRR frames, written field by field with a DataView

interface SynthFrame {
  double?: boolean;
  natoms: number;
  step?: number;
  time?: number;
  lambda?: number;
  box?: number[] | null;
  x?: number[] | null;
  v?: number[] | null;
  f?: number[] | null;
  version?: string;
}

function trrFrame(s: SynthFrame): Uint8Array {
  const rs = s.double ? 8 : 4;
  const version = s.version ?? 'GMX_trn_file';
  const vpad = (version.length + 3) & ~3;
  const n3 = s.natoms * 3;
  const box = s.box ? 9 * rs : 0;
  const x = s.x ? n3 * rs : 0;
  const v = s.v ? n3 * rs : 0;
  const f = s.f ? n3 * rs : 0;
  const header = 12 + vpad + 13 * 4 + 2 * rs;
  const out = new Uint8Array(header + box + x + v + f);
  const dv = new DataView(out.buffer);
  dv.setInt32(0, 1993);
  dv.setInt32(4, version.length + 1);
  dv.setInt32(8, version.length);
  for (let k = 0; k < version.length; k++) out[12 + k] = version.charCodeAt(k);
  let o = 12 + vpad;
  for (const val of [0, 0, box, 0, 0, 0, 0, x, v, f, s.natoms, s.step ?? 0, 0]) {
    dv.setInt32(o, val);
    o += 4;
  }
  const real = (val: number) => {
    if (s.double) dv.setFloat64(o, val);
    else dv.setFloat32(o, val);
    o += rs;
  };
  real(s.time ?? 0);
  real(s.lambda ?? 0);
  for (const arr of [s.box, s.x, s.v, s.f]) if (arr) arr.forEach(real);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const XS = [0.1, 0.2, 0.3, 1.5, -2.25, 3.125, 1 / 3, 2 / 3, 1e-3];
const VS = [1, -1, 0.5, 0.25, 0, 2, -3, 4, 5e-4];
const FS = [100, -200, 300, 1.5, 2.5, -3.5, 1e3, 1e-2, 7];
const BOX = [3, 0, 0, 0, 3.1, 0, 1.5, 1.5, 2.2];

describe('trr against xtc', () => {
  // formats.trr was made from formats.xtc (same numbers); the triclinic prod.trr is mdrun's own
  // full-precision output written beside prod.xtc, so it differs by the XTC rounding (0.0005 nm).
  for (const set of [
    { name: 'formats', xtc: FORMATS.xtc, trr: FORMATS.trr, tol: 1e-5 },
    { name: 'triclinic', xtc: TRICLINIC.xtc, trr: TRICLINIC.trr, tol: 0.005 + 1e-5 },
  ]) {
    it(`agrees with the XTC of the same ${set.name} frames to ${set.tol} Å for every atom, and exactly in box and time`, async () => {
      const a = await openTrr(await fileSource(set.trr));
      const b = await openXtc(await fileSource(set.xtc));
      expect(a.frameCount).toBe(b.frameCount);
      const bi = b.frames({ reuse: false })[Symbol.asyncIterator]();
      for await (const fa of a.frames()) {
        const fb = (await bi.next()).value;
        let m = 0;
        for (let k = 0; k < fa.positions.length; k++) m = Math.max(m, Math.abs(fa.positions[k] - fb.positions[k]));
        expect(m).toBeLessThanOrEqual(set.tol);
        expect(Array.from(fa.box!)).toEqual(Array.from(fb.box!));
        expect(fa.time).toBe(fb.time);
        expect(fa.step).toBe(fb.step);
      }
      await a.close();
      await b.close();
    });
  }
});

describe('trr frames', () => {
  it('reads double precision with velocities and forces, converting nm → Å, nm/ps → Å/ps, kJ/(mol nm) → kJ/(mol Å)', async () => {
    const bytes = concat([
      trrFrame({ double: true, natoms: 3, step: 100, time: 0.2, lambda: 0.5, box: BOX, x: XS, v: VS, f: FS }),
      trrFrame({ double: true, natoms: 3, step: 200, time: 0.4, box: BOX, x: XS.map((q) => q + 1) }),
    ]);
    const index = await scanTrrIndex(new MemoryByteSource('d.trr', bytes));
    expect(index.extra).toEqual({ double: true, skippedFrames: 0, velocities: true, forces: true });
    const src = await openTrr(new MemoryByteSource('d.trr', bytes), { index });
    expect(src.frameCount).toBe(2);
    const f = await src.readFrame(0);
    expect(f.step).toBe(100);
    expect(f.time).toBe(0.2);
    expect(Array.from(f.positions)).toEqual(XS.map((q) => Math.fround(q * 10)));
    expect(Array.from(f.velocities!)).toEqual(VS.map((q) => Math.fround(q * 10)));
    expect(Array.from(f.forces!)).toEqual(FS.map((q) => Math.fround(q * 0.1)));
    expect(Array.from(f.box!)).toEqual(BOX.map((q) => q * 10));
    // the same Frame object, reused for a frame without v and f, must not keep the old ones
    const g = await src.readFrame(1, f);
    expect(g).toBe(f);
    expect(g.velocities).toBeNull();
    expect(g.forces).toBeNull();
    expect(g.positions[0]).toBe(Math.fround(11));
  });

  it('reads single precision frames with and without a box', async () => {
    const bytes = concat([
      trrFrame({ natoms: 3, step: 1, time: 1, box: BOX, x: XS }),
      trrFrame({ natoms: 3, step: 2, time: 2, box: null, x: XS, f: FS }),
    ]);
    const src = await openTrr(new MemoryByteSource('s.trr', bytes));
    const a = await src.readFrame(0);
    expect(Array.from(a.box!)).toEqual(BOX.map((q) => Math.fround(q) * 10));
    expect(Array.from(a.positions)).toEqual(XS.map((q) => Math.fround(Math.fround(q) * 10)));
    const b = await src.readFrame(1);
    expect(b.box).toBeNull();
    expect(b.forces![0]).toBe(Math.fround(Math.fround(100) * 0.1));
    expect(src.index.extra).toMatchObject({ double: false, velocities: false, forces: true });
  });

  it('tells single from double precision by the position block alone when there is no box', async () => {
    const src = await openTrr(new MemoryByteSource('nobox.trr', trrFrame({ double: true, natoms: 3, time: 5, x: XS })));
    expect(src.index.extra!.double).toBe(true);
    expect((await src.readFrame(0)).positions[6]).toBe(Math.fround((1 / 3) * 10));
  });

  it('leaves velocity-only frames out of the index by default, with a warning, as GROMACS tools do', async () => {
    const bytes = concat([
      trrFrame({ natoms: 3, step: 0, time: 0, box: BOX, x: XS, v: VS }),
      trrFrame({ natoms: 3, step: 1, time: 1, box: BOX, v: VS }),
      trrFrame({ natoms: 3, step: 2, time: 2, box: BOX, v: VS }),
      trrFrame({ natoms: 3, step: 3, time: 3, box: BOX, x: XS, v: VS }),
      trrFrame({ natoms: 3, step: 4, time: 4, box: BOX, v: VS }),
    ]);
    const warnings: SolvscopeError[] = [];
    const src = await openTrr(new MemoryByteSource('v.trr', bytes), { onWarning: (w) => warnings.push(w) });
    expect(src.frameCount).toBe(2);
    expect(src.index.extra!.skippedFrames).toBe(3);
    expect(warnings.map((w) => w.detail)).toEqual(['3 frames without positions (velocities/forces only) are left out of the index']);
    const times: number[] = [];
    for await (const f of src.frames()) times.push(f.time);
    expect(times).toEqual([0, 3]);

    const all = await openTrr(new MemoryByteSource('v.trr', bytes), { framesWithoutPositions: 'include' });
    expect(all.frameCount).toBe(5);
    const f = await all.readFrame(1);
    expect(Number.isNaN(f.positions[0])).toBe(true);
    expect(f.velocities![0]).toBe(10);
  });

  it('refuses a file in which no frame stores positions', async () => {
    await expect(openTrr(new MemoryByteSource('v.trr', trrFrame({ natoms: 3, box: BOX, v: VS })))).rejects.toThrow('none of the 1 frames stores positions');
  });

  it('decodes a frame record on its own with decodeTrrFrame', () => {
    const f = decodeTrrFrame(trrFrame({ natoms: 3, step: 9, time: 1.5, x: XS }));
    expect(f.step).toBe(9);
    expect(f.box).toBeNull();
  });

  it('recognises TRR by its magic number and is registered as the trr descriptor', () => {
    expect(sniffTrr(new Uint8Array(readFileSync(FORMATS.trr)).subarray(0, 64))).toBe(true);
    expect(sniffTrr(new Uint8Array(readFileSync(FORMATS.xtc)).subarray(0, 64))).toBe(false);
    expect(trrFormat.name).toBe('trr');
    expect(trrFormat.capabilities).toMatchObject({ positions: true, velocities: true, forces: true, write: false });
  });
});

// ---- broken copies of formats.trr

const bytes = new Uint8Array(readFileSync(FORMATS.trr));
const FRAME = 84 + 36 + 3066 * 12; // header + box + x (single precision)
const starts = Array.from({ length: 11 }, (_, k) => k * FRAME);

function setInt32(b: Uint8Array, at: number, v: number): Uint8Array {
  new DataView(b.buffer, b.byteOffset, b.byteLength).setInt32(at, v);
  return b;
}

async function openError(src: ByteSource): Promise<FormatError> {
  try {
    await openTrr(src);
  } catch (e) {
    expect(e).toBeInstanceOf(FormatError);
    return e as FormatError;
  }
  throw new Error('openTrr did not reject');
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

describe('truncated trr files', () => {
  it('has the layout the cut points assume', () => {
    expect(bytes.length).toBe(10 * FRAME);
  });

  // inside the magic, after magic / string lengths / version, inside the sizes, after natoms,
  // step, nre and t; then after the header, after the box, inside x, last byte
  const headerCuts = [2, 4, 8, 12, 24, 40, 64, 68, 72, 76, 80];
  const dataCuts = [84, 84 + 36, 84 + 36 + 1000, FRAME - 1];
  const check = (e: SolvscopeError, f: number, cut: number) => {
    expect(e).toBeInstanceOf(FormatError);
    expect(e.code).toBe('TRUNCATED');
    if (cut < 84) {
      expect(e.context).toMatchObject({ file: 'formats.trr', format: 'TRR', frame: f, byteOffset: starts[f] });
      expect(e.detail).toBe(`frame header needs 84 bytes, file ends after ${cut}`);
    } else {
      expect(e.context).toMatchObject({ file: 'formats.trr', format: 'TRR', frame: f, byteOffset: starts[f] + 84 });
      expect(e.detail).toBe(`frame data needs ${FRAME - 84} bytes, file ends after ${cut - 84}`);
    }
  };

  for (const cut of [...headerCuts, ...dataCuts]) {
    it(`refuses a file cut ${cut} bytes into the first frame`, async () => {
      check(await openError(memorySource(FORMATS.trr, (b) => b.slice(0, cut))), 0, cut);
    });
    it(`keeps 9 frames when the last frame is cut ${cut} bytes in`, async () => {
      const src = await openTrr(memorySource(FORMATS.trr, (b) => b.slice(0, starts[9] + cut)));
      expect(src.frameCount).toBe(9);
      check(src.tailError!, 9, cut);
      let n = 0;
      for await (const _f of src.frames()) n++;
      expect(n).toBe(9);
    });
  }

  it('words the tail error with file, frame and byte offset', async () => {
    const src = await openTrr(memorySource(FORMATS.trr, (b) => b.slice(0, starts[9] + 50)));
    expect(src.tailError!.message).toBe(`formats.trr: TRR frame 9 (byte ${starts[9]}): frame header needs 84 bytes, file ends after 50`);
  });
});

describe('corrupted trr files', () => {
  it('rejects a wrong magic number with its byte offset', async () => {
    const e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, starts[6], 1995)));
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toBe(`formats.trr: TRR frame 6 (byte ${starts[6]}): not a TRR frame: magic number is 1995, expected 1993`);
  });

  it('rejects an atom count that differs from the first frame', async () => {
    const e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, starts[3] + 64, 3000)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 3, byteOffset: starts[3] + 64 });
    expect(e.detail).toBe('frame has 3000 atoms, the first frame has 3066');
  });

  it('rejects an atom count that no longer matches the position block', async () => {
    const e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, 64, 1_000_000_000)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ frame: 0, byteOffset: 52 });
    expect(e.detail).toBe('x_size 36792 does not match single precision (expected 0 or 12000000000)');
  });

  it('rejects block sizes that fit neither precision', async () => {
    let e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, starts[2] + 52, 36791)));
    expect(e.context).toMatchObject({ frame: 2, byteOffset: starts[2] + 52 });
    e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, 32, 40)));
    expect(e.detail).toBe('box_size 40 matches neither single nor double precision for 3066 atoms');
    expect(e.context.byteOffset).toBe(32);
    e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, 56, -4)));
    expect(e.detail).toBe('v_size -4 is negative');
  });

  it('rejects pre-GROMACS-3 blocks and a garbage version string', async () => {
    let e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, 28, 400)));
    expect(e.code).toBe('UNSUPPORTED');
    expect(e.detail).toBe('e_size is 400: pre-GROMACS-3 blocks are not supported');
    e = await openError(memorySource(FORMATS.trr, (b) => setInt32(b, 8, 99999)));
    expect(e.code).toBe('CORRUPT');
    expect(e.context.byteOffset).toBe(4);
  });

  it('rejects a non-finite coordinate when the frame is read, naming its byte', async () => {
    const at = starts[4] + 84 + 36 + 4 * 301;
    const src = await openTrr(memorySource(FORMATS.trr, (b) => (new DataView(b.buffer, b.byteOffset).setFloat32(at, NaN), b)));
    const e = await frameError(src, 4);
    expect(e.code).toBe('CORRUPT');
    expect(e.context).toMatchObject({ file: 'formats.trr', frame: 4, byteOffset: at });
    expect(e.detail).toBe('position coordinate 301 is not finite');
  });

  it('rejects an absurd atom count in a frame without coordinates', async () => {
    await expect(openTrr(new MemoryByteSource('a.trr', trrFrame({ natoms: 2_000_000_000, box: BOX })))).rejects.toThrow(
      'header claims 2000000000 atoms, more than a file of 120 bytes can hold',
    );
  });
});
