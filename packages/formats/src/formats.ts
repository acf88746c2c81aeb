import type { FormatDescriptor } from './format.js';
import { dcdFormat } from './dcd/dcd-reader.js';
import { groFormat } from './gro/gro-reader.js';
import { lammpsDataFormat } from './lammps-data/index.js';
import { lammpsDumpFormat } from './lammps-dump/index.js';
import { pdbFormat } from './pdb/pdb-reader.js';
import { FormatRegistry } from './registry.js';
import { trrFormat } from './trr/index.js';
import { xtcFormat } from './xtc/index.js';
import { xyzFormat } from './xyz/index.js';

/** Every supported format, in alphabetical order. One explicit list: no registration by import side effect. */
export const ALL_FORMATS: readonly FormatDescriptor[] = [dcdFormat, groFormat, lammpsDataFormat, lammpsDumpFormat, pdbFormat, trrFormat, xtcFormat, xyzFormat];

export const defaultRegistry = new FormatRegistry(ALL_FORMATS);
