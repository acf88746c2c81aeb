/**
 * The xdr3dfcoord coordinate codec of GROMACS XTC files (Frans van Hoesel's compression), written
 * for speed: one pass over the bytes, integer arithmetic, no allocation per atom, decoded straight
 * into the caller's Float32Array.
 *
 * How the bit stream works (see README.md for the frame layout):
 * - Coordinates are scaled by `precision` and rounded to integers; minint/maxint bound them.
 * - Every "large" atom is written as three integers relative to minint, packed into one big
 *   number `(x·sizeY + y)·sizeZ + z` that takes `bitsize` bits (or, when a range exceeds 2^24,
 *   three plain fields of bitsizeint[k] bits).
 * - A large atom can start a run of up to 8 (10 in a corrupt file) "small" atoms whose
 *   differences to the previous atom fit in `magicints[smallidx]`; three differences are packed
 *   into `smallidx` bits. A 1-bit flag says whether the run length changed; if so a 5-bit field
 *   gives `run + is_smaller + 1`, where is_smaller (−1, 0, +1) moves smallidx.
 * - The first small atom of a run is swapped with the large atom on output (for water: the file
 *   stores H1, O, H2 deltas so the O–H differences stay small).
 * - Packed numbers are little-endian sequences of bytes, each byte read MSB-first from the stream
 *   (GROMACS `receiveints`), which is why the readers below compose bytes in reverse.
 *
 * Reference: GROMACS src/gromacs/fileio/libxdrf.cpp (xdr3dfcoord, receivebits, receiveints).
 */

/** GROMACS `magicints`: the allowed sizes of the "small" difference range. */
export const XTC_MAGICINTS: Int32Array = Int32Array.of(
  0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 10, 12, 16, 20, 25, 32, 40, 50, 64, 80, 101, 128, 161, 203, 256, 322, 406, 512, 645, 812, 1024, 1290,
  1625, 2048, 2580, 3250, 4096, 5060, 6501, 8192, 10321, 13003, 16384, 20642, 26007, 32768, 41285, 52015, 65536, 82570, 104031,
  131072, 165140, 208063, 262144, 330280, 416127, 524287, 660561, 832255, 1048576, 1321122, 1664510, 2097152, 2642245, 3329021,
  4194304, 5284491, 6658042, 8388607, 10568983, 13316085, 16777216,
);
/** First usable index of {@link XTC_MAGICINTS}. */
export const XTC_FIRSTIDX = 9;
/** One past the last index of {@link XTC_MAGICINTS}. */
export const XTC_LASTIDX = XTC_MAGICINTS.length;

/** The per-frame parameters of a compressed coordinate block (all from the frame header). */
export interface XtcCoordParams {
  /** Atoms in the block (> 9). */
  natoms: number;
  /** Scale factor, 1/nm (1000 for GROMACS' default 0.001 nm). */
  precision: number;
  /** Smallest integer coordinate per dimension. */
  minint: ArrayLike<number>;
  /** Largest integer coordinate per dimension. */
  maxint: ArrayLike<number>;
  /** Initial index into XTC_MAGICINTS for small differences. */
  smallidx: number;
}

/** Why a block could not be decoded: `byteOffset` is relative to the start of the compressed data. */
export class XtcCodecError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(message);
    this.name = 'XtcCodecError';
  }
}

/** Bytes of zeros kept after the copied data so one loop iteration may read past the end unchecked. */
const PAD = 256;
let scratch = new Uint8Array(1 << 16);

/** Bit length of a positive integer, capped at 32 (GROMACS `sizeofint`). */
function sizeofint(size: number): number {
  let num = 1;
  let bits = 0;
  while (size >= num && bits < 32) {
    bits++;
    num *= 2;
  }
  return bits;
}

