import { boxVolume, isValidBox, type Box } from '../box.js';
import { OptionError } from '../errors.js';

/**
 * A periodic cell prepared once for many minimum-image computations.
 *
 * Geometry works in the reduced (lower-triangular, GROMACS) frame: a = (ax,0,0),
 * b = (bx,by,0), c = (cx,cy,cz) with ax, by, cz > 0. A box given in any other orientation is
 * handled by an orthonormal `rotation` into that frame (rows e1, e2, e3: e1 ∥ a, e2 in the
 * a-b plane, e3 chosen so that cz > 0; a reflection when the input cell is left-handed).
 * Rotations and reflections preserve distances, so every distance below is exact in the
 * original frame too; displacements are rotated back.
 */
export interface PeriodicCell {
  /** The reduced box (Å), rows a, b, c, lower-triangular. */
  readonly reduced: Box;
  /** Row-major 3×3 orthonormal map original → reduced frame, or null when the box is already reduced. */
  readonly rotation: Float64Array | null;
  readonly ax: number;
  readonly bx: number;
  readonly by: number;
  readonly cx: number;
  readonly cy: number;
  readonly cz: number;
  /** Volume, Å³. */
  readonly volume: number;
  /** Half the smallest distance between opposite faces, Å (see boxInscribedRadius). */
  readonly inscribedRadius: number;
  /**
   * Half the length of the shortest non-zero lattice vector, Å: the radius of the sphere
   * inscribed in the Wigner–Seitz cell. A sphere of this radius around any point holds at
   * most one image of any atom, so minimum-image pair searches and spherical-shell
   * normalisations are valid up to here. Equals {@link inscribedRadius} for orthorhombic
   * boxes and is larger for triclinic ones (d/2 instead of d·√2/4 for the rhombic
   * dodecahedron with edge d).
   */
  readonly packingRadius: number;
  /** Distances between opposite faces (a-face spanned by b,c etc.), Å. */
  readonly heightA: number;
  readonly heightB: number;
  readonly heightC: number;
}

/**
 * Prepare a box for minimum-image work.
 * @throws OptionError (option 'box') when the box is not a finite cell with non-zero volume.
 */
export function periodicCell(box: Box): PeriodicCell {
  if (!isValidBox(box) && !isValidGeneralBox(box)) {
    throw new OptionError('OPTION', `the periodic box is degenerate or not finite (${Array.from(box).join(', ')} Å)`, { option: 'box' });
  }
  let rotation: Float64Array | null = null;
  let reduced: Box = box;
  if (!(box[1] === 0 && box[2] === 0 && box[5] === 0 && box[0] > 0 && box[4] > 0 && box[8] > 0)) {
    rotation = reducingRotation(box);
    reduced = new Float64Array(9);
    for (let r = 0; r < 3; r++) {
      const x = box[3 * r];
      const y = box[3 * r + 1];
      const z = box[3 * r + 2];
      for (let k = 0; k < 3; k++) reduced[3 * r + k] = rotation[3 * k] * x + rotation[3 * k + 1] * y + rotation[3 * k + 2] * z;
    }
    // The construction makes these exactly zero in exact arithmetic; remove rounding dust.
    reduced[1] = 0;
    reduced[2] = 0;
    reduced[5] = 0;
  }
  const ax = reduced[0];
  const bx = reduced[3];
  const by = reduced[4];
  const cx = reduced[6];
  const cy = reduced[7];
  const cz = reduced[8];
  const volume = ax * by * cz;
  const heightC = cz;
  const heightB = (by * cz) / Math.hypot(cy, cz);
  const heightA = (ax * by * cz) / Math.hypot(by * cz, bx * cz, bx * cy - by * cx);
  return {
    reduced,
    rotation,
    ax,
    bx,
    by,
    cx,
    cy,
    cz,
    volume,
    inscribedRadius: 0.5 * Math.min(heightA, heightB, heightC),
    packingRadius: 0.5 * shortestLatticeVector(ax, bx, by, cx, cy, cz),
    heightA,
    heightB,
    heightC,
  };
}

/**
 * Length of the shortest non-zero lattice vector of a reduced cell, by exact enumeration of
 * all i·a + j·b + k·c no longer than the shortest cell edge (the bounds on k, j, i follow from
 * the z, y and x components in turn).
 */
