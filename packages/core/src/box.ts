/**
 * Periodic simulation cell.
 *
 * A box is three row vectors a, b, c in Å, stored row-major in a `Float64Array(9)`:
 * `[ax, ay, az, bx, by, bz, cx, cy, cz]`. solvscope uses the GROMACS/LAMMPS convention for
 * triclinic cells (a along x, b in the xy plane: `ay = az = bz = 0`); {@link boxFromLengthsAngles}
 * builds that form from a, b, c, α, β, γ and {@link toReducedBox} rotates any other box into it.
 */
export type Box = Float64Array;

/** 'orthorhombic' when the off-diagonal elements are zero (to 1e-6 Å), 'triclinic' otherwise. */
export type BoxKind = 'none' | 'orthorhombic' | 'triclinic';

const DEG = Math.PI / 180;

export function orthorhombicBox(lx: number, ly: number, lz: number): Box {
  return new Float64Array([lx, 0, 0, 0, ly, 0, 0, 0, lz]);
}

/**
 * Box from lengths (Å) and angles (degrees): α = angle(b,c), β = angle(a,c), γ = angle(a,b).
 * Angles of exactly 90° give exact zeros off the diagonal.
 */
export function boxFromLengthsAngles(a: number, b: number, c: number, alpha: number, beta: number, gamma: number): Box {
  const cosA = alpha === 90 ? 0 : Math.cos(alpha * DEG);
  const cosB = beta === 90 ? 0 : Math.cos(beta * DEG);
  const cosG = gamma === 90 ? 0 : Math.cos(gamma * DEG);
  const sinG = gamma === 90 ? 1 : Math.sin(gamma * DEG);
  const bx = b * cosG;
  const by = b * sinG;
  const cx = c * cosB;
  const cy = (c * (cosA - cosB * cosG)) / sinG;
  const cz = Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy));
  return new Float64Array([a, 0, 0, bx, by, 0, cx, cy, cz]);
}

/** Lengths (Å) and angles (degrees) [a, b, c, α, β, γ], as MDAnalysis `dimensions`. */
export function boxToLengthsAngles(box: Box): [number, number, number, number, number, number] {
  const a = Math.hypot(box[0], box[1], box[2]);
  const b = Math.hypot(box[3], box[4], box[5]);
  const c = Math.hypot(box[6], box[7], box[8]);
  const dot = (i: number, j: number) => box[i] * box[j] + box[i + 1] * box[j + 1] + box[i + 2] * box[j + 2];
  const ang = (d: number, l1: number, l2: number) => {
    if (l1 === 0 || l2 === 0) return 90;
    const x = d / (l1 * l2);
    return Math.abs(x) < 1e-12 ? 90 : Math.acos(Math.max(-1, Math.min(1, x))) / DEG;
  };
  return [a, b, c, ang(dot(3, 6), b, c), ang(dot(0, 6), a, c), ang(dot(0, 3), a, b)];
}

export function boxVolume(box: Box): number {
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = box;
  return Math.abs(ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx));
}

export function boxKind(box: Box | null): BoxKind {
  if (!box) return 'none';
  const eps = 1e-6;
  for (const i of [1, 2, 3, 5, 6, 7]) if (Math.abs(box[i]) > eps) return 'triclinic';
  return 'orthorhombic';
}

/** True if the box is in the reduced (lower-triangular) form solvscope's geometry expects. */
export function isReducedBox(box: Box): boolean {
  return box[1] === 0 && box[2] === 0 && box[5] === 0;
}

/** Rotate a general box into lower-triangular form (same lengths and angles). */
export function toReducedBox(box: Box): Box {
  if (isReducedBox(box)) return box;
  const [a, b, c, al, be, ga] = boxToLengthsAngles(box);
  return boxFromLengthsAngles(a, b, c, al, be, ga);
}

/** True if every length is positive and finite and the volume is non-zero. */
export function isValidBox(box: Box): boolean {
  for (let i = 0; i < 9; i++) if (!Number.isFinite(box[i])) return false;
  return box[0] > 0 && box[4] > 0 && box[8] > 0 && boxVolume(box) > 0;
}

/**
 * Radius of the largest sphere that fits inside the cell: half the smallest distance between
 * opposite faces. Minimum-image distances are unique below this radius.
 */
export function boxInscribedRadius(box: Box): number {
  const v = boxVolume(box);
  const cross = (i: number, j: number) => {
    const x = box[i + 1] * box[j + 2] - box[i + 2] * box[j + 1];
    const y = box[i + 2] * box[j] - box[i] * box[j + 2];
    const z = box[i] * box[j + 1] - box[i + 1] * box[j];
    return Math.hypot(x, y, z);
  };
  // distance between faces spanned by (b,c) is V/|b×c|, etc.
  const da = v / cross(3, 6);
  const db = v / cross(0, 6);
  const dc = v / cross(0, 3);
  return 0.5 * Math.min(da, db, dc);
}
