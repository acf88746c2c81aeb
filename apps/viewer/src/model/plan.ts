import {
  autoCutoffSampleStep,
  boxInscribedRadius,
  labelName,
  planAnalyze,
  rdfRequests as coreRdfRequests,
  resolveCutoffs,
  selectAtoms,
  solvationRequest as coreSolvationRequest,
  type AnalysisRequest,
  type AnalyzePlan,
  type Box,
  type RdfResult,
  type Species,
  type Topology,
} from '@solvscope/core';
import type { RdfCurve } from './results';

/** A shell partner species: its donor atoms and the cutoff that defines "in the first shell". */
export interface PartnerPlan {
  /** Species name (the key in the solvation spec). */
  key: string;
  species: Species;
  /** Name inside labels: H2O for water, the element for monatomic species, else the species name. */
  labelName: string;
  /** Donor atoms (heteroatoms of the species), sorted. */
  donorAtoms: Int32Array;
  /** Selection of the donors, for the g(r) request. */
  donorSelection: string;
  anion: boolean;
  /** Label order: 0 anion, 1 neutral, 2 cation. */
  group: number;
}

/** What the viewer analyses for one ion species. */
export interface ViewerPlan {
  ion: Species;
  ionLabelName: string;
  ionSelection: string;
  /** Ion atom indices, sorted (one atom per ion). */
  ionAtoms: Int32Array;
  partners: PartnerPlan[];
  /** g(r) range: [0, rMax) Å in `bins` bins of 0.02 Å. */
  rMax: number;
  bins: number;
  /** The shared analyze plan of @solvscope/core: the CLI and the viewer plan identically. */
  core: AnalyzePlan;
}

/** Cutoff used when a g(r) shows no first minimum (Å). */
export const FALLBACK_CUTOFF = 3.0;
/** Monatomic cation species (Mg²⁺, Ca²⁺, Li⁺ …), most charged first: the ions whose shells are shown. */
export function candidateIons(topo: Topology): Species[] {
  return topo.species.filter((s) => s.atomsPerMolecule === 1 && s.charge > 0).sort((a, b) => b.charge - a.charge || a.count - b.count);
}

/**
 * Plan the analyses for an ion species with core's `planAnalyze` — the same partners, donors,
 * g(r) range (12 Å or less within the minimum-image limit of the first box) and anion choice
 * as `solvscope analyze --ion "species NAME"` — plus what the 3D view needs (donor atoms,
 * label names, label order).
 * @throws Error when the topology has no cation species (the message says what it found).
 */
export function buildViewerPlan(topo: Topology, box: Box | null, ionSpecies?: number): ViewerPlan {
  const ions = candidateIons(topo);
  const ion = ionSpecies !== undefined ? topo.species[ionSpecies] : ions[0];
  if (!ion) {
    const list = topo.species.map((s) => `${s.name} (${s.formula}, charge ${s.charge})`).join(', ');
    throw new Error(`no monatomic cation species found to centre shells on; species: ${list || 'none'}`);
  }
  const ionSelection = `species ${ion.name}`;
  const core = planAnalyze(topo, { ion: ionSelection }, box ? 0.97 * boxInscribedRadius(box) : Infinity);
  const ionAtoms = selectAtoms(topo, ionSelection);
  const partners: PartnerPlan[] = core.partners.map((p) => ({
    key: p.key,
    species: p.species,
    labelName: labelName(topo, p.species),
    donorAtoms: selectAtoms(topo, p.donorSelection),
    donorSelection: p.donorSelection,
    anion: p.anion,
    group: p.species.charge <= -0.5 ? 0 : p.species.charge >= 0.5 ? 2 : 1,
  }));
  return { ion, ionLabelName: labelName(topo, ion), ionSelection, ionAtoms, partners, rMax: core.rMax, bins: Math.round(core.rMax / core.binWidth), core };
}

/** One g(r) request per partner: ion vs the partner's donors. Keys `rdf:NAME`. */
export function rdfRequests(plan: ViewerPlan): AnalysisRequest[] {
  return coreRdfRequests(plan.core);
}

/**
 * Frame step of the preliminary g(r) pass that fixes automatic cutoffs: core's
 * autoCutoffSampleStep, exactly as `solvscope analyze` samples them,
 * so both give the same cutoffs and hence the same shells.
 */
export function cutoffSampleStep(frameCount: number): number {
  return autoCutoffSampleStep(frameCount);
}

/**
 * Cutoffs (Å) for all partners, one per g(r) in plan order, by core's `resolveCutoffs`: the
 * middle of a flat first-minimum gap (else the first-minimum bin's upper edge), and the
 * innermost shell's cutoff for a partner whose first peak lies outside it (outer-sphere
 * anions such as Cl⁻ around [Mg(H2O)6]²⁺). A partner whose g(r) has no minimum gets
 * {@link FALLBACK_CUTOFF}.
 */
export function chooseCutoffs(plan: ViewerPlan, rdfs: readonly (RdfCurve | undefined)[]): number[] {
  const usable = plan.core.partners.map((_, k) => !!rdfs[k]?.firstShell);
  const sub = { ...plan.core, partners: plan.core.partners.filter((_, k) => usable[k]) };
  let resolved: number[] = [];
  try {
    resolved = resolveCutoffs(sub, rdfs.filter((_, k) => usable[k]) as unknown as RdfResult[]).map((c) => c.cutoff);
  } catch {
    resolved = sub.partners.map(() => Math.min(FALLBACK_CUTOFF, plan.rMax));
  }
  let j = 0;
  return usable.map((u) => (u ? resolved[j++] : Math.min(FALLBACK_CUTOFF, plan.rMax)));
}

/** The 'solvation' request for the given cutoffs (Å, one per partner, in plan order). */
export function solvationRequest(plan: ViewerPlan, cutoffs: readonly number[]): AnalysisRequest {
  return coreSolvationRequest(
    plan.core,
    plan.core.partners.map((p, k) => ({ key: p.key, cutoff: cutoffs[k], source: 'given' as const, firstShell: null })),
  );
}
