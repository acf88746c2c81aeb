/**
 * The periodic geometry and speciation labels the viewer draws with, taken from core (the same
 * code the solvation analysis uses), plus one convenience for a frame's box.
 */
import { periodicCell, type Box, type PeriodicCell } from '@solvscope/core';

export { makeWholeAround, minimumImage, speciationLabel, chargeSuffix, labelName } from '@solvscope/core';
export type DisplayCell = PeriodicCell;

/** The periodic cell of a frame's box for minimum-image drawing, or null without a (valid) box. */
export function displayCell(box: Box | null): PeriodicCell | null {
  if (!box) return null;
  try {
    return periodicCell(box);
  } catch {
    return null;
  }
}
