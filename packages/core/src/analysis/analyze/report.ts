import type { Topology } from '../../topology.js';
import type { RdfResult } from '../rdf/rdf.js';
import type { SolvationResult } from '../solvation/solvation.js';
import type { AnalyzePlan, ResolvedCutoff } from './plan.js';

/**
 * report.json: everything one `analyze` run found, with units in field names or stated here.
 * The schema is documented field by field in packages/report/README.md.
 */
export interface AnalyzeReport {
  schema: 'solvscope-report/1';
  /** Frames analysed. */
  frames: number;
  /** Blocks (chunks) behind every standard error. */
  blocks: number;
  ions: { selection: string; count: number; species: string[] };
  species: { name: string; formula: string; charge: number; chargeSource: string; count: number; role: 'ion' | 'anion' | 'partner' | 'other' }[];
  rdf: ReportRdf[];
  coordination: SolvationResult['coordination'];
  speciation: SolvationResult['speciation'];
  pairing: SolvationResult['pairing'];
  clusters: SolvationResult['clusters'];
  residence: SolvationResult['residence'];
  perIonTimeline?: SolvationResult['perIonTimeline'];
  settings: {
    ion: string;
    anion: string | null;
    /** Å */
    rMax_A: number;
    /** Å */
    binWidth_A: number;
    norm: 'rdf';
    cutoffs: { species: string; cutoff_A: number; source: 'given' | 'auto'; donors: string }[];
    /** Frames sampled by the preliminary pass for auto cutoffs (0 when all were given). */
    autoCutoffSampleFrames: number;
  };
  provenance: Record<string, unknown>;
  warnings: string[];
}

export interface ReportRdf {
  /** Partner species name. */
  species: string;
  /** 'MG–DME(O)'-style label. */
  pair: string;
  ref: string;
  sel: string;
  /** Bin centres, Å. */
  r: number[];
  g: number[];
  /** Running coordination number at the bin upper edges. */
  n: number[];
  gStderr: number[];
  /** The cutoff the shells used, Å. */
  cutoff: number;
  cutoffSource: 'given' | 'auto';
  /** First peak (raw histogram maximum) and first minimum of this full-trajectory g(r), Å. */
  peak: { r: number; g: number } | null;
  firstMinimum: { r: number; rRaw: number; edge: number; n: number } | null;
  /** Mean box volume, Å³, and the selection's number density, Å⁻³. */
  meanVolume_A3: number;
  density_A3: number;
  frames: number;
}

const arr = (a: ArrayLike<number>) => Array.from(a);

/** Assemble report.json from the plan, the final g(r)s (same order as the partners) and the solvation result. */
export function assembleReport(
  topo: Topology,
  plan: AnalyzePlan,
  cutoffs: readonly ResolvedCutoff[],
  rdfs: readonly RdfResult[],
  solvation: SolvationResult,
  extra: { sampleFrames: number; provenance?: Record<string, unknown>; warnings?: string[] },
): AnalyzeReport {
  const ionIdx = new Set(plan.ionSpecies.map((s) => s.index));
  const partnerIdx = new Map(plan.partners.map((p) => [p.species.index, p]));
  const ionName = plan.ionSpecies.map((s) => s.name).join('+');
  return {
    schema: 'solvscope-report/1',
    frames: solvation.frames,
    blocks: solvation.blocks,
    ions: { selection: plan.ion, count: plan.ionCount, species: plan.ionSpecies.map((s) => s.name) },
    species: topo.species.map((s) => ({
      name: s.name,
      formula: s.formula,
      charge: s.charge,
      chargeSource: s.chargeSource,
      count: s.count,
      role: ionIdx.has(s.index) ? 'ion' : partnerIdx.get(s.index)?.anion ? 'anion' : partnerIdx.has(s.index) ? 'partner' : 'other',
    })),
    rdf: plan.partners.map((p, k) => {
      const r = rdfs[k];
      const fs = r.firstShell;
      return {
        species: p.species.name,
        pair: `${ionName}–${p.species.name}${p.donors === 'all' ? '' : `(${p.donors === 'heteroatoms' ? 'donors' : p.donors})`}`,
        ref: plan.ion,
        sel: p.donorSelection,
        r: arr(r.r),
        g: arr(r.g),
        n: arr(r.n),
        gStderr: arr(r.gStderr),
        cutoff: cutoffs[k].cutoff,
        cutoffSource: cutoffs[k].source,
        peak: fs ? { r: fs.rawPeakR, g: fs.rawPeakG } : null,
        firstMinimum: fs ? { r: fs.minR, rRaw: fs.rawMinR, edge: fs.minEdgeR, n: fs.nAtMin } : null,
        meanVolume_A3: r.meanVolume,
        density_A3: r.density,
        frames: r.frames,
      };
    }),
    coordination: solvation.coordination,
    speciation: solvation.speciation,
    pairing: solvation.pairing,
    clusters: solvation.clusters,
    residence: solvation.residence,
    perIonTimeline: solvation.perIonTimeline,
    settings: {
      ion: plan.ion,
      anion: plan.options.anion ?? null,
      rMax_A: plan.rMax,
      binWidth_A: plan.binWidth,
      norm: 'rdf',
      cutoffs: plan.partners.map((p, k) => ({ species: p.species.name, cutoff_A: cutoffs[k].cutoff, source: cutoffs[k].source, donors: p.donors })),
      autoCutoffSampleFrames: extra.sampleFrames,
    },
    provenance: extra.provenance ?? {},
    warnings: [...solvation.warnings, ...(extra.warnings ?? [])],
  };
}
