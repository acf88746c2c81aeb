/**
 * DCD reader (CHARMM, NAMD, OpenMM, MDAnalysis, LAMMPS): both byte orders, 4- or 8-byte
 * Fortran record markers, optional unit cell, optional 4th dimension, fixed atoms. Every frame
 * of a file has the same size, so the frame index is arithmetic: no scan through the frames.
 * Record layout and unit-cell conventions: README.md.
 */
import {
  AKMA_TO_PS,
  FormatError,
  boxFromLengthsAngles,
  createFrame,
  serializeError,
  throwIfAborted,
  type Box,
  type ByteSource,
  type Frame,
  type FrameIndex,
  type FrameSource,
} from '@solvscope/core';
import { IndexedFrameSource } from '../base/indexed-frame-source.js';
import type { FormatDescriptor, OpenOptions } from '../format.js';
import { coordRecordBytes, detectDcdLayout, readDcdHeader, readMarker, type DcdHeader, type DcdHeaderWithFreeAtoms } from './dcd-header.js';

const HOST_LE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const RAD_TO_DEG = 180 / Math.PI;

/**
 * Box from a DCD unit-cell record `[A, γ, B, β, α, C]` (Å; angles in degrees, or their cosines
 * when all three angle slots are within [-1, 1], as CHARMM and NAMD ≥ 2.5 write them). Follows
 * MDAnalysis' DCDReader, including its fallback for CHARMM's shape-matrix form (a negative
 * "length" after the cosine test): the slots are then the lower triangle h11 h21 h22 h31 h32 h33.
 * @returns null when the cell is all zeros (no periodic box) or not a valid cell.
 */
export function dcdUnitCellToBox(uc: ArrayLike<number>): Box | null {
  for (let i = 0; i < 6; i++) if (!Number.isFinite(uc[i])) return null;
  let a = uc[0];
  let b = uc[2];
  let c = uc[5];
  let gamma = uc[1];
  let beta = uc[3];
  let alpha = uc[4];
  if (a === 0 && b === 0 && c === 0) return null;
  if (Math.abs(alpha) <= 1 && Math.abs(beta) <= 1 && Math.abs(gamma) <= 1) {
    alpha = 90 - Math.asin(alpha) * RAD_TO_DEG;
    beta = 90 - Math.asin(beta) * RAD_TO_DEG;
    gamma = 90 - Math.asin(gamma) * RAD_TO_DEG;
    if (a < 0 || b < 0 || c < 0) {
      const e1 = [uc[0], uc[1], uc[3]];
      const e2 = [uc[1], uc[2], uc[4]];
      const e3 = [uc[3], uc[4], uc[5]];
      const len = (v: number[]) => Math.hypot(v[0], v[1], v[2]);
      const ang = (u: number[], v: number[]) => Math.acos((u[0] * v[0] + u[1] * v[1] + u[2] * v[2]) / (len(u) * len(v))) * RAD_TO_DEG;
      a = len(e1);
      b = len(e2);
      c = len(e3);
      alpha = ang(e2, e3);
      beta = ang(e1, e3);
      gamma = ang(e1, e2);
    }
  }
  if (!(a > 0 && b > 0 && c > 0)) return null;
  if (!(alpha > 0 && alpha < 180 && beta > 0 && beta < 180 && gamma > 0 && gamma < 180)) return null;
  return boxFromLengthsAngles(a, b, c, alpha, beta, gamma);
}

/** Names of the records of one frame, in file order, with their payload sizes. */
function frameRecords(h: DcdHeader, n: number): { name: string; payload: number }[] {
  const recs: { name: string; payload: number }[] = [];
  if (h.hasUnitCell) recs.push({ name: 'unit-cell record', payload: 48 });
  for (const axis of h.has4D ? ['X', 'Y', 'Z', 'W'] : ['X', 'Y', 'Z']) recs.push({ name: `${axis} coordinate record`, payload: 4 * n });
  return recs;
}

/** Describe where a partial frame of `have` bytes is cut. */
function describeCut(h: DcdHeader, n: number, have: number): string {
  let p = 0;
  for (const r of frameRecords(h, n)) {
    const size = 2 * h.markerBytes + r.payload;
    if (have < p + size) return `the ${r.name} needs ${size} bytes, the file ends after ${have - p}`;
    p += size;
  }
  return `${have} bytes after the last complete frame`;
}

/** The header fields kept in `FrameIndex.extra.dcd` (plain data). */
function headerFacts(h: DcdHeaderWithFreeAtoms): DcdHeader {
  const { freeAtoms: _free, ...rest } = h;
  return rest;
}

