import { isHeteroatom } from '../../elements.js';
import { OptionError } from '../../errors.js';
import { selectNonEmpty } from '../../selection/index.js';
import { findSpecies, type Species, type Topology } from '../../topology.js';
import type { FirstShell } from '../rdf/first-shell.js';
import type { RdfResult, RdfSpec } from '../rdf/rdf.js';
import type { AnalysisRequest } from '../run.js';
import type { SolvationSpec } from '../solvation/spec.js';

/**
 * The `analyze` job: given only the ion selection, find the shell-partner species, the g(r)
 * from the ion to the donor atoms of each, the first-shell cutoffs, and run the solvation
 * analysis — the same plan in the CLI, the Node API and the viewer.
 *
 * Cutoffs: a number (Å) is used as given; 'auto' comes from the first minimum of g(ion–donors)
 * ({@link resolveCutoffs}). Auto cutoffs need g(r) before shells can be assigned, so the runner
 * first computes those g(r) over an evenly spaced sample of the frames
 * ({@link autoCutoffSampleStep}: about a tenth of them, at least 25 and at most 200), then
 * reads the whole trajectory once for everything. With explicit cutoffs there is one pass.
 */
export const AUTO_CUTOFF_SAMPLE_FRAMES = 200;
/** Fewest frames the auto-cutoff sample uses (all of them for shorter runs). */
export const AUTO_CUTOFF_MIN_SAMPLE_FRAMES = 25;

/**
 * Frame step of the auto-cutoff sample for a run visiting `frames` frames: the sample has
 * about min(200, max(25, frames/10)) frames, so it costs at most ~10 % of the full pass on
 * long runs and is never too small to find a minimum.
 */
export function autoCutoffSampleStep(frames: number): number {
  const target = Math.min(AUTO_CUTOFF_SAMPLE_FRAMES, Math.max(AUTO_CUTOFF_MIN_SAMPLE_FRAMES, Math.ceil(frames / 10)));
  return Math.max(1, Math.floor(frames / target));
}

/** Per-species settings from the config file (JSON/YAML) — names, donors, cutoffs, charges. */
export interface SpeciesConfig {
  /** Display name, e.g. 'DME' for C4H10O2. */
  name?: string;
  /** 'heteroatoms' (default), 'all', or a selection within the species (e.g. 'name O1 O2 O3 O4'). */
  donors?: string;
  /** Å, or 'auto'. */
  cutoff?: number | 'auto';
  /** Net charge of one molecule (e). */
  charge?: number;
  /** false: never a shell partner. */
  partner?: boolean;
}

export interface AnalyzeConfig {
  /** Keys: species name, formula or residue name. */
  species?: Record<string, SpeciesConfig>;
  /** Species keys that are anions for ion pairing (default: partners with negative charge). */
  anions?: string[];
}

export interface AnalyzeOptions {
  /** Selection of the ions whose shells are analysed, e.g. 'name MG' (one ion = one atom). */
  ion: string;
  /** Selection of anion atoms; their species are the anions (overrides config.anions). */
  anion?: string;
  /** Default cutoff for partners without one in the config: Å or 'auto' (default 'auto'). */
  cutoff?: number | 'auto';
  config?: AnalyzeConfig;
  /** g(r) range and bin width, Å (defaults 12 — or less if the box is smaller — and 0.02). */
  rMax?: number;
  binWidth?: number;
  residence?: SolvationSpec['residence'];
  timestepPs?: number;
}

export interface PartnerPlan {
  species: Species;
  /** Key used in the solvation spec (the species name). */
  key: string;
  donors: string;
  /** The selection of donor atoms, used for g(r). */
  donorSelection: string;
  donorCount: number;
  cutoff: number | 'auto';
  anion: boolean;
}

export interface AnalyzePlan {
  ion: string;
  ionCount: number;
  ionSpecies: Species[];
  partners: PartnerPlan[];
  rMax: number;
  binWidth: number;
  needsAutoCutoff: boolean;
  options: AnalyzeOptions;
}

/** The topology-changing parts of a config (rename, charges), for buildTopology. */
export function topologyOptionsFromConfig(config: AnalyzeConfig | undefined): { rename?: Record<string, string>; charges?: Record<string, number> } {
  const rename: Record<string, string> = {};
  const charges: Record<string, number> = {};
  for (const [key, c] of Object.entries(config?.species ?? {})) {
    if (c.name) rename[key] = c.name;
    if (c.charge !== undefined) charges[c.name ?? key] = c.charge;
  }
  return { rename: Object.keys(rename).length ? rename : undefined, charges: Object.keys(charges).length ? charges : undefined };
}

