export { parseSelection, evaluateSelection, selectAtoms, selectNonEmpty, maskToIndices, isDynamic, type SelectionNode } from './selection.js';
export { minimumImageDistance2Brute } from './within.js';
