import { describe, expect, it } from 'vitest';
import { orthorhombicBox, type Box } from '../box.js';
import { OptionError, SolvscopeError } from '../errors.js';
import { minimumImageDistance2, periodicCell } from './minimum-image.js';
import { NeighborGrid } from './neighbor-grid.js';
import { mulberry32 as rng } from '../random.js';


const dodecahedron = (d: number): Box => new Float64Array([d, 0, 0, 0, d, 0, d / 2, d / 2, (d * Math.SQRT2) / 2]);

/** Brute force over all 27 images of the fractionally wrapped displacement (reduced boxes only). */
function brute27(box: Box, dx: number, dy: number, dz: number): number {
  const [ax, , , bx, by, , cx, cy, cz] = box;
  const sc = dz / cz;
  const sb = (dy - sc * cy) / by;
  const sa = (dx - sb * bx - sc * cx) / ax;
  const fa = Math.round(sa);
  const fb = Math.round(sb);
  const fc = Math.round(sc);
  let best = Infinity;
  for (let i = -1; i <= 1; i++)
    for (let j = -1; j <= 1; j++)
      for (let k = -1; k <= 1; k++) {
        const ni = i - fa;
        const nj = j - fb;
        const nk = k - fc;
        const x = dx + ni * ax + nj * bx + nk * cx;
        const y = dy + nj * by + nk * cy;
        const z = dz + nk * cz;
        best = Math.min(best, x * x + y * y + z * z);
      }
  return best;
}

interface Case {
  positions: Float32Array;
  atoms: Int32Array;
  box: Box | null;
  cutoff: number;
}

/**
 * Compare every query against brute force: same atom set, same squared distances. Mismatches
 * are collected (vitest's expect is too slow per pair) and asserted once.
 */
function checkQueries(grid: NeighborGrid, c: Case, points: number[][], dist2: (dx: number, dy: number, dz: number) => number): number {
  grid.build(c.positions, c.atoms, c.box, c.cutoff);
  const rc2 = c.cutoff * c.cutoff;
  const problems: string[] = [];
  let total = 0;
  const got = new Map<number, number>();
  for (const [x, y, z] of points) {
    const n = grid.query(x, y, z);
    got.clear();
    for (let k = 0; k < n; k++) {
      if (got.has(grid.hitAtoms[k])) problems.push(`atom ${grid.hitAtoms[k]} reported twice`);
      got.set(grid.hitAtoms[k], grid.hitD2[k]);
      if (!(grid.hitD2[k] < rc2)) problems.push(`hit at d2=${grid.hitD2[k]} ≥ cutoff²`);
    }
    let wanted = 0;
    for (const a of c.atoms) {
      const d2 = dist2(c.positions[3 * a] - x, c.positions[3 * a + 1] - y, c.positions[3 * a + 2] - z);
      const borderline = Math.abs(d2 - rc2) < 1e-9 * rc2; // within rounding of the cutoff: either way
      const g = got.get(a);
      if (d2 < rc2) wanted++;
      if (g === undefined) {
        if (d2 < rc2 && !borderline) problems.push(`atom ${a} at d=${Math.sqrt(d2)} from (${x},${y},${z}) missing`);
      } else if (Math.abs(g - d2) > 1e-9 * Math.max(1, d2)) {
        problems.push(`atom ${a}: d2 ${g} vs brute force ${d2}`);
      } else if (!(d2 < rc2) && !borderline) {
        problems.push(`atom ${a} reported at d=${Math.sqrt(g)}`);
      }
    }
    if (Math.abs(wanted - n) > 2) problems.push(`query (${x},${y},${z}): ${n} hits, brute force ${wanted}`);
    total += n;
    if (problems.length > 5) break;
  }
  expect(problems).toEqual([]);
  return total;
}

