import { describe, expect, it } from 'vitest';
import { FormatError, MemoryByteSource, SolvscopeError, boxFromLengthsAngles, boxToLengthsAngles } from '@solvscope/core';
import { FORMATS, TRICLINIC, readJson } from '@solvscope/fixtures';
import { checkTruncated, describeFrameSource, type CoordsRefLike } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { dcdFormat, dcdUnitCellToBox, openDcd, scanDcdIndex } from './dcd-reader.js';

// ---------------------------------------------------------------------------------------------
// A tiny DCD writer for synthetic files (independent of the reader).

interface SynthDcd {
  littleEndian?: boolean;
  markerBytes?: 4 | 8;
  atoms: number;
  /** Stored coordinates per frame: x0 y0 z0 x1 … (all atoms for frame 0, free atoms after). */
  frames: number[][];
  /** [A, γ, B, β, α, C] per frame, when frames carry a unit cell. */
  cells?: number[][];
  nset?: number;
  istart?: number;
  nsavc?: number;
  delta?: number;
  /** 0 = X-PLOR (delta as float64, no cell). */
  charmmVersion?: number;
  has4D?: boolean;
  /** 1-based free atom indices (NAMNF = atoms - free.length). */
  free?: number[];
  title?: string[];
}

function buildDcd(o: SynthDcd): Uint8Array {
  const le = o.littleEndian ?? true;
  const ms = o.markerBytes ?? 4;
  const charmm = o.charmmVersion ?? 24;
  const chunks: Uint8Array[] = [];
  const record = (payload: Uint8Array) => {
    const m = new Uint8Array(ms);
    const dv = new DataView(m.buffer);
    if (ms === 4) dv.setInt32(0, payload.length, le);
    else dv.setBigInt64(0, BigInt(payload.length), le);
    chunks.push(m, payload, m.slice());
  };
  const hdr = new Uint8Array(84);
  const h = new DataView(hdr.buffer);
  hdr.set([0x43, 0x4f, 0x52, 0x44], 0);
  const ic = (k: number, v: number) => h.setInt32(4 + 4 * k, v, le);
  ic(0, o.nset ?? o.frames.length);
  ic(1, o.istart ?? 0);
  ic(2, o.nsavc ?? 1);
  ic(8, o.free ? o.atoms - o.free.length : 0);
  if (charmm) {
    h.setFloat32(4 + 36, o.delta ?? 1, le);
    ic(10, o.cells ? 1 : 0);
    ic(11, o.has4D ? 1 : 0);
  } else {
    h.setFloat64(4 + 36, o.delta ?? 1, le);
  }
  ic(19, charmm);
  record(hdr);
  const title = o.title ?? ['REMARKS synthetic DCD', 'REMARKS second line'];
  const t = new Uint8Array(4 + 80 * title.length);
  new DataView(t.buffer).setInt32(0, title.length, le);
  title.forEach((line, k) => {
    t.fill(32, 4 + 80 * k, 4 + 80 * (k + 1));
    for (let i = 0; i < line.length; i++) t[4 + 80 * k + i] = line.charCodeAt(i);
  });
  record(t);
  const na = new Uint8Array(4);
  new DataView(na.buffer).setInt32(0, o.atoms, le);
  record(na);
  if (o.free) {
    const f = new Uint8Array(4 * o.free.length);
    o.free.forEach((v, k) => new DataView(f.buffer).setInt32(4 * k, v, le));
    record(f);
  }
  o.frames.forEach((xyz, fi) => {
    if (o.cells) {
      const c = new Uint8Array(48);
      o.cells[fi].forEach((v, k) => new DataView(c.buffer).setFloat64(8 * k, v, le));
      record(c);
    }
    const n = xyz.length / 3;
    for (let d = 0; d < (o.has4D ? 4 : 3); d++) {
      const r = new Uint8Array(4 * n);
      const dv = new DataView(r.buffer);
      for (let k = 0; k < n; k++) dv.setFloat32(4 * k, d < 3 ? xyz[3 * k + d] : -1, le);
      record(r);
    }
  });
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

const coords = (atoms: number, frame: number) => Array.from({ length: 3 * atoms }, (_, i) => Math.fround(frame * 10 + i * 0.25 - 3));
const mem = (name: string, b: Uint8Array) => new MemoryByteSource(name, b);
const cut = (b: Uint8Array, n: number) => b.slice(0, n);

// ---------------------------------------------------------------------------------------------

describeFrameSource('FORMATS.dcd (MDAnalysis writer, orthorhombic)', {
  open: async () => openDcd(await fileSource(FORMATS.dcd)),
  format: 'dcd',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref: readJson<CoordsRefLike>('mgcl2-water-formats', 'coords-ref.json'),
  positionTolerance: 1e-5,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-4 },
});

