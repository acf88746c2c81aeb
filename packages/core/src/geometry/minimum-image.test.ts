import { describe, expect, it } from 'vitest';
import { boxInscribedRadius, orthorhombicBox, type Box } from '../box.js';
import { OptionError } from '../errors.js';
import { maxMinimumImageCutoff, minimumImage, minimumImageDistance, periodicCell } from './minimum-image.js';
import { mulberry32 as rng } from '../random.js';


/** Fractional coordinates of r in the box (general inverse), row vectors a, b, c. */
function fractional(box: Box, x: number, y: number, z: number): [number, number, number] {
  const [ax, ay, az, bx, by, bz, cx, cy, cz] = box;
  const det = ax * (by * cz - bz * cy) - ay * (bx * cz - bz * cx) + az * (bx * cy - by * cx);
  return [
    (x * (by * cz - bz * cy) + y * (bz * cx - bx * cz) + z * (bx * cy - by * cx)) / det,
    (x * (az * cy - ay * cz) + y * (ax * cz - az * cx) + z * (ay * cx - ax * cy)) / det,
    (x * (ay * bz - az * by) + y * (az * bx - ax * bz) + z * (ax * by - ay * bx)) / det,
  ];
}

/** Brute force: wrap to the centred cell in fractional coordinates, then try every image within ±range. */
function bruteMinImage2(box: Box, dx: number, dy: number, dz: number, range = 1): number {
  const [sa, sb, sc] = fractional(box, dx, dy, dz);
  const fa = Math.floor(sa + 0.5);
  const fb = Math.floor(sb + 0.5);
  const fc = Math.floor(sc + 0.5);
  let best = Infinity;
  for (let i = -range; i <= range; i++)
    for (let j = -range; j <= range; j++)
      for (let k = -range; k <= range; k++) {
        const ni = i - fa;
        const nj = j - fb;
        const nk = k - fc;
        const x = dx + ni * box[0] + nj * box[3] + nk * box[6];
        const y = dy + ni * box[1] + nj * box[4] + nk * box[7];
        const z = dz + ni * box[2] + nj * box[5] + nk * box[8];
        const d = x * x + y * y + z * z;
        if (d < best) best = d;
      }
  return best;
}

/** The dodecahedron (rhombic, xy-square) cell of the TRICLINIC fixture, edge d Å. */
function dodecahedron(d: number): Box {
  return new Float64Array([d, 0, 0, 0, d, 0, d / 2, d / 2, (d * Math.SQRT2) / 2]);
}

function randomReducedTriclinic(r: () => number): Box {
  const ax = 20 + 20 * r();
  const by = 20 + 20 * r();
  const cz = 20 + 20 * r();
  const bx = (r() - 0.5) * ax;
  const cx = (r() - 0.5) * ax;
  const cy = (r() - 0.5) * by;
  return new Float64Array([ax, 0, 0, bx, by, 0, cx, cy, cz]);
}

function rotation(r: () => number): number[] {
  // random unit quaternion → rotation matrix
  const u1 = r();
  const u2 = r() * 2 * Math.PI;
  const u3 = r() * 2 * Math.PI;
  const q0 = Math.sqrt(1 - u1) * Math.sin(u2);
  const q1 = Math.sqrt(1 - u1) * Math.cos(u2);
  const q2 = Math.sqrt(u1) * Math.sin(u3);
  const q3 = Math.sqrt(u1) * Math.cos(u3);
  return [
    1 - 2 * (q2 * q2 + q3 * q3), 2 * (q1 * q2 - q0 * q3), 2 * (q1 * q3 + q0 * q2),
    2 * (q1 * q2 + q0 * q3), 1 - 2 * (q1 * q1 + q3 * q3), 2 * (q2 * q3 - q0 * q1),
    2 * (q1 * q3 - q0 * q2), 2 * (q2 * q3 + q0 * q1), 1 - 2 * (q1 * q1 + q2 * q2),
  ];
}

function rotate(m: number[], x: number, y: number, z: number): [number, number, number] {
  return [m[0] * x + m[1] * y + m[2] * z, m[3] * x + m[4] * y + m[5] * z, m[6] * x + m[7] * y + m[8] * z];
}

/** Check that out is an image of (dx,dy,dz): the difference has integer fractional coordinates. */
function expectLatticeImage(box: Box, dx: number, dy: number, dz: number, out: Float64Array): void {
  const f = fractional(box, out[0] - dx, out[1] - dy, out[2] - dz);
  for (const v of f) expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-9);
}

function checkAgainstBrute(box: Box, seed: number, count: number, spread: number, range = 1): void {
  const r = rng(seed);
  const cell = periodicCell(box);
  const out = new Float64Array(3);
  const L = Math.max(Math.abs(box[0]), Math.abs(box[4]), Math.abs(box[8]), Math.hypot(box[0], box[1], box[2]));
  for (let n = 0; n < count; n++) {
    const dx = (r() - 0.5) * spread * L;
    const dy = (r() - 0.5) * spread * L;
    const dz = (r() - 0.5) * spread * L;
    const d2 = minimumImage(cell, dx, dy, dz, out);
    const ref = bruteMinImage2(box, dx, dy, dz, range);
    expect(Math.abs(d2 - ref)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref));
    expect(Math.abs(out[0] ** 2 + out[1] ** 2 + out[2] ** 2 - d2)).toBeLessThanOrEqual(1e-9 * Math.max(1, ref));
    expectLatticeImage(box, dx, dy, dz, out);
  }
}

