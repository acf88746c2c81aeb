import type { Box } from '../../box.js';

const f32 = Math.fround;

/** C `round`: half away from zero (exact: s − trunc(s) is exact in binary floating point). */
function cRound(s: number): number {
  const t = Math.trunc(s);
  const f = s - t;
  return f >= 0.5 ? t + 1 : f <= -0.5 ? t - 1 : t;
}

/**
 * MDAnalysis `ts.dimensions` (float32 [a, b, c] Å and [α, β, γ] degrees) for a box read as
 * vectors: nm vectors v = box/10 in float32, lengths √(v·v) and angles acos(v·w/|v||w|) in
 * double, stored as float32, lengths then ×10 in float32 (MDAnalysis 2.4 `triclinic_box` and
 * unit conversion).
 */
export function mdaDimensions(box: Box): Float32Array {
  const v = new Float64Array(9);
  for (let k = 0; k < 9; k++) v[k] = f32(box[k] / 10);
  const dot = (i: number, j: number) => v[i] * v[j] + v[i + 1] * v[j + 1] + v[i + 2] * v[j + 2];
  const nx = Math.sqrt(dot(0, 0));
  const ny = Math.sqrt(dot(3, 3));
  const nz = Math.sqrt(dot(6, 6));
  const deg = 180 / Math.PI;
  return new Float32Array([
    f32(f32(nx) * 10),
    f32(f32(ny) * 10),
    f32(f32(nz) * 10),
    Math.acos(dot(3, 6) / (ny * nz)) * deg,
    Math.acos(dot(0, 6) / (nx * nz)) * deg,
    Math.acos(dot(0, 3) / (nx * ny)) * deg,
  ]);
}

/**
 * The float32 box vectors MDAnalysis 2.4 uses for a box read from a file as vectors
 * (XTC/TRR/DCD: nm vectors v = box/10 in float32): `triclinic_box` turns the vectors into
 * float32 lengths (×10, in float32) and angles computed in double, and `triclinic_vectors`
 * turns those back into float32 vectors in double arithmetic. Reproduces the `dimensions`
 * MDAnalysis reports for the TRICLINIC fixture bit for bit.
 */
export function mdaBoxVectors(box: Box, out = new Float32Array(9)): Float32Array {
  const [lx, ly, lz, alpha, beta, gamma] = mdaDimensions(box);
  out.fill(0);
  if (alpha === 90 && beta === 90 && gamma === 90) {
    out[0] = lx;
    out[4] = ly;
    out[8] = lz;
    return out;
  }
  const rad = Math.PI / 180;
  const cosA = alpha === 90 ? 0 : Math.cos(alpha * rad);
  const cosB = beta === 90 ? 0 : Math.cos(beta * rad);
  let cosG = 0;
  let sinG = 1;
  if (gamma !== 90) {
    cosG = Math.cos(gamma * rad);
    sinG = Math.sin(gamma * rad);
  }
  const cx = lz * cosB;
  const cy = (lz * (cosA - cosB * cosG)) / sinG;
  out[0] = lx;
  out[3] = ly * cosG;
  out[4] = ly * sinG;
  out[6] = cx;
  out[7] = cy;
  out[8] = Math.sqrt(lz * lz - cx ** 2 - cy ** 2);
  return out;
}

/**
 * Distances computed with MDAnalysis' own arithmetic (lib/include/calc_distances.h, used by
 * `distance_array`/`capped_distance` 'bruteforce', which InterRDF gets for rMax > 0.3 × box):
 *
 *  - orthorhombic: dx = float32(x_j − x_i); s = float32(1/L)·dx; dx = L·(s − round(s)) in
 *    double with the float32 box length L; d = sqrt((dx² + dy²) + dz²).
 *  - triclinic: both coordinates first wrapped into the cell in float32 (`_triclinic_pbc`),
 *    then dx = float32 difference, then the shortest of the 27 images in double.
 *
 * Used only to decide pairs whose exactly computed distance lies within a few float32 ulps of
 * a bin edge: there the rounding of float32 arithmetic decides the bin, and reproducing it
 * makes histograms agree with MDAnalysis count for count. Everywhere else both arithmetics
 * give the same bin.
 */
