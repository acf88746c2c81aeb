export { lammpsDataFormat, sniffLammpsData } from './lammps-data-format.js';
export {
  openLammpsData,
  readLammpsData,
  readLammpsDataTopology,
  LammpsDataFrameSource,
  LAMMPS_DATA_LABEL,
  type LammpsAtomStyle,
  type LammpsData,
  type LammpsDataOptions,
} from './lammps-data-reader.js';
