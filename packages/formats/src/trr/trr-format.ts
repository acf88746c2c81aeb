import type { FormatDescriptor } from '../format.js';
import { openTrr, scanTrrIndex, sniffTrr } from './trr-reader.js';

/**
 * GROMACS TRR: full-precision positions, velocities and forces (nm, nm/ps, kJ/(mol·nm)), box
 * and time, in single or double precision. Read only.
 */
export const trrFormat: FormatDescriptor = {
  name: 'trr',
  label: 'TRR',
  extensions: ['trr'],
  description: 'GROMACS full-precision trajectory (positions, velocities, forces, box, time)',
  sniff: sniffTrr,
  units: { length: 'nm', time: 'ps' },
  capabilities: { positions: true, velocities: true, forces: true, box: true, time: true, topology: false, write: false, trajectory: true },
  scanIndex: scanTrrIndex,
  open: openTrr,
};
