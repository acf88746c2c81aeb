/**
 * GROMACS XTC reader: frame headers, the index scan (headers only, seeking by the byte count)
 * and frame decoding to solvscope units (Å, ps). Record layout: ./README.md.
 */
import {
  FormatError,
  createFrame,
  errorFromJSON,
  serializeError,
  throwIfAborted,
  type ByteSource,
  type ErrorContext,
  type Frame,
  type FrameIndex,
  type FrameSource,
  type SerializedError,
} from '@solvscope/core';
import { IndexedFrameSource } from '../base/indexed-frame-source.js';
import type { OpenOptions } from '../format.js';
import { readXdrInt32, readXdrInt64, xdrPadded, xdrView } from '../xdr/xdr.js';
import { XTC_FIRSTIDX, XTC_LASTIDX, XtcCodecError, decodeXtcCoordinates } from './xtc-codec.js';

/** Magic number of classic XTC frames (32-bit byte count). */
export const XTC_MAGIC = 1995;
/** Magic number of GROMACS 2023+ frames with a 64-bit byte count (used above 298 261 617 atoms). */
export const XTC_NEW_MAGIC = 2023;
/** GROMACS writes XTC_NEW_MAGIC for more atoms than this. */
export const XTC_1995_MAX_NATOMS = 298261617;
/** Frames of at most this many atoms store plain float32 coordinates. */
export const XTC_MAX_UNCOMPRESSED = 9;

/** magic, natoms, step, time, box[9], natoms. */
const BASE_HEADER = 56;
const LABEL = 'XTC';
/** Enough bytes for any frame header. */
const MAX_HEADER = 96;

/** One frame header as stored (lengths in nm, time in ps). */
export interface XtcFrameHeader {
  /** 1995 or 2023. */
  magic: number;
  natoms: number;
  step: number;
  /** ps (float32 in the file). */
  time: number;
  /** Scale factor in 1/nm; 0 for frames of ≤ 9 atoms (plain floats). */
  precision: number;
  minint: [number, number, number];
  maxint: [number, number, number];
  smallidx: number;
  /** Bytes of compressed data (without padding); 12·natoms for plain frames. */
  byteCount: number;
  /** Offset of the coordinate data from the frame start. */
  dataOffset: number;
  /** Size of the whole frame record including padding. */
  frameBytes: number;
}

/**
 * Parse the frame header at `b[at]`.
 *
 * @param fileOffset  file offset of `b[at]` (for error messages)
 * @param expectedAtoms  atom count every frame must have, or -1 (first frame)
 * @throws FormatError 'TRUNCATED' when `b` ends inside the header; 'CORRUPT' for a wrong magic
 *   number, an atom count that is negative or different from `expectedAtoms`, or impossible
 *   precision / range / smallidx / byte count. An absurd atom count cannot pass: every atom
 *   takes at least 2 bits of the byte count, and the frame must fit in the file.
 */