describe('minimumImage', () => {
  it('agrees with a brute-force search over all 27 images in an orthorhombic box', () => {
    checkAgainstBrute(orthorhombicBox(31.4, 27.9, 45.2), 1, 8000, 6);
  });

  it('agrees with a brute-force search over all 27 images in the dodecahedron cell', () => {
    checkAgainstBrute(dodecahedron(31.47), 2, 8000, 6);
  });

  it('agrees with brute force in random reduced triclinic cells, at every distance', () => {
    const r = rng(3);
    for (let b = 0; b < 40; b++) checkAgainstBrute(randomReducedTriclinic(r), 100 + b, 400, 4, 2);
  });

  it('agrees with brute force in strongly skewed cells outside the GROMACS reduction limits', () => {
    const boxes = [
      new Float64Array([10, 0, 0, 9, 3, 0, 8, 2.5, 2]),
      new Float64Array([10, 0, 0, -14, 4, 0, 17, -6, 3]),
    ];
    for (const [k, box] of boxes.entries()) checkAgainstBrute(box, 50 + k, 5000, 4, 6);
  });

  it('handles boxes in any orientation by rotating into the reduced frame', () => {
    const r = rng(4);
    for (let t = 0; t < 20; t++) {
      const m = rotation(r);
      const base = t % 2 ? dodecahedron(25 + 10 * r()) : randomReducedTriclinic(r);
      const box = new Float64Array(9);
      for (let row = 0; row < 3; row++) box.set(rotate(m, base[3 * row], base[3 * row + 1], base[3 * row + 2]), 3 * row);
      const cell = periodicCell(box);
      expect(cell.rotation).not.toBeNull();
      expect(cell.inscribedRadius).toBeCloseTo(boxInscribedRadius(base), 9);
      checkAgainstBrute(box, 200 + t, 500, 4, 2);
    }
  });

  it('is exact for distances below the inscribed radius with the single pass alone, and finds the true image beyond it', () => {
    // A single c→b→a pass is not always the minimum image in the dodecahedron: count the
    // cases where it is not (all of them beyond r_in) and check minimumImage fixes every one.
    const box = dodecahedron(30);
    const cell = periodicCell(box);
    const r = rng(5);
    const out = new Float64Array(3);
    let singlePassWrong = 0;
    for (let n = 0; n < 20000; n++) {
      let x = (r() - 0.5) * 90;
      let y = (r() - 0.5) * 90;
      let z = (r() - 0.5) * 90;
      const d2 = minimumImage(cell, x, y, z, out);
      const sz = Math.floor(z / box[8] + 0.5);
      x -= sz * box[6];
      y -= sz * box[7];
      z -= sz * box[8];
      const sy = Math.floor(y / box[4] + 0.5);
      y -= sy * box[4];
      const sx = Math.floor(x / box[0] + 0.5);
      x -= sx * box[0];
      const single = x * x + y * y + z * z;
      if (single > d2 * (1 + 1e-12)) {
        singlePassWrong++;
        expect(Math.sqrt(d2)).toBeGreaterThanOrEqual(cell.inscribedRadius * (1 - 1e-12));
      }
      if (d2 < cell.inscribedRadius ** 2) expect(single).toBe(d2);
    }
    expect(singlePassWrong).toBeGreaterThan(0);
  });

  it('computes the distance between two atoms of a position array', () => {
    const box = orthorhombicBox(10, 10, 10);
    const p = new Float32Array([0.5, 0.5, 0.5, 9.5, 9.5, 9.5]);
    expect(minimumImageDistance(p, 0, 1, periodicCell(box))).toBeCloseTo(Math.sqrt(3), 6);
    expect(minimumImageDistance(p, 0, 1, null)).toBeCloseTo(9 * Math.sqrt(3), 5);
  });

  it('reports half the shortest lattice vector as the largest cutoff', () => {
    // dodecahedron: faces are d·√2/2 apart, but the shortest translation is d
    expect(maxMinimumImageCutoff(dodecahedron(30))).toBeCloseTo(15, 10);
    expect(periodicCell(dodecahedron(30)).inscribedRadius).toBeCloseTo((30 * Math.SQRT2) / 4, 10);
    expect(maxMinimumImageCutoff(orthorhombicBox(20, 30, 40))).toBe(10);
    // a skewed cell whose shortest translation is a combination a − b
    expect(maxMinimumImageCutoff(new Float64Array([10, 0, 0, 9, 3, 0, 0, 0, 50]))).toBeCloseTo(Math.hypot(1, 3) / 2, 12);
  });

  it('has a packing radius no smaller than the inscribed radius, matching brute force', () => {
    const r = rng(9);
    for (let t = 0; t < 200; t++) {
      const box = randomReducedTriclinic(r);
      const cell = periodicCell(box);
      let best = Infinity;
      for (let i = -3; i <= 3; i++)
        for (let j = -3; j <= 3; j++)
          for (let k = -3; k <= 3; k++) {
            if (!i && !j && !k) continue;
            const x = i * box[0] + j * box[3] + k * box[6];
            const y = j * box[4] + k * box[7];
            const z = k * box[8];
            best = Math.min(best, Math.hypot(x, y, z));
          }
      expect(cell.packingRadius).toBeCloseTo(best / 2, 9);
      expect(cell.packingRadius).toBeGreaterThanOrEqual(cell.inscribedRadius * (1 - 1e-12));
    }
  });

  it('rejects a degenerate box with an OptionError naming the box', () => {
    expect(() => periodicCell(new Float64Array([10, 0, 0, 10, 0, 0, 0, 0, 10]))).toThrow(OptionError);
    try {
      periodicCell(new Float64Array([NaN, 0, 0, 0, 1, 0, 0, 0, 1]));
    } catch (e) {
      expect((e as OptionError).context.option).toBe('box');
    }
  });
});