/**
 * Build the frame index of a DCD file from its header and the file size (frames have a fixed
 * size). NSET is not trusted: files of crashed runs have NSET = 0 or a stale value, so the
 * frame count comes from the size; a mismatch is reported through `onWarning` (code
 * 'MISMATCH'), and a partial last frame goes to `index.tail` (code 'TRUNCATED').
 * @throws FormatError for a bad header, or when the first frame does not have the records the
 *   header flags announce.
 */
export async function scanDcdIndex(source: ByteSource, options: OpenOptions = {}): Promise<FrameIndex> {
  throwIfAborted(options.signal, { file: source.name, format: 'DCD' });
  const h = await readDcdHeader(source);
  const size = source.size;
  const avail = size - h.headerBytes;
  let n = 0;
  if (avail >= h.firstFrameBytes) n = 1 + Math.floor((avail - h.firstFrameBytes) / h.frameBytes);
  const offsets = new Float64Array(n + 1);
  offsets[0] = h.headerBytes;
  for (let k = 0; k < n; k++) offsets[k + 1] = offsets[k] + (k === 0 ? h.firstFrameBytes : h.frameBytes);
  const end = offsets[n];
  const index: FrameIndex = { format: 'dcd', atomCount: h.atomCount, offsets, fileSize: size, extra: { dcd: headerFacts(h) } };

  if (avail > 0) await checkFirstFrame(source, h);
  if (end < size) {
    const stored = n === 0 || h.fixedAtoms === 0 ? h.atomCount : h.atomCount - h.fixedAtoms;
    const err = new FormatError('TRUNCATED', `frame ${n} is incomplete: ${describeCut(h, stored, size - end)}`, {
      file: source.name,
      format: 'DCD',
      frame: n,
      byteOffset: end,
    });
    index.tail = serializeError(err);
  }
  if (h.nset !== 0 && h.nset !== n && options.onWarning) {
    options.onWarning(
      new FormatError('MISMATCH', `the header says NSET = ${h.nset} frames but the file holds ${n} complete frames; using the file size`, {
        file: source.name,
        format: 'DCD',
        byteOffset: h.markerBytes + 4,
      }),
    );
  }
  options.onScanProgress?.(size, size);
  return index;
}

/** The first frame must start with the records the header flags announce (catches wrong flags). */
async function checkFirstFrame(source: ByteSource, h: DcdHeader): Promise<void> {
  const ms = h.markerBytes;
  const at = h.headerBytes;
  const len = (h.hasUnitCell ? 2 * ms + 48 : 0) + ms;
  const b = await source.read(at, len);
  if (b.length < ms) return;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const le = h.littleEndian;
  let p = 0;
  const xWant = 4 * h.atomCount;
  if (h.hasUnitCell) {
    const m = readMarker(dv, 0, ms, le);
    if (m !== 48) {
      const hint = m === xWant ? ' (the header sets the unit-cell flag ICNTRL[10] but the frames have no unit cell)' : '';
      throw new FormatError('FORMAT', `the first frame should start with a 48-byte unit-cell record, found marker ${m}${hint}`, {
        file: source.name,
        format: 'DCD',
        frame: 0,
        byteOffset: at,
      });
    }
    p = 2 * ms + 48;
  }
  if (b.length < p + ms) return;
  const m = readMarker(dv, p, ms, le);
  if (m !== xWant) {
    const hint = !h.hasUnitCell && m === 48 ? ' (the frames start with a unit cell but the header flag ICNTRL[10] is 0)' : '';
    throw new FormatError('FORMAT', `the X coordinate record of the first frame has marker ${m}, expected ${xWant} (${h.atomCount} atoms)${hint}`, {
      file: source.name,
      format: 'DCD',
      frame: 0,
      byteOffset: at + p,
    });
  }
}

/** A DCD file as a FrameSource: positions in Å, box from the unit-cell record, time in ps. */
export class DcdFrameSource extends IndexedFrameSource {
  readonly header: DcdHeader;
  /** 0-based indices of the free atoms (NAMNF > 0), else null. */
  private readonly freeAtoms: Int32Array | null;
  /** Positions of frame 0 (the fixed atoms keep them in later frames), when NAMNF > 0. */
  private fixedPositions: Float32Array | null = null;
  private readonly cell = new Float64Array(6);

  constructor(source: ByteSource, index: FrameIndex, header: DcdHeaderWithFreeAtoms) {
    super('dcd', source, index);
    this.header = headerFacts(header);
    this.freeAtoms = header.freeAtoms;
  }