function shortestLatticeVector(ax: number, bx: number, by: number, cx: number, cy: number, cz: number): number {
  let best2 = Math.min(ax * ax, bx * bx + by * by, cx * cx + cy * cy + cz * cz);
  const r = Math.sqrt(best2);
  const kMax = Math.floor(r / cz);
  for (let k = -kMax; k <= kMax; k++) {
    const zk = k * cz;
    const yk = k * cy;
    const xk = k * cx;
    const jLo = Math.ceil((-r - yk) / by);
    const jHi = Math.floor((r - yk) / by);
    for (let j = jLo; j <= jHi; j++) {
      const yj = yk + j * by;
      const xj = xk + j * bx;
      const iLo = Math.ceil((-r - xj) / ax);
      const iHi = Math.floor((r - xj) / ax);
      for (let i = iLo; i <= iHi; i++) {
        if (i === 0 && j === 0 && k === 0) continue;
        const x = xj + i * ax;
        const d2 = x * x + yj * yj + zk * zk;
        if (d2 < best2) best2 = d2;
      }
    }
  }
  return Math.sqrt(best2);
}

function isValidGeneralBox(box: Box): boolean {
  for (let i = 0; i < 9; i++) if (!Number.isFinite(box[i])) return false;
  return boxVolume(box) > 0;
}

/** Orthonormal rows e1 ∥ a, e2 ⟂ e1 in the a-b plane, e3 = ±e1×e2 with c·e3 > 0. */
function reducingRotation(box: Box): Float64Array {
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = box;
  const la = Math.hypot(ax, ay, az);
  const e1x = ax / la;
  const e1y = ay / la;
  const e1z = az / la;
  const d = bx * e1x + by * e1y + bz * e1z;
  let e2x = bx - d * e1x;
  let e2y = by - d * e1y;
  let e2z = bz - d * e1z;
  const l2 = Math.hypot(e2x, e2y, e2z);
  e2x /= l2;
  e2y /= l2;
  e2z /= l2;
  let e3x = e1y * e2z - e1z * e2y;
  let e3y = e1z * e2x - e1x * e2z;
  let e3z = e1x * e2y - e1y * e2x;
  if (cx * e3x + cy * e3y + cz * e3z < 0) {
    e3x = -e3x;
    e3y = -e3y;
    e3z = -e3z;
  }
  return new Float64Array([e1x, e1y, e1z, e2x, e2y, e2z, e3x, e3y, e3z]);
}

/** Rotate a vector from the original into the reduced frame (in place on out[0..2]). */
export function toReducedFrame(cell: PeriodicCell, x: number, y: number, z: number, out: Float64Array): void {
  const R = cell.rotation;
  if (!R) {
    out[0] = x;
    out[1] = y;
    out[2] = z;
    return;
  }
  out[0] = R[0] * x + R[1] * y + R[2] * z;
  out[1] = R[3] * x + R[4] * y + R[5] * z;
  out[2] = R[6] * x + R[7] * y + R[8] * z;
}

/** Rotate a vector from the reduced back into the original frame (transpose of the rotation). */
export function fromReducedFrame(cell: PeriodicCell, x: number, y: number, z: number, out: Float64Array): void {
  const R = cell.rotation;
  if (!R) {
    out[0] = x;
    out[1] = y;
    out[2] = z;
    return;
  }
  out[0] = R[0] * x + R[3] * y + R[6] * z;
  out[1] = R[1] * x + R[4] * y + R[7] * z;
  out[2] = R[2] * x + R[5] * y + R[8] * z;
}

const scratch = new Float64Array(3);

/**
 * Minimum-image displacement of (dx, dy, dz) (Å, in the box's own frame): writes the shortest
 * lattice image of the vector to out[0..2] and returns its squared length (Å²). Exact for
 * every distance, in every cell shape.
 *
 * Method (the proof is in geometry/README.md): in the reduced frame, one pass removes whole
 * c, b, a vectors in that order (GROMACS pbc_dx_aiuc style), which puts the vector v in the
 * brick |v_x| ≤ ax/2, |v_y| ≤ by/2, |v_z| ≤ cz/2. If |v| < ρ (the packing radius, half the
 * shortest lattice vector) v is a minimum image, because any other image w = v + L has
 * |w| ≥ |L| − |v| > 2ρ − ρ = ρ. That single pass also finds every minimum image shorter than
 * the face-based inscribed radius r_in ≤ ρ (proof in the README). Otherwise, the images with |w| ≤ |v| are
 * enumerated exactly: |w_z| ≤ |v| bounds the c-multiple k, then |w_y| ≤ |v| bounds the b
 * multiple j for each k, then |w_x| ≤ |v| bounds i. Ties keep the single-pass image.
 *
 * Rounding: Math.floor(x + 0.5) rather than Math.round (V8 compiles the latter to a
 * mispredicted branch; the two differ only at exact half-integers, where both images are
 * equally near).
 */
