import type { SolvscopeReport } from '../report-types.js';
import { toCsv, type CsvOptions } from './csv.js';

/** Labels of one batch entry (salt, concentration, replica …): become columns of the tidy table. */
export type EntryLabels = Record<string, string | number | boolean | null>;

/**
 * One number of one report: a row of the tidy ("long") table, one row per entry × quantity.
 *
 * quantity names (species is the partner species or '' ; key as listed):
 *  - `frames` — frames analysed
 *  - `rdf.cutoff`, `rdf.cutoff_raw` (Å), `rdf.peak_r` (Å), `rdf.peak_g`, `rdf.n_at_cutoff`
 *  - `coordination.atoms`, `coordination.molecules` — mean CN with stderr (key `mean`)
 *  - `coordination.atoms.distribution`, `coordination.molecules.distribution` — key k
 *  - `denticity` — key κ, fraction of bound events
 *  - `speciation` — key = label, fraction with stderr
 *  - `pairing.cation` (key SSIP, CIP, AGG), `pairing.anion` (key SSIP, CIP, AGG_I, AGG_II)
 *  - `clusters.size` — key = size; `clusters.mean_size`
 *  - `residence.intermittent`, `residence.continuous` (ps; key `tau_1e`), `residence.converged` (1/0)
 */
export interface TidyRow {
  quantity: string;
  species: string;
  key: string;
  value: number | null;
  stderr: number | null;
  unit: string;
}

/** Selects one quantity of the tidy table (for batch charts). */
export interface QuantityRef {
  quantity: string;
  species?: string;
  key?: string;
}

function row(quantity: string, species: string, key: string, value: number | null | undefined, stderr: number | null | undefined, unit: string): TidyRow {
  return { quantity, species, key, value: value ?? null, stderr: stderr ?? null, unit };
}

/**
 * Flatten a report into tidy rows (see {@link TidyRow} for the quantity names). Arrays
 * (g(r), n(r)) are left out; they live in rdf.csv.
 */
export function tidyRows(report: SolvscopeReport): TidyRow[] {
  const out: TidyRow[] = [row('frames', '', '', report.frames, null, 'frames')];
  for (const r of report.rdf) {
    out.push(row('rdf.cutoff', r.species, '', r.cutoff, null, 'Å'));
    if (r.cutoffRaw !== undefined) out.push(row('rdf.cutoff_raw', r.species, '', r.cutoffRaw, null, 'Å'));
    if (r.peak) {
      out.push(row('rdf.peak_r', r.species, '', r.peak.r, null, 'Å'));
      out.push(row('rdf.peak_g', r.species, '', r.peak.g, null, ''));
    }
    if (r.nAtCutoff !== undefined) out.push(row('rdf.n_at_cutoff', r.species, '', r.nAtCutoff, null, 'atoms'));
  }
  for (const c of report.coordination) {
    out.push(row('coordination.atoms', c.species, 'mean', c.atoms.mean, c.atoms.stderr, 'atoms'));
    out.push(row('coordination.molecules', c.species, 'mean', c.molecules.mean, c.molecules.stderr, 'molecules'));
    for (const [k, f] of Object.entries(c.atoms.distribution)) out.push(row('coordination.atoms.distribution', c.species, k, f, null, 'fraction'));
    for (const [k, f] of Object.entries(c.molecules.distribution)) out.push(row('coordination.molecules.distribution', c.species, k, f, null, 'fraction'));
    for (const [k, f] of Object.entries(c.denticity)) out.push(row('denticity', c.species, k, f, null, 'fraction'));
  }
  for (const s of report.speciation) out.push(row('speciation', '', s.label, s.fraction, s.stderr, 'fraction'));
  if (report.pairing) {
    for (const k of ['SSIP', 'CIP', 'AGG'] as const) out.push(row('pairing.cation', '', k, report.pairing.cation[k].fraction, report.pairing.cation[k].stderr, 'fraction'));
    for (const k of ['SSIP', 'CIP', 'AGG_I', 'AGG_II'] as const) out.push(row('pairing.anion', '', k, report.pairing.anion[k].fraction, report.pairing.anion[k].stderr, 'fraction'));
  }
  if (report.clusters) {
    for (const s of report.clusters.size) out.push(row('clusters.size', '', String(s.size), s.fraction, s.stderr, 'fraction'));
    if (report.clusters.meanSize !== undefined) out.push(row('clusters.mean_size', '', '', report.clusters.meanSize, null, 'ions'));
  }
  for (const r of report.residence) {
    out.push(row('residence.intermittent', r.species, 'tau_1e', r.intermittent_ps, null, 'ps'));
    out.push(row('residence.continuous', r.species, 'tau_1e', r.continuous_ps, null, 'ps'));
    out.push(row('residence.converged', r.species, '', r.converged ? 1 : 0, null, 'bool'));
  }
  return out;
}

