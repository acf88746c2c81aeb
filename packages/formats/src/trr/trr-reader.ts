/**
 * GROMACS TRR reader (full-precision positions, velocities and forces, single or double
 * precision). The index scan reads frame headers only and seeks by the block sizes they declare.
 * Record layout: ./README.md.
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
import { readXdrInt32, xdrPadded, xdrView } from '../xdr/xdr.js';

/** Magic number at the start of every TRR frame. */
export const TRR_MAGIC = 1993;
const LABEL = 'TRR';
/** Longest version string accepted (GROMACS writes the 12 bytes 'GMX_trn_file'). */
const MAX_VERSION = 128;
/** Header bytes that always suffice (version string of ≤ 128 bytes, double precision). */
const MAX_HEADER = 12 + MAX_VERSION + 13 * 4 + 16;

/** One TRR frame header as stored (lengths nm, time ps). */
export interface TrrFrameHeader {
  /** The version string ('GMX_trn_file'). */
  version: string;
  /** True when reals are 8-byte doubles. */
  double: boolean;
  natoms: number;
  step: number;
  /** Number of energy terms (unused, always 0 in modern files). */
  nre: number;
  /** ps */
  time: number;
  lambda: number;
  /** Byte sizes of the blocks, as declared (0 = absent). */
  boxSize: number;
  virSize: number;
  presSize: number;
  xSize: number;
  vSize: number;
  fSize: number;
  /** Bytes of the header, i.e. offset of the first data block from the frame start. */
  headerBytes: number;
  /** Bytes of the whole frame record. */
  frameBytes: number;
}

/** Field names of the 13 integers after the version string, in file order. */
const INT_FIELDS = ['ir_size', 'e_size', 'box_size', 'vir_size', 'pres_size', 'top_size', 'sym_size', 'x_size', 'v_size', 'f_size', 'natoms', 'step', 'nre'];

/**
 * Parse the frame header at `b[at]`.
 *
 * @param fileOffset  file offset of `b[at]` (for error messages)
 * @param expectedAtoms  atom count every frame must have, or -1 (first frame)
 * @param fileSize  in frames without x, v and f, atom counts above this are rejected as corrupt
 * @throws FormatError 'TRUNCATED' when `b` ends inside the header; 'CORRUPT' for a wrong magic
 *   number, a garbage version string, an atom count that is negative, absurd or different from
 *   `expectedAtoms`, or block sizes that match neither single nor double precision;
 *   'UNSUPPORTED' for the pre-3.0 inputrec / energy / topology / symbol-table blocks.
 */
