/**
 * GROMACS .gro reader: single- and multi-frame files, any coordinate precision, optional
 * velocities, rectangular or triclinic boxes. Layout and spec link: README.md.
 *
 * From the GROMACS manual: "Lines contain the following information (top to bottom): title
 * string (free format string, optional time in ps after 't='), number of atoms (free format
 * integer), one line for each atom (fixed format), box vectors (free format, space separated
 * reals), values: v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y), the last 6 values may
 * be omitted (they will be set to zero)." Atom lines are `%5d%-5s%5s%5d%8.3f%8.3f%8.3f` with
 * optional velocities `%8.4f%8.4f%8.4f`; "any precision can be used" with field width
 * precision + 5, which readers detect from the distance between decimal points.
 */
import {
  FormatError,
  NM_TO_A,
  SolvscopeError,
  isValidBox,
  serializeError,
  throwIfAborted,
  type ByteSource,
  type ErrorCode,
  type ErrorContext,
  type Frame,
  type FrameIndex,
  type FrameSource,
  type SerializedError,
  type TopologyInit,
} from '@solvscope/core';
import { IndexedFrameSource } from '../base/indexed-frame-source.js';
import type { FormatDescriptor, OpenOptions } from '../format.js';
import { ByteLineCursor, isBlankBytes } from '../text/byte-line-cursor.js';
import { reduceCell, rotateTriplets } from '../text/lattice-rotation.js';
import { LineReader, latin1 } from '../text/line-reader.js';
import { parseFloatAscii, parseIntAscii, splitFields } from '../text/numbers.js';
import { parseTitleTime } from '../text/title-time.js';
import { createGroWriter } from './gro-writer.js';

const FORMAT = 'GRO';
const DOT = 46;
/** Coordinates start in column 21 (0-based 20): `%5d%-5s%5s%5d` before them. */
const COORD_START = 20;

function ctx(file: string, line: number, lineText: string, byteOffset: number, frame?: number): ErrorContext {
  const c: ErrorContext = { file, format: FORMAT, line, lineText, byteOffset };
  if (frame !== undefined) c.frame = frame;
  return c;
}

/**
 * Field width of the coordinate columns of an atom line `b[s, e)`, from the distance between
 * the decimal points of x, y and z as GROMACS does (width = precision + 5, so the point of x is
 * in column 25). Returns a message instead when the line does not fit that pattern.
 */
export function groFieldWidth(b: Uint8Array, s: number, e: number): number | string {
  const p1 = b.indexOf(DOT, s + COORD_START);
  if (p1 < 0 || p1 >= e) return 'no decimal point in the coordinate columns (from column 21)';
  if (p1 !== s + COORD_START + 4) return `the x coordinate's decimal point is in column ${p1 - s + 1}, expected column 25 (fields of precision + 5 columns from column 21)`;
  const p2 = b.indexOf(DOT, p1 + 1);
  if (p2 < 0 || p2 >= e) return 'only one decimal point in the coordinate columns';
  const w = p2 - p1;
  const p3 = b.indexOf(DOT, p2 + 1);
  if (p3 < 0 || p3 >= e || p3 - p2 !== w) return `the spacing of the decimal points is not consistent for x, y and z (x to y is ${w} columns)`;
  if (w < 6) return `coordinate fields of ${w} columns are too narrow (at least 6: precision + 5)`;
  return w;
}

/** Box line fields: 3 or 9 finite numbers (nm). Returns the count, or a message. */
function checkBoxLine(b: Uint8Array, s: number, e: number, fields: number[], out: Float64Array): number | string {
  const nf = splitFields(b, s, e, fields);
  if (nf !== 3 && nf !== 9) return `expected the box line (3 or 9 numbers), found ${nf} fields`;
  for (let k = 0; k < nf; k++) {
    const v = parseFloatAscii(b, fields[2 * k], fields[2 * k + 1]);
    if (!Number.isFinite(v)) return `box value ${k + 1} '${latin1(b, fields[2 * k], fields[2 * k + 1])}' is not a finite number`;
    out[k] = v;
  }
  for (let k = nf; k < 9; k++) out[k] = 0;
  return nf;
}

