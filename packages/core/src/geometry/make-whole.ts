import type { Box } from '../box.js';
import { OptionError } from '../errors.js';
import { minimumImage, periodicCell, type PeriodicCell } from './minimum-image.js';

/**
 * Periodic-image helpers for drawing: make a molecule whole, wrap atoms into the cell, and
 * bring atoms or whole molecules next to a centre (e.g. a solvation shell around an ion).
 *
 * All take positions as interleaved xyz (Å) and write a compact output: atom `atoms[k]` goes
 * to `out[3k..3k+2]`. `box` null means not periodic (coordinates are copied unchanged).
 */

const tmp = new Float64Array(3);

function cellOf(box: Box | PeriodicCell): PeriodicCell {
  return box instanceof Float64Array ? periodicCell(box) : box;
}

function checkOut(out: Float32Array, n: number): void {
  if (out.length < 3 * n) throw new OptionError('OPTION', `output buffer holds ${out.length / 3} atoms, ${n} needed`, { option: 'out' });
}

/**
 * Make one molecule whole: each atom is placed at the minimum image of its predecessor in
 * `atoms` (the first atom stays where it is). This is the GROMACS `-pbc mol` chain rule and
 * is exact whenever consecutive atoms in the given order are closer than half the smallest
 * box height (true for every small molecule in file order and for bonded chains listed along
 * the chain; it does not need the molecule to be smaller than half the box). For a branched
 * molecule listed in an order where consecutive atoms are far apart, pass the atoms in a
 * bonded (depth-first) order. Positions Å.
 * @param atoms atom indices of one molecule, in order.
 * @param out receives 3 × atoms.length coordinates (Å); returned.
 * @throws OptionError when `out` is too small or the box is degenerate.
 */
export function makeWhole(positions: ArrayLike<number>, atoms: ArrayLike<number>, box: Box | PeriodicCell | null, out: Float32Array): Float32Array {
  const n = atoms.length;
  checkOut(out, n);
  if (n === 0) return out;
  const a0 = atoms[0];
  // Accumulate in float64 and round once per atom, so the chain does not drift.
  let px = positions[3 * a0];
  let py = positions[3 * a0 + 1];
  let pz = positions[3 * a0 + 2];
  out[0] = px;
  out[1] = py;
  out[2] = pz;
  const cell = box ? cellOf(box) : null;
  for (let k = 1; k < n; k++) {
    const a = atoms[k];
    const prev = atoms[k - 1];
    let dx = positions[3 * a] - positions[3 * prev];
    let dy = positions[3 * a + 1] - positions[3 * prev + 1];
    let dz = positions[3 * a + 2] - positions[3 * prev + 2];
    if (cell) {
      minimumImage(cell, dx, dy, dz, tmp);
      dx = tmp[0];
      dy = tmp[1];
      dz = tmp[2];
    }
    px += dx;
    py += dy;
    pz += dz;
    out[3 * k] = px;
    out[3 * k + 1] = py;
    out[3 * k + 2] = pz;
  }
  return out;
}

/**
 * Wrap atoms into the primary cell: fractional coordinates in [0, 1) along a, b, c (the cell
 * spanned by the box vectors from the origin). Positions Å.
 * @param atoms indices to wrap, or null for all atoms (out then has the length of positions).
 */