export function parseTrrHeader(b: Uint8Array, at: number, fileOffset: number, ctx: ErrorContext, expectedAtoms: number, fileSize: number): TrrFrameHeader {
  const avail = b.length - at;
  const where = (rel: number): ErrorContext => ({ ...ctx, format: LABEL, byteOffset: fileOffset + rel });
  const truncated = (need: number) => new FormatError('TRUNCATED', `frame header needs ${need} bytes, file ends after ${Math.max(0, avail)}`, where(0));
  if (avail < 4) throw truncated(84);
  const magic = readXdrInt32(b, at);
  if (magic !== TRR_MAGIC) throw new FormatError('CORRUPT', `not a TRR frame: magic number is ${magic}, expected ${TRR_MAGIC}`, where(0));
  if (avail < 12) throw truncated(84);
  const slen = readXdrInt32(b, at + 4);
  const len = readXdrInt32(b, at + 8);
  if (slen < 1 || slen > MAX_VERSION + 1 || len < 0 || len > slen) {
    throw new FormatError('CORRUPT', `version string length ${len} (declared ${slen}) is impossible`, where(4));
  }
  const ints = 12 + xdrPadded(len);
  if (avail < ints + 13 * 4) throw truncated(ints + 13 * 4 + 8);
  let version = '';
  for (let k = 0; k < len; k++) version += String.fromCharCode(b[at + 12 + k]);
  const v: number[] = [];
  for (let k = 0; k < 13; k++) v.push(readXdrInt32(b, at + ints + 4 * k));
  const [irSize, eSize, boxSize, virSize, presSize, topSize, symSize, xSize, vSize, fSize, natoms, step, nre] = v;
  for (let k = 0; k < 10; k++) {
    if (v[k] < 0) throw new FormatError('CORRUPT', `${INT_FIELDS[k]} ${v[k]} is negative`, where(ints + 4 * k));
  }
  if (natoms < 0) throw new FormatError('CORRUPT', `atom count ${natoms} is negative`, where(ints + 40));
  // With x, v or f present the frame must fit in the file, which bounds natoms; without them
  // nothing would, so check the count against the file size directly.
  if (!xSize && !vSize && !fSize && natoms > fileSize) {
    throw new FormatError('CORRUPT', `header claims ${natoms} atoms, more than a file of ${fileSize} bytes can hold`, where(ints + 40));
  }
  if (expectedAtoms >= 0 && natoms !== expectedAtoms) {
    throw new FormatError('CORRUPT', `frame has ${natoms} atoms, the first frame has ${expectedAtoms}`, where(ints + 40));
  }
  const legacy = [irSize, eSize, topSize, symSize];
  const legacyAt = [0, 1, 5, 6];
  for (let k = 0; k < 4; k++) {
    if (legacy[k] !== 0) {
      throw new FormatError('UNSUPPORTED', `${INT_FIELDS[legacyAt[k]]} is ${legacy[k]}: pre-GROMACS-3 blocks are not supported`, where(ints + 4 * legacyAt[k]));
    }
  }
  // Precision as GROMACS decides it (nFloatSize): from the box, else from x, v or f.
  const n3 = natoms * 3;
  let real = 0;
  if (boxSize) real = boxSize / 9;
  else if (xSize && n3) real = xSize / n3;
  else if (vSize && n3) real = vSize / n3;
  else if (fSize && n3) real = fSize / n3;
  else if (!xSize && !vSize && !fSize) real = 4;
  if (real !== 4 && real !== 8) {
    const k = boxSize ? 2 : xSize ? 7 : vSize ? 8 : 9;
    throw new FormatError('CORRUPT', `${INT_FIELDS[k]} ${v[k]} matches neither single nor double precision for ${natoms} atoms`, where(ints + 4 * k));
  }
  const checks: [number, number, number][] = [
    [boxSize, 9 * real, 2],
    [virSize, 9 * real, 3],
    [presSize, 9 * real, 4],
    [xSize, n3 * real, 7],
    [vSize, n3 * real, 8],
    [fSize, n3 * real, 9],
  ];
  for (const [size, want, k] of checks) {
    if (size !== 0 && size !== want) {
      throw new FormatError('CORRUPT', `${INT_FIELDS[k]} ${size} does not match ${real === 8 ? 'double' : 'single'} precision (expected 0 or ${want})`, where(ints + 4 * k));
    }
  }
  const headerBytes = ints + 13 * 4 + 2 * real;
  if (avail < headerBytes) throw truncated(headerBytes);
  const view = xdrView(b);
  const tAt = at + ints + 13 * 4;
  const time = real === 8 ? view.getFloat64(tAt) : view.getFloat32(tAt);
  const lambda = real === 8 ? view.getFloat64(tAt + 8) : view.getFloat32(tAt + 4);
  return {
    version,
    double: real === 8,
    natoms,
    step,
    nre,
    time,
    lambda,
    boxSize,
    virSize,
    presSize,
    xSize,
    vSize,
    fSize,
    headerBytes,
    frameBytes: headerBytes + boxSize + virSize + presSize + xSize + vSize + fSize,
  };
}

/** Options of {@link decodeTrrFrame}. */
export interface DecodeTrrFrameOptions {
  /** Required atom count (the index's); -1 or absent accepts any. */
  atomCount?: number;
  /** File offset of bytes[0] for error messages (default 0). */
  byteOffset?: number;
  file?: string;
  frame?: number;
}

/** Read n reals at `o` into `out`, multiplied by `scale`; returns the index of a non-finite value or -1. */
function readVec(view: DataView, o: number, n: number, double: boolean, scale: number, out: Float32Array): number {
  if (double) {
    for (let k = 0; k < n; k++) out[k] = view.getFloat64(o + 8 * k) * scale;
  } else {
    for (let k = 0; k < n; k++) out[k] = view.getFloat32(o + 4 * k) * scale;
  }
  // One pass to find non-finite values: cheaper than a check per element above.
  let acc = 0;
  for (let k = 0; k < n; k++) acc += out[k] * 0;
  if (acc === 0 || n === 0) return -1;
  for (let k = 0; k < n; k++) if (!Number.isFinite(out[k])) return k;
  return -1;
}

