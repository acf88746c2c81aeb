/**
 * One internal unit system: lengths in Å, times in ps, velocities in Å/ps, forces in kJ/(mol·Å),
 * charges in e, masses in g/mol. Readers declare their native units and convert once.
 */
export const NM_TO_A = 10;
export const A_TO_NM = 0.1;
/** LAMMPS 'real' units use fs for time. */
export const FS_TO_PS = 1e-3;
/** AKMA time unit (CHARMM/NAMD DCD timestep) in ps: 1 AKMA = 48.88821 fs. */
export const AKMA_TO_PS = 0.04888821;

export type LengthUnit = 'A' | 'nm';
export type TimeUnit = 'ps' | 'fs' | 'AKMA';

export function lengthFactorToA(u: LengthUnit): number {
  return u === 'nm' ? NM_TO_A : 1;
}
