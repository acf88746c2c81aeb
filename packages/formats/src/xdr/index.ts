export { XDR_UNIT, XdrReader, XdrWriter, readXdrInt32, readXdrInt64, readXdrUint32, xdrPadded, xdrView } from './xdr.js';
