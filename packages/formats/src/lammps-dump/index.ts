export { lammpsDumpFormat, sniffLammpsDump } from './lammps-dump-format.js';
export {
  openLammpsDump,
  scanLammpsDumpIndex,
  LammpsDumpFrameSource,
  LAMMPS_DUMP_LABEL,
  type LammpsDumpOptions,
  type LammpsUnitStyle,
} from './lammps-dump-reader.js';
export { parseDumpColumns, dumpCell, DumpFrameHeader, type DumpColumns, type DumpCell } from './dump-header.js';
