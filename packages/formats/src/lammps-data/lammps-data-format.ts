import type { FormatDescriptor } from '../format.js';
import { latin1 } from '../text/line-reader.js';
import { openLammpsData, readLammpsDataTopology } from './lammps-data-reader.js';

/** Sniff: within the head, after the title line, a header line `N atoms`. */
export function sniffLammpsData(head: Uint8Array): boolean {
  const lines = latin1(head, 0, Math.min(head.length, 4096)).split('\n').slice(1, 40);
  return lines.some((l) => /^\s*\d+\s+atoms\s*(#.*)?\r?$/.test(l));
}

/**
 * LAMMPS data file (read_data / write_data) as a topology: types or type labels, masses,
 * charges, molecule ids, bonds. `open` gives its coordinates and box as one frame.
 */
export const lammpsDataFormat: FormatDescriptor = {
  name: 'lammps-data',
  label: 'LAMMPS data',
  extensions: ['data', 'lmp', 'lammps'],
  description: 'LAMMPS data file (atom styles full, charge, atomic, molecular, bond, angle): topology (types, masses, charges, molecule ids, bonds) and one frame; Å',
  sniff: sniffLammpsData,
  units: { length: 'A', time: 'ps' },
  capabilities: { positions: true, velocities: true, forces: false, box: true, time: false, topology: true, write: false, trajectory: false },
  open: openLammpsData,
  readTopology: readLammpsDataTopology,
};
