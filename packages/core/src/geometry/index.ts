export {
  periodicCell,
  minimumImage,
  minimumImageDistance,
  minimumImageDistance2,
  maxMinimumImageCutoff,
  toReducedFrame,
  fromReducedFrame,
  type PeriodicCell,
} from './minimum-image.js';
export { NeighborGrid } from './neighbor-grid.js';
export { makeWhole, makeWholeAround, unwrapAround, wrapIntoBox } from './make-whole.js';