/**
 * Decode one TRR frame record into a Frame: positions Å, velocities Å/ps, forces kJ/(mol·Å)
 * (null when the frame has none), box Å (null when absent or all zeros), time ps, step.
 * A frame without positions gets NaN positions.
 *
 * @param into  frame to fill (buffers reused when the size fits); a new one otherwise
 * @throws FormatError 'TRUNCATED' when `bytes` ends inside the frame; 'CORRUPT' for a bad header
 *   or a non-finite number.
 */
export function decodeTrrFrame(bytes: Uint8Array, into?: Frame, options: DecodeTrrFrameOptions = {}): Frame {
  const base = options.byteOffset ?? 0;
  const ctx: ErrorContext = { format: LABEL };
  if (options.file !== undefined) ctx.file = options.file;
  if (options.frame !== undefined) ctx.frame = options.frame;
  const h = parseTrrHeader(bytes, 0, base, ctx, options.atomCount ?? -1, Number.MAX_SAFE_INTEGER);
  if (bytes.length < h.frameBytes) {
    throw new FormatError('TRUNCATED', `frame data needs ${h.frameBytes - h.headerBytes} bytes, file ends after ${bytes.length - h.headerBytes}`, {
      ...ctx,
      byteOffset: base + h.headerBytes,
    });
  }
  const n3 = h.natoms * 3;
  const frame = into ?? createFrame(h.natoms);
  if (!Number.isFinite(h.time)) throw new FormatError('CORRUPT', `time ${h.time} is not finite`, { ...ctx, byteOffset: base + h.headerBytes - (h.double ? 16 : 8) });
  frame.time = h.time;
  frame.step = h.step;
  const view = xdrView(bytes);
  const rs = h.double ? 8 : 4;
  let o = h.headerBytes;
  const bad = (what: string, k: number, at: number) =>
    new FormatError('CORRUPT', `${what} ${k} is not finite`, { ...ctx, byteOffset: base + at + rs * k });
  if (h.boxSize) {
    const box = frame.box && frame.box.length === 9 ? frame.box : new Float64Array(9);
    let nonzero = false;
    for (let k = 0; k < 9; k++) {
      const v = h.double ? view.getFloat64(o + 8 * k) : view.getFloat32(o + 4 * k);
      if (!Number.isFinite(v)) throw bad('box element', k, o);
      if (v !== 0) nonzero = true;
      box[k] = v * 10;
    }
    frame.box = nonzero ? box : null;
    o += h.boxSize;
  } else {
    frame.box = null;
  }
  o += h.virSize + h.presSize;
  if (frame.positions.length !== n3) frame.positions = new Float32Array(n3);
  if (h.xSize) {
    const k = readVec(view, o, n3, h.double, 10, frame.positions);
    if (k >= 0) throw bad('position coordinate', k, o);
    o += h.xSize;
  } else {
    frame.positions.fill(NaN);
  }
  if (h.vSize) {
    const vel = frame.velocities && frame.velocities.length === n3 ? frame.velocities : new Float32Array(n3);
    const k = readVec(view, o, n3, h.double, 10, vel);
    if (k >= 0) throw bad('velocity coordinate', k, o);
    frame.velocities = vel;
    o += h.vSize;
  } else {
    frame.velocities = null;
  }
  if (h.fSize) {
    const f = frame.forces && frame.forces.length === n3 ? frame.forces : new Float32Array(n3);
    const k = readVec(view, o, n3, h.double, 0.1, f);
    if (k >= 0) throw bad('force coordinate', k, o);
    frame.forces = f;
  } else {
    frame.forces = null;
  }
  return frame;
}

/** Options of {@link scanTrrIndex} / {@link openTrr}. */
export interface TrrOpenOptions extends OpenOptions {
  /**
   * Frames that store no positions (only velocities or forces, e.g. nstvout < nstxout):
   * 'skip' (default) leaves them out of the index, as GROMACS analysis tools do; 'include'
   * keeps them, with NaN positions.
   */
  framesWithoutPositions?: 'skip' | 'include';
}

/** Bytes per sequential read while scanning frames smaller than 64 KiB. */
const SCAN_WINDOW = 1 << 20;
/** First read of a scan, before the frame size is known. */
const FIRST_WINDOW = 1 << 16;

/**
 * Build the frame index by reading frame headers only. The frame count is exact. A frame cut
 * off at the end of the file ends the scan with the complete frames and `index.tail` set; a
 * wrong magic number, atom count or block size anywhere is an error.
 * `index.extra`: `{ double, skippedFrames, velocities, forces }` (skippedFrames counts records
 * without positions left out; velocities / forces say whether any indexed frame has them).
 *
 * @throws FormatError 'FORMAT' for an empty file; 'CORRUPT' / 'UNSUPPORTED' as
 *   {@link parseTrrHeader}; 'TRUNCATED' when not even the first frame is complete.
 * @throws AbortError when `options.signal` aborts.
 */
