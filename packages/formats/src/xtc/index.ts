export { xtcFormat } from './xtc-format.js';
export {
  XTC_1995_MAX_NATOMS,
  XTC_MAGIC,
  XTC_MAX_UNCOMPRESSED,
  XTC_NEW_MAGIC,
  XtcFrameSource,
  decodeXtcFrame,
  openXtc,
  parseXtcHeader,
  scanXtcIndex,
  sniffXtc,
  type DecodeXtcFrameOptions,
  type XtcFrameHeader,
} from './xtc-reader.js';
export { XTC_DEFAULT_PRECISION, createXtcWriter, encodeXtcFrame } from './xtc-writer.js';
export {
  XTC_MAGICINTS,
  XtcCodecError,
  XtcEncodeScratch,
  decodeXtcCoordinates,
  encodeXtcCoordinates,
  type XtcCoordParams,
  type XtcEncoded,
} from './xtc-codec.js';