function randomCase(r: () => number, box: Box, n: number, cutoff: number, spread = 1): Case {
  const positions = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    // fractional coordinates in [-(spread-1)/2, (spread+1)/2): atoms may lie outside the cell
    const fa = r() * spread - (spread - 1) / 2;
    const fb = r() * spread - (spread - 1) / 2;
    const fc = r() * spread - (spread - 1) / 2;
    positions[3 * i] = fa * box[0] + fb * box[3] + fc * box[6];
    positions[3 * i + 1] = fa * box[1] + fb * box[4] + fc * box[7];
    positions[3 * i + 2] = fa * box[2] + fb * box[5] + fc * box[8];
  }
  const atoms = Int32Array.from({ length: n }, (_, i) => i);
  return { positions, atoms, box, cutoff };
}

function randomPoints(r: () => number, box: Box, count: number, spread: number): number[][] {
  const pts: number[][] = [];
  for (let k = 0; k < count; k++) {
    const fa = (r() - 0.5) * spread + 0.5;
    const fb = (r() - 0.5) * spread + 0.5;
    const fc = (r() - 0.5) * spread + 0.5;
    pts.push([fa * box[0] + fb * box[3] + fc * box[6], fa * box[1] + fb * box[4] + fc * box[7], fa * box[2] + fb * box[5] + fc * box[8]]);
  }
  return pts;
}

