export {
  AUTO_CUTOFF_SAMPLE_FRAMES,
  AUTO_CUTOFF_MIN_SAMPLE_FRAMES,
  autoCutoffSampleStep,
  planAnalyze,
  rdfRequests,
  resolveCutoffs,
  shellEdge,
  solvationRequest,
  topologyOptionsFromConfig,
  type AnalyzeConfig,
  type AnalyzeOptions,
  type AnalyzePlan,
  type PartnerPlan,
  type ResolvedCutoff,
  type SpeciesConfig,
} from './plan.js';
export { assembleReport, type AnalyzeReport, type ReportRdf } from './report.js';