export class MdaDistance {
  private ortho = true;
  /** False for boxes not in the reduced (lower-triangular) orientation: MDAnalysis would rotate them, so there is nothing to mimic. */
  enabled = true;
  private readonly b = new Float32Array(9);
  private readonly inv = new Float32Array(3);
  private pos: Float32Array = new Float32Array(0);
  private wrapped = new Float32Array(0);
  private stamp = new Uint32Array(0);
  private epoch = 0;
  /** Upper bound (Å) of |MDAnalysis distance − exact distance| for this frame. */
  tolerance = 0;

  /** Prepare for one frame; `maxAbsCoord` is the largest |coordinate| (Å) of the atoms involved. */
  setFrame(positions: Float32Array, box: Box, maxAbsCoord: number): void {
    this.pos = positions;
    const b = this.b;
    this.enabled = box[1] === 0 && box[2] === 0 && box[5] === 0;
    if (!this.enabled) {
      this.tolerance = 0;
      return;
    }
    mdaBoxVectors(box, b);
    this.ortho = b[3] === 0 && b[6] === 0 && b[7] === 0;
    for (let k = 0; k < 3; k++) this.inv[k] = 1 / b[4 * k];
    let maxBox = 0;
    for (let k = 0; k < 9; k++) maxBox = Math.max(maxBox, Math.abs(b[k]));
    // Error bound, u = 2^-24 (float32 unit roundoff), X = maxAbsCoord, B = maxBox: the float32
    // difference errs by ≤ u·2X, the float32 1/L by ≤ u·2X after the product, each of the
    // |n| ≤ 2X/L + 1 box shifts by ≤ 3u·L (float32 lengths rebuilt from nm), triclinic
    // wrapping adds ≤ ~10u·B per component; over three components ≤ √3·u·(10X + 15B) ≈
    // u·(17X + 26B). Measured worst cases (mda-distance.test.ts, coordinates up to ten boxes
    // out, orthorhombic and dodecahedral): ≤ 4.2·u·(X + B). We use u·(32X + 48B), ≥ 8× the
    // measured worst; pairs within it of a bin edge are re-binned with MDAnalysis' arithmetic.
    this.tolerance = 2 ** -19 * (maxAbsCoord + 1.5 * maxBox);
    const n = positions.length / 3;
    if (!this.ortho) {
      if (this.stamp.length < n) {
        this.stamp = new Uint32Array(n);
        this.wrapped = new Float32Array(3 * n);
        this.epoch = 0;
      }
      this.epoch++;
      if (this.epoch === 0xffffffff) {
        this.stamp.fill(0);
        this.epoch = 1;
      }
    }
  }

