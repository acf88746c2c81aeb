/**
 * XYZ and extended XYZ reader. Record layout and spec links in README.md. Each frame is
 *
 *     N                      atom count
 *     comment                free text, or extended-XYZ key=value pairs
 *     sym x y z [...]        N atom lines; columns from Properties= (default species + pos)
 *
 * Positions are Å. The box comes only from `Lattice=` (plain XYZ has none: Frame.box = null).
 */
import {
  FormatError,
  OptionError,
  errorFromJSON,
  throwIfAborted,
  type ByteSource,
  type ErrorCode,
  type Frame,
  type FrameIndex,
  type SerializedError,
  type TopologyInit,
} from '@solvscope/core';
import { IndexedFrameSource } from '../base/indexed-frame-source.js';
import type { OpenOptions } from '../format.js';
import { ByteLineCursor, fieldBounds, isBlankBytes } from '../text/byte-line-cursor.js';
import { checkFinalLine } from '../text/final-line-check.js';
import { reduceCell, rotateTriplets } from '../text/lattice-rotation.js';
import { LineReader, latin1 } from '../text/line-reader.js';
import { parseFloatAscii, parseIntAscii } from '../text/numbers.js';
import { ExtxyzCommentError, parseXyzComment, type XyzCommentInfo } from './extxyz-comment.js';

/** Format label used in error messages. */
export const XYZ_LABEL = 'XYZ';

/** Options of {@link openXyz} and {@link scanXyzIndex}. */
export interface XyzOpenOptions extends OpenOptions {
  /**
   * Unit of `Time=` / `time=` in extended-XYZ comment lines. There is no standard; default
   * 'ps', which is what solvscope's own writer writes. Frame.time is always ps.
   */
  timeUnit?: 'ps' | 'fs';
  /**
   * Unit of a `velo:R:3` column. Velocities are read only when this is given, because writers
   * disagree ('A/fs' is the libAtoms/QUIP convention); without it Frame.velocities is null.
   */
  velocityUnit?: 'A/ps' | 'A/fs';
}

/** Shortest possible atom line: `H 0 0 0\n`. Used to reject impossible atom counts early. */
const MIN_ATOM_LINE_BYTES = 8;

function checkOptions(options: XyzOpenOptions): void {
  if (options.timeUnit !== undefined && options.timeUnit !== 'ps' && options.timeUnit !== 'fs') {
    throw new OptionError('OPTION', `timeUnit must be 'ps' or 'fs' (got ${JSON.stringify(options.timeUnit)})`, { option: 'timeUnit' });
  }
  if (options.velocityUnit !== undefined && options.velocityUnit !== 'A/ps' && options.velocityUnit !== 'A/fs') {
    throw new OptionError('OPTION', `velocityUnit must be 'A/ps' or 'A/fs' (got ${JSON.stringify(options.velocityUnit)})`, { option: 'velocityUnit' });
  }
}

async function lastByteIsNewline(source: ByteSource): Promise<boolean> {
  if (source.size === 0) return true;
  const b = await source.read(source.size - 1, 1);
  return b.length === 1 && b[0] === 10;
}

/**
 * Build the frame index: per frame read the count and comment lines and skip N atom lines
 * without decoding them. A frame cut short at the end of the file ends the scan: the index keeps
 * the complete frames and `tail` holds the TRUNCATED error.
 *
 * @returns the index (offsets of each frame's count line, 1-based line numbers in `lines`).
 * @throws FormatError 'CORRUPT' for a non-integer count line or a bad extended-XYZ comment
 *   inside the file, 'FORMAT' when the atom count changes between frames or the file holds
 *   no frame, 'TRUNCATED' when not even the first frame is complete; every error names the
 *   file, frame and line and quotes the line.
 * @throws AbortError when `options.signal` fires.
 */