export function parseXtcHeader(b: Uint8Array, at: number, fileOffset: number, ctx: ErrorContext, expectedAtoms: number): XtcFrameHeader {
  const avail = b.length - at;
  const where = (rel: number): ErrorContext => ({ ...ctx, format: LABEL, byteOffset: fileOffset + rel });
  const truncated = (need: number) =>
    new FormatError('TRUNCATED', `frame header needs ${need} bytes, file ends after ${Math.max(0, avail)}`, where(0));
  if (avail < 4) throw truncated(BASE_HEADER);
  const magic = readXdrInt32(b, at);
  if (magic !== XTC_MAGIC && magic !== XTC_NEW_MAGIC) {
    throw new FormatError('CORRUPT', `not an XTC frame: magic number is ${magic}, expected ${XTC_MAGIC} or ${XTC_NEW_MAGIC}`, where(0));
  }
  if (avail < 8) throw truncated(BASE_HEADER);
  const natoms = readXdrInt32(b, at + 4);
  if (natoms < 0) throw new FormatError('CORRUPT', `atom count ${natoms} is negative`, where(4));
  if (expectedAtoms >= 0 && natoms !== expectedAtoms) {
    throw new FormatError('CORRUPT', `frame has ${natoms} atoms, the first frame has ${expectedAtoms}`, where(4));
  }
  if (avail < BASE_HEADER) throw truncated(natoms <= XTC_MAX_UNCOMPRESSED ? BASE_HEADER : magic === XTC_NEW_MAGIC ? 96 : 92);
  const natoms2 = readXdrInt32(b, at + 52);
  if (natoms2 !== natoms) {
    throw new FormatError('CORRUPT', `atom count ${natoms2} of the coordinate block differs from ${natoms} in the frame header`, where(52));
  }
  const view = xdrView(b);
  const step = readXdrInt32(b, at + 8);
  const time = view.getFloat32(at + 12);
  if (natoms <= XTC_MAX_UNCOMPRESSED) {
    return {
      magic,
      natoms,
      step,
      time,
      precision: 0,
      minint: [0, 0, 0],
      maxint: [0, 0, 0],
      smallidx: 0,
      byteCount: natoms * 12,
      dataOffset: BASE_HEADER,
      frameBytes: BASE_HEADER + natoms * 12,
    };
  }
  const dataOffset = magic === XTC_NEW_MAGIC ? 96 : 92;
  if (avail < dataOffset) throw truncated(dataOffset);
  const precision = view.getFloat32(at + 56);
  if (!(precision > 0 && Number.isFinite(precision) && Number.isFinite(1 / precision))) {
    throw new FormatError('CORRUPT', `precision ${precision} is not a positive number`, where(56));
  }
  const minint: [number, number, number] = [readXdrInt32(b, at + 60), readXdrInt32(b, at + 64), readXdrInt32(b, at + 68)];
  const maxint: [number, number, number] = [readXdrInt32(b, at + 72), readXdrInt32(b, at + 76), readXdrInt32(b, at + 80)];
  for (let k = 0; k < 3; k++) {
    const range = maxint[k] - minint[k] + 1;
    if (!(range >= 1 && range < 2 ** 31)) {
      throw new FormatError('CORRUPT', `coordinate range ${minint[k]}..${maxint[k]} of dimension ${'xyz'[k]} is impossible`, where(72 + 4 * k));
    }
  }
  const smallidx = readXdrInt32(b, at + 84);
  if (smallidx < XTC_FIRSTIDX || smallidx >= XTC_LASTIDX) {
    throw new FormatError('CORRUPT', `smallidx ${smallidx} is outside ${XTC_FIRSTIDX}..${XTC_LASTIDX - 1}`, where(84));
  }
  const byteCount = magic === XTC_NEW_MAGIC ? readXdrInt64(b, at + 88) : readXdrInt32(b, at + 88);
  // Every atom takes at least 2 bits (1-bit packed number + run flag) and at most 102 bits.
  if (!(byteCount >= 0) || byteCount > 13 * natoms + 4) {
    throw new FormatError('CORRUPT', `byte count ${byteCount} is impossible for ${natoms} atoms`, where(88));
  }
  if (natoms > 4 * byteCount) {
    throw new FormatError('CORRUPT', `${natoms} atoms cannot fit in ${byteCount} bytes of compressed coordinates`, where(4));
  }
  return { magic, natoms, step, time, precision, minint, maxint, smallidx, byteCount, dataOffset, frameBytes: dataOffset + xdrPadded(byteCount) };
}

/** Options of {@link decodeXtcFrame}. */
export interface DecodeXtcFrameOptions {
  /** Required atom count (the index's); -1 or absent accepts any. */
  atomCount?: number;
  /** File offset of bytes[0] for error messages (default 0). */
  byteOffset?: number;
  /** File name, frame number for error messages. */
  file?: string;
  frame?: number;
}