export function minimumImage(cell: PeriodicCell, dx: number, dy: number, dz: number, out: Float64Array): number {
  const R = cell.rotation;
  let x = dx;
  let y = dy;
  let z = dz;
  if (R) {
    x = R[0] * dx + R[1] * dy + R[2] * dz;
    y = R[3] * dx + R[4] * dy + R[5] * dz;
    z = R[6] * dx + R[7] * dy + R[8] * dz;
  }
  const { ax, bx, by, cx, cy, cz } = cell;
  const sz = Math.floor(z / cz + 0.5);
  x -= sz * cx;
  y -= sz * cy;
  z -= sz * cz;
  const sy = Math.floor(y / by + 0.5);
  x -= sy * bx;
  y -= sy * by;
  const sx = Math.floor(x / ax + 0.5);
  x -= sx * ax;
  let d2 = x * x + y * y + z * z;
  const rho = cell.packingRadius;
  if (!(d2 < rho * rho)) {
    // Exact search over all images no longer than the single-pass one.
    const r = Math.sqrt(d2);
    let bx0 = x;
    let by0 = y;
    let bz0 = z;
    const kLo = Math.ceil((-r - z) / cz);
    const kHi = Math.floor((r - z) / cz);
    for (let k = kLo; k <= kHi; k++) {
      const zk = z + k * cz;
      const yk = y + k * cy;
      const xk = x + k * cx;
      const jLo = Math.ceil((-r - yk) / by);
      const jHi = Math.floor((r - yk) / by);
      for (let j = jLo; j <= jHi; j++) {
        const yj = yk + j * by;
        const xj = xk + j * bx;
        const iLo = Math.ceil((-r - xj) / ax);
        const iHi = Math.floor((r - xj) / ax);
        for (let i = iLo; i <= iHi; i++) {
          const xi = xj + i * ax;
          const e2 = xi * xi + yj * yj + zk * zk;
          if (e2 < d2) {
            d2 = e2;
            bx0 = xi;
            by0 = yj;
            bz0 = zk;
          }
        }
      }
    }
    x = bx0;
    y = by0;
    z = bz0;
  }
  if (R) {
    out[0] = R[0] * x + R[3] * y + R[6] * z;
    out[1] = R[1] * x + R[4] * y + R[7] * z;
    out[2] = R[2] * x + R[5] * y + R[8] * z;
  } else {
    out[0] = x;
    out[1] = y;
    out[2] = z;
  }
  return d2;
}

/** Squared minimum-image length (Å²) of the displacement (dx, dy, dz) (Å). Exact; see {@link minimumImage}. */
export function minimumImageDistance2(cell: PeriodicCell, dx: number, dy: number, dz: number): number {
  return minimumImage(cell, dx, dy, dz, scratch);
}

/**
 * Minimum-image distance (Å) between atoms i and j of an interleaved xyz array (Å). `cell`
 * null means no periodicity (plain Euclidean distance).
 */
export function minimumImageDistance(positions: ArrayLike<number>, i: number, j: number, cell: PeriodicCell | null): number {
  const dx = positions[3 * j] - positions[3 * i];
  const dy = positions[3 * j + 1] - positions[3 * i + 1];
  const dz = positions[3 * j + 2] - positions[3 * i + 2];
  if (!cell) return Math.sqrt(dx * dx + dy * dy + dz * dz);
  return Math.sqrt(minimumImage(cell, dx, dy, dz, scratch));
}

/**
 * Largest cutoff (Å) for which minimum-image pair searches are unambiguous in this box: the
 * packing radius (half the shortest lattice vector; see {@link PeriodicCell.packingRadius}).
 * For orthorhombic boxes this is half the shortest edge, the same as boxInscribedRadius; for
 * triclinic boxes it is larger than boxInscribedRadius, which is a face-based lower bound.
 * @throws OptionError for a degenerate box.
 */
export function maxMinimumImageCutoff(box: Box): number {
  return periodicCell(box).packingRadius;
}
