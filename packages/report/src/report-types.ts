/**
 * The `report.json` schema: what `solvscope analyze` writes and `renderReportHtml` reads.
 * Field by field documentation with units is in this package's README.md ("report.json").
 *
 * Conventions:
 *  - lengths in Å, times in ps, charges in e, fractions in [0, 1]; a unit suffix is in the
 *    field name where the contract of issue 3 does not fix the name (`window_ps`, `size_bytes`);
 *  - a standard error that cannot be estimated (fewer than 2 non-empty blocks) is `null`
 *    (JSON has no NaN), as is any other number that is not defined;
 *  - distributions are objects keyed by the integer as a string (`{"4": 0.667}`), listing
 *    only non-zero entries;
 *  - arrays of numbers are plain JSON arrays.
 *
 * The names required by the interface contract of issue 3 are marked "(contract)"; scripts
 * may rely on them. Everything else may grow.
 */

/** Schema identifier written to `report.json` as `schema`. */
export const REPORT_SCHEMA = 'solvscope-report/1';

/** A fraction in [0, 1] with its block standard error. */
export interface ReportFraction {
  fraction: number;
  /** null when fewer than 2 blocks. */
  stderr: number | null;
}

/** A per-ion-frame count: mean, block standard error and distribution. */
export interface ReportCount {
  mean: number;
  stderr: number | null;
  /** Fraction of ion-frames with count k, keyed by k (non-zero entries only). */
  distribution: Record<string, number>;
}

/** One species of the topology that takes part in the analysis. (contract) */
export interface ReportSpecies {
  /** Display name (`DME`, `TFSI`, `H2O`). (contract) */
  name: string;
  /** Hill formula of one molecule (`C4H10O2`). (contract) */
  formula: string;
  /** Net charge of one molecule, e; null when unknown. (contract) */
  charge: number | null;
  /** Number of molecules in the system. (contract) */
  count: number;
  /** Atoms per molecule. */
  atoms?: number;
  /** Residue names in the topology. */
  residues?: string[];
  /** 'ion' (the analysed ions), 'anion' (counted for pairing), 'solvent' or 'other'. */
  role?: 'ion' | 'anion' | 'solvent' | 'other';
  /** Donor atoms used for the shell: 'heteroatoms', 'all' or a selection. */
  donors?: string;
  /** Where the charge came from. */
  chargeSource?: 'topology' | 'table' | 'config' | 'unknown';
}

/** g(r) between the ions and the donor atoms of one species. (contract) */
export interface ReportRdf {
  /** Species name of the donor atoms. (contract) */
  species: string;
  /** Reference selection (the ions) and the donor selection. */
  ref?: string;
  sel?: string;
  /** Bin centres, Å. (contract) */
  r: number[];
  /** g(r) (normalisation in `norm`, default 'rdf'). (contract) */
  g: number[];
  /** Running coordination number at the upper bin edges r + Δr/2. (contract) */
  n: number[];
  /** Shell cutoff used for this species, Å. (contract) */
  cutoff: number;
  /** Minimum of the raw histogram near the smoothed minimum, Å (null when not found). */
  cutoffRaw?: number | null;
  /** 'auto' (first minimum of the smoothed g(r)) or 'user' (given in Å). */
  cutoffSource?: 'auto' | 'user';
  /** First peak: position (Å) and height of the raw g(r). */
  peak?: { r: number; g: number } | null;
  /** n at the cutoff (mean donor atoms within it). */
  nAtCutoff?: number | null;
  /** 'rdf' | 'density' | 'none'. */
  norm?: 'rdf' | 'density' | 'none';
  /** Bin width, Å. */
  binWidth?: number;
  /** Number of reference and selected atoms and counted pairs. */
  nRef?: number;
  nSel?: number;
  nPairs?: number;
}

/** Coordination of the ions by one species. (contract) */
export interface ReportCoordination {
  /** (contract) */
  species: string;
  /** Shell cutoff, Å. (contract) */
  cutoff: number;
  /** Donor atoms within the cutoff per ion-frame. (contract) */
  atoms: ReportCount;
  /** Molecules in the first shell per ion-frame. (contract) */
  molecules: ReportCount;
  /** Fraction of bound-molecule events with κ donor atoms on the same ion, keyed by κ. (contract) */
  denticity: Record<string, number>;
  /** Donor selection used. */
  donors?: string;
  /** Bound-molecule events (Σ molecule CN over ion-frames). */
  boundEvents?: number;
  /** Fraction of donor contacts made by each atom name. */
  donorAtoms?: Record<string, number>;
}

/** One shell composition. (contract) */
export interface ReportSpeciation {
  /** `[Mg(TFSI)(DME)2]+`. (contract) */
  label: string;
  /** Ligand counts by species name. (contract) */
  composition: Record<string, number>;
  /** Net charge of the complex, e. (contract) */
  charge: number | null;
  /** Fraction of ion-frames with this shell. (contract) */
  fraction: number;
  /** (contract) */
  stderr: number | null;
  /** Ion-frames with this shell. */
  ionFrames?: number;
}