/**
 * Decode one whole XTC frame record (from its magic number) into a Frame: positions in Å
 * (float32(float32(i / precision) · 10), the same numbers MDAnalysis gives), box in Å (null when
 * the file's box is all zeros), time in ps, step.
 *
 * @param bytes  the frame record; may extend past the frame
 * @param into  frame to fill (its buffers are reused when the size fits); a new one otherwise
 * @throws FormatError 'TRUNCATED' when `bytes` ends inside the frame; 'CORRUPT' for a bad header,
 *   non-finite box, time or coordinates, or an inconsistent compressed bit stream.
 */
export function decodeXtcFrame(bytes: Uint8Array, into?: Frame, options: DecodeXtcFrameOptions = {}): Frame {
  const base = options.byteOffset ?? 0;
  const ctx: ErrorContext = { format: LABEL };
  if (options.file !== undefined) ctx.file = options.file;
  if (options.frame !== undefined) ctx.frame = options.frame;
  const h = parseXtcHeader(bytes, 0, base, ctx, options.atomCount ?? -1);
  if (bytes.length < h.dataOffset + h.byteCount) {
    throw new FormatError('TRUNCATED', `coordinates need ${h.byteCount} bytes, file ends after ${bytes.length - h.dataOffset}`, {
      ...ctx,
      byteOffset: base + h.dataOffset,
    });
  }
  const frame = into ?? createFrame(h.natoms);
  if (frame.positions.length !== h.natoms * 3) frame.positions = new Float32Array(h.natoms * 3);
  const view = xdrView(bytes);
  if (!Number.isFinite(h.time)) throw new FormatError('CORRUPT', `time ${h.time} is not finite`, { ...ctx, byteOffset: base + 12 });
  const box = frame.box && frame.box.length === 9 ? frame.box : new Float64Array(9);
  let nonzero = false;
  for (let k = 0; k < 9; k++) {
    const v = view.getFloat32(16 + 4 * k);
    if (!Number.isFinite(v)) throw new FormatError('CORRUPT', `box element ${k} is ${v}`, { ...ctx, byteOffset: base + 16 + 4 * k });
    if (v !== 0) nonzero = true;
    box[k] = v * 10;
  }
  frame.box = nonzero ? box : null;
  frame.time = h.time;
  frame.step = h.step;
  frame.velocities = null;
  frame.forces = null;
  const pos = frame.positions;
  if (h.natoms <= XTC_MAX_UNCOMPRESSED) {
    for (let k = 0; k < h.natoms * 3; k++) {
      const v = view.getFloat32(BASE_HEADER + 4 * k);
      if (!Number.isFinite(v)) throw new FormatError('CORRUPT', `coordinate ${k} is ${v}`, { ...ctx, byteOffset: base + BASE_HEADER + 4 * k });
      pos[k] = v * 10;
    }
    return frame;
  }
  try {
    decodeXtcCoordinates(bytes.subarray(h.dataOffset, h.dataOffset + h.byteCount), h, pos, 10);
  } catch (e) {
    if (e instanceof XtcCodecError) {
      throw new FormatError('CORRUPT', e.message, { ...ctx, byteOffset: base + h.dataOffset + Math.max(0, e.byteOffset) });
    }
    throw e;
  }
  return frame;
}

/** Bytes per sequential read while scanning frames smaller than 64 KiB. */
const SCAN_WINDOW = 1 << 20;
/** First read of a scan, before the frame size is known. */
const FIRST_WINDOW = 1 << 16;

/**
 * Build the frame index by reading only frame headers and seeking by each frame's byte count.
 * The frame count is exact. A frame cut off at the end of the file ends the scan with the
 * complete frames and `index.tail` set; a wrong magic number or atom count anywhere is an error.
 *
 * @throws FormatError 'FORMAT' for an empty file; 'CORRUPT' for garbage (see {@link parseXtcHeader});
 *   'TRUNCATED' when not even the first frame is complete.
 * @throws AbortError when `options.signal` aborts.
 */