  /** Distance (Å) between atoms i and j as MDAnalysis computes it. */
  distance(i: number, j: number): number {
    const p = this.pos;
    const b = this.b;
    if (this.ortho) {
      const inv = this.inv;
      let dx = f32(p[3 * j] - p[3 * i]);
      let dy = f32(p[3 * j + 1] - p[3 * i + 1]);
      let dz = f32(p[3 * j + 2] - p[3 * i + 2]);
      let s = inv[0] * dx;
      dx = b[0] * (s - cRound(s));
      s = inv[1] * dy;
      dy = b[4] * (s - cRound(s));
      s = inv[2] * dz;
      dz = b[8] * (s - cRound(s));
      return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
    const w = this.wrapped;
    this.wrap(i);
    this.wrap(j);
    const dx = f32(w[3 * j] - w[3 * i]);
    const dy = f32(w[3 * j + 1] - w[3 * i + 1]);
    const dz = f32(w[3 * j + 2] - w[3 * i + 2]);
    let best = 3.4028234663852886e38; // FLT_MAX
    for (let ix = -1; ix < 2; ++ix) {
      const rx = dx + f32(b[0] * ix);
      for (let iy = -1; iy < 2; ++iy) {
        const ry0 = rx + f32(b[3] * iy);
        const ry1 = dy + f32(b[4] * iy);
        for (let iz = -1; iz < 2; ++iz) {
          const rz0 = ry0 + f32(b[6] * iz);
          const rz1 = ry1 + f32(b[7] * iz);
          const rz2 = dz + f32(b[8] * iz);
          const d = rz0 * rz0 + rz1 * rz1 + rz2 * rz2;
          if (d < best) best = d;
        }
      }
    }
    return Math.sqrt(best);
  }

  /** MDAnalysis `_triclinic_pbc` for one atom, in float32, cached per frame. */
  private wrap(a: number): void {
    if (this.stamp[a] === this.epoch) return;
    this.stamp[a] = this.epoch;
    const b = this.b;
    const p = this.pos;
    const bi0 = 1.0 / b[0];
    const bi4 = 1.0 / b[4];
    const bi8 = 1.0 / b[8];
    const bi3 = -b[3] * bi0 * bi4;
    const bi6 = (-bi3 * b[7] - b[6] * bi0) * bi8;
    const bi7 = -b[7] * bi4 * bi8;
    const aY = b[3] * bi4;
    const aZ = b[6] * bi8;
    const bZ = b[7] * bi8;
    let c0 = p[3 * a];
    let c1 = p[3 * a + 1];
    let c2 = p[3 * a + 2];
    let msr = false;
    if (c2 < 0) {
      c0 = f32(c0 + b[6]);
      c1 = f32(c1 + b[7]);
      c2 = f32(c2 + b[8]);
      if (c2 < 0) msr = true;
    }
    if (c2 >= b[8]) {
      c0 = f32(c0 - b[6]);
      c1 = f32(c1 - b[7]);
      c2 = f32(c2 - b[8]);
      if (c2 >= b[8]) msr = true;
    }
    if (!msr) {
      let lb = c2 * bZ;
      let ub = lb + b[4];
      if (c1 < lb) {
        c0 = f32(c0 + b[3]);
        c1 = f32(c1 + b[4]);
        if (c1 < lb) msr = true;
      }
      if (c1 >= ub) {
        c0 = f32(c0 - b[3]);
        c1 = f32(c1 - b[4]);
        if (c1 >= ub) msr = true;
      }
      if (!msr) {
        lb = c1 * aY + c2 * aZ;
        ub = lb + b[0];
        if (c0 < lb) {
          c0 = f32(c0 + b[0]);
          if (c0 < lb) msr = true;
        }
        if (c0 >= ub) {
          c0 = f32(c0 - b[0]);
          if (c0 >= ub) msr = true;
        }
      }
    }
    if (msr) {
      let x0 = p[3 * a];
      let x1 = p[3 * a + 1];
      let x2 = p[3 * a + 2];
      let s = Math.floor(x2 * bi8);
      x2 = f32(x2 - f32(s * b[8]));
      x1 = f32(x1 - f32(s * b[7]));
      x0 = f32(x0 - f32(s * b[6]));
      s = Math.floor(x1 * bi4 + x2 * bi7);
      x1 = f32(x1 - f32(s * b[4]));
      x0 = f32(x0 - f32(s * b[3]));
      s = Math.floor(x0 * bi0 + x1 * bi3 + x2 * bi6);
      x0 = f32(x0 - f32(s * b[0]));
      c0 = x0;
      c1 = x1;
      c2 = x2;
      if (c2 < 0) {
        c0 = f32(c0 + b[6]);
        c1 = f32(c1 + b[7]);
        c2 = f32(c2 + b[8]);
      }
      if (c2 >= b[8]) {
        c0 = f32(c0 - b[6]);
        c1 = f32(c1 - b[7]);
        c2 = f32(c2 - b[8]);
      }
      let lb = c2 * bZ;
      let ub = lb + b[4];
      if (c1 < lb) {
        c0 = f32(c0 + b[3]);
        c1 = f32(c1 + b[4]);
      }
      if (c1 >= ub) {
        c0 = f32(c0 - b[3]);
        c1 = f32(c1 - b[4]);
      }
      lb = c1 * aY + c2 * aZ;
      ub = lb + b[0];
      if (c0 < lb) c0 = f32(c0 + b[0]);
      if (c0 >= ub) c0 = f32(c0 - b[0]);
    }
    const w = this.wrapped;
    w[3 * a] = c0;
    w[3 * a + 1] = c1;
    w[3 * a + 2] = c2;
  }
}
