/** The 'solvation' analysis: first shells and everything derived from them (see README.md). */
export {
  solvationAnalysis,
  type SolvationResult,
  type SolvationState,
  type SolvationRuntime,
  type CoordinationEntry,
  type SpeciationEntry,
  type PairingResult,
  type ClusterResult,
  type ClusterComposition,
  type ResidenceEntry,
  type ResidenceTimesResult,
  type PerIonTimeline,
  type TimelineSegment,
  type FractionEstimate,
  type CountEstimate,
} from './solvation.js';
export { resolveSolvationSpec, type SolvationSpec, type SolvationSpeciesSpec, type SolvationContext, type PartnerSlot } from './spec.js';
export { speciationLabel, chargeSuffix, labelName, type LabelLigand } from './labels.js';
export { LagSum, ResidenceAccumulator, residenceTimes, maxForgivenGap, type ResidenceTimes } from './residence.js';
export { DEFAULT_MAX_LAG } from './residence-window.js';