function checkCutoff(v: unknown, where: string): number | 'auto' {
  if (v === 'auto') return v;
  if (typeof v === 'number' && Number.isFinite(v) && v > 0) return v;
  throw new OptionError('OPTION', `${where} must be 'auto' or a positive number of Å (got ${JSON.stringify(v)})`, { option: where });
}

/**
 * Plan an analyze run on a topology (already renamed/charged from the config).
 * @throws SelectionError for an empty --ion/--anion; OptionError for unknown species in the
 * config, bad cutoffs, or when no partner species is left.
 */
export function planAnalyze(topo: Topology, options: AnalyzeOptions, maxRMax = Infinity): AnalyzePlan {
  const ionAtoms = selectNonEmpty(topo, options.ion, '--ion');
  const ionSpeciesIdx = new Set<number>();
  for (const a of ionAtoms) ionSpeciesIdx.add(topo.moleculeSpecies[topo.molecules[a]]);
  const ionSpecies = [...ionSpeciesIdx].map((i) => topo.species[i]);
  const config = options.config ?? {};
  const bySpecies = new Map<number, SpeciesConfig>();
  for (const [key, c] of Object.entries(config.species ?? {})) {
    const s = findSpecies(topo, c.name ?? key) ?? findSpecies(topo, key);
    if (!s) {
      throw new OptionError('OPTION', `config: unknown species '${key}' (species: ${topo.species.map((x) => `${x.name} (${x.formula})`).join(', ')})`, { option: '--config' });
    }
    bySpecies.set(s.index, c);
  }
  const anionSet = new Set<number>();
  if (options.anion) {
    for (const a of selectNonEmpty(topo, options.anion, '--anion')) anionSet.add(topo.moleculeSpecies[topo.molecules[a]]);
  } else if (config.anions) {
    for (const k of config.anions) {
      const s = findSpecies(topo, k);
      if (!s) throw new OptionError('OPTION', `config: unknown anion species '${k}'`, { option: '--config' });
      anionSet.add(s.index);
    }
  }
  const defaultCutoff = checkCutoff(options.cutoff ?? 'auto', '--cutoff');
  const partners: PartnerPlan[] = [];
  for (const s of topo.species) {
    if (ionSpeciesIdx.has(s.index)) continue;
    const c = bySpecies.get(s.index) ?? {};
    if (c.partner === false) continue;
    const donors = c.donors ?? 'heteroatoms';
    let donorSelection: string;
    if (donors === 'all') donorSelection = `species ${s.name}`;
    else if (donors === 'heteroatoms') donorSelection = `species ${s.name} and not element C H`;
    else donorSelection = `species ${s.name} and (${donors})`;
    let donorCount = 0;
    if (donors === 'heteroatoms') {
      const a0 = topo.moleculeStart[s.molecules[0]];
      const a1 = topo.moleculeStart[s.molecules[0] + 1];
      for (let k = a0; k < a1; k++) if (isHeteroatom(topo.elements[topo.moleculeAtoms[k]])) donorCount++;
      donorCount *= s.count;
      if (donorCount === 0) continue; // hydrocarbons etc. cannot bind
    } else {
      donorCount = selectNonEmpty(topo, donorSelection, `config species ${s.name} donors`).length;
    }
    const anion = options.anion || config.anions ? anionSet.has(s.index) : s.charge < 0;
    partners.push({
      species: s,
      key: s.name,
      donors,
      donorSelection,
      donorCount,
      cutoff: c.cutoff !== undefined ? checkCutoff(c.cutoff, `config species ${s.name} cutoff`) : defaultCutoff,
      anion,
    });
  }
  if (partners.length === 0) {
    throw new OptionError('OPTION', `no partner species with donor atoms besides the ions (species: ${topo.species.map((s) => s.name).join(', ')})`, { option: '--ion' });
  }
  const rMax = options.rMax ?? Math.min(12, Math.floor(maxRMax * 10) / 10);
  const binWidth = options.binWidth ?? 0.02;
  const nb = Math.round(rMax / binWidth);
  const rMaxAligned = nb * binWidth;
  return {
    ion: options.ion,
    ionCount: ionAtoms.length,
    ionSpecies,
    partners,
    rMax: Number(rMaxAligned.toFixed(10)),
    binWidth,
    needsAutoCutoff: partners.some((p) => p.cutoff === 'auto'),
    options,
  };
}

