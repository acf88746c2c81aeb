/**
 * DCD header (CHARMM, NAMD, OpenMM, MDAnalysis, LAMMPS writers). Fortran unformatted records:
 * every record is `marker | payload | marker`, marker = payload length as int32 (int64 for
 * CHARMM builds with 8-byte record markers), in the writer's byte order.
 *
 *     record 1 (84 bytes)  'CORD' + int32 ICNTRL[20]
 *                          ICNTRL[0] NSET    frames in the file (0 / stale after a crash)
 *                          ICNTRL[1] ISTART  MD step of the first frame
 *                          ICNTRL[2] NSAVC   steps between frames
 *                          ICNTRL[8] NAMNF   number of fixed atoms
 *                          ICNTRL[9] DELTA   float32 time step, AKMA units (X-PLOR: float64 in [9..10])
 *                          ICNTRL[10]        1 = every frame starts with a unit-cell record (CHARMM)
 *                          ICNTRL[11]        1 = every frame has a 4th coordinate record (CHARMM)
 *                          ICNTRL[19]        CHARMM version; 0 = X-PLOR layout
 *     record 2 (title)     int32 NTITLE + NTITLE × 80 characters
 *     record 3 (4 bytes)   int32 NATOM
 *     record 4 (NAMNF > 0) int32 × (NATOM − NAMNF): 1-based indices of the free atoms
 *
 * See README.md for the frame records.
 */
import { FormatError, type ByteSource, type ErrorContext } from '@solvscope/core';

/** Everything the frame decoder needs, as plain data (it is stored in `FrameIndex.extra`). */
export interface DcdHeader {
  littleEndian: boolean;
  /** Fortran record marker size in bytes. */
  markerBytes: 4 | 8;
  /** NSET as written (may be 0 or stale). */
  nset: number;
  istart: number;
  nsavc: number;
  /** Time step in AKMA units (1 AKMA = 0.04888821 ps). */
  delta: number;
  /** Number of fixed atoms (NAMNF). */
  fixedAtoms: number;
  /** ICNTRL[19] (CHARMM version), 0 for X-PLOR files. */
  charmmVersion: number;
  /** Frames start with a unit-cell record of 6 float64. */
  hasUnitCell: boolean;
  /** Frames carry a 4th coordinate record (skipped). */
  has4D: boolean;
  /** The title lines, right-trimmed and joined with '\n'. */
  title: string;
  atomCount: number;
  /** Byte size of the header (offset of the first frame). */
  headerBytes: number;
  /** Byte size of the first frame (all atoms, also when atoms are fixed). */
  firstFrameBytes: number;
  /** Byte size of every later frame (free atoms only when NAMNF > 0). */
  frameBytes: number;
}

export interface DcdHeaderWithFreeAtoms extends DcdHeader {
  /** 0-based indices of the free atoms when NAMNF > 0, else null. */
  freeAtoms: Int32Array | null;
}

const CORD = [0x43, 0x4f, 0x52, 0x44];

function hasCord(b: Uint8Array, at: number): boolean {
  return b.length >= at + 4 && b[at] === CORD[0] && b[at + 1] === CORD[1] && b[at + 2] === CORD[2] && b[at + 3] === CORD[3];
}

/**
 * Byte order and marker size from the first record marker (84) and the CORD magic, or null if
 * the bytes do not start like a DCD file.
 */
export function detectDcdLayout(head: Uint8Array): { littleEndian: boolean; markerBytes: 4 | 8 } | null {
  if (head.length < 12) return null;
  const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (hasCord(head, 4)) {
    if (dv.getInt32(0, true) === 84) return { littleEndian: true, markerBytes: 4 };
    if (dv.getInt32(0, false) === 84) return { littleEndian: false, markerBytes: 4 };
  }
  if (hasCord(head, 8)) {
    if (dv.getInt32(0, true) === 84 && dv.getInt32(4, true) === 0) return { littleEndian: true, markerBytes: 8 };
    if (dv.getInt32(0, false) === 0 && dv.getInt32(4, false) === 84) return { littleEndian: false, markerBytes: 8 };
  }
  return null;
}

/** Read a record marker (int32 or int64) at `p`; returns -1 for values that cannot be a length. */
export function readMarker(dv: DataView, p: number, markerBytes: 4 | 8, le: boolean): number {
  if (markerBytes === 4) return dv.getInt32(p, le);
  const lo = dv.getUint32(p + (le ? 0 : 4), le);
  const hi = dv.getInt32(p + (le ? 4 : 0), le);
  if (hi < 0 || hi > 0x1fffff) return -1;
  return hi * 4294967296 + lo;
}

/** Bytes of one coordinate record for `n` atoms. */
export function coordRecordBytes(n: number, markerBytes: number): number {
  return 2 * markerBytes + 4 * n;
}

/** Bytes of one frame with `n` stored atoms. */
export function dcdFrameBytes(h: Pick<DcdHeader, 'markerBytes' | 'hasUnitCell' | 'has4D'>, n: number): number {
  const cell = h.hasUnitCell ? 2 * h.markerBytes + 48 : 0;
  return cell + (h.has4D ? 4 : 3) * coordRecordBytes(n, h.markerBytes);
}

/**
 * Parse the DCD header.
 * @throws FormatError 'FORMAT' when the file is not a DCD, 'TRUNCATED' when it ends inside the
 *   header, 'CORRUPT' when a record marker or count is impossible; the context names the file
 *   and the byte offset.
 */
