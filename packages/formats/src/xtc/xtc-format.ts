import type { FormatDescriptor } from '../format.js';
import { openXtc, scanXtcIndex, sniffXtc } from './xtc-reader.js';
import { createXtcWriter } from './xtc-writer.js';

/**
 * GROMACS XTC: xdr3d-compressed positions (nm, default precision 0.001 nm), box (nm) and time
 * (ps) per frame. Read and written; positions come out in Å, time in ps.
 */
export const xtcFormat: FormatDescriptor = {
  name: 'xtc',
  label: 'XTC',
  extensions: ['xtc'],
  description: 'GROMACS compressed trajectory (positions, box, time)',
  sniff: sniffXtc,
  units: { length: 'nm', time: 'ps' },
  capabilities: { positions: true, velocities: false, forces: false, box: true, time: true, topology: false, write: true, trajectory: true },
  scanIndex: scanXtcIndex,
  open: openXtc,
  createWriter: createXtcWriter,
};