/** g(r) requests, one per partner: ion → donor atoms. Keys 'rdf:NAME'. */
export function rdfRequests(plan: AnalyzePlan): AnalysisRequest[] {
  return plan.partners.map((p) => ({
    id: 'rdf',
    key: `rdf:${p.key}`,
    spec: { ref: plan.ion, sel: p.donorSelection, rMax: plan.rMax, binWidth: plan.binWidth, norm: 'rdf' } satisfies RdfSpec,
  }));
}

export interface ResolvedCutoff {
  key: string;
  /** Å */
  cutoff: number;
  source: 'given' | 'auto';
  /** For auto: the first-shell analysis it came from. */
  firstShell: FirstShell | null;
  /** Auto cutoff taken from the innermost shell because this partner's first peak is outside it. */
  outerSphere?: boolean;
}

/**
 * The shell edge a g(r) suggests: the upper edge of the first-minimum bin of the smoothed
 * curve; when g stays flat after that minimum (a gap with g ≈ 0 between first and second
 * shell, as for Mg²⁺–O), the middle of that flat stretch, so that sampling noise at the gap's
 * ends cannot move atoms in or out of the shell.
 */
export function shellEdge(fs: FirstShell, binWidth: number): number {
  const plateauEnd = fs.plateauEndR + binWidth / 2;
  if (fs.plateauEndIndex > fs.minIndex + 1) return Number((0.5 * (fs.minEdgeR + plateauEnd)).toFixed(6));
  return fs.minEdgeR;
}

/**
 * Fix every cutoff: given ones as they are, 'auto' ones from the g(r) in `rdfs` (same order
 * as {@link rdfRequests}):
 *  1. each partner's own shell edge ({@link shellEdge});
 *  2. the ion's first shell ends at the smallest of those edges, r₁. A partner whose first
 *     g(r) peak lies beyond r₁ never touches the ion: its first peak is a solvent-separated
 *     (outer-sphere) peak — Cl⁻ around [Mg(H2O)6]²⁺ — so its cutoff is r₁, not its own minimum.
 *     Otherwise solvent-separated pairs would be counted as contact pairs.
 * @throws OptionError naming the species when g(r) has no first minimum (e.g. the species
 * never comes close) — give its cutoff in the config.
 */
export function resolveCutoffs(plan: AnalyzePlan, rdfs: readonly (RdfResult | null)[]): ResolvedCutoff[] {
  const edges = plan.partners.map((p, k) => {
    const fs = rdfs[k]?.firstShell ?? null;
    return fs && Number.isFinite(fs.minEdgeR) && fs.minEdgeR > 0 && fs.peakG > 0 ? shellEdge(fs, plan.binWidth) : NaN;
  });
  const finite = edges.filter((e) => Number.isFinite(e));
  const innermost = finite.length ? Math.min(...finite) : NaN;
  return plan.partners.map((p, k) => {
    const fs = rdfs[k]?.firstShell ?? null;
    if (p.cutoff !== 'auto') return { key: p.key, cutoff: p.cutoff, source: 'given', firstShell: fs };
    if (!fs || !Number.isFinite(edges[k])) {
      throw new OptionError(
        'OPTION',
        `cannot find a first-shell minimum in g(r) between '${plan.ion}' and ${p.species.name} donors (${p.donorSelection}); set its cutoff in the config, e.g. species: { ${p.species.name}: { cutoff: 3.0 } }`,
        { option: '--cutoff' },
      );
    }
    if (fs.rawPeakR > innermost) return { key: p.key, cutoff: innermost, source: 'auto', firstShell: fs, outerSphere: true };
    return { key: p.key, cutoff: edges[k], source: 'auto', firstShell: fs };
  });
}

/** The solvation request with fixed cutoffs. Key 'solvation'. */
export function solvationRequest(plan: AnalyzePlan, cutoffs: readonly ResolvedCutoff[]): AnalysisRequest {
  const species: SolvationSpec['species'] = {};
  plan.partners.forEach((p, k) => {
    species[p.key] = { donors: p.donors, cutoff: cutoffs[k].cutoff };
  });
  const spec: SolvationSpec = {
    ions: plan.ion,
    species,
    anions: plan.partners.filter((p) => p.anion).map((p) => p.key),
    residence: plan.options.residence,
    timestepPs: plan.options.timestepPs,
  };
  return { id: 'solvation', key: 'solvation', spec };
}
