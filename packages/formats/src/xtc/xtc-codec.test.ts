import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FORMATS, MG_TFSI_DME } from '@solvscope/fixtures';
import {
  XTC_MAGICINTS,
  XtcCodecError,
  XtcEncodeScratch,
  decodeXtcCoordinates,
  encodeXtcCoordinates,
  xtcSizeOfInts,
  type XtcCoordParams,
} from './xtc-codec.js';

// ---- An independent, deliberately plain reference decoder: GROMACS' receivebits/receiveints
// state machine (byte counter, leftover bits, last byte), one bit group at a time.
class RefBits {
  cnt = 0;
  lastbits = 0;
  lastbyte = 0;
  constructor(readonly buf: Uint8Array) {}
  bits(n: number): number {
    const mask = n >= 32 ? 0xffffffff : 2 ** n - 1;
    let num = 0;
    while (n >= 8) {
      this.lastbyte = ((this.lastbyte * 256) % 2 ** 32) + (this.buf[this.cnt++] ?? 0);
      num += Math.floor(this.lastbyte / 2 ** this.lastbits) % 256 * 2 ** (n - 8);
      n -= 8;
    }
    if (n > 0) {
      if (this.lastbits < n) {
        this.lastbits += 8;
        this.lastbyte = ((this.lastbyte * 256) % 2 ** 32) + (this.buf[this.cnt++] ?? 0);
      }
      this.lastbits -= n;
      num += Math.floor(this.lastbyte / 2 ** this.lastbits) % 2 ** n;
    }
    return num % (mask + 1);
  }
  ints(nbits: number, sizes: number[]): number[] {
    const bytes: number[] = [];
    while (nbits > 8) {
      bytes.push(this.bits(8));
      nbits -= 8;
    }
    if (nbits > 0) bytes.push(this.bits(nbits));
    const out = [0, 0, 0];
    for (let i = 2; i > 0; i--) {
      let num = 0;
      for (let j = bytes.length - 1; j >= 0; j--) {
        num = num * 256 + bytes[j];
        const q = Math.floor(num / sizes[i]);
        bytes[j] = q;
        num -= q * sizes[i];
      }
      out[i] = num;
    }
    out[0] = bytes.reduceRight((acc, b) => acc * 256 + b, 0);
    return out;
  }
}

function bitLength(v: number): number {
  let n = 0;
  while (v >= 2 ** n && n < 32) n++;
  return n;
}

/** Integer coordinates as GROMACS' reader produces them. */
function referenceDecode(data: Uint8Array, p: XtcCoordParams): Int32Array {
  const r = new RefBits(data);
  const sizes = [0, 1, 2].map((k) => p.maxint[k] - p.minint[k] + 1);
  const large = sizes.some((s) => s > 0xffffff);
  const bitsize = large ? 0 : xtcSizeOfInts(sizes[0], sizes[1], sizes[2]);
  const M = XTC_MAGICINTS;
  let smallidx = p.smallidx;
  let smaller = Math.floor(M[Math.max(9, smallidx - 1)] / 2);
  let smallnum = Math.floor(M[smallidx] / 2);
  const out = new Int32Array(p.natoms * 3);
  let o = 0;
  let run = 0;
  let i = 0;
  while (i < p.natoms) {
    let c = large ? sizes.map((s) => r.bits(bitLength(s))) : r.ints(bitsize, sizes);
    c = c.map((v, k) => v + p.minint[k]);
    i++;
    let isSmaller = 0;
    if (r.bits(1) === 1) {
      run = r.bits(5);
      isSmaller = (run % 3) - 1;
      run -= run % 3;
    }
    let prev = c;
    if (run > 0) {
      for (let k = 0; k < run; k += 3) {
        const d = r.ints(smallidx, [M[smallidx], M[smallidx], M[smallidx]]);
        const t = d.map((v, q) => v + prev[q] - smallnum);
        i++;
        if (k === 0) {
          out.set(t, o);
          out.set(prev, o + 3);
          o += 6;
        } else {
          out.set(t, o);
          o += 3;
        }
        prev = t;
      }
    } else {
      out.set(c, o);
      o += 3;
    }
    smallidx += isSmaller;
    if (isSmaller < 0) {
      smallnum = smaller;
      smaller = smallidx > 9 ? Math.floor(M[smallidx - 1] / 2) : 0;
    } else if (isSmaller > 0) {
      smaller = smallnum;
      smallnum = Math.floor(M[smallidx] / 2);
    }
  }
  return out;
}

