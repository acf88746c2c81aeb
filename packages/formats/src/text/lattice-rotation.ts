import type { Box } from '@solvscope/core';

/**
 * General cells (extended XYZ `Lattice=`, LAMMPS "general triclinic" dumps) may have `a` off
 * the x axis. solvscope's geometry wants the reduced, lower-triangular form (a along x, b in the
 * xy plane), so such cells are rotated into it AND the coordinates with them: rotating only the
 * box would silently break every minimum-image distance.
 *
 * With the cell rows H = [a; b; c] and the reduced rows H', positions (row vectors) move by
 * r' = r·R with R = H⁻¹·H'. R is orthogonal (a reflection for a left-handed H, which is then
 * made right-handed); distances are preserved either way.
 */
export interface ReducedCell {
  /** The reduced cell (Å), lower-triangular with positive diagonal. */
  box: Box;
  /** Row-major 3×3 R with r' = r·R, or null when the cell already was reduced. */
  rotation: Float64Array | null;
}

/**
 * Reduce a general cell (rows a, b, c in Å).
 * @returns null when the cell is singular (zero volume) or not finite.
 */
export function reduceCell(h: ArrayLike<number>): ReducedCell | null {
  for (let i = 0; i < 9; i++) if (!Number.isFinite(h[i])) return null;
  const det =
    h[0] * (h[4] * h[8] - h[5] * h[7]) - h[1] * (h[3] * h[8] - h[5] * h[6]) + h[2] * (h[3] * h[7] - h[4] * h[6]);
  if (det === 0) return null;
  if (h[1] === 0 && h[2] === 0 && h[5] === 0 && h[0] > 0 && h[4] > 0 && h[8] > 0) {
    return { box: Float64Array.from(h as ArrayLike<number>), rotation: null };
  }
  // Gram–Schmidt in the order a, b, c: the reduced rows from dot products only.
  const la = Math.hypot(h[0], h[1], h[2]);
  const ab = h[0] * h[3] + h[1] * h[4] + h[2] * h[5];
  const ac = h[0] * h[6] + h[1] * h[7] + h[2] * h[8];
  const bc = h[3] * h[6] + h[4] * h[7] + h[5] * h[8];
  const bb = h[3] * h[3] + h[4] * h[4] + h[5] * h[5];
  const cc = h[6] * h[6] + h[7] * h[7] + h[8] * h[8];
  const bx = ab / la;
  const by = Math.sqrt(Math.max(0, bb - bx * bx));
  const cx = ac / la;
  const cy = by > 0 ? (bc - cx * bx) / by : 0;
  const cz = Math.sqrt(Math.max(0, cc - cx * cx - cy * cy));
  if (!(by > 0 && cz > 0)) return null;
  const r = new Float64Array([la, 0, 0, bx, by, 0, cx, cy, cz]);
  // R = H⁻¹ · H'
  const inv = new Float64Array(9);
  inv[0] = (h[4] * h[8] - h[5] * h[7]) / det;
  inv[1] = (h[2] * h[7] - h[1] * h[8]) / det;
  inv[2] = (h[1] * h[5] - h[2] * h[4]) / det;
  inv[3] = (h[5] * h[6] - h[3] * h[8]) / det;
  inv[4] = (h[0] * h[8] - h[2] * h[6]) / det;
  inv[5] = (h[2] * h[3] - h[0] * h[5]) / det;
  inv[6] = (h[3] * h[7] - h[4] * h[6]) / det;
  inv[7] = (h[1] * h[6] - h[0] * h[7]) / det;
  inv[8] = (h[0] * h[4] - h[1] * h[3]) / det;
  const rot = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      rot[3 * i + j] = inv[3 * i] * r[j] + inv[3 * i + 1] * r[3 + j] + inv[3 * i + 2] * r[6 + j];
    }
  }
  return { box: r, rotation: rot };
}

/** Apply r' = r·R in place to `count` xyz triplets. */
export function rotateTriplets(v: Float32Array, count: number, rot: Float64Array): void {
  for (let i = 0; i < count; i++) {
    const x = v[3 * i];
    const y = v[3 * i + 1];
    const z = v[3 * i + 2];
    v[3 * i] = x * rot[0] + y * rot[3] + z * rot[6];
    v[3 * i + 1] = x * rot[1] + y * rot[4] + z * rot[7];
    v[3 * i + 2] = x * rot[2] + y * rot[5] + z * rot[8];
  }
}
