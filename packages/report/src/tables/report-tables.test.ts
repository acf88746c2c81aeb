import { readJson } from '@solvscope/fixtures';
import { describe, expect, it } from 'vitest';
import { sampleReport } from '../testing/sample-report.js';
import { parseCsv } from './csv.js';
import { coordinationCsv, coordinationDistributionCsv, denticityCsv, pairingCsv, rdfCsv, reportCsvFiles, residenceCsv, speciationCsv } from './report-tables.js';
import { labelledTidyRows, tidyCsv, tidyRows } from './tidy.js';

const ref = readJson<any>('mg-tfsi-dme', 'ref.json');

describe('rdfCsv', () => {
  it('writes one g(r) as r_A,g,n with every value exact', () => {
    const m = ref.rdf['MG-ODME'].MDAnalysis;
    const rows = parseCsv(rdfCsv({ r: m.bins, g: m.rdf, n: m.n_r_from_counts }));
    expect(rows[0]).toEqual(['r_A', 'g', 'n']);
    expect(rows).toHaveLength(601);
    rows.slice(1).forEach((r, i) => {
      expect(Number(r[0])).toBe(m.bins[i]);
      expect(Number(r[1])).toBe(m.rdf[i]);
      expect(Number(r[2])).toBe(m.n_r_from_counts[i]);
    });
  });

  it('writes several as a long table with a species column', () => {
    const rows = parseCsv(rdfCsv([{ species: 'DME', r: [1, 2], g: [0, 1] }, { species: 'TFSI', r: [1, 2], g: [0, 2], n: [0, 0.5] }]));
    expect(rows).toEqual([['species', 'r_A', 'g', 'n'], ['DME', '1', '0', ''], ['DME', '2', '1', ''], ['TFSI', '1', '0', '0'], ['TFSI', '2', '2', '0.5']]);
  });

  it('refuses arrays of different lengths', () => {
    expect(() => rdfCsv({ species: 'DME', r: [1, 2], g: [1] })).toThrow(/g of DME has 1 values for 2 r/);
  });
});

describe('report tables', () => {
  const report = sampleReport();

  it('give coordination per species and kind with mean and stderr', () => {
    const rows = parseCsv(coordinationCsv(report));
    expect(rows[0]).toEqual(['species', 'kind', 'cutoff_A', 'mean', 'stderr']);
    expect(rows[1]).toEqual(['DME', 'atoms', String(report.coordination[0].cutoff), '4.25', '0']);
    expect(rows).toHaveLength(5);
  });

  it('give distributions and denticity in long form', () => {
    const dist = parseCsv(coordinationDistributionCsv(report));
    expect(dist[0]).toEqual(['species', 'kind', 'k', 'fraction']);
    expect(dist.filter((r) => r[0] === 'DME' && r[1] === 'atoms').map((r) => r[2])).toEqual(['2', '4', '5', '6']);
    const dent = parseCsv(denticityCsv(report));
    expect(dent[1]).toEqual(['DME', '1', String(ref.pairing.solvent.denticity_distribution_per_bound_molecule['1'])]);
  });

  it('give speciation with one count column per ligand species', () => {
    const rows = parseCsv(speciationCsv(report));
    expect(rows[0]).toEqual(['label', 'charge_e', 'fraction', 'stderr', 'n_TFSI', 'n_DME']);
    expect(rows[2]).toEqual(['[Mg(DME)3]2+', '2', String(1 / 6), '0', '0', '3']);
  });

  it('give pairing from both sides and nothing when there is no pairing', () => {
    const rows = parseCsv(pairingCsv(report));
    expect(rows.map((r) => `${r[0]}:${r[1]}`)).toEqual(['side:class', 'cation:SSIP', 'cation:CIP', 'cation:AGG', 'anion:SSIP', 'anion:CIP', 'anion:AGG_I', 'anion:AGG_II']);
    expect(rows[7][3]).toBe('');
    expect(pairingCsv({ pairing: null })).toBe('side,class,fraction,stderr\n');
  });

  it('give residence times with their convergence', () => {
    expect(parseCsv(residenceCsv(report))[1]).toEqual(['DME', '300', '300', 'false', 'true', '300']);
  });

  it('name every file the CLI writes', () => {
    expect(Object.keys(reportCsvFiles(report)).sort()).toEqual(['clusters.csv', 'coordination-distribution.csv', 'coordination.csv', 'denticity.csv', 'pairing.csv', 'rdf.csv', 'residence.csv', 'speciation.csv']);
  });
});

describe('tidy rows', () => {
  const report = sampleReport();

  it('hold one row per number of the report with its unit', () => {
    const rows = tidyRows(report);
    const cip = rows.filter((r) => r.quantity === 'pairing.cation' && r.key === 'CIP');
    expect(cip).toEqual([{ quantity: 'pairing.cation', species: '', key: 'CIP', value: ref.pairing.fractions.CIP, stderr: 0, unit: 'fraction' }]);
    expect(rows.find((r) => r.quantity === 'rdf.cutoff' && r.species === 'TFSI')).toMatchObject({ value: 2.48, unit: 'Å' });
    expect(rows.filter((r) => r.quantity === 'speciation')).toHaveLength(4);
  });

  it('put entry and labels first in the combined table', () => {
    const rows = [...labelledTidyRows('a', { salt: 'Mg(TFSI)2', c: 0.5 }, report), ...labelledTidyRows('b', { salt: 'Ca(TFSI)2', c: 1, replica: 2 }, report)];
    const csv = parseCsv(tidyCsv(rows));
    expect(csv[0]).toEqual(['entry', 'salt', 'c', 'replica', 'quantity', 'species', 'key', 'value', 'stderr', 'unit']);
    expect(csv[1].slice(0, 5)).toEqual(['a', 'Mg(TFSI)2', '0.5', '', 'frames']);
    expect(csv).toHaveLength(1 + 2 * tidyRows(report).length);
  });
});