function toAngstrom(ints: Int32Array, precision: number): Float32Array {
  const invp = Math.fround(1 / precision);
  return Float32Array.from(ints, (v) => Math.fround(v * invp) * 10);
}

/** Compressed blocks of a real GROMACS XTC file (frames > 9 atoms, magic 1995). */
function blocksOf(path: string): { data: Uint8Array; p: XtcCoordParams }[] {
  const b = new Uint8Array(readFileSync(path));
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: { data: Uint8Array; p: XtcCoordParams }[] = [];
  for (let off = 0; off < b.length; ) {
    const natoms = v.getInt32(off + 4);
    const count = v.getInt32(off + 88);
    out.push({
      data: b.subarray(off + 92, off + 92 + count),
      p: {
        natoms,
        precision: v.getFloat32(off + 56),
        minint: [v.getInt32(off + 60), v.getInt32(off + 64), v.getInt32(off + 68)],
        maxint: [v.getInt32(off + 72), v.getInt32(off + 76), v.getInt32(off + 80)],
        smallidx: v.getInt32(off + 84),
      },
    });
    off += 92 + ((count + 3) & ~3);
  }
  return out;
}

/** Deterministic water-like coordinates (nm): O random in a cube, two H 0.1 nm away. */
function waterBox(molecules: number, boxNm: number, seed: number, extraIons = 7): Float64Array {
  let s = seed >>> 0;
  const rnd = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = molecules * 3 + extraIons;
  const x = new Float64Array(n * 3);
  let a = 0;
  for (let m = 0; m < molecules; m++) {
    const o = [rnd() * boxNm, rnd() * boxNm, rnd() * boxNm];
    x.set(o, 3 * a++);
    for (let h = 0; h < 2; h++) {
      const d = [rnd() - 0.5, rnd() - 0.5, rnd() - 0.5];
      const l = Math.hypot(d[0], d[1], d[2]) || 1;
      x.set([o[0] + (0.1 * d[0]) / l, o[1] + (0.1 * d[1]) / l, o[2] + (0.1 * d[2]) / l], 3 * a++);
    }
  }
  for (let k = 0; k < extraIons; k++) x.set([rnd() * boxNm, rnd() * boxNm, rnd() * boxNm], 3 * a++);
  return x;
}