/**
 * True if every box field has the same number of decimals (GROMACS writes `%10.5f`). Used only
 * for an unterminated last line, to tell a complete box line from one cut by truncation.
 */
function boxFieldsConsistent(b: Uint8Array, fields: number[], nf: number): boolean {
  let dec = -1;
  for (let k = 0; k < nf; k++) {
    const s = fields[2 * k];
    const e = fields[2 * k + 1];
    const p = b.indexOf(DOT, s);
    if (p < 0 || p >= e) return false;
    const d = e - p - 1;
    if (d === 0 || (dec >= 0 && d !== dec)) return false;
    dec = d;
  }
  return true;
}

/** Box rows (Å) from the nine GRO values (nm) in file order. */
function groBoxRows(v: Float64Array): Float64Array {
  // v1(x) v2(y) v3(z) v1(y) v1(z) v2(x) v2(z) v3(x) v3(y)
  return new Float64Array([v[0], v[3], v[4], v[5], v[1], v[6], v[7], v[8], v[2]].map((x) => x * NM_TO_A));
}

/**
 * Build the frame index of a GRO file: per frame, the title line, the atom count line, N atom
 * lines skipped without parsing, and the box line (checked to hold 3 or 9 numbers). Trailing
 * blank lines are ignored. A frame cut by the end of the file (missing atom or box lines, a cut
 * box line) goes to `index.tail`; a malformed count or box line followed by more data, or a
 * frame with a different atom count, is an error.
 * @throws FormatError (FORMAT / CORRUPT) naming the file, frame, line and quoting the line.
 */
export async function scanGroIndex(source: ByteSource, options: OpenOptions = {}): Promise<FrameIndex> {
  const file = source.name;
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  let atomCount = -1;
  let tail: SerializedError | undefined;
  let endOffset = 0;
  let endLine = 1;
  const fields: number[] = [];
  const boxv = new Float64Array(9);
  const terminated = (b: Uint8Array) => lr.offset > lr.lastOffset + b.length;
  const truncated = (frame: number, detail: string, line: number, lineText: string | undefined, byteOffset: number) => {
    const c: ErrorContext = { file, format: FORMAT, frame, line, byteOffset };
    if (lineText !== undefined) c.lineText = lineText;
    tail = serializeError(new FormatError('TRUNCATED', detail, c));
  };
  for (let frame = 0; ; frame++) {
    if ((frame & 63) === 0) {
      throwIfAborted(options.signal, { file, format: FORMAT, frame });
      options.onScanProgress?.(lr.offset, source.size);
    }
    const titleOffset = lr.offset;
    const titleLine = lr.line;
    const title = await lr.nextBytes();
    if (title === null) break;
    const titleBlank = isBlankBytes(title);
    const titleText = latin1(title);
    const count = await lr.nextBytes();
    if (count === null) {
      if (!titleBlank) truncated(frame, `the file ends after the title line of frame ${frame}`, titleLine, titleText, titleOffset);
      break;
    }
    const countLine = lr.line - 1;
    const countOffset = lr.lastOffset;
    const countText = latin1(count);
    if (titleBlank && isBlankBytes(count)) {
      // Trailing blank lines are fine; anything after them is not.
      let b: Uint8Array | null;
      while ((b = await lr.nextBytes()) !== null) {
        if (!isBlankBytes(b)) {
          throw new FormatError('CORRUPT', 'text after blank lines where a frame title and atom count were expected', ctx(file, lr.line - 1, latin1(b), lr.lastOffset, frame));
        }
      }
      break;
    }
    const n = parseIntAscii(count, 0, count.length);
    if (!Number.isInteger(n) || n < 0) {
      if (!terminated(count) && lr.offset >= source.size) {
        truncated(frame, `the atom count line of frame ${frame} is cut`, countLine, countText, countOffset);
        break;
      }
      throw new FormatError('CORRUPT', 'expected the number of atoms (an integer) on the line after the title', ctx(file, countLine, countText, countOffset, frame));
    }
    if (atomCount < 0) atomCount = n;
    else if (n !== atomCount) {
      if (!terminated(count) && lr.offset >= source.size) {
        truncated(frame, `the atom count line of frame ${frame} is cut`, countLine, countText, countOffset);
        break;
      }
      throw new FormatError('FORMAT', `frame ${frame} has ${n} atoms, frame 0 has ${atomCount}`, ctx(file, countLine, countText, countOffset, frame));
    }
    const got = await lr.skip(n);
    if (got < n) {
      truncated(frame, `frame ${frame} needs ${n} atom lines, the file ends after ${got}`, lr.line - 1, undefined, titleOffset);
      break;
    }
    const boxLineNo = lr.line;
    const box = await lr.nextBytes();
    if (box === null) {
      const last = n > 0 && source.size > 0 ? await source.read(source.size - 1, 1) : null;
      const cutLine = last !== null && last.length === 1 && last[0] !== 10;
      const detail = cutLine ? `frame ${frame}: the file ends inside atom line ${n} (no box line)` : `frame ${frame} has no box line (the file ends after its ${n} atom lines)`;
      truncated(frame, detail, boxLineNo - (cutLine ? 1 : 0), undefined, lr.offset);
      break;
    }
    const atEnd = !terminated(box) && lr.offset >= source.size;
    const nf = checkBoxLine(box, 0, box.length, fields, boxv);
    if (typeof nf === 'string' || (atEnd && !boxFieldsConsistent(box, fields, nf))) {
      const boxText = latin1(box);
      if (atEnd) {
        truncated(frame, `the box line of frame ${frame} is cut`, boxLineNo, boxText, lr.lastOffset);
        break;
      }
      throw new FormatError('CORRUPT', `${nf} after ${n} atom lines`, ctx(file, boxLineNo, boxText, lr.lastOffset, frame));
    }
    offsets.push(titleOffset);
    lines.push(titleLine);
    endOffset = lr.offset;
    endLine = lr.line;
  }
  if (offsets.length === 0 && !tail) throw new FormatError('FORMAT', 'the file holds no GRO frame', { file, format: FORMAT, byteOffset: 0, line: 1 });
  offsets.push(offsets.length ? endOffset : 0);
  lines.push(offsets.length > 1 ? endLine : 1);
  options.onScanProgress?.(source.size, source.size);
  const index: FrameIndex = {
    format: 'gro',
    atomCount: Math.max(0, atomCount),
    offsets: Float64Array.from(offsets),
    lines: Float64Array.from(lines),
    fileSize: source.size,
  };
  if (tail) index.tail = tail;
  return index;
}

