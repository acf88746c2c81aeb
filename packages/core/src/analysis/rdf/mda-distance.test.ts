import { describe, expect, it } from 'vitest';
import { orthorhombicBox, type Box } from '../../box.js';
import { minimumImageDistance2, periodicCell } from '../../geometry/minimum-image.js';
import { MdaDistance, mdaBoxVectors, mdaDimensions } from './mda-distance.js';
import { mulberry32 as rng } from '../../random.js';


/** A box as an XTC reader gives it: float32 nm vectors × 10 in double. */
const fromNm = (nm: number[]): Box => new Float64Array(nm.map((v) => Math.fround(v) * 10));

describe('MdaDistance', () => {
  for (const [label, box, spread] of [
    ['orthorhombic', fromNm([3.14661, 0, 0, 0, 3.14661, 0, 0, 0, 3.14661]), 3],
    ['dodecahedron', fromNm([3.14939, 0, 0, 0, 3.14939, 0, 1.57469, 1.57469, 2.22695]), 3],
    ['orthorhombic, coordinates up to 10 boxes out', fromNm([9.4, 0, 0, 0, 9.4, 0, 0, 0, 12.6]), 10],
    ['dodecahedron, coordinates up to 10 boxes out', fromNm([3.14939, 0, 0, 0, 3.14939, 0, 1.57469, 1.57469, 2.22695]), 10],
  ] as const) {
    it(`stays within a quarter of its stated tolerance of the exact minimum-image distance (${label})`, () => {
      const r = rng(label.length);
      const n = 2000;
      const pos = new Float32Array(3 * n);
      // coordinates up to three boxes away from the cell
      for (let i = 0; i < 3 * n; i++) pos[i] = (r() * (2 * spread + 1) - spread) * box[0];
      let m = 0;
      for (const v of pos) m = Math.max(m, Math.abs(v));
      const mda = new MdaDistance();
      mda.setFrame(pos, box, m);
      expect(mda.tolerance).toBeGreaterThan(0);
      if (spread === 3) expect(mda.tolerance).toBeLessThan(1e-3);
      const cell = periodicCell(box);
      let worst = 0;
      for (let k = 0; k < 100000; k++) {
        const i = Math.floor(r() * n);
        const j = Math.floor(r() * n);
        const exact = Math.sqrt(minimumImageDistance2(cell, pos[3 * j] - pos[3 * i], pos[3 * j + 1] - pos[3 * i + 1], pos[3 * j + 2] - pos[3 * i + 2]));
        if (exact > cell.packingRadius) continue;
        worst = Math.max(worst, Math.abs(mda.distance(i, j) - exact));
      }
      expect(worst).toBeLessThan(mda.tolerance / 4);
      expect(worst).toBeGreaterThan(0); // float32 arithmetic is really being mimicked
    });
  }

  it('rebuilds the box vectors of an orthorhombic and a dodecahedral cell from float32 lengths and angles', () => {
    const ortho = fromNm([3.4010501, 0, 0, 0, 3.4010501, 0, 0, 0, 3.4010501]);
    expect(Array.from(mdaBoxVectors(ortho))).toEqual(Array.from(new Float32Array(ortho)));
    const dims = mdaDimensions(fromNm([3.1432102, 0, 0, 0, 3.1432102, 0, 1.5716051, 1.5716051, 2.2225835]));
    // MDAnalysis 2.4.2 reports these for frame 0 of the TRICLINIC fixture (coords-ref.json)
    expect(Array.from(dims)).toEqual([31.43210220336914, 31.43210220336914, 31.432090759277344, 59.9999885559082, 59.9999885559082, 90.0]);
    const v = mdaBoxVectors(fromNm([3.1432102, 0, 0, 0, 3.1432102, 0, 1.5716051, 1.5716051, 2.2225835]));
    expect(v[1]).toBe(0);
    expect(v[3]).toBe(0);
    expect(v[6]).toBeCloseTo(15.716051, 4);
    expect(v[8]).toBeCloseTo(22.225835, 4);
  });

  it('does nothing for boxes not in the reduced orientation', () => {
    const mda = new MdaDistance();
    mda.setFrame(new Float32Array(6), new Float64Array([10, 1, 0, 0, 10, 0, 0, 0, 10]), 10);
    expect(mda.enabled).toBe(false);
    expect(mda.tolerance).toBe(0);
    mda.setFrame(new Float32Array(6), orthorhombicBox(10, 10, 10), 10);
    expect(mda.enabled).toBe(true);
  });
});