/** A tidy row with the entry's name and labels. */
export type LabelledTidyRow = TidyRow & { entry: string } & EntryLabels;

/** Tidy rows of one batch entry with its labels prepended as columns. */
export function labelledTidyRows(entry: string, labels: EntryLabels, report: SolvscopeReport): LabelledTidyRow[] {
  return tidyRows(report).map((r) => ({ ...labels, entry, ...r }) as LabelledTidyRow);
}

/**
 * The combined tidy CSV of a batch: columns `entry`, then every label (in order of first
 * appearance), then `quantity,species,key,value,stderr,unit`.
 */
export function tidyCsv(rows: readonly LabelledTidyRow[], options?: CsvOptions): string {
  const fixed = new Set(['entry', 'quantity', 'species', 'key', 'value', 'stderr', 'unit']);
  const labels: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!fixed.has(k) && !labels.includes(k)) labels.push(k);
  return toCsv(rows, ['entry', ...labels, 'quantity', 'species', 'key', 'value', 'stderr', 'unit'] as (keyof LabelledTidyRow & string)[], options);
}

/** Whether a tidy row is the quantity `q` refers to. */
export function matchesQuantity(r: TidyRow, q: QuantityRef): boolean {
  return r.quantity === q.quantity && (q.species === undefined || r.species === q.species) && (q.key === undefined || r.key === q.key);
}

const QUANTITY_LABELS: Record<string, string> = {
  frames: 'frames analysed',
  'rdf.cutoff': 'shell cutoff (Å)',
  'rdf.cutoff_raw': 'raw g(r) minimum (Å)',
  'rdf.peak_r': 'first peak position (Å)',
  'rdf.peak_g': 'first peak height g',
  'rdf.n_at_cutoff': 'n(cutoff) (donor atoms)',
  'coordination.atoms': 'coordination number (donor atoms)',
  'coordination.molecules': 'coordination number (molecules)',
  'coordination.atoms.distribution': 'fraction of ion-frames',
  'coordination.molecules.distribution': 'fraction of ion-frames',
  denticity: 'fraction of bound molecules',
  speciation: 'fraction of ion-frames',
  'pairing.cation': 'fraction of cation-frames',
  'pairing.anion': 'fraction of anion-frames',
  'clusters.size': 'fraction of clusters',
  'clusters.mean_size': 'mean cluster size (ions)',
  'residence.intermittent': 'intermittent residence time (ps)',
  'residence.continuous': 'continuous residence time (ps)',
  'residence.converged': 'converged (1 = yes)',
};

/** Axis label with unit for a quantity (e.g. `fraction of cation-frames`). */
export function quantityAxisLabel(q: QuantityRef): string {
  return QUANTITY_LABELS[q.quantity] ?? q.quantity;
}

/** Short title for a quantity, e.g. `CIP (pairing.cation)` or `DME coordination number (molecules)`. */
export function quantityTitle(q: QuantityRef): string {
  const base = QUANTITY_LABELS[q.quantity] ?? q.quantity;
  const what = q.quantity.startsWith('pairing.')
    ? `${q.key ?? ''} fraction, ${q.quantity.slice(8)} side`
    : q.quantity === 'speciation' && q.key
      ? `${q.key} fraction`
      : q.key && q.key !== 'mean' && q.key !== 'tau_1e'
        ? `${q.quantity} ${q.key}`
        : base;
  return [q.species, what].filter(Boolean).join(' ');
}

/** CSV of tidy rows without labels (one report). */
export function tidyReportCsv(report: SolvscopeReport, options?: CsvOptions): string {
  return toCsv(tidyRows(report), ['quantity', 'species', 'key', 'value', 'stderr', 'unit'], options);
}