/** A GRO file as a FrameSource: positions and velocities converted from nm to Å, box rows in Å. */
export class GroFrameSource extends IndexedFrameSource {
  private readonly boxv = new Float64Array(9);
  private readonly fields: number[] = [];
  private readonly onWarning?: (w: SolvscopeError) => void;
  private warnedBox = false;

  constructor(source: ByteSource, index: FrameIndex, options: OpenOptions = {}) {
    super('gro', source, index);
    this.onWarning = options.onWarning;
  }

  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    const cur = new ByteLineCursor(bytes, this.index.lines ? this.index.lines[frame] : 1);
    const b = bytes;
    const fail = (code: ErrorCode, detail: string): FormatError =>
      new FormatError(code, detail, { line: cur.line, lineText: cur.text(), byteOffset: byteOffset + cur.start });
    const n = this.atomCount;
    if (!cur.next()) throw new FormatError('TRUNCATED', 'the frame has no title line', { byteOffset });
    const { time, step } = parseTitleTime(cur.text());
    if (!cur.next()) throw fail('TRUNCATED', 'the frame has no atom count line');
    const count = parseIntAscii(b, cur.start, cur.end);
    if (count !== n) throw fail('MISMATCH', `the atom count line says ${count}, the index ${n}`);
    const pos = into.positions;
    let w = 8;
    let vel: Float32Array | null = null;
    for (let k = 0; k < n; k++) {
      if (!cur.next()) throw new FormatError('TRUNCATED', `the frame ends after ${k} of ${n} atom lines`, { byteOffset: byteOffset + b.length });
      const s = cur.start;
      const len = cur.end - s;
      if (k === 0) {
        const width = groFieldWidth(b, s, cur.end);
        if (typeof width === 'string') throw fail('CORRUPT', `cannot find the coordinate columns of the first atom line: ${width}`);
        w = width;
        if (len >= COORD_START + 6 * w) vel = into.velocities && into.velocities.length === pos.length ? into.velocities : new Float32Array(pos.length);
      }
      if (len < COORD_START + 3 * w) throw fail('CORRUPT', `atom line ${k + 1} is too short for 3 coordinates of ${w} columns from column 21`);
      for (let d = 0; d < 3; d++) {
        const fs = s + COORD_START + d * w;
        const v = parseFloatAscii(b, fs, fs + w);
        if (!Number.isFinite(v)) throw fail('CORRUPT', `the ${'xyz'[d]} coordinate '${latin1(b, fs, fs + w).trim()}' (columns ${fs - s + 1}-${fs - s + w}) is not a finite number`);
        pos[3 * k + d] = v * NM_TO_A;
      }
      if (vel) {
        if (len < COORD_START + 6 * w) throw fail('CORRUPT', `atom line ${k + 1} has no velocities but the first atom line has`);
        for (let d = 0; d < 3; d++) {
          const fs = s + COORD_START + (3 + d) * w;
          const v = parseFloatAscii(b, fs, fs + w);
          if (!Number.isFinite(v)) throw fail('CORRUPT', `the ${'xyz'[d]} velocity '${latin1(b, fs, fs + w).trim()}' (columns ${fs - s + 1}-${fs - s + w}) is not a finite number`);
          vel[3 * k + d] = v * NM_TO_A;
        }
      }
    }
    if (!cur.next()) throw new FormatError('TRUNCATED', 'the frame has no box line', { byteOffset: byteOffset + b.length });
    const nf = checkBoxLine(b, cur.start, cur.end, this.fields, this.boxv);
    if (typeof nf === 'string') throw fail('CORRUPT', nf);
    into.box = this.toBox(frame, pos, vel, n);
    into.velocities = vel;
    into.forces = null;
    into.time = time;
    into.step = step;
  }

  /** Box from the GRO values; rotates positions (and velocities) when the cell is not reduced. */
  private toBox(frame: number, pos: Float32Array, vel: Float32Array | null, n: number): Float64Array | null {
    const v = this.boxv;
    let allZero = true;
    for (let k = 0; k < 9; k++) if (v[k] !== 0) allZero = false;
    if (allZero) return null;
    const rows = groBoxRows(v);
    if (rows[1] === 0 && rows[2] === 0 && rows[5] === 0) {
      if (isValidBox(rows)) return rows;
    } else {
      const red = reduceCell(rows);
      if (red) {
        if (red.rotation) {
          rotateTriplets(pos, n, red.rotation);
          if (vel) rotateTriplets(vel, n, red.rotation);
        }
        return red.box;
      }
    }
    if (!this.warnedBox && this.onWarning) {
      this.warnedBox = true;
      this.onWarning(new FormatError('FORMAT', 'the box line does not describe a 3-D periodic cell; frames get no box', { file: this.name, format: FORMAT, frame }));
    }
    return null;
  }
}