/** Bit length of the product s0·s1·s2, computed exactly in bytes (GROMACS `sizeofints`). */
export function xtcSizeOfInts(s0: number, s1: number, s2: number): number {
  const bytes = [1];
  for (const s of [s0, s1, s2]) {
    let tmp = 0;
    let k = 0;
    for (; k < bytes.length; k++) {
      tmp = bytes[k] * s + tmp;
      bytes[k] = tmp % 256;
      tmp = Math.floor(tmp / 256);
    }
    while (tmp !== 0) {
      bytes[k++] = tmp % 256;
      tmp = Math.floor(tmp / 256);
    }
  }
  const top = bytes[bytes.length - 1];
  let bits = 0;
  let num = 1;
  while (top >= num) {
    bits++;
    num *= 2;
  }
  return bits + (bytes.length - 1) * 8;
}

/** Read n ≤ 32 bits MSB-first at bit position bp of buf (zero-padded). */
function readBits(buf: Uint8Array, bp: number, n: number): number {
  if (n <= 25) {
    const p = bp >>> 3;
    const w = (buf[p] << 24) | (buf[p + 1] << 16) | (buf[p + 2] << 8) | buf[p + 3];
    return (w << (bp & 7)) >>> (32 - n);
  }
  const hi = readBits(buf, bp, n - 16);
  return hi * 65536 + readBits(buf, bp + n - 16, 16);
}

/** Result slots of {@link receiveIntsGeneric}. */
const gOut = new Float64Array(3);
const gBytes = new Float64Array(40);

/**
 * GROMACS `receiveints` for any bit count: reads `nbits` bits as little-endian bytes, then
 * splits the big number by long division. Used when a packed number exceeds 2^52.
 */
function receiveIntsGeneric(buf: Uint8Array, bp: number, nbits: number, s0: number, s1: number, s2: number): number {
  let nb = 0;
  gBytes[0] = gBytes[1] = gBytes[2] = gBytes[3] = 0;
  let left = nbits;
  while (left > 8) {
    gBytes[nb++] = readBits(buf, bp, 8);
    bp += 8;
    left -= 8;
  }
  if (left > 0) {
    gBytes[nb++] = readBits(buf, bp, left);
    bp += left;
  }
  const sizes = [s0, s1, s2];
  for (let i = 2; i > 0; i--) {
    const s = sizes[i];
    let num = 0;
    for (let j = nb - 1; j >= 0; j--) {
      num = num * 256 + gBytes[j];
      const q = Math.floor(num / s);
      gBytes[j] = q;
      num -= q * s;
    }
    gOut[i] = num;
  }
  gOut[0] = gBytes[0] + gBytes[1] * 256 + gBytes[2] * 65536 + gBytes[3] * 16777216;
  return bp;
}

/**
 * Decode one compressed coordinate block into `out` (x0 y0 z0 x1 …), multiplying the nm values
 * by `scale` (10 for Å). Values are rounded like GROMACS + MDAnalysis: float32(float32(i / precision) · scale).
 *
 * @param data  exactly the compressed bytes (the header's byte count, without padding)
 * @param out   at least 3·natoms floats
 * @throws XtcCodecError when the bits are inconsistent (run past the end of the data, run
 *   longer than the atoms left, smallidx out of range, non-finite result).
 */