export function wrapIntoBox(positions: ArrayLike<number>, atoms: ArrayLike<number> | null, box: Box | null, out: Float32Array): Float32Array {
  const n = atoms ? atoms.length : Math.floor(positions.length / 3);
  checkOut(out, n);
  if (!box) {
    for (let k = 0; k < n; k++) {
      const a = atoms ? atoms[k] : k;
      out[3 * k] = positions[3 * a];
      out[3 * k + 1] = positions[3 * a + 1];
      out[3 * k + 2] = positions[3 * a + 2];
    }
    return out;
  }
  // General inverse: fractional s = r · B⁻¹ with rows a, b, c.
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = box;
  const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  if (!(Math.abs(det) > 0) || !Number.isFinite(det)) throw new OptionError('OPTION', 'the periodic box is degenerate', { option: 'box' });
  const i00 = (by * cz - bz * cy) / det;
  const i01 = (az * cy - ay * cz) / det;
  const i02 = (ay * bz - az * by) / det;
  const i10 = (bz * cx - bx * cz) / det;
  const i11 = (ax * cz - az * cx) / det;
  const i12 = (az * bx - ax * bz) / det;
  const i20 = (bx * cy - by * cx) / det;
  const i21 = (ay * cx - ax * cy) / det;
  const i22 = (ax * by - ay * bx) / det;
  for (let k = 0; k < n; k++) {
    const a = atoms ? atoms[k] : k;
    const x = positions[3 * a];
    const y = positions[3 * a + 1];
    const z = positions[3 * a + 2];
    // s_j = Σ_i r_i (B⁻¹)_ij
    const fa = Math.floor(x * i00 + y * i10 + z * i20);
    const fb = Math.floor(x * i01 + y * i11 + z * i21);
    const fc = Math.floor(x * i02 + y * i12 + z * i22);
    out[3 * k] = x - fa * ax - fb * bx - fc * cx;
    out[3 * k + 1] = y - fa * ay - fb * by - fc * cy;
    out[3 * k + 2] = z - fa * az - fb * bz - fc * cz;
  }
  return out;
}

/**
 * Place every atom independently at its minimum image around `center` (Å): out = center +
 * minimum-image(r − center). Use {@link makeWholeAround} to keep molecules intact.
 */
export function unwrapAround(
  positions: ArrayLike<number>,
  atoms: ArrayLike<number>,
  center: ArrayLike<number>,
  box: Box | PeriodicCell | null,
  out: Float32Array,
): Float32Array {
  const n = atoms.length;
  checkOut(out, n);
  const cell = box ? cellOf(box) : null;
  const cx = center[0];
  const cy = center[1];
  const cz = center[2];
  for (let k = 0; k < n; k++) {
    const a = atoms[k];
    let dx = positions[3 * a] - cx;
    let dy = positions[3 * a + 1] - cy;
    let dz = positions[3 * a + 2] - cz;
    if (cell) {
      minimumImage(cell, dx, dy, dz, tmp);
      dx = tmp[0];
      dy = tmp[1];
      dz = tmp[2];
    }
    out[3 * k] = cx + dx;
    out[3 * k + 1] = cy + dy;
    out[3 * k + 2] = cz + dz;
  }
  return out;
}

/**
 * One molecule made whole ({@link makeWhole}) and then moved by one lattice vector so that
 * its atom nearest to `center` (Å) sits at that atom's minimum image around the centre: the
 * whole molecule appears next to the centre, as a viewer draws a solvation shell.
 */
export function makeWholeAround(
  positions: ArrayLike<number>,
  atoms: ArrayLike<number>,
  center: ArrayLike<number>,
  box: Box | PeriodicCell | null,
  out: Float32Array,
): Float32Array {
  const cell = box ? cellOf(box) : null;
  makeWhole(positions, atoms, cell, out);
  if (!cell || atoms.length === 0) return out;
  let best = Infinity;
  let sx = 0;
  let sy = 0;
  let sz = 0;
  for (let k = 0; k < atoms.length; k++) {
    const dx = out[3 * k] - center[0];
    const dy = out[3 * k + 1] - center[1];
    const dz = out[3 * k + 2] - center[2];
    const d2 = minimumImage(cell, dx, dy, dz, tmp);
    if (d2 < best) {
      best = d2;
      // lattice shift taking this atom to its minimum image
      sx = tmp[0] - dx;
      sy = tmp[1] - dy;
      sz = tmp[2] - dz;
    }
  }
  for (let k = 0; k < atoms.length; k++) {
    out[3 * k] += sx;
    out[3 * k + 1] += sy;
    out[3 * k + 2] += sz;
  }
  return out;
}