describe('xtc codec', () => {
  it('decodes every frame of two GROMACS files exactly like the reference bit reader', () => {
    for (const path of [FORMATS.xtc, MG_TFSI_DME.xtc]) {
      const blocks = blocksOf(path);
      for (const k of [0, 1, blocks.length - 1]) {
        const { data, p } = blocks[k];
        const fast = new Float32Array(p.natoms * 3);
        decodeXtcCoordinates(data, p, fast, 10);
        const ref = toAngstrom(referenceDecode(data, p), p.precision);
        expect(Buffer.from(fast.buffer).equals(Buffer.from(ref.buffer))).toBe(true);
      }
    }
  });

  // Each case drives a different branch of the decoder (checked by the assertions on the header).
  const cases = [
    { name: 'precision 1000 in a 3 nm box (packed number ≤ 52 bits, 32-bit small path)', precision: 1000, box: 3, large: 'packed', small: [9, 25] },
    { name: 'precision 10 (coarse: tiny integers)', precision: 10, box: 3, large: 'packed', small: [9, 25] },
    { name: 'precision 1e5 (packed number over 52 bits, 26–52-bit small path)', precision: 1e5, box: 3, large: 'generic', small: [26, 52] },
    { name: 'precision 1e8 (ranges over 2^24: three separate fields, generic small path)', precision: 1e8, box: 3, large: 'fields', small: [53, 72] },
  ] as const;
  for (const c of cases) {
    it(`round-trips water at ${c.name} within 0.5/precision and matches the reference`, () => {
      const xyz = waterBox(400, c.box, 7);
      const natoms = xyz.length / 3;
      const w = new XtcEncodeScratch();
      const enc = encodeXtcCoordinates(xyz, undefined, natoms, c.precision, 1, w);
      const sizes = [0, 1, 2].map((k) => enc.maxint[k] - enc.minint[k] + 1);
      const mode = sizes.some((s) => s > 0xffffff) ? 'fields' : xtcSizeOfInts(sizes[0], sizes[1], sizes[2]) <= 52 ? 'packed' : 'generic';
      expect(mode).toBe(c.large);
      expect(enc.smallidx).toBeGreaterThanOrEqual(c.small[0]);
      expect(enc.smallidx).toBeLessThanOrEqual(c.small[1]);
      const data = w.out.slice(0, enc.byteCount);
      const p: XtcCoordParams = { natoms, precision: c.precision, minint: enc.minint, maxint: enc.maxint, smallidx: enc.smallidx };
      const fast = new Float32Array(natoms * 3);
      decodeXtcCoordinates(data, p, fast, 1);
      const refInts = referenceDecode(data, p);
      const invp = Math.fround(1 / c.precision);
      let maxErr = 0;
      for (let k = 0; k < natoms * 3; k++) {
        expect(fast[k]).toBe(Math.fround(refInts[k] * invp));
        maxErr = Math.max(maxErr, Math.abs(fast[k] - xyz[k]));
      }
      // 0.5/precision from rounding, plus float32 rounding of values up to 3 nm
      expect(maxErr).toBeLessThanOrEqual(0.5 / c.precision + 3 * 2 ** -23);
    });
  }

  it('compresses water: runs of small differences make the block far smaller than 12 bytes per atom', () => {
    const xyz = waterBox(1000, 3, 11, 0);
    const w = new XtcEncodeScratch();
    const enc = encodeXtcCoordinates(xyz, undefined, xyz.length / 3, 1000, 1, w);
    expect(enc.byteCount).toBeLessThan((xyz.length / 3) * 12 * 0.4);
  });

  it('encodes a selection of atoms in the order given', () => {
    const xyz = waterBox(20, 2, 3, 0);
    const atoms = Int32Array.from([5, 0, 17, 33, 2, 9, 11, 40, 41, 42, 43, 1]);
    const w = new XtcEncodeScratch();
    const enc = encodeXtcCoordinates(xyz, atoms, atoms.length, 1000, 1, w);
    const out = new Float32Array(atoms.length * 3);
    decodeXtcCoordinates(w.out.slice(0, enc.byteCount), { natoms: atoms.length, precision: 1000, ...enc }, out, 1);
    atoms.forEach((a, k) => {
      for (let d = 0; d < 3; d++) expect(Math.abs(out[3 * k + d] - xyz[3 * a + d])).toBeLessThanOrEqual(0.0005 + 1e-6);
    });
  });

  it('refuses a coordinate too large for the precision', () => {
    const xyz = waterBox(10, 2, 5, 0);
    xyz[7] = 3e6;
    expect(() => encodeXtcCoordinates(xyz, undefined, xyz.length / 3, 1000, 1, new XtcEncodeScratch())).toThrow(RangeError);
    xyz[7] = NaN;
    expect(() => encodeXtcCoordinates(xyz, undefined, xyz.length / 3, 1000, 1, new XtcEncodeScratch())).toThrow(/cannot be stored at precision 1000/);
  });

  it('reports a bit stream that ends before the last atom instead of inventing coordinates', () => {
    const { data, p } = blocksOf(FORMATS.xtc)[0];
    const out = new Float32Array(p.natoms * 3);
    let err: unknown;
    try {
      decodeXtcCoordinates(data.subarray(0, data.length >> 1), p, out, 10);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(XtcCodecError);
    expect((err as XtcCodecError).message).toMatch(/^compressed coordinates end after \d+ bytes, but only \d+ of 3066 atoms were complete$/);
  });

  it('reports a run longer than the atoms left in the frame', () => {
    // 10 atoms, all equal: one large atom, then a run flag announcing 10 small atoms (5-bit 31)
    const p: XtcCoordParams = { natoms: 10, precision: 1000, minint: [0, 0, 0], maxint: [0, 0, 0], smallidx: 9 };
    // bitsize for sizes 1,1,1 is 1: bit 0, then flag 1, then 11111
    const data = Uint8Array.of(0b01111110, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    expect(() => decodeXtcCoordinates(data, p, new Float32Array(30), 10)).toThrow(/a run of 10 small atoms after atom 0 passes the 10 atoms of the frame/);
  });
});