export async function scanXyzIndex(source: ByteSource, options: XyzOpenOptions = {}): Promise<FrameIndex> {
  const file = source.name;
  const format = XYZ_LABEL;
  const lr = new LineReader(source);
  const endsWithNewline = await lastByteIsNewline(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  let atomCount = -1;
  let endOffset = 0;
  let endLine = 1;
  let tail: SerializedError | undefined;
  let frame = 0;
  let reported = 0;
  const atUnterminatedEnd = () => lr.offset >= source.size && !endsWithNewline;
  const fail = (code: ErrorCode, detail: string, line: number, byteOffset: number, lineText?: string) =>
    new FormatError(code, detail, { file, format, frame, line, byteOffset, lineText });

  for (;;) {
    throwIfAborted(options.signal, { file, format, frame });
    let b = await lr.nextBytes();
    while (b !== null && isBlankBytes(b)) b = await lr.nextBytes();
    if (b === null) break;
    const frameStart = lr.lastOffset;
    const frameLine = lr.line - 1;
    const countText = latin1(b);
    const n = parseIntAscii(b, 0, b.length);
    if (!(n >= 0)) {
      if (atUnterminatedEnd()) {
        tail = fail('TRUNCATED', `the file ends inside the atom-count line of frame ${frame}`, frameLine, frameStart, countText).toJSON();
        break;
      }
      throw fail('CORRUPT', `expected the atom count of frame ${frame} (a non-negative integer), found '${countText.trim()}'`, frameLine, frameStart, countText);
    }
    const c = await lr.nextBytes();
    if (c === null) {
      tail = fail('TRUNCATED', `the file ends after the atom-count line of frame ${frame} (comment and ${n} atom lines missing)`, frameLine, frameStart, countText).toJSON();
      break;
    }
    const commentLine = lr.line - 1;
    const commentText = latin1(c);
    let info: XyzCommentInfo;
    try {
      info = parseXyzComment(commentText);
    } catch (e) {
      if (!(e instanceof ExtxyzCommentError)) throw e;
      if (atUnterminatedEnd()) {
        tail = fail('TRUNCATED', `the file ends inside the comment line of frame ${frame}`, commentLine, lr.lastOffset, commentText).toJSON();
        break;
      }
      throw fail('CORRUPT', e.message, commentLine, lr.lastOffset, commentText);
    }
    if (atomCount >= 0 && n !== atomCount) {
      throw fail('FORMAT', `frame ${frame} has ${n} atoms but frame 0 has ${atomCount}; a trajectory must have the same atoms in every frame`, frameLine, frameStart, countText);
    }
    const remaining = source.size - lr.offset;
    if (n > 0 && n * MIN_ATOM_LINE_BYTES - 1 > remaining) {
      tail = fail('TRUNCATED', `frame ${frame} declares ${n} atoms (at least ${n * MIN_ATOM_LINE_BYTES - 1} bytes of atom lines) but only ${remaining} bytes remain`, frameLine, frameStart, countText).toJSON();
      break;
    }
    const got = await lr.skip(n);
    if (got < n) {
      tail = fail('TRUNCATED', `frame ${frame} needs ${n} atom lines, the file ends after ${got}`, lr.line - 1, lr.lastOffset).toJSON();
      break;
    }
    if (n > 0 && atUnterminatedEnd()) {
      // The last line has no newline: it may be an atom line cut mid-way (see checkFinalLine).
      const v = await checkFinalLine(source, lr.lastOffset, info.columns.fieldCount, true);
      if (!v.complete) {
        tail = fail('TRUNCATED', `the last atom line of frame ${frame} has no newline and looks cut short (${v.fields} columns; Properties=${info.columns.text} needs ${info.columns.fieldCount})`, lr.line - 1, lr.lastOffset, v.text).toJSON();
        break;
      }
    }
    offsets.push(frameStart);
    lines.push(frameLine);
    endOffset = lr.offset;
    endLine = lr.line;
    if (atomCount < 0) atomCount = n;
    frame++;
    if (options.onScanProgress && lr.offset - reported >= 16 << 20) {
      reported = lr.offset;
      options.onScanProgress(lr.offset, source.size);
    }
  }
  if (offsets.length === 0) {
    if (tail) throw errorFromJSON(tail);
    throw new FormatError('FORMAT', 'no XYZ frame found (the file is empty)', { file, format, line: 1, byteOffset: 0 });
  }
  options.onScanProgress?.(source.size, source.size);
  offsets.push(endOffset);
  lines.push(endLine);
  return {
    format: 'xyz',
    atomCount,
    offsets: Float64Array.from(offsets),
    lines: Float64Array.from(lines),
    fileSize: source.size,
    ...(tail ? { tail } : {}),
  };
}

/**
 * An XYZ / extended-XYZ trajectory. Frame.time comes from `Time=` (NaN when absent), Frame.step
 * from `step=` (-1 when absent), Frame.box from `Lattice=` (null when absent or `pbc="F F F"`).
 * A Lattice with `a` off the x axis is rotated into solvscope's reduced form together with the
 * coordinates.
 */
export class XyzFrameSource extends IndexedFrameSource {
  private bounds = new Int32Array(8);
  private readonly timeFactor: number;
  private readonly velocityFactor: number;

  constructor(source: ByteSource, index: FrameIndex, options: XyzOpenOptions = {}) {
    super('xyz', source, index);
    this.timeFactor = options.timeUnit === 'fs' ? 1e-3 : 1;
    this.velocityFactor = options.velocityUnit === 'A/fs' ? 1000 : options.velocityUnit === 'A/ps' ? 1 : 0;
  }

  protected override get formatLabel(): string {
    return XYZ_LABEL;
  }

  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    const n = this.atomCount;
    const cur = new ByteLineCursor(bytes, this.index.lines ? this.index.lines[frame] : 1);
    const fail = (code: ErrorCode, detail: string, quote = true) =>
      new FormatError(code, detail, {
        file: this.name,
        format: XYZ_LABEL,
        frame,
        line: cur.line,
        byteOffset: byteOffset + cur.start,
        ...(quote ? { lineText: cur.text() } : {}),
      });
    do {
      if (!cur.next()) throw fail('TRUNCATED', 'the frame is empty', false);
    } while (cur.isBlank());
    const count = parseIntAscii(bytes, cur.start, cur.end);
    if (count !== n) throw fail('CORRUPT', `expected the atom count ${n}, found '${cur.text().trim()}'`);
    if (!cur.next()) throw fail('TRUNCATED', 'the comment line is missing', false);
    const commentLine = cur.line;
    const commentStart = cur.start;
    const commentText = cur.text();
    let info: XyzCommentInfo;
    try {
      info = parseXyzComment(commentText);
    } catch (e) {
      if (e instanceof ExtxyzCommentError) throw fail('CORRUPT', e.message);
      throw e;
    }
    const cols = info.columns;
    const readVel = cols.velo >= 0 && this.velocityFactor > 0;
    const need = Math.max(cols.pos + 3, readVel ? cols.velo + 3 : 0);
    if (this.bounds.length < 2 * need) this.bounds = new Int32Array(2 * need);
    const bounds = this.bounds;
    if (into.positions.length !== 3 * n) into.positions = new Float32Array(3 * n);
    const pos = into.positions;
    let vel: Float32Array | null = null;
    if (readVel) {
      vel = into.velocities && into.velocities.length === 3 * n ? into.velocities : new Float32Array(3 * n);
    }
    const p0 = cols.pos;
    const v0 = cols.velo;
    const vf = this.velocityFactor;
    for (let i = 0; i < n; i++) {
      if (!cur.next()) throw fail('TRUNCATED', `the frame has ${i} of ${n} atom lines`, false);
      const nf = fieldBounds(bytes, cur.start, cur.end, bounds);
      if (nf < cols.fieldCount) {
        throw fail('CORRUPT', `atom ${i + 1} has ${nf} columns, Properties=${cols.text} needs ${cols.fieldCount}`);
      }
      for (let d = 0; d < 3; d++) {
        const k = 2 * (p0 + d);
        const v = parseFloatAscii(bytes, bounds[k], bounds[k + 1]);
        if (!Number.isFinite(v)) {
          throw fail('CORRUPT', `${'xyz'[d]} coordinate of atom ${i + 1} is not a finite number ('${latin1(bytes, bounds[k], bounds[k + 1])}')`);
        }
        pos[3 * i + d] = v;
      }
      if (vel) {
        for (let d = 0; d < 3; d++) {
          const k = 2 * (v0 + d);
          const v = parseFloatAscii(bytes, bounds[k], bounds[k + 1]);
          if (!Number.isFinite(v)) {
            throw fail('CORRUPT', `velocity ${'xyz'[d]} of atom ${i + 1} is not a finite number ('${latin1(bytes, bounds[k], bounds[k + 1])}')`);
          }
          vel[3 * i + d] = v * vf;
        }
      }
    }
    into.box = null;
    if (info.lattice && !(info.pbc && !info.pbc[0] && !info.pbc[1] && !info.pbc[2])) {
      const red = reduceCell(info.lattice);
      if (!red) {
        throw new FormatError('CORRUPT', 'Lattice is singular (zero volume) or not finite', {
          file: this.name,
          format: XYZ_LABEL,
          frame,
          line: commentLine,
          byteOffset: byteOffset + commentStart,
          lineText: commentText,
        });
      }
      if (red.rotation) {
        rotateTriplets(pos, n, red.rotation);
        if (vel) rotateTriplets(vel, n, red.rotation);
      }
      into.box = red.box;
    }
    into.velocities = vel;
    into.forces = null;
    into.time = info.time * this.timeFactor;
    into.step = info.step;
  }
}