/**
 * Open a GRO file (one or more frames) as a FrameSource, scanning unless `options.index` is
 * given. Units: positions Å (from nm), velocities Å/ps (from nm/ps), box Å, time ps from the
 * title's `t=` (NaN when absent).
 * @throws FormatError from {@link scanGroIndex}.
 */
export async function openGro(source: ByteSource, options: OpenOptions = {}): Promise<FrameSource> {
  const index = options.index ?? (await scanGroIndex(source, options));
  return new GroFrameSource(source, index, options);
}

/**
 * Names, residue names and residue numbers of the first frame of a GRO file. Residue numbers
 * are as written (GROMACS wraps them at 100000, so 99999 is followed by 0); residues are told
 * apart by a change of number or name between consecutive atoms (see buildTopology).
 * @throws FormatError (TRUNCATED when the file ends before the last atom line, CORRUPT for a
 *   malformed count or atom line) naming the file and line and quoting it.
 */
export async function readGroTopology(source: ByteSource, options: OpenOptions = {}): Promise<TopologyInit> {
  const file = source.name;
  throwIfAborted(options.signal, { file, format: FORMAT });
  const lr = new LineReader(source);
  const title = await lr.nextBytes();
  if (title === null) throw new FormatError('FORMAT', 'the file is empty', { file, format: FORMAT, line: 1, byteOffset: 0 });
  const countBytes = await lr.nextBytes();
  if (countBytes === null) throw new FormatError('TRUNCATED', 'the file ends after the title line', { file, format: FORMAT, line: 1, byteOffset: 0 });
  const n = parseIntAscii(countBytes, 0, countBytes.length);
  if (!Number.isInteger(n) || n < 0) {
    throw new FormatError('CORRUPT', 'expected the number of atoms (an integer) on the line after the title', ctx(file, 2, latin1(countBytes), lr.lastOffset, 0));
  }
  if (n * 16 > source.size - lr.offset) {
    throw new FormatError('TRUNCATED', `${n} atom lines need at least ${n * 16} bytes, the file has ${source.size - lr.offset} after the atom count`, ctx(file, 2, latin1(countBytes), lr.lastOffset, 0));
  }
  const names = new Array<string>(n);
  const resnames = new Array<string>(n);
  const resids = new Int32Array(n);
  const prev = new Uint8Array(5);
  let lastResname = '';
  for (let k = 0; k < n; k++) {
    const b = await lr.nextBytes();
    if (b === null) throw new FormatError('TRUNCATED', `the file ends after ${k} of ${n} atom lines`, { file, format: FORMAT, frame: 0, line: lr.line, byteOffset: lr.offset });
    if (b.length < 15) throw new FormatError('CORRUPT', `atom line ${k + 1} is too short for residue number, residue name and atom name (15 columns)`, ctx(file, lr.line - 1, latin1(b), lr.lastOffset, 0));
    const r = parseIntAscii(b, 0, 5);
    if (!Number.isInteger(r)) throw new FormatError('CORRUPT', `the residue number '${latin1(b, 0, 5).trim()}' (columns 1-5) is not an integer`, ctx(file, lr.line - 1, latin1(b), lr.lastOffset, 0));
    resids[k] = r;
    // Residue names repeat atom after atom: reuse the previous string when the bytes match.
    let same = k > 0;
    for (let i = 0; same && i < 5; i++) if (b[5 + i] !== prev[i]) same = false;
    if (!same) {
      lastResname = latin1(b, 5, 10).trim();
      prev.set(b.subarray(5, 10));
    }
    resnames[k] = lastResname;
    names[k] = latin1(b, 10, 15).trim();
  }
  return { atomCount: n, names, resnames, resids, source: file };
}

