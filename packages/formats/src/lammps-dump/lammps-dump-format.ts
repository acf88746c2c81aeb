import type { FormatDescriptor } from '../format.js';
import { openLammpsDump, scanLammpsDumpIndex } from './lammps-dump-reader.js';

/** Sniff: the first non-blank line is `ITEM: TIMESTEP`. */
export function sniffLammpsDump(head: Uint8Array): boolean {
  let i = 0;
  while (i < head.length && (head[i] === 32 || head[i] === 9 || head[i] === 10 || head[i] === 13)) i++;
  const want = 'ITEM: TIMESTEP';
  if (head.length - i < want.length) return false;
  for (let k = 0; k < want.length; k++) if (head[i + k] !== want.charCodeAt(k)) return false;
  return true;
}

/**
 * LAMMPS text dump (dump atom / custom): positions (Å, units real or metal), box (orthogonal,
 * triclinic, general triclinic), step; time from the `timestepPs` option.
 */
export const lammpsDumpFormat: FormatDescriptor = {
  name: 'lammps-dump',
  label: 'LAMMPS dump',
  extensions: ['lammpstrj', 'dump', 'lammpsdump'],
  description: "LAMMPS text dump (dump atom/custom): any column order, x/xu/xs/xsu coordinates, orthogonal or triclinic box; Å ('real'/'metal' units); time = step × timestepPs",
  sniff: sniffLammpsDump,
  units: { length: 'A', time: 'ps' },
  capabilities: { positions: true, velocities: true, forces: true, box: true, time: true, topology: false, write: false, trajectory: true },
  scanIndex: scanLammpsDumpIndex,
  open: openLammpsDump,
};
