import { describe, expect, it } from 'vitest';
import { readJson } from '@solvscope/fixtures';
import { OptionError } from '../../errors.js';
import { firstShell, smoothRunningMean } from './first-shell.js';

interface RefPair {
  MDAnalysis: {
    bins: number[];
    rdf: number[];
    n_r_from_counts: number[];
    first_peak: { r: number; g: number; g_smoothed: number; raw_argmax_r: number; raw_max_g: number };
    first_min: {
      r: number;
      g: number;
      g_smoothed: number;
      n_from_counts_at_upper_edge: number;
      edge_r: number;
      plateau_end_r: number;
      n_from_counts_at_plateau_end_upper_edge: number;
    };
  };
}

const SETS = ['mgcl2-water', 'cacl2-water', 'mg-tfsi-dme', 'mgcl2-water-triclinic', 'mgcl2-water-formats'];

describe('firstShell', () => {
  for (const set of SETS) {
    const ref = readJson<{ rdf: Record<string, RefPair> }>(set, 'ref.json');
    for (const [pair, p] of Object.entries(ref.rdf)) {
      it(`reproduces the reference first peak and first minimum of ${set} ${pair} from MDAnalysis g(r)`, () => {
        // ref.json stores g with 6 decimals, so g values agree to ~1e-6
        const m = p.MDAnalysis;
        const fs = firstShell({ r: m.bins, g: m.rdf, n: m.n_r_from_counts });
        expect(fs.peakR).toBeCloseTo(m.first_peak.r, 9);
        expect(fs.peakG).toBeCloseTo(m.first_peak.g, 5);
        expect(fs.peakGSmoothed).toBeCloseTo(m.first_peak.g_smoothed, 5);
        expect(fs.rawPeakR).toBeCloseTo(m.first_peak.raw_argmax_r, 9);
        expect(fs.rawPeakG).toBeCloseTo(m.first_peak.raw_max_g, 5);
        expect(fs.minR).toBeCloseTo(m.first_min.r, 9);
        expect(fs.minG).toBeCloseTo(m.first_min.g, 5);
        expect(fs.minGSmoothed).toBeCloseTo(m.first_min.g_smoothed, 5);
        expect(fs.minEdgeR).toBeCloseTo(m.first_min.edge_r, 9);
        expect(fs.plateauEndR).toBeCloseTo(m.first_min.plateau_end_r, 9);
        // n_r_from_counts is stored with 6 decimals
        expect(fs.nAtMin).toBeCloseTo(m.first_min.n_from_counts_at_upper_edge, 5);
        expect(fs.nAtPlateauEnd).toBeCloseTo(m.first_min.n_from_counts_at_plateau_end_upper_edge, 5);
        expect(fs.rawMinG).toBeLessThanOrEqual(fs.minG);
        expect(Math.abs(fs.rawMinR - fs.minR)).toBeLessThanOrEqual(0.1 + 1e-9);
      });
    }
  }

  it('smooths like numpy convolve(mode="same") with zero padding', () => {
    const g = [0, 3, 0, 0, 6, 0];
    expect(Array.from(smoothRunningMean(g, 3)).map((v) => +v.toFixed(12))).toEqual([1, 1, 1, 2, 2, 2]);
  });

  it('finds the minimum after a noisy peak rather than a noise dip before it', () => {
    const r: number[] = [];
    const g: number[] = [];
    for (let i = 0; i < 400; i++) {
      const x = 0.01 + 0.02 * i;
      r.push(x);
      // peak at 3 Å, minimum at 4 Å, then 1; with ±0.4 alternating noise
      const base = x < 2.5 ? 0 : 1 + 2 * Math.exp(-((x - 3) ** 2) / 0.08) - 0.8 * Math.exp(-((x - 4) ** 2) / 0.1);
      g.push(Math.max(0, base + (x > 2.5 ? (i % 2 ? 0.4 : -0.4) : 0)));
    }
    const fs = firstShell({ r, g });
    expect(fs.peakR).toBeCloseTo(3, 1);
    expect(fs.minR).toBeGreaterThan(3.8);
    expect(fs.minR).toBeLessThan(4.2);
    expect(Number.isNaN(fs.nAtMin)).toBe(true);
  });

  it('reports the plateau of an empty gap between shells', () => {
    const r = Array.from({ length: 300 }, (_, i) => 0.01 + 0.02 * i);
    const g = r.map((x) => (x > 1.9 && x < 2.1 ? 30 : x > 2.1 && x < 3.3 ? 0 : x >= 3.3 ? 1 : 0));
    const fs = firstShell({ r, g });
    expect(fs.minGSmoothed).toBe(0);
    expect(fs.minR).toBeCloseTo(2.21, 6);
    expect(fs.plateauEndR).toBeCloseTo(3.19, 6);
  });

  it('rejects mismatched arrays and bad options with OptionError', () => {
    expect(() => firstShell({ r: [1, 2, 3], g: [1, 2] })).toThrow(OptionError);
    expect(() => firstShell({ r: [1, 2, 3], g: [1, 2, 3] }, { window: -1 })).toThrow(/window/);
  });
});
