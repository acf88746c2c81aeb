/** solvscope version, written into every report's provenance. */
export const SOLVSCOPE_VERSION = '0.1.0';