export async function scanXtcIndex(source: ByteSource, options: OpenOptions = {}): Promise<FrameIndex> {
  const size = source.size;
  const ctx: ErrorContext = { file: source.name, format: LABEL };
  if (size === 0) throw new FormatError('FORMAT', 'the file is empty', { ...ctx, byteOffset: 0 });
  const offsets: number[] = [];
  let natoms = -1;
  let magic = XTC_MAGIC;
  let off = 0;
  let win: Uint8Array = new Uint8Array(0);
  let winStart = 0;
  let readSize = FIRST_WINDOW;
  let tail: SerializedError | undefined;
  let lastReport = 0;
  while (off < size) {
    throwIfAborted(options.signal, { ...ctx, byteOffset: off });
    const want = Math.min(MAX_HEADER, size - off);
    if (off < winStart || off + want > winStart + win.length) {
      win = await source.read(off, Math.min(size - off, Math.max(want, readSize)));
      winStart = off;
    }
    const frame = offsets.length;
    let h: XtcFrameHeader;
    try {
      h = parseXtcHeader(win, off - winStart, off, { ...ctx, frame }, natoms);
    } catch (e) {
      if (e instanceof FormatError && e.code === 'TRUNCATED') {
        tail = serializeError(e);
        break;
      }
      throw e;
    }
    if (off + h.frameBytes > size) {
      const have = size - off - h.dataOffset;
      const what = h.precision === 0 ? 'coordinates' : 'compressed coordinates';
      tail = serializeError(
        new FormatError('TRUNCATED', `${what} need ${h.frameBytes - h.dataOffset} bytes, file ends after ${have}`, { ...ctx, frame, byteOffset: off + h.dataOffset }),
      );
      break;
    }
    if (natoms < 0) {
      natoms = h.natoms;
      magic = h.magic;
      // Small frames: read the file in large windows. Large frames: read just each header.
      readSize = h.frameBytes > 1 << 16 ? MAX_HEADER : SCAN_WINDOW;
    }
    offsets.push(off);
    off += h.frameBytes;
    if (options.onScanProgress && off - lastReport >= SCAN_WINDOW) {
      lastReport = off;
      options.onScanProgress(off, size);
    }
  }
  if (offsets.length === 0) throw errorFromJSON(tail!);
  offsets.push(off);
  options.onScanProgress?.(off, size);
  const index: FrameIndex = { format: 'xtc', atomCount: natoms, offsets: Float64Array.from(offsets), fileSize: size, extra: { magic } };
  if (tail) index.tail = tail;
  return index;
}

/** An XTC file as a FrameSource (positions Å, box Å, time ps). */
export class XtcFrameSource extends IndexedFrameSource {
  constructor(source: ByteSource, index: FrameIndex) {
    super('xtc', source, index);
  }
  protected override get formatLabel(): string {
    return LABEL;
  }
  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    decodeXtcFrame(bytes, into, { atomCount: this.index.atomCount, byteOffset, file: this.name, frame });
  }
}

/**
 * Open an XTC trajectory: scan the frame index (unless `options.index` is given) and return a
 * FrameSource yielding positions in Å, box in Å, time in ps.
 *
 * @throws FormatError as {@link scanXtcIndex}; 'FORMAT' when `options.index` was built for another format.
 */
export async function openXtc(source: ByteSource, options: OpenOptions = {}): Promise<FrameSource> {
  const index = options.index ?? (await scanXtcIndex(source, options));
  return new XtcFrameSource(source, index);
}

/** True when `head` starts like an XTC file: magic 1995 or 2023 and matching atom counts. */
export function sniffXtc(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  const magic = readXdrInt32(head, 0);
  if (magic !== XTC_MAGIC && magic !== XTC_NEW_MAGIC) return false;
  const natoms = readXdrInt32(head, 4);
  if (natoms < 0) return false;
  return head.length < 56 || readXdrInt32(head, 52) === natoms;
}
