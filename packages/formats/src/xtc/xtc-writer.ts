/**
 * GROMACS XTC writer: xdr3d-compressed positions at a chosen precision, box and time per frame.
 * Frames must all have the same atom count. Layout: ./README.md.
 */
import { FormatError, OptionError, type Frame } from '@solvscope/core';
import type { ByteSink, TrajectoryWriter, WriterOptions } from '../format.js';
import { XdrWriter } from '../xdr/xdr.js';
import { XtcEncodeScratch, encodeXtcCoordinates } from './xtc-codec.js';
import { XTC_1995_MAX_NATOMS, XTC_MAGIC, XTC_MAX_UNCOMPRESSED, XTC_NEW_MAGIC } from './xtc-reader.js';

/** GROMACS' default precision: 1000 / nm, i.e. coordinates kept to 0.001 nm. */
export const XTC_DEFAULT_PRECISION = 1000;

/**
 * Encode one frame as an XTC record.
 *
 * @param frame  positions in Å, box in Å (null → zero box), time in ps (NaN → `fallbackTime`)
 * @param atoms  write only these atom indices, in this order
 * @param precision  1/nm (1000 keeps 0.001 nm)
 * @throws RangeError when a coordinate is not finite or too large for the precision
 */
export function encodeXtcFrame(
  frame: Frame,
  atoms: Int32Array | undefined,
  precision: number,
  fallbackTime = 0,
  scratch: XtcEncodeScratch = new XtcEncodeScratch(),
  xdr: XdrWriter = new XdrWriter(),
): Uint8Array {
  const natoms = atoms ? atoms.length : frame.positions.length / 3;
  const magic = natoms > XTC_1995_MAX_NATOMS ? XTC_NEW_MAGIC : XTC_MAGIC;
  const step = frame.step >= 0 ? frame.step : frame.index >= 0 ? frame.index : 0;
  xdr.reset();
  xdr.int32(magic).int32(natoms).int32(step | 0).float32(Number.isFinite(frame.time) ? frame.time : fallbackTime);
  for (let k = 0; k < 9; k++) xdr.float32(frame.box ? frame.box[k] / 10 : 0);
  xdr.int32(natoms);
  const pos = frame.positions;
  if (natoms <= XTC_MAX_UNCOMPRESSED) {
    for (let a = 0; a < natoms; a++) {
      const s = atoms ? atoms[a] * 3 : a * 3;
      for (let d = 0; d < 3; d++) {
        const v = pos[s + d];
        if (!Number.isFinite(v)) throw new RangeError(`atom ${s / 3} has a non-finite coordinate`);
        xdr.float32(v / 10);
      }
    }
    return xdr.toBytes();
  }
  const enc = encodeXtcCoordinates(pos, atoms, natoms, precision, 0.1, scratch);
  xdr.float32(precision);
  for (const v of enc.minint) xdr.int32(v);
  for (const v of enc.maxint) xdr.int32(v);
  xdr.int32(enc.smallidx);
  if (magic === XTC_NEW_MAGIC) xdr.int64(enc.byteCount);
  else xdr.int32(enc.byteCount);
  xdr.opaque(scratch.out.subarray(0, enc.byteCount));
  return xdr.toBytes();
}

/**
 * An XTC writer over a ByteSink (`solvscope convert … out.xtc`).
 *
 * - `options.precision` (1/nm, default 1000): coordinates are stored to ±0.5/precision nm.
 * - Frames without a time (NaN) get the number of frames written so far as their time (ps),
 *   the 1 ps default MDAnalysis uses for formats without times.
 * - Frames without a box get a zero box (GROMACS' convention for "no periodic cell").
 *
 * @throws OptionError (synchronously) for a precision that is not a positive finite number.
 * writeFrame rejects with FormatError 'MISMATCH' when the atom count differs from the first
 * frame or the topology, and 'FORMAT' for a coordinate that cannot be stored at the precision.
 */
export function createXtcWriter(sink: ByteSink, options: WriterOptions): TrajectoryWriter {
  const precision = options.precision ?? XTC_DEFAULT_PRECISION;
  if (!(typeof precision === 'number' && precision > 0 && Number.isFinite(precision))) {
    throw new OptionError('OPTION', `precision must be a positive number of 1/nm (got ${String(precision)})`, { option: 'precision' });
  }
  const scratch = new XtcEncodeScratch();
  const xdr = new XdrWriter(1 << 16);
  let natoms = -1;
  let count = 0;
  let closed = false;
  const ctx = () => ({ file: sink.name, format: 'XTC', frame: count });
  return {
    async writeFrame(frame: Frame, atoms?: Int32Array): Promise<void> {
      if (closed) throw new FormatError('FORMAT', 'the writer is closed', ctx());
      const n = atoms ? atoms.length : frame.positions.length / 3;
      if (atoms) {
        const total = frame.positions.length / 3;
        for (let k = 0; k < atoms.length; k++) {
          if (!(atoms[k] >= 0 && atoms[k] < total)) throw new FormatError('MISMATCH', `atom index ${atoms[k]} is outside the frame's ${total} atoms`, ctx());
        }
      }
      if (natoms < 0) {
        natoms = n;
        const want = options.topology?.atomCount;
        if (want !== undefined && want !== n) throw new FormatError('MISMATCH', `frame has ${n} atoms to write, the topology has ${want}`, ctx());
      } else if (n !== natoms) {
        throw new FormatError('MISMATCH', `frame has ${n} atoms to write, the first frame had ${natoms}`, ctx());
      }
      let bytes: Uint8Array;
      try {
        bytes = encodeXtcFrame(frame, atoms, precision, count, scratch, xdr);
      } catch (e) {
        if (e instanceof RangeError) throw new FormatError('FORMAT', e.message, ctx());
        throw e;
      }
      await sink.write(bytes);
      count++;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await sink.close();
    },
  };
}