export function decodeXtcCoordinates(data: Uint8Array, p: XtcCoordParams, out: Float32Array, scale: number): void {
  const natoms = p.natoms | 0;
  const nbytes = data.length;
  const nbits = nbytes * 8;
  // bit positions are uint32
  if (nbits + PAD * 8 >= 2 ** 32) throw new XtcCodecError(`compressed block of ${nbytes} bytes is too large (at most 512 MiB per frame)`, 0);
  if (scratch.length < nbytes + PAD) scratch = new Uint8Array(nbytes + PAD + (nbytes >> 3));
  const buf = scratch;
  buf.set(data, 0);
  buf.fill(0, nbytes, nbytes + PAD);

  const min0 = p.minint[0] | 0;
  const min1 = p.minint[1] | 0;
  const min2 = p.minint[2] | 0;
  const s0 = p.maxint[0] - min0 + 1;
  const s1 = p.maxint[1] - min1 + 1;
  const s2 = p.maxint[2] - min2 + 1;
  if (!(s0 >= 1 && s1 >= 1 && s2 >= 1 && s0 < 2 ** 31 && s1 < 2 ** 31 && s2 < 2 ** 31)) {
    throw new XtcCodecError(`coordinate range is invalid (minint ${p.minint[0]} ${p.minint[1]} ${p.minint[2]}, maxint ${p.maxint[0]} ${p.maxint[1]} ${p.maxint[2]})`, -24);
  }
  // 0: three separate fields (a range over 2^24); 1: one packed number ≤ 52 bits; 2: generic.
  let largeMode: number;
  let bitsize = 0;
  let b0 = 0;
  let b1 = 0;
  let b2 = 0;
  if (s0 > 0xffffff || s1 > 0xffffff || s2 > 0xffffff) {
    largeMode = 0;
    b0 = sizeofint(s0);
    b1 = sizeofint(s1);
    b2 = sizeofint(s2);
  } else {
    bitsize = xtcSizeOfInts(s0, s1, s2);
    largeMode = bitsize <= 52 ? 1 : 2;
  }
  const inv1 = 1 / s1;
  const inv2 = 1 / s2;
  const lfull = bitsize >> 3;
  const lrem = bitsize & 7;
  const lremMask = (1 << lrem) - 1;

  let smallidx = p.smallidx | 0;
  if (smallidx < XTC_FIRSTIDX || smallidx >= XTC_LASTIDX) throw new XtcCodecError(`smallidx ${smallidx} is outside ${XTC_FIRSTIDX}..${XTC_LASTIDX - 1}`, -8);
  const MI = XTC_MAGICINTS;
  let smaller = (MI[Math.max(XTC_FIRSTIDX, smallidx - 1)] / 2) | 0;
  let smallnum = (MI[smallidx] / 2) | 0;
  let sizesmall = MI[smallidx];
  let sfull = smallidx >> 3;
  let srem = smallidx & 7;
  let sremMask = (1 << srem) - 1;
  let invSmall = 1 / sizesmall;

  const invp = Math.fround(1 / p.precision);
  if (!(invp > 0 && Number.isFinite(invp))) throw new XtcCodecError(`precision ${p.precision} is not a positive number`, -28);

  let bp = 0;
  let i = 0;
  let o = 0;
  let run = 0;
  let x = 0;
  let y = 0;
  let z = 0;
  while (i < natoms) {
    if (bp > nbits) break;
    // ---- the large atom
    if (largeMode === 1) {
      const s = bp & 7;
      const sh = 8 - s;
      let q = bp >>> 3;
      let v = 0;
      let m = 1;
      for (let k = 0; k < lfull; k++) {
        v += (((buf[q] << 8) | buf[q + 1]) >>> sh & 255) * m;
        m *= 256;
        q++;
      }
      if (lrem !== 0) v += ((((buf[q] << 8) | buf[q + 1]) >>> (16 - s - lrem)) & lremMask) * m;
      bp += bitsize;
      // v < 2^52, so the quotient from the reciprocal is off by at most one: fix it up.
      let t = Math.floor(v * inv2);
      z = v - t * s2;
      if (z < 0) {
        t--;
        z += s2;
      } else if (z >= s2) {
        t++;
        z -= s2;
      }
      x = Math.floor(t * inv1);
      y = t - x * s1;
      if (y < 0) {
        x--;
        y += s1;
      } else if (y >= s1) {
        x++;
        y -= s1;
      }
    } else if (largeMode === 0) {
      x = readBits(buf, bp, b0);
      bp += b0;
      y = readBits(buf, bp, b1);
      bp += b1;
      z = readBits(buf, bp, b2);
      bp += b2;
    } else {
      bp = receiveIntsGeneric(buf, bp, bitsize, s0, s1, s2);
      x = gOut[0];
      y = gOut[1];
      z = gOut[2];
    }
    x = (x + min0) | 0;
    y = (y + min1) | 0;
    z = (z + min2) | 0;
    i++;

    // ---- run-length flag
    let isSmaller = 0;
    {
      const q = bp >>> 3;
      const w = (buf[q] << 8) | buf[q + 1];
      const flag = (w >>> (15 - (bp & 7))) & 1;
      bp += 1;
      if (flag !== 0) {
        const r = bp >>> 3;
        const w2 = (buf[r] << 8) | buf[r + 1];
        run = (w2 >>> (11 - (bp & 7))) & 31;
        bp += 5;
        isSmaller = run % 3;
        run -= isSmaller;
        isSmaller--;
      }
    }

    if (run > 0) {
      if (i + run / 3 > natoms) throw new XtcCodecError(`a run of ${run / 3} small atoms after atom ${i - 1} passes the ${natoms} atoms of the frame`, bp >>> 3);
      for (let k = 0; k < run; k += 3) {
        let v: number;
        let dx: number;
        let dy: number;
        let dz: number;
        if (smallidx <= 25) {
          const q = bp >>> 3;
          const w = (((buf[q] << 24) | (buf[q + 1] << 16) | (buf[q + 2] << 8) | buf[q + 3]) << (bp & 7)) >>> (32 - smallidx);
          // bytes come least-significant first: reverse the full bytes, the partial goes on top
          const t = w >>> srem;
          if (sfull === 1) v = t;
          else if (sfull === 2) v = (t >>> 8) | ((t & 255) << 8);
          else v = (t >>> 16) | (t & 0xff00) | ((t & 255) << 16);
          if (srem !== 0) v |= (w & sremMask) << (sfull << 3);
          bp += smallidx;
          let qq = Math.floor(v * invSmall);
          let rr = v - qq * sizesmall;
          if (rr < 0) {
            qq--;
            rr += sizesmall;
          } else if (rr >= sizesmall) {
            qq++;
            rr -= sizesmall;
          }
          dz = rr;
          let q2 = Math.floor(qq * invSmall);
          let r2 = qq - q2 * sizesmall;
          if (r2 < 0) {
            q2--;
            r2 += sizesmall;
          } else if (r2 >= sizesmall) {
            q2++;
            r2 -= sizesmall;
          }
          dy = r2;
          dx = q2;
        } else if (smallidx <= 52) {
          const s = bp & 7;
          const sh = 8 - s;
          let q = bp >>> 3;
          v = 0;
          let m = 1;
          for (let kk = 0; kk < sfull; kk++) {
            v += (((buf[q] << 8) | buf[q + 1]) >>> sh & 255) * m;
            m *= 256;
            q++;
          }
          if (srem !== 0) v += ((((buf[q] << 8) | buf[q + 1]) >>> (16 - s - srem)) & sremMask) * m;
          bp += smallidx;
          const t = Math.floor(v / sizesmall);
          dz = v - t * sizesmall;
          dx = Math.floor(t / sizesmall);
          dy = t - dx * sizesmall;
        } else {
          bp = receiveIntsGeneric(buf, bp, smallidx, sizesmall, sizesmall, sizesmall);
          dx = gOut[0];
          dy = gOut[1];
          dz = gOut[2];
        }
        const tx = (dx + x - smallnum) | 0;
        const ty = (dy + y - smallnum) | 0;
        const tz = (dz + z - smallnum) | 0;
        i++;
        out[o] = Math.fround(tx * invp) * scale;
        out[o + 1] = Math.fround(ty * invp) * scale;
        out[o + 2] = Math.fround(tz * invp) * scale;
        o += 3;
        if (k === 0) {
          // water swap: the first small atom was stored before the large one
          out[o] = Math.fround(x * invp) * scale;
          out[o + 1] = Math.fround(y * invp) * scale;
          out[o + 2] = Math.fround(z * invp) * scale;
          o += 3;
        }
        x = tx;
        y = ty;
        z = tz;
      }
    } else {
      out[o] = Math.fround(x * invp) * scale;
      out[o + 1] = Math.fround(y * invp) * scale;
      out[o + 2] = Math.fround(z * invp) * scale;
      o += 3;
    }

    if (isSmaller !== 0) {
      smallidx += isSmaller;
      if (smallidx < XTC_FIRSTIDX || smallidx >= XTC_LASTIDX) throw new XtcCodecError(`smallidx moves to ${smallidx}, outside ${XTC_FIRSTIDX}..${XTC_LASTIDX - 1}`, bp >>> 3);
      if (isSmaller < 0) {
        smallnum = smaller;
        smaller = smallidx > XTC_FIRSTIDX ? (MI[smallidx - 1] / 2) | 0 : 0;
      } else {
        smaller = smallnum;
        smallnum = (MI[smallidx] / 2) | 0;
      }
      sizesmall = MI[smallidx];
      sfull = smallidx >> 3;
      srem = smallidx & 7;
      sremMask = (1 << srem) - 1;
      invSmall = 1 / sizesmall;
    }
  }
  if (bp > nbits) {
    throw new XtcCodecError(`compressed coordinates end after ${nbytes} bytes, but only ${i} of ${natoms} atoms were complete`, nbytes);
  }
}

