import type { AnalysisRegistry } from './run.js';
import { rdfAnalysis } from './rdf/rdf.js';
import { solvationAnalysis } from './solvation/solvation.js';
import { summaryAnalysis } from './summary/summary.js';

/** Every built-in analysis by id; workers rebuild analyses from their ids through this. */
export const defaultAnalyses: AnalysisRegistry = {
  rdf: rdfAnalysis,
  solvation: solvationAnalysis,
  summary: summaryAnalysis,
};