describe('NeighborGrid', () => {
  it('finds exactly the brute-force neighbours in an orthorhombic box, for points inside and outside the cell', () => {
    const r = rng(1);
    const box = orthorhombicBox(30, 25, 35);
    const grid = new NeighborGrid();
    for (const cutoff of [1.5, 4, 9.99, 12.5]) {
      const c = randomCase(r, box, 1000, cutoff, 3);
      const found = checkQueries(grid, c, randomPoints(r, box, 200, 4), (x, y, z) => brute27(box, x, y, z));
      expect(found).toBeGreaterThan(0);
    }
  });

  it('finds exactly the brute-force neighbours in the dodecahedron cell, up to half the shortest translation', () => {
    const r = rng(2);
    const box = dodecahedron(31.4939);
    const grid = new NeighborGrid();
    // 11.13 Å is the face-based inscribed radius; 15.74 Å the packing radius
    for (const cutoff of [3, 8, 11, 12, 15.7]) {
      const c = randomCase(r, box, 1000, cutoff, 2);
      checkQueries(grid, c, randomPoints(r, box, 200, 3), (x, y, z) => brute27(box, x, y, z));
    }
  });

  it('finds exactly the brute-force neighbours in random reduced triclinic cells', () => {
    const r = rng(3);
    const grid = new NeighborGrid();
    for (let t = 0; t < 25; t++) {
      const ax = 15 + 20 * r();
      const by = 15 + 20 * r();
      const cz = 15 + 20 * r();
      const box = new Float64Array([ax, 0, 0, (r() - 0.5) * ax, by, 0, (r() - 0.5) * ax, (r() - 0.5) * by, cz]);
      const cell = periodicCell(box);
      const cutoff = cell.packingRadius * (0.2 + 0.8 * r());
      const c = randomCase(r, box, 400, cutoff, 1.5);
      checkQueries(grid, c, randomPoints(r, box, 100, 3), (x, y, z) => minimumImageDistance2(cell, x, y, z));
    }
  });

  it('works for a rotated (not lower-triangular) box', () => {
    const r = rng(4);
    const base = dodecahedron(28);
    const th = 0.7;
    const ph = 1.9;
    // rotation about z then x
    const m = [Math.cos(th), -Math.sin(th), 0, Math.sin(th) * Math.cos(ph), Math.cos(th) * Math.cos(ph), -Math.sin(ph), Math.sin(th) * Math.sin(ph), Math.cos(th) * Math.sin(ph), Math.cos(ph)];
    const box = new Float64Array(9);
    for (let row = 0; row < 3; row++) {
      const [x, y, z] = [base[3 * row], base[3 * row + 1], base[3 * row + 2]];
      box[3 * row] = m[0] * x + m[1] * y + m[2] * z;
      box[3 * row + 1] = m[3] * x + m[4] * y + m[5] * z;
      box[3 * row + 2] = m[6] * x + m[7] * y + m[8] * z;
    }
    const cell = periodicCell(box);
    const c = randomCase(r, box, 1000, 9, 2);
    checkQueries(new NeighborGrid(), c, randomPoints(r, box, 200, 3), (x, y, z) => minimumImageDistance2(cell, x, y, z));
  });

  it('handles boxes with fewer than three cells per axis and a cutoff equal to the packing radius', () => {
    const r = rng(5);
    const grid = new NeighborGrid();
    for (const box of [orthorhombicBox(10, 10, 10), orthorhombicBox(10, 30, 50), dodecahedron(12)]) {
      const cell = periodicCell(box);
      for (const cutoff of [cell.packingRadius, cell.packingRadius * 0.8, cell.packingRadius * 0.51]) {
        const c = randomCase(r, box, 300, cutoff, 2);
        checkQueries(grid, c, randomPoints(r, box, 100, 3), (x, y, z) => minimumImageDistance2(cell, x, y, z));
        expect(grid.cells[0] * grid.cells[1] * grid.cells[2]).toBeGreaterThan(0);
      }
    }
  });

  it('finds atoms lying exactly on cell borders and box faces', () => {
    const box = orthorhombicBox(24, 24, 24);
    const grid = new NeighborGrid();
    const cutoff = 6; // cells of 3 Å: borders at multiples of 3
    const coords: number[] = [];
    for (const x of [0, 3, 6, 12, 21, 24, -24, 48])
      for (const y of [0, 3, 23.999999])
        for (const z of [0, 6, 24]) coords.push(x, y, z);
    const positions = new Float32Array(coords);
    const atoms = Int32Array.from({ length: coords.length / 3 }, (_, i) => i);
    const points: number[][] = [];
    for (let i = 0; i < atoms.length; i++) points.push([coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]]);
    points.push([3, 3, 3], [-3, -3, -3], [27, 0, 24], [12, 12, 12]);
    checkQueries(grid, { positions, atoms, box, cutoff }, points, (x, y, z) => brute27(box, x, y, z));
    // the atom at the origin sees the atoms at 24 and -24 and 48 (all the same point) at distance 0
    const n = grid.query(0, 0, 0);
    let zeros = 0;
    for (let k = 0; k < n; k++) if (grid.hitD2[k] === 0) zeros++;
    expect(zeros).toBe(4 * 2); // x ∈ {0, 24, -24, 48} × z ∈ {0, 24} at y = 0
  });

  it('finds atoms on the faces of a triclinic cell built from fractional coordinates k/n', () => {
    const box = dodecahedron(30);
    const cell = periodicCell(box);
    const grid = new NeighborGrid();
    const coords: number[] = [];
    for (let i = 0; i <= 6; i++)
      for (let j = 0; j <= 6; j++)
        for (let k = 0; k <= 4; k++) {
          const fa = i / 6;
          const fb = j / 6;
          const fc = k / 4;
          coords.push(fa * box[0] + fb * box[3] + fc * box[6], fb * box[4] + fc * box[7], fc * box[8]);
        }
    const positions = new Float32Array(coords);
    const atoms = Int32Array.from({ length: coords.length / 3 }, (_, i) => i);
    const points: number[][] = [];
    for (let i = 0; i < atoms.length; i += 3) points.push([coords[3 * i], coords[3 * i + 1], coords[3 * i + 2]]);
    for (const cutoff of [5, 10, 15]) {
      checkQueries(grid, { positions, atoms, box, cutoff }, points, (x, y, z) => minimumImageDistance2(cell, x, y, z));
    }
  });

  it('returns the original atom indices of a subset', () => {
    const r = rng(6);
    const box = orthorhombicBox(20, 20, 20);
    const full = randomCase(r, box, 800, 5);
    const atoms = Int32Array.from({ length: 200 }, (_, i) => 4 * i + 3);
    checkQueries(new NeighborGrid(), { ...full, atoms }, randomPoints(r, box, 100, 1), (x, y, z) => brute27(box, x, y, z));
  });

  it('works without a box over the bounding box of the atoms', () => {
    const r = rng(7);
    const n = 1000;
    const positions = new Float32Array(3 * n);
    for (let i = 0; i < 3 * n; i++) positions[i] = (r() - 0.5) * 40 + (i % 3) * 100;
    const atoms = Int32Array.from({ length: n }, (_, i) => i);
    const pts: number[][] = [];
    for (let k = 0; k < 200; k++) pts.push([(r() - 0.5) * 60, 100 + (r() - 0.5) * 60, 200 + (r() - 0.5) * 60]);
    pts.push([1e6, 0, 0]);
    const grid = new NeighborGrid();
    for (const cutoff of [2, 7, 50, 200]) {
      checkQueries(grid, { positions, atoms, box: null, cutoff }, pts, (x, y, z) => x * x + y * y + z * z);
    }
    // all atoms in one plane (zero extent along z)
    const flat = positions.slice();
    for (let i = 2; i < 3 * n; i += 3) flat[i] = 5;
    checkQueries(grid, { positions: flat, atoms, box: null, cutoff: 3 }, pts.map(([x, y]) => [x, y, 5]), (x, y, z) => x * x + y * y + z * z);
  });

  it('grows its hit buffers beyond their initial size', () => {
    const box = orthorhombicBox(10, 10, 10);
    const n = 5000;
    const r = rng(8);
    const c = randomCase(r, box, n, 5);
    const grid = new NeighborGrid();
    const found = checkQueries(grid, c, [[5, 5, 5]], (x, y, z) => brute27(box, x, y, z));
    expect(found).toBeGreaterThan(256);
    expect(grid.hitAtoms.length).toBeGreaterThanOrEqual(found);
  });

  it('handles an empty atom set and non-finite query points', () => {
    const grid = new NeighborGrid();
    grid.build(new Float32Array(0), new Int32Array(0), orthorhombicBox(10, 10, 10), 3);
    expect(grid.query(1, 2, 3)).toBe(0);
    grid.build(new Float32Array(0), new Int32Array(0), null, 3);
    expect(grid.query(1, 2, 3)).toBe(0);
    grid.build(new Float32Array([1, 1, 1]), new Int32Array([0]), orthorhombicBox(10, 10, 10), 3);
    expect(grid.query(NaN, 0, 0)).toBe(0);
    expect(grid.query(1, 1, 2)).toBe(1);
  });

  it('rejects a cutoff beyond the packing radius, or not positive, with an OptionError', () => {
    const grid = new NeighborGrid();
    const p = new Float32Array([0, 0, 0]);
    const a = new Int32Array([0]);
    expect(() => grid.build(p, a, orthorhombicBox(10, 10, 10), 5.0000001)).toThrow(OptionError);
    expect(() => grid.build(p, a, dodecahedron(30), 15.01)).toThrow(/15\.0000 Å/);
    expect(() => grid.build(p, a, null, 0)).toThrow(OptionError);
    expect(() => grid.build(p, a, null, NaN)).toThrow(OptionError);
    grid.build(p, a, dodecahedron(30), 15);
  });

  it('rejects non-finite atom positions', () => {
    const grid = new NeighborGrid();
    // the orthorhombic fast path and the general (triclinic / open) loop
    for (const box of [orthorhombicBox(10, 10, 10), dodecahedron(20), null]) {
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (let axis = 0; axis < 3; axis++) {
          const positions = new Float32Array([1, 2, 3, 4, 5, 6]);
          positions[3 + axis] = bad;
          expect(() => grid.build(positions, new Int32Array([0, 1]), box, 3)).toThrow(/atom 1 has a non-finite position/);
        }
      }
    }
  });
});