// ------------------------------------------------------------------------------------------
// Encoder

/** Largest float below INT_MAX (GROMACS `maxAbsoluteInt`). */
const MAX_ABS_INT = 2147483520;

/** Reusable encoder buffers (one per writer). */
export class XtcEncodeScratch {
  ints = new Int32Array(0);
  out = new Uint8Array(0);
  /** Bytes of the last encoded block. */
  length = 0;
  acc = 0;
  accBits = 0;
  readonly bytes = new Float64Array(40);
  readonly tmp = new Float64Array(30);

  ensure(natoms: number): void {
    if (this.ints.length < natoms * 3 + 3) this.ints = new Int32Array(natoms * 3 + 3);
    const cap = natoms * 14 + 64;
    if (this.out.length < cap) this.out = new Uint8Array(cap);
  }
}

/** Append n bits of v (v < 2^n) MSB-first. */
function putBits(w: XtcEncodeScratch, n: number, v: number): void {
  while (n > 16) {
    // split off the top bits so the accumulator stays below 2^31
    const hiBits = n - 16;
    putBits(w, hiBits, Math.floor(v / 65536));
    v = v % 65536;
    n = 16;
  }
  if (n === 0) return;
  w.acc = (w.acc << n) | v;
  w.accBits += n;
  while (w.accBits >= 8) {
    w.accBits -= 8;
    w.out[w.length++] = (w.acc >>> w.accBits) & 255;
  }
  w.acc &= (1 << w.accBits) - 1;
}