export async function scanTrrIndex(source: ByteSource, options: TrrOpenOptions = {}): Promise<FrameIndex> {
  const size = source.size;
  const ctx: ErrorContext = { file: source.name, format: LABEL };
  if (size === 0) throw new FormatError('FORMAT', 'the file is empty', { ...ctx, byteOffset: 0 });
  const include = options.framesWithoutPositions === 'include';
  const offsets: number[] = [];
  let natoms = -1;
  let double = false;
  let skipped = 0;
  let velocities = false;
  let forces = false;
  let off = 0;
  let end = 0;
  let records = 0;
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
    let h: TrrFrameHeader;
    try {
      h = parseTrrHeader(win, off - winStart, off, { ...ctx, frame }, natoms, size);
    } catch (e) {
      if (e instanceof FormatError && e.code === 'TRUNCATED') {
        tail = serializeError(e);
        break;
      }
      throw e;
    }
    if (off + h.frameBytes > size) {
      tail = serializeError(
        new FormatError('TRUNCATED', `frame data needs ${h.frameBytes - h.headerBytes} bytes, file ends after ${size - off - h.headerBytes}`, {
          ...ctx,
          frame,
          byteOffset: off + h.headerBytes,
        }),
      );
      break;
    }
    if (records === 0) {
      natoms = h.natoms;
      double = h.double;
      // Small frames: read the file in large windows. Large frames: read just each header.
      readSize = h.frameBytes > 1 << 16 ? MAX_HEADER : SCAN_WINDOW;
    }
    records++;
    if (h.xSize || include) {
      offsets.push(off);
      if (h.vSize) velocities = true;
      if (h.fSize) forces = true;
    } else {
      skipped++;
    }
    off += h.frameBytes;
    // A skipped record belongs to the span of the frame before it; trailing ones to no frame.
    if (h.xSize || include) end = off;
    if (options.onScanProgress && off - lastReport >= SCAN_WINDOW) {
      lastReport = off;
      options.onScanProgress(off, size);
    }
  }
  if (offsets.length === 0) {
    if (tail) throw errorFromJSON(tail);
    throw new FormatError('FORMAT', `none of the ${records} frames stores positions`, { ...ctx, byteOffset: 0 });
  }
  offsets.push(end);
  options.onScanProgress?.(off, size);
  if (skipped > 0 && options.onWarning) {
    options.onWarning(
      new FormatError('FORMAT', `${skipped} frames without positions (velocities/forces only) are left out of the index`, { ...ctx, byteOffset: 0 }),
    );
  }
  const index: FrameIndex = { format: 'trr', atomCount: natoms, offsets: Float64Array.from(offsets), fileSize: size, extra: { double, skippedFrames: skipped, velocities, forces } };
  if (tail) index.tail = tail;
  return index;
}

/** A TRR file as a FrameSource (positions Å, velocities Å/ps, forces kJ/(mol·Å), box Å, time ps). */
export class TrrFrameSource extends IndexedFrameSource {
  constructor(source: ByteSource, index: FrameIndex) {
    super('trr', source, index);
  }
  protected override get formatLabel(): string {
    return LABEL;
  }
  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    decodeTrrFrame(bytes, into, { atomCount: this.index.atomCount, byteOffset, file: this.name, frame });
  }
}

/**
 * Open a TRR trajectory: scan the frame index (unless `options.index` is given) and return a
 * FrameSource in Å, Å/ps, kJ/(mol·Å) and ps.
 *
 * @throws FormatError as {@link scanTrrIndex}; 'FORMAT' when `options.index` was built for another format.
 */
export async function openTrr(source: ByteSource, options: TrrOpenOptions = {}): Promise<FrameSource> {
  const index = options.index ?? (await scanTrrIndex(source, options));
  return new TrrFrameSource(source, index);
}

/** True when `head` starts like a TRR file: magic 1993 and a plausible version string. */
export function sniffTrr(head: Uint8Array): boolean {
  if (head.length < 12) return false;
  if (readXdrInt32(head, 0) !== TRR_MAGIC) return false;
  const slen = readXdrInt32(head, 4);
  const len = readXdrInt32(head, 8);
  return slen >= 1 && slen <= MAX_VERSION + 1 && len >= 0 && len <= slen;
}