export async function readDcdHeader(source: ByteSource): Promise<DcdHeaderWithFreeAtoms> {
  const ctx = (byteOffset: number): ErrorContext => ({ file: source.name, format: 'DCD', byteOffset });
  const size = source.size;
  let buf = await source.read(0, Math.min(size, 4096));
  const layout = detectDcdLayout(buf);
  if (!layout) {
    if (size < 12) throw new FormatError('TRUNCATED', `the file has ${size} bytes, too few for a DCD header`, ctx(0));
    throw new FormatError('FORMAT', 'not a DCD file: expected a first record of 84 bytes starting with CORD', ctx(0));
  }
  const { littleEndian: le, markerBytes: ms } = layout;
  const ensure = async (end: number, what: string, at: number): Promise<void> => {
    if (end > size) throw new FormatError('TRUNCATED', `${what} needs ${end - at} bytes, file ends after ${size - at}`, ctx(at));
    if (end > buf.length) buf = await source.read(0, end);
  };
  const dv = () => new DataView(buf.buffer, buf.byteOffset, buf.byteLength);

  // record 1: CORD + ICNTRL[20]
  await ensure(2 * ms + 84, 'the CORD header record', 0);
  let v = dv();
  const icntrl = (k: number) => v.getInt32(ms + 4 + 4 * k, le);
  const end1 = readMarker(v, ms + 84, ms, le);
  if (end1 !== 84) throw new FormatError('CORRUPT', `the CORD header record ends with marker ${end1}, expected 84`, ctx(ms + 84));
  const nset = icntrl(0);
  const istart = icntrl(1);
  const nsavc = icntrl(2);
  const fixedAtoms = icntrl(8);
  const charmmVersion = icntrl(19);
  const charmm = charmmVersion !== 0;
  const delta = charmm ? v.getFloat32(ms + 4 + 36, le) : v.getFloat64(ms + 4 + 36, le);
  const hasUnitCell = charmm && icntrl(10) !== 0;
  const has4D = charmm && icntrl(11) !== 0;

  // record 2: title
  let p = 2 * ms + 84;
  await ensure(p + ms, 'the title record marker', p);
  v = dv();
  const tlen = readMarker(v, p, ms, le);
  if (tlen < 4 || tlen > 1 << 26) throw new FormatError('CORRUPT', `the title record marker is ${tlen}, not a plausible length`, ctx(p));
  await ensure(p + 2 * ms + tlen, 'the title record', p);
  v = dv();
  const ntitle = v.getInt32(p + ms, le);
  const lines: string[] = [];
  const tstart = p + ms + 4;
  const tbytes = tlen - 4;
  const nlines = ntitle > 0 ? Math.min(ntitle, Math.floor(tbytes / 80)) : 0;
  for (let k = 0; k < nlines; k++) {
    let s = '';
    for (let i = 0; i < 80; i++) {
      const c = buf[tstart + 80 * k + i];
      if (c === 0) break;
      s += String.fromCharCode(c);
    }
    lines.push(s.replace(/\s+$/, ''));
  }
  const tend = readMarker(v, p + ms + tlen, ms, le);
  if (tend !== tlen) throw new FormatError('CORRUPT', `the title record ends with marker ${tend}, expected ${tlen}`, ctx(p + ms + tlen));
  p += 2 * ms + tlen;

  // record 3: NATOM
  await ensure(p + 2 * ms + 4, 'the atom-count record', p);
  v = dv();
  const nmark = readMarker(v, p, ms, le);
  const nend = readMarker(v, p + ms + 4, ms, le);
  if (nmark !== 4 || nend !== 4) {
    throw new FormatError('CORRUPT', `the atom-count record has markers ${nmark}/${nend}, expected 4/4`, ctx(nmark !== 4 ? p : p + ms + 4));
  }
  const atomCount = v.getInt32(p + ms, le);
  if (atomCount < 1) throw new FormatError('CORRUPT', `the atom count is ${atomCount}`, ctx(p + ms));
  p += 2 * ms + 4;

  // record 4: free-atom indices
  let freeAtoms: Int32Array | null = null;
  if (fixedAtoms < 0 || fixedAtoms >= atomCount) {
    throw new FormatError('CORRUPT', `NAMNF (fixed atoms) is ${fixedAtoms} for ${atomCount} atoms`, ctx(ms + 4 + 32));
  }
  if (fixedAtoms > 0) {
    const nfree = atomCount - fixedAtoms;
    const want = 4 * nfree;
    await ensure(p + ms, 'the free-atom record marker', p);
    v = dv();
    const fm = readMarker(v, p, ms, le);
    if (fm !== want) throw new FormatError('CORRUPT', `the free-atom record marker is ${fm}, expected ${want} (${nfree} free atoms)`, ctx(p));
    await ensure(p + 2 * ms + want, 'the free-atom record', p);
    v = dv();
    freeAtoms = new Int32Array(nfree);
    for (let k = 0; k < nfree; k++) {
      const idx = v.getInt32(p + ms + 4 * k, le);
      if (idx < 1 || idx > atomCount) {
        throw new FormatError('CORRUPT', `free atom ${k} has index ${idx}, outside 1..${atomCount}`, ctx(p + ms + 4 * k));
      }
      freeAtoms[k] = idx - 1;
    }
    const fe = readMarker(v, p + ms + want, ms, le);
    if (fe !== want) throw new FormatError('CORRUPT', `the free-atom record ends with marker ${fe}, expected ${want}`, ctx(p + ms + want));
    p += 2 * ms + want;
  }

  const shape = { markerBytes: ms, hasUnitCell, has4D };
  return {
    littleEndian: le,
    markerBytes: ms,
    nset,
    istart,
    nsavc,
    delta,
    fixedAtoms,
    charmmVersion,
    hasUnitCell,
    has4D,
    title: lines.join('\n'),
    atomCount,
    headerBytes: p,
    firstFrameBytes: dcdFrameBytes(shape, atomCount),
    frameBytes: dcdFrameBytes(shape, atomCount - fixedAtoms),
    freeAtoms,
  };
}