/** GROMACS `sendints` for three integers: pack (n0·s1 + n1)·s2 + n2 into `nbits` bits, bytes LSB first. */
function putInts(w: XtcEncodeScratch, nbits: number, s1: number, s2: number, n0: number, n1: number, n2: number): void {
  const full = nbits >> 3;
  const rem = nbits - full * 8;
  if (nbits <= 52) {
    // the packed number is exact in a double: emit its bytes, least significant first
    let big = (n0 * s1 + n1) * s2 + n2;
    for (let k = 0; k < full; k++) {
      const hi = Math.floor(big / 256);
      putBits(w, 8, big - hi * 256);
      big = hi;
    }
    if (rem > 0) putBits(w, rem, big);
    return;
  }
  const bytes = w.bytes;
  let nb = 0;
  let tmp = n0;
  do {
    bytes[nb++] = tmp % 256;
    tmp = Math.floor(tmp / 256);
  } while (tmp !== 0);
  for (let pass = 1; pass < 3; pass++) {
    const s = pass === 1 ? s1 : s2;
    tmp = pass === 1 ? n1 : n2;
    let k = 0;
    for (; k < nb; k++) {
      tmp = bytes[k] * s + tmp;
      bytes[k] = tmp % 256;
      tmp = Math.floor(tmp / 256);
    }
    while (tmp !== 0) {
      bytes[k++] = tmp % 256;
      tmp = Math.floor(tmp / 256);
    }
    nb = k;
  }
  for (let k = 0; k < full; k++) putBits(w, 8, k < nb ? bytes[k] : 0);
  if (rem > 0) putBits(w, rem, full < nb ? bytes[full] : 0);
}

/** Header values of an encoded block (the bytes are `scratch.out[0, scratch.length)`). */
export interface XtcEncoded {
  minint: [number, number, number];
  maxint: [number, number, number];
  smallidx: number;
  byteCount: number;
}