/**
 * Open an XYZ or extended-XYZ trajectory (scanning it unless `options.index` is a matching
 * index of the same file size).
 * @throws OptionError for a bad `timeUnit` / `velocityUnit`.
 * @throws FormatError as {@link scanXyzIndex}; later frame errors come from readFrame.
 */
export async function openXyz(source: ByteSource, options: XyzOpenOptions = {}): Promise<XyzFrameSource> {
  checkOptions(options);
  const given = options.index;
  const index = given && given.format === 'xyz' && given.fileSize === source.size ? given : await scanXyzIndex(source, options);
  return new XyzFrameSource(source, index, options);
}

/**
 * Atom names and elements from the first frame's species column (`symbol` in plain XYZ, the
 * `species` / first string column in extended XYZ). Elements are the species as written
 * ('' when not an element symbol, so that buildTopology guesses from the name); without a
 * species column every atom is named 'X'.
 * @throws FormatError naming file, frame 0 and line for a missing or short frame.
 */
export async function readXyzTopology(source: ByteSource, options: OpenOptions = {}): Promise<TopologyInit> {
  const file = source.name;
  const format = XYZ_LABEL;
  const lr = new LineReader(source);
  const fail = (code: ErrorCode, detail: string, lineText?: string) =>
    new FormatError(code, detail, { file, format, frame: 0, line: lr.line - 1, byteOffset: lr.lastOffset, lineText });
  let b = await lr.nextBytes();
  while (b !== null && isBlankBytes(b)) b = await lr.nextBytes();
  if (b === null) throw new FormatError('FORMAT', 'no XYZ frame found (the file is empty)', { file, format, line: 1, byteOffset: 0 });
  const n = parseIntAscii(b, 0, b.length);
  if (!(n >= 0)) throw fail('CORRUPT', `expected the atom count (a non-negative integer), found '${latin1(b).trim()}'`, latin1(b));
  if (n * MIN_ATOM_LINE_BYTES - 1 > source.size - lr.offset) {
    throw fail('TRUNCATED', `frame 0 declares ${n} atoms but only ${source.size - lr.offset} bytes remain`, latin1(b));
  }
  const c = await lr.next();
  if (c === null) throw fail('TRUNCATED', 'the comment line of frame 0 is missing');
  let info: XyzCommentInfo;
  try {
    info = parseXyzComment(c);
  } catch (e) {
    if (e instanceof ExtxyzCommentError) throw fail('CORRUPT', e.message, c);
    throw e;
  }
  const sp = info.columns.species;
  const names = new Array<string>(n);
  const bounds = new Int32Array(2 * (sp + 1));
  for (let i = 0; i < n; i++) {
    throwIfAborted(options.signal, { file, format, frame: 0 });
    const a = await lr.nextBytes();
    if (a === null) throw fail('TRUNCATED', `frame 0 has ${i} of ${n} atom lines`);
    if (sp < 0) {
      names[i] = 'X';
      continue;
    }
    const nf = fieldBounds(a, 0, a.length, bounds);
    if (nf <= sp) throw fail('CORRUPT', `atom ${i + 1} has no species column`, latin1(a));
    names[i] = latin1(a, bounds[2 * sp], bounds[2 * sp + 1]);
  }
  return { atomCount: n, names, elements: names.slice(), source: file };
}
