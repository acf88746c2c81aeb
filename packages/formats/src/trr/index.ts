export { trrFormat } from './trr-format.js';
export {
  TRR_MAGIC,
  TrrFrameSource,
  decodeTrrFrame,
  openTrr,
  parseTrrHeader,
  scanTrrIndex,
  sniffTrr,
  type DecodeTrrFrameOptions,
  type TrrFrameHeader,
  type TrrOpenOptions,
} from './trr-reader.js';