/** Ion pairing from both sides (Seo & Henderson). (contract) */
export interface ReportPairing {
  /** Per cation-frame. (contract) */
  cation: { SSIP: ReportFraction; CIP: ReportFraction; AGG: ReportFraction };
  /** Per anion-frame. (contract) */
  anion: { SSIP: ReportFraction; CIP: ReportFraction; AGG_I: ReportFraction; AGG_II: ReportFraction };
  /** Species counted as anions. */
  anions?: string[];
  cationFrames?: number;
  anionFrames?: number;
  /** Mean number of anion molecules in a cation's shell. */
  anionsPerCation?: number;
}

/** Cation–anion clusters (connected components). (contract: the size distribution) */
export interface ReportClusters {
  /** Mean clusters per frame (isolated ions count as size 1). */
  perFrame?: number;
  /** Mean ions per cluster. */
  meanSize?: number;
  /** Largest cluster seen, ions. */
  largest?: number;
  /** By total size (ions): fraction of clusters with block standard error. (contract) */
  size: { size: number; fraction: number; stderr: number | null; perFrame?: number }[];
  /** By (cations, anions). */
  composition?: {
    cations: number;
    anions: number;
    size?: number;
    charge?: number | null;
    perFrame?: number;
    fraction: number;
    cationFraction?: number;
    anionFraction?: number | null;
  }[];
}

/** Residence of one species in the ions' first shells. (contract) */
export interface ReportResidence {
  /** (contract) */
  species: string;
  /** τ₁/ₑ of the intermittent correlation C_I, ps; a lower bound when not converged. (contract) */
  intermittent_ps: number | null;
  /** τ₁/ₑ of the continuous correlation C_C, ps. (contract) */
  continuous_ps: number | null;
  /** Both correlations fell below 1/e within the window. (contract) */
  converged: boolean;
  /** A value is the window length because C did not decay ("longer than the trajectory"). */
  lowerBound?: boolean;
  /** Longest lag computed, ps. */
  window_ps?: number | null;
  /** Short absences forgiven by the continuous definition, ps. */
  tolerance_ps?: number;
  /** Distinct ion–molecule pairs ever bound, and binding events. */
  pairs?: number;
  events?: number;
}

/** An input file, identified by content. */
export interface ReportInputFile {
  /** 'topology', 'trajectory', 'config' … */
  role: string;
  /** Path as given on the command line (or file name in the browser). */
  path: string;
  size_bytes?: number;
  /** Lower-case hex SHA-256 of the file content. */
  sha256?: string;
  /** Format name (XTC, GRO …). */
  format?: string;
}

/**
 * What produced the report and from what: enough to reproduce it. Renderers show every field
 * (unknown ones generically), so producers may add more.
 */
export interface ReportProvenance {
  /** solvscope version. */
  solvscope: string;
  /** ISO 8601 time of the run (left out for reproducible output). */
  created?: string;
  /** The command line or API call. */
  command?: string;
  inputs?: ReportInputFile[];
  /** Frames analysed: first and last file frame (inclusive), stride, count, and their times. */
  frames?: { first: number; last: number; stride: number; count: number; first_ps?: number | null; last_ps?: number | null; dt_ps?: number | null };
  /** Named selections: `ions`, `anions`, per-species donors … */
  selections?: Record<string, string>;
  /** Shell cutoff per species, Å, and how each was obtained. */
  cutoffs_A?: Record<string, number>;
  cutoffSources?: Record<string, 'auto' | 'user'>;
  /** g(r) normalisation and histogram: norm, r range (Å), bin width (Å), exclusion. */
  rdf?: { norm?: string; rMin_A?: number; rMax_A?: number; binWidth_A?: number; exclude?: string };
  /** Frames per block for the standard errors. */
  blockFrames?: number;
  /** Residence options. */
  residence?: { tolerance_ps?: number; maxLag_frames?: number };
  /** Workers, chunk size, executor … */
  execution?: Record<string, unknown>;
  [key: string]: unknown;
}

/** report.json. (contract: frames, ions, species, rdf, coordination, speciation, pairing, clusters, residence) */
export interface SolvscopeReport {
  /** {@link REPORT_SCHEMA}. */
  schema?: string;
  /** Title shown in report.html (default: derived from the ions and inputs). */
  title?: string;
  /** Number of frames analysed. (contract) */
  frames: number;
  /** Time covered: first and last frame time and spacing, ps. */
  time?: { first_ps: number | null; last_ps: number | null; dt_ps: number | null };
  /** The analysed ions. (contract) */
  ions: { selection: string; count: number; name?: string; charge?: number | null };
  /** (contract) */
  species: ReportSpecies[];
  /** (contract) */
  rdf: ReportRdf[];
  /** (contract) */
  coordination: ReportCoordination[];
  /** Sorted by fraction, largest first; includes the empty shell if it occurs. (contract) */
  speciation: ReportSpeciation[];
  /** null when no species counts as an anion. (contract) */
  pairing: ReportPairing | null;
  /** (contract) */
  clusters: ReportClusters | null;
  /** (contract) */
  residence: ReportResidence[];
  /** Non-empty blocks behind the standard errors. */
  blocks: number;
  provenance: ReportProvenance;
  /** Recoverable oddities met during the run. */
  warnings: string[];
}
