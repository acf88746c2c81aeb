import type { FormatDescriptor } from '../format.js';
import { latin1 } from '../text/line-reader.js';
import { openXyz, readXyzTopology, scanXyzIndex } from './xyz-reader.js';
import { createXyzWriter } from './xyz-writer.js';

/**
 * Sniff: the first non-blank line is a bare integer (the atom count) and, when the head reaches
 * it, the third line has at least four columns (species x y z).
 */
export function sniffXyz(head: Uint8Array): boolean {
  const lines = latin1(head, 0, Math.min(head.length, 4096)).split('\n');
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  if (i >= lines.length || !/^\s*\d+\s*$/.test(lines[i].replace(/\r$/, ''))) return false;
  // lines[i + 2] is complete only if a newline follows it inside the head
  if (i + 3 < lines.length) return lines[i + 2].trim().split(/\s+/).length >= 4;
  return true;
}

/** XYZ / extended XYZ: readable trajectory and topology (species), writable as extended XYZ. */
export const xyzFormat: FormatDescriptor = {
  name: 'xyz',
  label: 'XYZ',
  extensions: ['xyz', 'extxyz'],
  description: 'XYZ and extended XYZ (ASE / libAtoms): species and Cartesian coordinates in Å; box from Lattice=, time from Time=',
  sniff: sniffXyz,
  units: { length: 'A', time: 'ps' },
  capabilities: { positions: true, velocities: true, forces: false, box: true, time: true, topology: true, write: true, trajectory: true },
  scanIndex: scanXyzIndex,
  open: openXyz,
  readTopology: readXyzTopology,
  createWriter: createXyzWriter,
};