/**
 * Compress `natoms` coordinates (GROMACS xdr3dfcoord, write side). `coords` are multiplied by
 * `scale` to get nm (0.1 for Å input); atom k is `coords[3·atoms[k] …]` when `atoms` is given.
 *
 * @throws RangeError when a coordinate is not finite or too large for the precision
 *   (|x·precision| must stay below 2^31).
 */
export function encodeXtcCoordinates(
  coords: ArrayLike<number>,
  atoms: ArrayLike<number> | undefined,
  natoms: number,
  precision: number,
  scale: number,
  w: XtcEncodeScratch,
): XtcEncoded {
  w.ensure(natoms);
  const ip = w.ints;
  const mul = precision * scale;
  let mn0 = 2147483647,
    mn1 = 2147483647,
    mn2 = 2147483647;
  let mx0 = -2147483648,
    mx1 = -2147483648,
    mx2 = -2147483648;
  let mindiff = Infinity;
  let o0 = 0,
    o1 = 0,
    o2 = 0;
  for (let a = 0; a < natoms; a++) {
    const src = atoms ? atoms[a] * 3 : a * 3;
    let l0 = coords[src] * mul;
    let l1 = coords[src + 1] * mul;
    let l2 = coords[src + 2] * mul;
    l0 = l0 >= 0 ? l0 + 0.5 : l0 - 0.5;
    l1 = l1 >= 0 ? l1 + 0.5 : l1 - 0.5;
    l2 = l2 >= 0 ? l2 + 0.5 : l2 - 0.5;
    if (!(Math.abs(l0) <= MAX_ABS_INT && Math.abs(l1) <= MAX_ABS_INT && Math.abs(l2) <= MAX_ABS_INT)) {
      throw new RangeError(
        `atom ${atoms ? atoms[a] : a} has coordinate (${coords[src]}, ${coords[src + 1]}, ${coords[src + 2]}) that cannot be stored at precision ${precision}`,
      );
    }
    const i0 = Math.trunc(l0) | 0;
    const i1 = Math.trunc(l1) | 0;
    const i2 = Math.trunc(l2) | 0;
    ip[3 * a] = i0;
    ip[3 * a + 1] = i1;
    ip[3 * a + 2] = i2;
    if (i0 < mn0) mn0 = i0;
    if (i0 > mx0) mx0 = i0;
    if (i1 < mn1) mn1 = i1;
    if (i1 > mx1) mx1 = i1;
    if (i2 < mn2) mn2 = i2;
    if (i2 > mx2) mx2 = i2;
    const diff = Math.abs(o0 - i0) + Math.abs(o1 - i1) + Math.abs(o2 - i2);
    if (a > 0 && diff < mindiff) mindiff = diff;
    o0 = i0;
    o1 = i1;
    o2 = i2;
  }
  if (mx0 - mn0 >= MAX_ABS_INT || mx1 - mn1 >= MAX_ABS_INT || mx2 - mn2 >= MAX_ABS_INT) {
    throw new RangeError(`coordinates span too large a range for precision ${precision}`);
  }
  const s0 = mx0 - mn0 + 1;
  const s1 = mx1 - mn1 + 1;
  const s2 = mx2 - mn2 + 1;
  let bitsize = 0;
  let b0 = 0,
    b1 = 0,
    b2 = 0;
  if (s0 > 0xffffff || s1 > 0xffffff || s2 > 0xffffff) {
    b0 = sizeofint(s0);
    b1 = sizeofint(s1);
    b2 = sizeofint(s2);
  } else {
    bitsize = xtcSizeOfInts(s0, s1, s2);
  }
  const MI = XTC_MAGICINTS;
  let smallidx = XTC_FIRSTIDX;
  while (smallidx < XTC_LASTIDX && MI[smallidx] < mindiff) smallidx++;
  // GROMACS writes LASTIDX when every difference is huge; a reader would index past the table,
  // so clamp to the last valid entry (such frames then simply never use small runs).
  if (smallidx >= XTC_LASTIDX) smallidx = XTC_LASTIDX - 1;
  const startIdx = smallidx;

  const maxidx = Math.min(XTC_LASTIDX, smallidx + 8);
  const minidx = maxidx - 8;
  let smaller = (MI[Math.max(XTC_FIRSTIDX, smallidx - 1)] / 2) | 0;
  let smallnum = (MI[smallidx] / 2) | 0;
  let sizesmall = MI[smallidx];
  const larger = (MI[maxidx] / 2) | 0;
  const tmp = w.tmp;
  w.length = 0;
  w.acc = 0;
  w.accBits = 0;
  let prevrun = -1;
  let p0 = 0,
    p1 = 0,
    p2 = 0;
  let i = 0;
  while (i < natoms) {
    let isSmall = 0;
    let t = 3 * i;
    let isSmaller: number;
    if (smallidx < maxidx && i >= 1 && Math.abs(ip[t] - p0) < larger && Math.abs(ip[t + 1] - p1) < larger && Math.abs(ip[t + 2] - p2) < larger) {
      isSmaller = 1;
    } else if (smallidx > minidx) {
      isSmaller = -1;
    } else {
      isSmaller = 0;
    }
    if (i + 1 < natoms) {
      if (Math.abs(ip[t] - ip[t + 3]) < smallnum && Math.abs(ip[t + 1] - ip[t + 4]) < smallnum && Math.abs(ip[t + 2] - ip[t + 5]) < smallnum) {
        // swap the first two atoms (better compression of water)
        let sw = ip[t];
        ip[t] = ip[t + 3];
        ip[t + 3] = sw;
        sw = ip[t + 1];
        ip[t + 1] = ip[t + 4];
        ip[t + 4] = sw;
        sw = ip[t + 2];
        ip[t + 2] = ip[t + 5];
        ip[t + 5] = sw;
        isSmall = 1;
      }
    }
    if (bitsize === 0) {
      putBits(w, b0, ip[t] - mn0);
      putBits(w, b1, ip[t + 1] - mn1);
      putBits(w, b2, ip[t + 2] - mn2);
    } else {
      putInts(w, bitsize, s1, s2, ip[t] - mn0, ip[t + 1] - mn1, ip[t + 2] - mn2);
    }
    p0 = ip[t];
    p1 = ip[t + 1];
    p2 = ip[t + 2];
    t += 3;
    i++;
    let run = 0;
    if (isSmall === 0 && isSmaller === -1) isSmaller = 0;
    while (isSmall && run < 8 * 3) {
      const d0 = ip[t] - p0;
      const d1 = ip[t + 1] - p1;
      const d2 = ip[t + 2] - p2;
      if (isSmaller === -1 && d0 * d0 + d1 * d1 + d2 * d2 >= smaller * smaller) isSmaller = 0;
      tmp[run++] = d0 + smallnum;
      tmp[run++] = d1 + smallnum;
      tmp[run++] = d2 + smallnum;
      p0 = ip[t];
      p1 = ip[t + 1];
      p2 = ip[t + 2];
      i++;
      t += 3;
      isSmall = 0;
      if (i < natoms && Math.abs(ip[t] - p0) < smallnum && Math.abs(ip[t + 1] - p1) < smallnum && Math.abs(ip[t + 2] - p2) < smallnum) {
        isSmall = 1;
      }
    }
    if (run !== prevrun || isSmaller !== 0) {
      prevrun = run;
      putBits(w, 1, 1);
      putBits(w, 5, run + isSmaller + 1);
    } else {
      putBits(w, 1, 0);
    }
    for (let k = 0; k < run; k += 3) putInts(w, smallidx, sizesmall, sizesmall, tmp[k], tmp[k + 1], tmp[k + 2]);
    if (isSmaller !== 0) {
      smallidx += isSmaller;
      if (isSmaller < 0) {
        smallnum = smaller;
        smaller = (MI[smallidx - 1] / 2) | 0;
      } else {
        smaller = smallnum;
        smallnum = (MI[smallidx] / 2) | 0;
      }
      sizesmall = MI[smallidx];
    }
  }
  if (w.accBits > 0) w.out[w.length++] = (w.acc << (8 - w.accBits)) & 255;
  return { minint: [mn0, mn1, mn2], maxint: [mx0, mx1, mx2], smallidx: startIdx, byteCount: w.length };
}
