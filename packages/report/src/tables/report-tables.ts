import { OptionError } from '@solvscope/core';
import type { ReportRdf, SolvscopeReport } from '../report-types.js';
import { toCsv, type CsvOptions } from './csv.js';

/** The arrays of one g(r): bin centres (Å), g, and optionally n (at upper bin edges). */
export interface RdfArrays {
  species?: string;
  r: ArrayLike<number | null>;
  g: ArrayLike<number | null>;
  n?: ArrayLike<number | null> | null;
}

function arr(a: ArrayLike<number | null> | null | undefined, i: number): number | null {
  return a ? (a[i] ?? null) : null;
}

/**
 * g(r) as CSV. One result gives columns `r_A,g,n` (n = running coordination number at the
 * upper bin edge r_A + Δr/2; empty when absent); several give a long table
 * `species,r_A,g,n` with one block of rows per species.
 *
 * @throws OptionError when g or n differ from r in length.
 */
export function rdfCsv(rdf: RdfArrays | readonly RdfArrays[], options?: CsvOptions): string {
  const list = Array.isArray(rdf) ? (rdf as readonly RdfArrays[]) : [rdf as RdfArrays];
  const rows: { species: string; r_A: number | null; g: number | null; n: number | null }[] = [];
  list.forEach((d, k) => {
    if (d.g.length !== d.r.length) throw new OptionError('OPTION', `rdfCsv: g of ${d.species ?? `rdf[${k}]`} has ${d.g.length} values for ${d.r.length} r`, { option: 'g' });
    if (d.n && d.n.length !== d.r.length) throw new OptionError('OPTION', `rdfCsv: n of ${d.species ?? `rdf[${k}]`} has ${d.n.length} values for ${d.r.length} r`, { option: 'n' });
    for (let i = 0; i < d.r.length; i++) rows.push({ species: d.species ?? '', r_A: arr(d.r, i), g: arr(d.g, i), n: arr(d.n, i) });
  });
  return Array.isArray(rdf) ? toCsv(rows, ['species', 'r_A', 'g', 'n'], options) : toCsv(rows, ['r_A', 'g', 'n'], options);
}

/** Per species and kind (atoms, molecules): cutoff, mean CN and its standard error. */
export function coordinationCsv(report: Pick<SolvscopeReport, 'coordination'>, options?: CsvOptions): string {
  const rows = report.coordination.flatMap((c) =>
    (['atoms', 'molecules'] as const).map((kind) => ({ species: c.species, kind, cutoff_A: c.cutoff, mean: c[kind].mean, stderr: c[kind].stderr })),
  );
  return toCsv(rows, ['species', 'kind', 'cutoff_A', 'mean', 'stderr'], options);
}

/** CN distributions in long form: species, kind (atoms, molecules), k, fraction of ion-frames. */
export function coordinationDistributionCsv(report: Pick<SolvscopeReport, 'coordination'>, options?: CsvOptions): string {
  const rows = report.coordination.flatMap((c) =>
    (['atoms', 'molecules'] as const).flatMap((kind) => Object.entries(c[kind].distribution).map(([k, f]) => ({ species: c.species, kind, k: Number(k), fraction: f }))),
  );
  return toCsv(rows, ['species', 'kind', 'k', 'fraction'], options);
}

/** Denticity in long form: species, kappa, fraction of bound events. */
export function denticityCsv(report: Pick<SolvscopeReport, 'coordination'>, options?: CsvOptions): string {
  const rows = report.coordination.flatMap((c) => Object.entries(c.denticity).map(([k, f]) => ({ species: c.species, kappa: Number(k), fraction: f })));
  return toCsv(rows, ['species', 'kappa', 'fraction'], options);
}

/**
 * Speciation: label, charge_e, fraction, stderr, then one `n_<species>` column per species
 * that occurs in any shell (0 when absent), so the table loads straight into pandas.
 */
export function speciationCsv(report: Pick<SolvscopeReport, 'speciation'>, options?: CsvOptions): string {
  const species: string[] = [];
  for (const s of report.speciation) for (const k of Object.keys(s.composition)) if (!species.includes(k)) species.push(k);
  return toCsv(report.speciation, [
    'label',
    { header: 'charge_e', value: (s) => s.charge },
    'fraction',
    'stderr',
    ...species.map((sp) => ({ header: `n_${sp}`, value: (s: SolvscopeReport['speciation'][number]) => s.composition[sp] ?? 0 })),
  ], options);
}

const CATION_KEYS = ['SSIP', 'CIP', 'AGG'] as const;
const ANION_KEYS = ['SSIP', 'CIP', 'AGG_I', 'AGG_II'] as const;

/** Pairing in long form: side (cation, anion), class, fraction, stderr. Empty table without pairing. */
export function pairingCsv(report: Pick<SolvscopeReport, 'pairing'>, options?: CsvOptions): string {
  const p = report.pairing;
  const rows = p
    ? [
        ...CATION_KEYS.map((k) => ({ side: 'cation', class: k, fraction: p.cation[k].fraction, stderr: p.cation[k].stderr })),
        ...ANION_KEYS.map((k) => ({ side: 'anion', class: k, fraction: p.anion[k].fraction, stderr: p.anion[k].stderr })),
      ]
    : [];
  return toCsv(rows, ['side', 'class', 'fraction', 'stderr'], options);
}

/** Cluster sizes: size (ions), fraction of clusters, stderr, clusters per frame. */
export function clustersCsv(report: Pick<SolvscopeReport, 'clusters'>, options?: CsvOptions): string {
  return toCsv(report.clusters?.size ?? [], ['size', 'fraction', 'stderr', { header: 'per_frame', value: (s) => s.perFrame }], options);
}

/** Residence times: species, intermittent_ps, continuous_ps, converged, lower_bound, window_ps. */
export function residenceCsv(report: Pick<SolvscopeReport, 'residence'>, options?: CsvOptions): string {
  return toCsv(report.residence, [
    'species',
    'intermittent_ps',
    'continuous_ps',
    'converged',
    { header: 'lower_bound', value: (r) => r.lowerBound },
    { header: 'window_ps', value: (r) => r.window_ps },
  ], options);
}

/**
 * Every table of a report, keyed by the file name the CLI writes (`rdf.csv`,
 * `coordination.csv`, `coordination-distribution.csv`, `denticity.csv`, `speciation.csv`,
 * `pairing.csv`, `clusters.csv`, `residence.csv`).
 */
export function reportCsvFiles(report: SolvscopeReport, options?: CsvOptions): Record<string, string> {
  return {
    'rdf.csv': rdfCsv(report.rdf as readonly ReportRdf[], options),
    'coordination.csv': coordinationCsv(report, options),
    'coordination-distribution.csv': coordinationDistributionCsv(report, options),
    'denticity.csv': denticityCsv(report, options),
    'speciation.csv': speciationCsv(report, options),
    'pairing.csv': pairingCsv(report, options),
    'clusters.csv': clustersCsv(report, options),
    'residence.csv': residenceCsv(report, options),
  };
}