describeFrameSource('TRICLINIC.dcd (MDAnalysis writer, rhombic dodecahedron)', {
  open: async () => openDcd(await fileSource(TRICLINIC.dcd)),
  format: 'dcd',
  atomCount: TRICLINIC.atoms,
  frameCount: TRICLINIC.frames,
  ref: readJson<CoordsRefLike>('mgcl2-water-triclinic', 'coords-ref.json'),
  positionTolerance: 1e-5,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-4 },
});

describe('DCD reader', () => {
  it('reads the dodecahedral cell of TRICLINIC.dcd as a=(d,0,0), b=(0,d,0), c=(d/2,d/2,d/√2)', async () => {
    const src = await openDcd(await fileSource(TRICLINIC.dcd));
    try {
      const box = (await src.readFrame(0)).box!;
      const d = box[0];
      expect(d).toBeGreaterThan(31);
      expect(box[1]).toBe(0);
      expect(box[2]).toBe(0);
      expect(box[5]).toBe(0);
      expect(Math.abs(box[3])).toBeLessThan(1e-4);
      expect(box[4]).toBeCloseTo(d, 3);
      expect(box[6]).toBeCloseTo(d / 2, 3);
      expect(box[7]).toBeCloseTo(d / 2, 3);
      expect(box[8]).toBeCloseTo(d / Math.SQRT2, 3);
    } finally {
      await src.close();
    }
  });

  it('reports the header facts of an MDAnalysis-written file in the index', async () => {
    const source = await fileSource(FORMATS.dcd);
    const index = await scanDcdIndex(source);
    await source.close();
    const h = index.extra!.dcd as Record<string, unknown>;
    expect(h).toMatchObject({ littleEndian: true, markerBytes: 4, nset: 10, istart: 0, nsavc: 1, hasUnitCell: true, has4D: false, atomCount: 3066, headerBytes: 356 });
    expect(index.offsets.length).toBe(11);
    expect(index.offsets[10]).toBe(369076);
    expect(index.tail).toBeUndefined();
  });

  it('reads a big-endian file exactly like the little-endian one', async () => {
    const base = { atoms: 4, frames: [coords(4, 0), coords(4, 1)], cells: [[20, 90, 21, 90, 90, 22], [20.5, 90, 21.5, 90, 90, 22.5]], istart: 10, nsavc: 5, delta: 2 };
    const le = await openDcd(mem('le.dcd', buildDcd({ ...base, littleEndian: true })));
    const be = await openDcd(mem('be.dcd', buildDcd({ ...base, littleEndian: false })));
    expect(be.frameCount).toBe(2);
    for (let i = 0; i < 2; i++) {
      const a = await le.readFrame(i);
      const b = await be.readFrame(i);
      expect(Array.from(b.positions)).toEqual(base.frames[i].map(Math.fround));
      expect(Array.from(b.positions)).toEqual(Array.from(a.positions));
      expect(Array.from(b.box!)).toEqual(Array.from(a.box!));
      expect(b.time).toBe(a.time);
      expect(b.step).toBe(10 + 5 * i);
    }
    expect(boxToLengthsAngles((await be.readFrame(1)).box!).slice(0, 3)).toEqual([20.5, 21.5, 22.5]);
  });

  it('reads a file without unit cell with a null box and times from ISTART, NSAVC and DELTA', async () => {
    const deltaAkma = 0.002 / 0.04888821; // 2 fs
    const src = await openDcd(mem('nocell.dcd', buildDcd({ atoms: 3, frames: [coords(3, 0), coords(3, 1), coords(3, 2)], istart: 100, nsavc: 10, delta: deltaAkma })));
    expect(src.frameCount).toBe(3);
    for (let i = 0; i < 3; i++) {
      const f = await src.readFrame(i);
      expect(f.box).toBeNull();
      expect(Math.abs(f.time - (0.2 + 0.02 * i))).toBeLessThan(1e-6);
      expect(f.step).toBe(100 + 10 * i);
      expect(Array.from(f.positions)).toEqual(coords(3, i));
    }
  });

  it('reads 8-byte record markers', async () => {
    const src = await openDcd(mem('m8.dcd', buildDcd({ markerBytes: 8, atoms: 2, frames: [coords(2, 0), coords(2, 1)], cells: [[10, 90, 10, 90, 90, 10], [11, 90, 11, 90, 90, 11]] })));
    expect(src.frameCount).toBe(2);
    expect(Array.from((await src.readFrame(1)).positions)).toEqual(coords(2, 1));
    expect((await src.readFrame(1)).box![8]).toBe(11);
  });

  it('reads the big-endian 8-byte-marker variant', async () => {
    const src = await openDcd(mem('m8be.dcd', buildDcd({ markerBytes: 8, littleEndian: false, atoms: 2, frames: [coords(2, 0)] })));
    expect(Array.from((await src.readFrame(0)).positions)).toEqual(coords(2, 0));
  });

  it('turns angle cosines (CHARMM, NAMD ≥ 2.5) and degrees into the same box', async () => {
    const [a, b, c, al, be, ga] = [30, 31, 32, 70, 80, 100];
    const cos = (x: number) => Math.cos((x * Math.PI) / 180);
    const want = boxFromLengthsAngles(a, b, c, al, be, ga);
    const fromCos = dcdUnitCellToBox([a, cos(ga), b, cos(be), cos(al), c])!;
    const fromDeg = dcdUnitCellToBox([a, ga, b, be, al, c])!;
    for (let i = 0; i < 9; i++) {
      expect(fromCos[i]).toBeCloseTo(want[i], 9);
      expect(fromDeg[i]).toBeCloseTo(want[i], 12);
    }
    expect(Array.from(dcdUnitCellToBox([25, 0, 25, 0, 0, 25])!)).toEqual([25, 0, 0, 0, 25, 0, 0, 0, 25]);
    expect(dcdUnitCellToBox([0, 0, 0, 0, 0, 0])).toBeNull();
    expect(dcdUnitCellToBox([0, 90, 0, 90, 90, 0])).toBeNull();
  });

  it('fills fixed atoms (NAMNF > 0) from the first frame', async () => {
    const f0 = coords(4, 0);
    const free = [2, 4]; // 1-based
    const f1 = [100, 101, 102, 200, 201, 202]; // atoms 2 and 4
    const src = await openDcd(mem('fixed.dcd', buildDcd({ atoms: 4, frames: [f0, f1, f1.map((v) => v + 1)], free, cells: [[9, 90, 9, 90, 90, 9], [9, 90, 9, 90, 90, 9], [9, 90, 9, 90, 90, 9]] })));
    expect(src.frameCount).toBe(3);
    const g = await src.readFrame(1);
    expect(Array.from(g.positions)).toEqual([f0[0], f0[1], f0[2], 100, 101, 102, f0[6], f0[7], f0[8], 200, 201, 202]);
    const h = await src.readFrame(2);
    expect(Array.from(h.positions.subarray(9, 12))).toEqual([201, 202, 203]);
    expect(Array.from((await src.readFrame(0)).positions)).toEqual(f0.map(Math.fround));
  });

  it('reads the X-PLOR layout (ICNTRL[19] = 0, DELTA as float64, no unit cell)', async () => {
    const src = await openDcd(mem('xplor.dcd', buildDcd({ charmmVersion: 0, atoms: 2, frames: [coords(2, 0), coords(2, 1)], delta: 0.5 / 0.04888821, nsavc: 2 })));
    const f = await src.readFrame(1);
    expect(f.box).toBeNull();
    expect(f.time).toBeCloseTo(1.0, 12);
    expect(Array.from(f.positions)).toEqual(coords(2, 1));
  });

  it('skips the 4th-dimension record', async () => {
    const src = await openDcd(mem('4d.dcd', buildDcd({ has4D: true, atoms: 3, frames: [coords(3, 0), coords(3, 1)], cells: [[9, 90, 9, 90, 90, 9], [8, 90, 8, 90, 90, 8]] })));
    expect(src.frameCount).toBe(2);
    expect(Array.from((await src.readFrame(1)).positions)).toEqual(coords(3, 1));
  });

  it('trusts the file size over NSET and warns about the mismatch', async () => {
    const warnings: SolvscopeError[] = [];
    const bytes = buildDcd({ atoms: 2, frames: [coords(2, 0), coords(2, 1), coords(2, 2)], nset: 0 });
    expect((await openDcd(mem('nset0.dcd', bytes), { onWarning: (w) => warnings.push(w) })).frameCount).toBe(3);
    expect(warnings).toEqual([]);
    const stale = buildDcd({ atoms: 2, frames: [coords(2, 0), coords(2, 1), coords(2, 2)], nset: 7 });
    const src = await openDcd(mem('stale.dcd', stale), { onWarning: (w) => warnings.push(w) });
    expect(src.frameCount).toBe(3);
    expect(warnings.length).toBe(1);
    expect(warnings[0].code).toBe('MISMATCH');
    expect(warnings[0].message).toBe('stale.dcd: DCD (byte 8): the header says NSET = 7 frames but the file holds 3 complete frames; using the file size');
  });

  describe('truncation', () => {
    const full = new Uint8Array(memorySource(FORMATS.dcd).bytes);
    const header = 356;
    const frame = 4 + 48 + 4 + 3 * (8 + 4 * 3066);
    const headerCuts = [0, 3, 8, 50, 88, 92, 96, 200, 344, 348, 352, 355];
    for (const n of headerCuts) {
      it(`rejects a file cut inside the header at byte ${n} with TRUNCATED and the offset`, async () => {
        const r = await checkTruncated(() => openDcd(mem('cut.dcd', cut(full, n))), 0);
        expect(r.threw).toBeInstanceOf(FormatError);
        expect(r.threw!.code).toBe('TRUNCATED');
        expect(r.threw!.context.file).toBe('cut.dcd');
      });
    }
    it('opens a file that ends right after the header with no frames and no tail error', async () => {
      const src = await openDcd(mem('cut.dcd', cut(full, header)));
      expect(src.frameCount).toBe(0);
      expect(src.tailError).toBeNull();
    });
    const inFrame: [number, string][] = [
      [2, 'unit-cell record needs 56 bytes, the file ends after 2'],
      [4 + 20, 'unit-cell record needs 56 bytes, the file ends after 24'],
      [56, 'X coordinate record needs 12272 bytes, the file ends after 0'],
      [56 + 4, 'X coordinate record needs 12272 bytes, the file ends after 4'],
      [56 + 6000, 'X coordinate record needs 12272 bytes, the file ends after 6000'],
      [56 + 12272, 'Y coordinate record needs 12272 bytes, the file ends after 0'],
      [56 + 12272 + 12270, 'Y coordinate record needs 12272 bytes, the file ends after 12270'],
      [56 + 2 * 12272 + 4, 'Z coordinate record needs 12272 bytes, the file ends after 4'],
      [frame - 1, 'Z coordinate record needs 12272 bytes, the file ends after 12271'],
    ];
    for (const [k, detail] of inFrame) {
      it(`keeps the complete frames and reports a tail when frame 7 is cut at byte ${k} of the frame`, async () => {
        const at = header + 7 * frame + k;
        const r = await checkTruncated(() => openDcd(mem('cut.dcd', cut(full, at))), 7);
        expect(r.threw).toBeNull();
        const t = r.source!.tailError!;
        expect(t.code).toBe('TRUNCATED');
        expect(t.context).toMatchObject({ file: 'cut.dcd', format: 'DCD', frame: 7, byteOffset: header + 7 * frame });
        expect(t.detail).toBe(`frame 7 is incomplete: the ${detail}`);
      });
    }
    it('has no tail error when the cut falls exactly on a frame boundary', async () => {
      const src = await openDcd(mem('cut.dcd', cut(full, header + 4 * frame)));
      expect(src.frameCount).toBe(4);
      expect(src.tailError).toBeNull();
    });
  });

  describe('corruption', () => {
    const header = 356;
    const frame = 4 + 48 + 4 + 3 * (8 + 4 * 3066);
    it('rejects a corrupted Y record marker in frame 5 with CORRUPT naming frame and byte', async () => {
      const at = header + 5 * frame + 56 + 12272;
      const src = await openDcd(memorySource(FORMATS.dcd, (b) => {
        new DataView(b.buffer, b.byteOffset).setInt32(at, 999, true);
        return b;
      }));
      await expect(src.readFrame(4)).resolves.toBeDefined();
      const err = await src.readFrame(5).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('CORRUPT');
      expect(err.context).toMatchObject({ file: 'formats.dcd', format: 'DCD', frame: 5, byteOffset: at });
      expect(err.message).toBe(`formats.dcd: DCD frame 5 (byte ${at}): the Y coordinate record has record marker 999, expected 12264`);
      const seen: number[] = [];
      await expect(
        (async () => {
          for await (const f of src.frames()) seen.push(f.index);
        })(),
      ).rejects.toThrow(/frame 5/);
      expect(seen).toEqual([0, 1, 2, 3, 4]);
    });

    it('rejects a corrupted end marker of the unit-cell record', async () => {
      const at = header + 2 * frame + 52;
      const src = await openDcd(memorySource(FORMATS.dcd, (b) => {
        b[at] = 47;
        return b;
      }));
      await expect(src.readFrame(2)).rejects.toMatchObject({ code: 'CORRUPT', context: { frame: 2, byteOffset: at } });
    });

    it('rejects a file that does not start with the CORD record', async () => {
      const bad = memorySource(FORMATS.dcd, (b) => {
        b[5] = 0x41;
        return b;
      });
      await expect(openDcd(bad)).rejects.toMatchObject({ code: 'FORMAT', context: { file: 'formats.dcd', byteOffset: 0 } });
      expect(dcdFormat.sniff!(bad.bytes.subarray(0, 100))).toBe(false);
      expect(dcdFormat.sniff!(memorySource(FORMATS.dcd).bytes.subarray(0, 100))).toBe(true);
    });

    it('rejects a corrupted atom-count record', async () => {
      const bad = memorySource(FORMATS.dcd, (b) => {
        new DataView(b.buffer, b.byteOffset).setInt32(344, 5, true);
        return b;
      });
      await expect(openDcd(bad)).rejects.toMatchObject({ code: 'CORRUPT', context: { byteOffset: 344 } });
    });

    it('explains a unit-cell flag that does not match the frames', async () => {
      const bytes = buildDcd({ atoms: 3, frames: [coords(3, 0)] });
      new DataView(bytes.buffer).setInt32(4 + 4 + 40, 1, true); // ICNTRL[10] = 1 but no cell records
      const err = await openDcd(mem('flag.dcd', bytes)).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('FORMAT');
      expect(err.detail).toContain('the header sets the unit-cell flag ICNTRL[10] but the frames have no unit cell');
    });

    it('rejects a NaN coordinate with CORRUPT naming the atom', async () => {
      const xyz = coords(3, 0);
      xyz[4] = NaN;
      const src = await openDcd(mem('nan.dcd', buildDcd({ atoms: 3, frames: [xyz] })));
      await expect(src.readFrame(0)).rejects.toMatchObject({ code: 'CORRUPT', detail: 'atom 2 has a non-finite Y coordinate (NaN)' });
    });

    it('rejects an impossible NAMNF before allocating anything', async () => {
      const bytes = buildDcd({ atoms: 3, frames: [coords(3, 0)] });
      new DataView(bytes.buffer).setInt32(4 + 4 + 32, 3, true);
      await expect(openDcd(mem('namnf.dcd', bytes))).rejects.toMatchObject({ code: 'CORRUPT' });
    });
  });
});
