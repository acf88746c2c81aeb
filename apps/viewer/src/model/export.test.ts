import { describe, expect, it } from 'vitest';
import { rdfCsv, resultsJson, speciationCsv } from './export';
import type { RdfCurve, Solvation } from './results';

describe('exports', () => {
  it('writes the speciation as CSV, quoting labels that contain commas', () => {
    const s = {
      speciation: [
        { label: '[Mg(DME)3]2+', ion: 'Mg', composition: { DME: 3 }, charge: 2, fraction: 0.25, stderr: NaN, ionFrames: 3 },
        { label: 'odd,label', ion: 'Mg', composition: { A: 1, B: 2 }, charge: 0, fraction: 0.75, stderr: 0.1, ionFrames: 9 },
      ],
    } as unknown as Solvation;
    expect(speciationCsv(s)).toBe('label,composition,charge_e,fraction,stderr,ion_frames\n[Mg(DME)3]2+,DME:3,2,0.25,,3\n"odd,label",A:1 B:2,0,0.75,0.1,9\n');
  });

  it('writes g(r) and n(r) per bin', () => {
    const rdf = { r: new Float64Array([0.01, 0.03]), g: new Float64Array([0, 2.5]), n: new Float64Array([0, 0.5]) } as unknown as RdfCurve;
    expect(rdfCsv('DME', rdf)).toBe('r_A,g_DME,n_DME\n0.01,0,0\n0.03,2.5,0.5\n');
  });

  it('writes typed arrays as JSON arrays and NaN as null', () => {
    expect(JSON.parse(resultsJson({ g: new Float64Array([1, 2]), x: NaN }))).toEqual({ g: [1, 2], x: null });
  });
});
