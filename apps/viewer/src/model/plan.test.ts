import { describe, expect, it } from 'vitest';
import { buildTopology, orthorhombicBox } from '@solvscope/core';
import { buildViewerPlan, candidateIons, chooseCutoffs, cutoffSampleStep, rdfRequests, solvationRequest, FALLBACK_CUTOFF } from './plan';
import type { RdfCurve } from './results';

/** 2 Mg, 1 water, 2 Cl, 1 methane (no donors). */
const topo = buildTopology({
  atomCount: 10,
  names: ['MG', 'MG', 'OW', 'HW1', 'HW2', 'CL', 'CL', 'C1', 'H1', 'H2'],
  resnames: ['MG', 'MG', 'SOL', 'SOL', 'SOL', 'CL', 'CL', 'MET', 'MET', 'MET'],
  resids: [1, 2, 3, 3, 3, 4, 5, 6, 6, 6],
  elements: ['Mg', 'Mg', 'O', 'H', 'H', 'Cl', 'Cl', 'C', 'H', 'H'],
});

describe('buildViewerPlan', () => {
  it('centres shells on the monatomic cation and makes every species with heteroatoms a partner', () => {
    expect(candidateIons(topo).map((s) => s.name)).toEqual(['MG']);
    const plan = buildViewerPlan(topo, orthorhombicBox(30, 30, 30));
    expect(plan.ionSelection).toBe('species MG');
    expect(Array.from(plan.ionAtoms)).toEqual([0, 1]);
    expect(plan.partners.map((p) => [p.key, p.labelName, Array.from(p.donorAtoms), p.anion, p.group])).toEqual([
      ['SOL', 'H2O', [2], false, 1],
      ['CL', 'Cl', [5, 6], true, 0],
    ]);
  });

  it('keeps g(r) within 12 Å and within the minimum-image limit of small boxes, like the CLI', () => {
    expect(buildViewerPlan(topo, orthorhombicBox(40, 40, 40)).rMax).toBeCloseTo(12, 10);
    const small = buildViewerPlan(topo, orthorhombicBox(12, 14, 16));
    expect(small.rMax).toBeLessThanOrEqual(0.97 * 6 + 1e-9);
    expect(small.rMax).toBeCloseTo(small.bins * 0.02, 12);
  });

  it('samples the same frames for automatic cutoffs as solvscope analyze (a tenth, 25 to 200)', () => {
    expect(cutoffSampleStep(301)).toBe(9);
    expect(cutoffSampleStep(20)).toBe(1);
    expect(cutoffSampleStep(200)).toBe(8);
    expect(cutoffSampleStep(100_000)).toBe(500);
  });

  it('builds one g(r) request per partner and a solvation request with the chosen cutoffs', () => {
    const plan = buildViewerPlan(topo, orthorhombicBox(30, 30, 30));
    expect(rdfRequests(plan).map((r) => [r.key, (r.spec as { sel: string }).sel])).toEqual([
      ['rdf:SOL', 'species SOL and not element C H'],
      ['rdf:CL', 'species CL and not element C H'],
    ]);
    expect(solvationRequest(plan, [2.4, 2.9]).spec).toMatchObject({ ions: 'species MG', species: { SOL: { cutoff: 2.4, donors: 'heteroatoms' }, CL: { cutoff: 2.9, donors: 'heteroatoms' } }, anions: ['CL'] });
  });

  it('says which species it found when there is no cation to centre on', () => {
    const water = buildTopology({ atomCount: 3, names: ['OW', 'HW1', 'HW2'], resnames: ['SOL', 'SOL', 'SOL'], resids: [1, 1, 1] });
    expect(() => buildViewerPlan(water, null)).toThrow('no monatomic cation species found to centre shells on; species: SOL (H2O, charge 0)');
  });
});

describe('chooseCutoffs', () => {
  const plan = buildViewerPlan(topo, orthorhombicBox(30, 30, 30));
  const curve = (peakR: number, minEdgeR: number, gapBins = 0): RdfCurve =>
    ({
      r: [], g: [], n: [], rMin: 0, rMax: 10, binWidth: 0.02, frames: 1,
      firstShell: { peakR, rawPeakR: peakR, peakG: 10, minR: minEdgeR - 0.01, minIndex: Math.round(minEdgeR / 0.02) - 1, minEdgeR, plateauEndIndex: Math.round(minEdgeR / 0.02) - 1 + gapBins, plateauEndR: minEdgeR - 0.01 + gapBins * 0.02, nAtMin: 1 },
    }) as unknown as RdfCurve;
  it('takes the middle of a g = 0 gap after the first peak', () => {
    // minimum bin [2.40, 2.42), gap of 17 more bins: up to the bin centred at 2.75 Å (edge 2.76)
    expect(chooseCutoffs(plan, [curve(1.99, 2.42, 17), curve(1.99, 2.9)])[0]).toBeCloseTo(2.59, 10);
  });
  it('gives an outer-sphere partner the first-shell cutoff', () => {
    // MgCl2 in water: Mg–OW peak 1.99, minimum 2.5; Mg–Cl peak 4.71 (solvent-shared), minimum 5.68
    expect(chooseCutoffs(plan, [curve(1.99, 2.5), curve(4.71, 5.68)])).toEqual([2.5, 2.5]);
  });
  it('leaves partners without a g(r) minimum at the fallback cutoff', () => {
    expect(chooseCutoffs(plan, [undefined, undefined])).toEqual([FALLBACK_CUTOFF, FALLBACK_CUTOFF]);
    expect(chooseCutoffs(plan, [curve(1.99, 2.5), undefined])).toEqual([2.5, FALLBACK_CUTOFF]);
  });
});
