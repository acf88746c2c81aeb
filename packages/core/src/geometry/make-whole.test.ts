import { describe, expect, it } from 'vitest';
import { orthorhombicBox, type Box } from '../box.js';
import { makeWhole, makeWholeAround, unwrapAround, wrapIntoBox } from './make-whole.js';
import { minimumImageDistance2, periodicCell } from './minimum-image.js';
import { mulberry32 as rng } from '../random.js';


const dodecahedron = (d: number): Box => new Float64Array([d, 0, 0, 0, d, 0, d / 2, d / 2, (d * Math.SQRT2) / 2]);

/** A random-walk chain of n atoms with 1.5 Å bonds starting at start. */
function chain(r: () => number, n: number, start: number[]): number[] {
  const out = [...start];
  for (let k = 1; k < n; k++) {
    const u = 2 * r() - 1;
    const phi = 2 * Math.PI * r();
    const s = Math.sqrt(1 - u * u);
    out.push(out[3 * k - 3] + 1.5 * s * Math.cos(phi), out[3 * k - 2] + 1.5 * s * Math.sin(phi), out[3 * k - 1] + 1.5 * u);
  }
  return out;
}

/** Displace every atom by a random lattice vector (a molecule broken across the boundaries). */
function scramble(r: () => number, xyz: number[], box: Box): Float32Array {
  const out = new Float32Array(xyz.length);
  for (let k = 0; k < xyz.length / 3; k++) {
    const i = Math.floor(r() * 5) - 2;
    const j = Math.floor(r() * 5) - 2;
    const l = Math.floor(r() * 5) - 2;
    for (let d = 0; d < 3; d++) out[3 * k + d] = xyz[3 * k + d] + i * box[d] + j * box[3 + d] + l * box[6 + d];
  }
  return out;
}

function fractional(box: Box, x: number, y: number, z: number): number[] {
  const [ax, , , bx, by, , cx, cy, cz] = box;
  const sc = z / cz;
  const sb = (y - sc * cy) / by;
  return [(x - sb * bx - sc * cx) / ax, sb, sc];
}

describe('makeWhole', () => {
  for (const [name, box] of [
    ['orthorhombic', orthorhombicBox(12, 14, 16)],
    ['dodecahedron', dodecahedron(14)],
  ] as const) {
    it(`restores a 40-atom chain scattered over periodic images (${name})`, () => {
      const r = rng(1);
      const xyz = chain(r, 40, [5, 5, 5]);
      const broken = scramble(r, xyz, box);
      const atoms = Int32Array.from({ length: 40 }, (_, i) => i);
      const out = makeWhole(broken, atoms, box, new Float32Array(120));
      // whole: the chain equals the original (first atom's image unchanged) up to float32 rounding
      const shift = [out[0] - xyz[0], out[1] - xyz[1], out[2] - xyz[2]];
      for (let k = 0; k < 40; k++) for (let d = 0; d < 3; d++) expect(out[3 * k + d] - xyz[3 * k + d] - shift[d]).toBeCloseTo(0, 3);
      for (let k = 1; k < 40; k++) {
        const bond = Math.hypot(out[3 * k] - out[3 * k - 3], out[3 * k + 1] - out[3 * k - 2], out[3 * k + 2] - out[3 * k - 1]);
        expect(bond).toBeCloseTo(1.5, 4);
      }
    });
  }

  it('copies the molecule unchanged without a box and handles subsets in the given order', () => {
    const p = new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(Array.from(makeWhole(p, [2, 0], null, new Float32Array(6)))).toEqual([2, 2, 2, 0, 0, 0]);
    expect(() => makeWhole(p, [0, 1, 2], null, new Float32Array(3))).toThrow(/output buffer/);
  });
});

describe('wrapIntoBox', () => {
  it('puts every atom at fractional coordinates in [0, 1) by lattice translations', () => {
    const r = rng(2);
    for (const box of [orthorhombicBox(10, 11, 12), dodecahedron(20)]) {
      const n = 500;
      const p = new Float32Array(3 * n);
      for (let i = 0; i < 3 * n; i++) p[i] = (r() - 0.5) * 100;
      const out = wrapIntoBox(p, null, box, new Float32Array(3 * n));
      for (let k = 0; k < n; k++) {
        const f = fractional(box, out[3 * k], out[3 * k + 1], out[3 * k + 2]);
        for (const v of f) {
          expect(v).toBeGreaterThanOrEqual(-1e-6);
          expect(v).toBeLessThan(1 + 1e-6);
        }
        const g = fractional(box, out[3 * k] - p[3 * k], out[3 * k + 1] - p[3 * k + 1], out[3 * k + 2] - p[3 * k + 2]);
        for (const v of g) expect(Math.abs(v - Math.round(v))).toBeLessThan(1e-5);
      }
    }
  });
});

describe('unwrapAround and makeWholeAround', () => {
  it('places each atom at its minimum image around a centre', () => {
    const r = rng(3);
    const box = dodecahedron(25);
    const cell = periodicCell(box);
    const n = 300;
    const p = new Float32Array(3 * n);
    for (let i = 0; i < 3 * n; i++) p[i] = (r() - 0.5) * 80;
    const c = [3, -4, 7];
    const atoms = Int32Array.from({ length: n }, (_, i) => i);
    const out = unwrapAround(p, atoms, c, box, new Float32Array(3 * n));
    for (let k = 0; k < n; k++) {
      const d2 = (out[3 * k] - c[0]) ** 2 + (out[3 * k + 1] - c[1]) ** 2 + (out[3 * k + 2] - c[2]) ** 2;
      const ref = minimumImageDistance2(cell, p[3 * k] - c[0], p[3 * k + 1] - c[1], p[3 * k + 2] - c[2]);
      expect(Math.abs(d2 - ref)).toBeLessThan(1e-3);
    }
  });

  it('draws a molecule whole beside the centre, its nearest atom at the minimum image', () => {
    const r = rng(4);
    const box = orthorhombicBox(20, 20, 20);
    const cell = periodicCell(box);
    const xyz = chain(r, 12, [19, 19, 19]);
    const broken = scramble(r, xyz, box);
    const atoms = Int32Array.from({ length: 12 }, (_, i) => i);
    const center = [1, 1, 1];
    const out = makeWholeAround(broken, atoms, center, box, new Float32Array(36));
    for (let k = 1; k < 12; k++) {
      expect(Math.hypot(out[3 * k] - out[3 * k - 3], out[3 * k + 1] - out[3 * k - 2], out[3 * k + 2] - out[3 * k - 1])).toBeCloseTo(1.5, 4);
    }
    let best = Infinity;
    let bestMin = Infinity;
    for (let k = 0; k < 12; k++) {
      best = Math.min(best, (out[3 * k] - 1) ** 2 + (out[3 * k + 1] - 1) ** 2 + (out[3 * k + 2] - 1) ** 2);
      bestMin = Math.min(bestMin, minimumImageDistance2(cell, broken[3 * k] - 1, broken[3 * k + 1] - 1, broken[3 * k + 2] - 1));
    }
    expect(best).toBeCloseTo(bestMin, 3);
    expect(best).toBeLessThan(3 * 100);
  });
});
