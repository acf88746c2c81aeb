/**
 * A realistic report.json built from the reference values of the bundled Mg(TFSI)2/DME
 * example (fixtures/mg-tfsi-dme/ref.json: MDAnalysis g(r) and n(r), reference coordination,
 * shell compositions and cation-side pairing). Fields the reference does not hold (anion-side
 * pairing, clusters, residence) are filled with plausible values; tests use this only as
 * renderer input, never as expected analysis output.
 */
import { readJson } from '@solvscope/fixtures';
import { REPORT_SCHEMA, type SolvscopeReport } from '../report-types.js';

interface MdaRdf {
  bins: number[];
  rdf: number[];
  n_r_from_counts: number[];
  first_peak: { r: number; g: number };
  first_min: { r: number; edge_r: number; n_from_counts_at_upper_edge: number };
}

export function sampleReport(): SolvscopeReport {
  const ref = readJson<any>('mg-tfsi-dme', 'ref.json');
  const dme: MdaRdf = ref.rdf['MG-ODME'].MDAnalysis;
  const tfsi: MdaRdf = ref.rdf['MG-OTFSI'].MDAnalysis;
  const solv = ref.pairing.solvent;
  const labels: Record<string, [string, Record<string, number>, number]> = {
    DME2_TFSI2: ['[Mg(TFSI)2(DME)2]', { TFSI: 2, DME: 2 }, 0],
    DME3_TFSI0: ['[Mg(DME)3]2+', { DME: 3 }, 2],
    DME1_TFSI4: ['[Mg(TFSI)4(DME)]2-', { TFSI: 4, DME: 1 }, -2],
    DME3_TFSI1: ['[Mg(TFSI)(DME)3]+', { TFSI: 1, DME: 3 }, 1],
  };
  const speciation = Object.entries(solv.shell_composition_fractions as Record<string, number>).map(([k, f]) => ({
    label: labels[k][0],
    composition: labels[k][1],
    charge: labels[k][2],
    fraction: f,
    stderr: 0,
    ionFrames: Math.round(f * 3612),
  }));
  const fr = ref.pairing.fractions;
  return {
    schema: REPORT_SCHEMA,
    frames: 301,
    time: { first_ps: 0, last_ps: 300, dt_ps: 1 },
    ions: { selection: 'resname MG and name MG', count: 12, name: 'Mg', charge: 2 },
    species: [
      { name: 'Mg', formula: 'Mg', charge: 2, count: 12, atoms: 1, residues: ['MG'], role: 'ion', chargeSource: 'topology' },
      { name: 'DME', formula: 'C4H10O2', charge: 0, count: 200, atoms: 16, residues: ['DME'], role: 'solvent', donors: 'heteroatoms', chargeSource: 'topology' },
      { name: 'TFSI', formula: 'C2F6NO4S2', charge: -1, count: 24, atoms: 15, residues: ['TFSI'], role: 'anion', donors: 'name O1 O2 O3 O4', chargeSource: 'topology' },
    ],
    rdf: [
      { species: 'DME', ref: 'resname MG and name MG', sel: 'resname DME and name O1 O2', r: dme.bins, g: dme.rdf, n: dme.n_r_from_counts, cutoff: dme.first_min.edge_r, cutoffRaw: dme.first_min.r, cutoffSource: 'auto', peak: { r: dme.first_peak.r, g: dme.first_peak.g }, nAtCutoff: dme.first_min.n_from_counts_at_upper_edge, norm: 'rdf', binWidth: 0.02, nRef: 12, nSel: 400, nPairs: 4800 },
      { species: 'TFSI', ref: 'resname MG and name MG', sel: 'resname TFSI and name O1 O2 O3 O4', r: tfsi.bins, g: tfsi.rdf, n: tfsi.n_r_from_counts, cutoff: tfsi.first_min.edge_r, cutoffRaw: tfsi.first_min.r, cutoffSource: 'auto', peak: { r: tfsi.first_peak.r, g: tfsi.first_peak.g }, nAtCutoff: tfsi.first_min.n_from_counts_at_upper_edge, norm: 'rdf', binWidth: 0.02, nRef: 12, nSel: 96, nPairs: 1152 },
    ],
    coordination: [
      {
        species: 'DME',
        cutoff: dme.first_min.edge_r,
        donors: 'heteroatoms',
        atoms: { mean: ref.coordination['MG-ODME'].mean, stderr: 0, distribution: ref.coordination['MG-ODME'].distribution },
        molecules: { mean: solv.mean_solvent_molecules_in_shell, stderr: 0, distribution: solv.distribution_solvent_molecules_per_cation },
        denticity: solv.denticity_distribution_per_bound_molecule,
        boundEvents: 7826,
        donorAtoms: { O1: 0.5, O2: 0.5 },
      },
      {
        species: 'TFSI',
        cutoff: tfsi.first_min.edge_r,
        donors: 'name O1 O2 O3 O4',
        atoms: { mean: ref.coordination['MG-OTFSI'].mean, stderr: 0, distribution: ref.coordination['MG-OTFSI'].distribution },
        molecules: { mean: 1.75, stderr: 0, distribution: { '0': 0.16666666666666666, '1': 0.08333333333333333, '2': 0.6666666666666666, '4': 0.08333333333333333 } },
        denticity: { '1': 1 },
        boundEvents: 6321,
        donorAtoms: { O1: 0.27, O2: 0.23, O3: 0.26, O4: 0.24 },
      },
    ],
    speciation,
    pairing: {
      cation: { SSIP: { fraction: fr.SSIP, stderr: 0 }, CIP: { fraction: fr.CIP, stderr: 0 }, AGG: { fraction: fr.AGG, stderr: 0 } },
      anion: { SSIP: { fraction: 0.125, stderr: 0.004 }, CIP: { fraction: 0.7917, stderr: 0.006 }, AGG_I: { fraction: 0.0833, stderr: 0.003 }, AGG_II: { fraction: 0, stderr: null } },
      anions: ['TFSI'],
      cationFrames: 3612,
      anionFrames: 7224,
      anionsPerCation: 1.75,
    },
    clusters: {
      perFrame: 25,
      meanSize: 1.44,
      largest: 3,
      size: [
        { size: 1, fraction: 0.2, stderr: 0, perFrame: 5 },
        { size: 2, fraction: 0.72, stderr: 0, perFrame: 18 },
        { size: 3, fraction: 0.08, stderr: 0, perFrame: 2 },
      ],
      composition: [
        { cations: 0, anions: 1, size: 1, charge: -1, perFrame: 3, fraction: 0.12, cationFraction: 0, anionFraction: 0.125 },
        { cations: 1, anions: 0, size: 1, charge: 2, perFrame: 2, fraction: 0.08, cationFraction: 0.1667, anionFraction: 0 },
        { cations: 1, anions: 1, size: 2, charge: 1, perFrame: 18, fraction: 0.72, cationFraction: 0.6667, anionFraction: 0.75 },
        { cations: 2, anions: 1, size: 3, charge: 3, perFrame: 2, fraction: 0.08, cationFraction: 0.1667, anionFraction: 0.0833 },
      ],
    },
    residence: [
      { species: 'DME', intermittent_ps: 300, continuous_ps: 300, converged: false, lowerBound: true, window_ps: 300, tolerance_ps: 0, pairs: 26, events: 26 },
      { species: 'TFSI', intermittent_ps: 300, continuous_ps: 300, converged: false, lowerBound: true, window_ps: 300, tolerance_ps: 0, pairs: 21, events: 21 },
    ],
    blocks: 2,
    provenance: {
      solvscope: '0.1.0',
      command: 'solvscope analyze --top final.gro --traj prod.xtc --ion "resname MG and name MG" --anion TFSI --out out/',
      inputs: [
        { role: 'topology', path: 'fixtures/mg-tfsi-dme/final.gro', size_bytes: 160789, sha256: '3f1c0e9d8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0f9e8d7c', format: 'GRO' },
        { role: 'trajectory', path: 'fixtures/mg-tfsi-dme/prod.xtc', size_bytes: 4128576, sha256: 'a0b1c2d3e4f5061728394a5b6c7d8e9f00112233445566778899aabbccddeeff', format: 'XTC' },
      ],
      frames: { first: 0, last: 300, stride: 1, count: 301, first_ps: 0, last_ps: 300, dt_ps: 1 },
      selections: { ions: 'resname MG and name MG', 'DME donors': 'heteroatoms', 'TFSI donors': 'name O1 O2 O3 O4' },
      cutoffs_A: { DME: dme.first_min.edge_r, TFSI: tfsi.first_min.edge_r },
      cutoffSources: { DME: 'auto', TFSI: 'auto' },
      rdf: { norm: 'rdf', rMin_A: 0, rMax_A: 12, binWidth_A: 0.02, exclude: 'none' },
      blockFrames: 256,
      residence: { tolerance_ps: 0, maxLag_frames: 300 },
      execution: { workers: 2, chunkFrames: 256 },
    },
    warnings: ['only 2 blocks: standard errors are rough (use more frames or smaller chunks)'],
  };
}