  /** @internal Read frame 0 once so later frames can fill in the fixed atoms. */
  async loadFixedAtoms(): Promise<void> {
    if (!this.freeAtoms || this.frameCount === 0) return;
    this.fixedPositions = (await this.readFrame(0, createFrame(this.atomCount))).positions.slice();
  }

  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    const h = this.header;
    const ms = h.markerBytes;
    const le = h.littleEndian;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const corrupt = (p: number, detail: string) => new FormatError('CORRUPT', detail, { byteOffset: byteOffset + p });
    const marker = (p: number, want: number, what: string) => {
      const m = readMarker(dv, p, ms, le);
      if (m !== want) throw corrupt(p, `the ${what} has record marker ${m}, expected ${want}`);
    };
    let p = 0;
    if (h.hasUnitCell) {
      marker(p, 48, 'unit-cell record');
      for (let k = 0; k < 6; k++) this.cell[k] = dv.getFloat64(p + ms + 8 * k, le);
      marker(p + ms + 48, 48, 'end of the unit-cell record');
      into.box = dcdUnitCellToBox(this.cell);
      p += 2 * ms + 48;
    } else {
      into.box = null;
    }
    const free = frame > 0 ? this.freeAtoms : null;
    const n = free ? free.length : h.atomCount;
    const pos = into.positions;
    if (free) pos.set(this.fixedPositions!);
    const axes = 'XYZ';
    for (let d = 0; d < 3; d++) {
      const what = `${axes[d]} coordinate record`;
      marker(p, 4 * n, what);
      const start = p + ms;
      if (le === HOST_LE && (bytes.byteOffset + start) % 4 === 0) {
        const f = new Float32Array(bytes.buffer, bytes.byteOffset + start, n);
        if (free) for (let k = 0; k < n; k++) pos[3 * free[k] + d] = f[k];
        else for (let k = 0; k < n; k++) pos[3 * k + d] = f[k];
      } else if (free) {
        for (let k = 0; k < n; k++) pos[3 * free[k] + d] = dv.getFloat32(start + 4 * k, le);
      } else {
        for (let k = 0; k < n; k++) pos[3 * k + d] = dv.getFloat32(start + 4 * k, le);
      }
      marker(start + 4 * n, 4 * n, `end of the ${what}`);
      p = start + 4 * n + ms;
    }
    if (h.has4D) {
      marker(p, 4 * n, 'W (4th dimension) record');
      marker(p + ms + 4 * n, 4 * n, 'end of the W (4th dimension) record');
    }
    for (let i = 0; i < pos.length; i++) {
      const v = pos[i];
      if (v - v !== 0) {
        const atom = Math.floor(i / 3);
        const d = i % 3;
        const rec = (h.hasUnitCell ? 2 * ms + 48 : 0) + d * coordRecordBytes(n, ms);
        const at = free ? rec : rec + ms + 4 * atom;
        throw corrupt(at, `atom ${atom + 1} has a non-finite ${axes[d]} coordinate (${v})`);
      }
    }
    const stepOk = h.nsavc > 0;
    into.step = stepOk ? h.istart + frame * h.nsavc : -1;
    into.time = stepOk && h.delta > 0 && Number.isFinite(h.delta) ? (h.istart + frame * h.nsavc) * h.delta * AKMA_TO_PS : NaN;
    into.velocities = null;
    into.forces = null;
  }
}

/**
 * Open a DCD trajectory (scanning unless `options.index` is given).
 * Units: positions Å (as stored), box Å, time ps = (ISTART + i·NSAVC)·DELTA·0.04888821.
 * @throws FormatError for a bad header (see {@link readDcdHeader}) or first frame.
 */
export async function openDcd(source: ByteSource, options: OpenOptions = {}): Promise<FrameSource> {
  const header = await readDcdHeader(source);
  const index = options.index ?? (await scanDcdIndex(source, options));
  if (index.atomCount !== header.atomCount) {
    throw new FormatError('MISMATCH', `the cached index has ${index.atomCount} atoms, the header ${header.atomCount}`, {
      file: source.name,
      format: 'DCD',
    });
  }
  const src = new DcdFrameSource(source, index, header);
  await src.loadFixedAtoms();
  return src;
}

/** Registry entry for DCD. */
export const dcdFormat: FormatDescriptor = {
  name: 'dcd',
  label: 'DCD',
  extensions: ['dcd'],
  description: 'CHARMM/NAMD/OpenMM/MDAnalysis binary trajectory (float32 Å, optional unit cell)',
  sniff: (head) => detectDcdLayout(head) !== null,
  units: { length: 'A', time: 'AKMA' },
  capabilities: { positions: true, velocities: false, forces: false, box: true, time: true, topology: false, write: false, trajectory: true },
  scanIndex: scanDcdIndex,
  open: openDcd,
};
