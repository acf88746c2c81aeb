import type { Box } from '../box.js';

/**
 * Squared minimum-image distance between atoms i and j by checking the 27 neighbouring images
 * after a first fractional wrap: exact for any cell shape. Used by `within` selections, which
 * are evaluated rarely; analyses use the neighbour grid.
 */
export function minimumImageDistance2Brute(p: Float32Array, i: number, j: number, box: Box | null): number {
  let dx = p[3 * j] - p[3 * i];
  let dy = p[3 * j + 1] - p[3 * i + 1];
  let dz = p[3 * j + 2] - p[3 * i + 2];
  if (!box) return dx * dx + dy * dy + dz * dz;
  // lower-triangular box: remove whole cell vectors c, b, a
  const sz = Math.floor(dz / box[8] + 0.5);
  dx -= sz * box[6];
  dy -= sz * box[7];
  dz -= sz * box[8];
  const sy = Math.floor(dy / box[4] + 0.5);
  dx -= sy * box[3];
  dy -= sy * box[4];
  const sx = Math.floor(dx / box[0] + 0.5);
  dx -= sx * box[0];
  let best = Infinity;
  for (let a = -1; a <= 1; a++)
    for (let b = -1; b <= 1; b++)
      for (let c = -1; c <= 1; c++) {
        const x = dx + a * box[0] + b * box[3] + c * box[6];
        const y = dy + b * box[4] + c * box[7];
        const z = dz + c * box[8];
        const d = x * x + y * y + z * z;
        if (d < best) best = d;
      }
  return best;
}
