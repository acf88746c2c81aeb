/**
 * The parts of core's analysis results the viewer reads ('rdf' and 'solvation'; see
 * packages/core/src/analysis/{rdf,solvation}). Declared structurally, so panels can be tested
 * with small hand-made results; the checks at the end make sure core's results fit them.
 */
import type { RdfResult, SolvationResult } from '@solvscope/core';

/** 'rdf' result: bin centres r (Å), g(r), running coordination number n(r) at upper bin edges. */
export interface RdfCurve {
  r: ArrayLike<number>;
  g: ArrayLike<number>;
  n: ArrayLike<number>;
  rMin: number;
  rMax: number;
  binWidth: number;
  frames: number;
  /**
   * First peak / first minimum of the smoothed g: `minIndex`/`minEdgeR` (upper edge of the
   * minimum bin, Å) and the flat stretch after it up to `plateauEndIndex` (e.g. the g = 0 gap
   * between the first and second shells of a strongly bound ion).
   */
  firstShell: { peakR: number; minR: number; minIndex: number; minEdgeR: number; plateauEndIndex: number; nAtMin: number } | null;
}

export interface Fraction {
  fraction: number;
  stderr: number;
}

export interface SpeciationRow {
  label: string;
  ion: string;
  composition: Record<string, number>;
  charge: number;
  fraction: number;
  stderr: number;
  ionFrames: number;
}

export interface IonTimeline {
  labels: string[];
  ions: number[];
  frameIndices: number[];
  timesPs: number[];
  /** Per ion: flat triples [firstFrameOrdinal, frameCount, labelCode, …] covering every visited frame. */
  runs: number[][];
}

export interface CoordinationRow {
  species: string;
  cutoff: number;
  atoms: { mean: number; stderr: number };
  molecules: { mean: number; stderr: number };
}

/** 'solvation' result (the fields the viewer shows). */
export interface Solvation {
  ions: { selection: string; count: number };
  frames: number;
  ionFrames: number;
  coordination: CoordinationRow[];
  speciation: SpeciationRow[];
  pairing: {
    cation: { SSIP: Fraction; CIP: Fraction; AGG: Fraction };
    anions: string[];
  };
  perIonTimeline?: IonTimeline;
  warnings: string[];
}

/** Compile-time checks: core's results are assignable to the shapes above. */
export type CoreFits = [RdfResult extends RdfCurve ? true : never, SolvationResult extends Solvation ? true : never];
export const coreFits: CoreFits = [true, true];