/** First-bytes check: an integer atom count on line 2 and, when there are atoms, GRO coordinate columns on line 3. */
export function sniffGro(head: Uint8Array): boolean {
  const nl1 = head.indexOf(10);
  if (nl1 < 0) return false;
  const nl2 = head.indexOf(10, nl1 + 1);
  if (nl2 < 0) return false;
  let e2 = nl2;
  if (e2 > nl1 + 1 && head[e2 - 1] === 13) e2--;
  const n = parseIntAscii(head, nl1 + 1, e2);
  if (!Number.isInteger(n) || n < 0) return false;
  let nl3 = head.indexOf(10, nl2 + 1);
  if (nl3 < 0) nl3 = head.length;
  if (n === 0) return typeof checkBoxLine(head, nl2 + 1, nl3, [], new Float64Array(9)) === 'number';
  return typeof groFieldWidth(head, nl2 + 1, nl3) === 'number';
}

/** Registry entry for GRO. */
export const groFormat: FormatDescriptor = {
  name: 'gro',
  label: 'GRO',
  extensions: ['gro'],
  description: 'GROMACS coordinate file (single or multi-frame, fixed columns in nm, optional velocities)',
  sniff: sniffGro,
  units: { length: 'nm', time: 'ps' },
  capabilities: { positions: true, velocities: true, forces: false, box: true, time: true, topology: true, write: true, trajectory: true },
  scanIndex: scanGroIndex,
  open: openGro,
  readTopology: readGroTopology,
  createWriter: createGroWriter,
};
