export { rdfAnalysis, RDF_DEFAULT_BIN_WIDTH, RDF_DEFAULT_R_MAX, type RdfResult, type RdfSpec, type RdfState } from './rdf.js';
export { firstShell, smoothRunningMean, type FirstShell, type FirstShellOptions } from './first-shell.js';
export { exactSumAdd, exactSumMerge, exactSumValue, type ExactSum } from './exact-sum.js';
