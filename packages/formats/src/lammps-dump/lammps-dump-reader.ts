/**
 * LAMMPS text dump reader (`dump atom` / `dump custom`). Layout and spec link in README.md.
 *
 * Units: LAMMPS 'real' or 'metal' (both Å), so positions are taken as Å. Times: the dump stores
 * the MD step (Frame.step); Frame.time = step × `timestepPs` when that option is given, else
 * ITEM: TIME converted by the unit style (ITEM: UNITS or the `units` option), else NaN.
 * Atoms are put in id order (atom with the smallest id first), whatever order the lines are in.
 */
import {
  FormatError,
  OptionError,
  SolvscopeError,
  errorFromJSON,
  throwIfAborted,
  type ByteSource,
  type ErrorCode,
  type Frame,
  type FrameIndex,
  type SerializedError,
} from '@solvscope/core';
import { IndexedFrameSource } from '../base/indexed-frame-source.js';
import type { OpenOptions } from '../format.js';
import { ByteLineCursor, fieldBounds, isBlankBytes } from '../text/byte-line-cursor.js';
import { checkFinalLine } from '../text/final-line-check.js';
import { rotateTriplets } from '../text/lattice-rotation.js';
import { LineReader, latin1 } from '../text/line-reader.js';
import { parseFloatAscii, parseIntAscii } from '../text/numbers.js';
import { DumpFrameHeader, DumpHeaderError, dumpCell, parseDumpColumns, type DumpCell, type DumpColumns } from './dump-header.js';

/** Format label used in error messages. */
export const LAMMPS_DUMP_LABEL = 'LAMMPS dump';

/** LAMMPS unit styles whose lengths are Å. */
export type LammpsUnitStyle = 'real' | 'metal';

/** Options of {@link openLammpsDump} and {@link scanLammpsDumpIndex}. */
export interface LammpsDumpOptions extends OpenOptions {
  /**
   * MD timestep in ps (e.g. 0.002 for 2 fs). Frame.time = TIMESTEP × timestepPs. Without it
   * Frame.time comes from ITEM: TIME when the unit style is known, else it is NaN.
   */
  timestepPs?: number;
  /**
   * Unit style of the run ('real': time fs, velocity Å/fs, force kcal/(mol·Å); 'metal': ps,
   * Å/ps, eV/Å), used when the dump has no ITEM: UNITS. Velocities and forces are read only
   * when the unit style is known (from the file or this option).
   */
  units?: LammpsUnitStyle;
}

const UNIT_FACTORS: Record<LammpsUnitStyle, { time: number; velocity: number; force: number }> = {
  // fs → ps; Å/fs → Å/ps; kcal/(mol·Å) → kJ/(mol·Å)
  real: { time: 1e-3, velocity: 1e3, force: 4.184 },
  // ps; Å/ps; eV/Å → kJ/(mol·Å) (1 eV = 96.485332 kJ/mol)
  metal: { time: 1, velocity: 1, force: 96.48533212 },
};

function checkOptions(options: LammpsDumpOptions): void {
  const dt = options.timestepPs;
  if (dt !== undefined && !(typeof dt === 'number' && Number.isFinite(dt) && dt > 0)) {
    throw new OptionError('OPTION', `timestepPs must be a positive number of ps (got ${JSON.stringify(dt)})`, { option: 'timestepPs' });
  }
  if (options.units !== undefined && !(options.units in UNIT_FACTORS)) {
    throw new OptionError('OPTION', `units must be one of 'real', 'metal' (got ${JSON.stringify(options.units)})`, { option: 'units' });
  }
}

/**
 * Unit style of a frame: ITEM: UNITS wins over the option.
 * @throws DumpHeaderError for a unit style whose lengths are not Å.
 */
function unitStyle(header: DumpFrameHeader, option: LammpsUnitStyle | undefined): LammpsUnitStyle | null {
  if (header.units !== null) {
    if (header.units === 'real' || header.units === 'metal') return header.units;
    throw new DumpHeaderError(`unit style '${header.units}' is not supported: solvscope reads 'real' and 'metal' dumps (lengths in Å)`);
  }
  return option ?? null;
}

/** Smallest bytes an atom line with `cols` columns can take ("1 1 0 0 0\n"). */
const minAtomBytes = (cols: number) => 2 * cols;

/**
 * Build the frame index: per frame parse the header (TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS,
 * ATOMS) and skip N atom lines without decoding them. A frame cut short at the end of the file
 * ends the scan (the index keeps the complete frames, `tail` holds the TRUNCATED error); text
 * after the last frame that starts no further frame becomes a CORRUPT `tail`.
 *
 * `index.extra` holds `{ columns, boxKind, boundary, units }` of frame 0.
 * @throws FormatError 'CORRUPT' for a malformed header inside the file (naming the frame, line
 *   and quoting it), 'FORMAT' when the atom count changes between frames or the file has no
 *   frame, 'TRUNCATED' when not even the first frame is complete.
 * @throws OptionError for a bad `timestepPs` or `units`. AbortError when `options.signal` fires.
 */
export async function scanLammpsDumpIndex(source: ByteSource, options: LammpsDumpOptions = {}): Promise<FrameIndex> {
  checkOptions(options);
  const file = source.name;
  const format = LAMMPS_DUMP_LABEL;
  const lr = new LineReader(source);
  const endsWithNewline = source.size === 0 || (await source.read(source.size - 1, 1))[0] === 10;
  const offsets: number[] = [];
  const lines: number[] = [];
  let atomCount = -1;
  let endOffset = 0;
  let endLine = 1;
  let tail: SerializedError | undefined;
  let extra: Record<string, unknown> | undefined;
  let frame = 0;
  let reported = 0;
  let warnedVelocities = false;
  const atUnterminatedEnd = () => lr.offset >= source.size && !endsWithNewline;
  const fail = (code: ErrorCode, detail: string, line: number, byteOffset: number, lineText?: string) =>
    new FormatError(code, detail, { file, format, frame, line, byteOffset, lineText });

  scan: for (;;) {
    throwIfAborted(options.signal, { file, format, frame });
    let b = await lr.nextBytes();
    while (b !== null && isBlankBytes(b)) b = await lr.nextBytes();
    if (b === null) break;
    const frameStart = lr.lastOffset;
    const frameLine = lr.line - 1;
    const header = new DumpFrameHeader();
    for (;;) {
      const text = latin1(b);
      const lineNo = lr.line - 1;
      let done: boolean;
      try {
        done = header.feed(text, lineNo);
      } catch (e) {
        if (!(e instanceof DumpHeaderError)) throw e;
        if (atUnterminatedEnd()) {
          tail = fail('TRUNCATED', `the file ends inside the header of frame ${frame} (${e.message})`, lineNo, lr.lastOffset, text).toJSON();
          break scan;
        }
        if (header.atStart && frame > 0 && !(await timestepFollows(lr))) {
          tail = fail('CORRUPT', `unexpected text after the last complete frame: ${e.message}`, lineNo, lr.lastOffset, text).toJSON();
          break scan;
        }
        const hint = header.atStart && frame > 0 ? ` (frame ${frame - 1} may have more or fewer atom lines than its NUMBER OF ATOMS)` : '';
        throw fail('CORRUPT', e.message + hint, lineNo, lr.lastOffset, text);
      }
      if (done) break;
      b = await lr.nextBytes();
      if (b === null) {
        tail = fail('TRUNCATED', `the file ends inside the header of frame ${frame}, before ${header.describeExpected()}`, lr.line - 1, lr.lastOffset).toJSON();
        break scan;
      }
    }
    const atomsLine = lr.line - 1;
    const atomsText = latin1(b);
    let cols: DumpColumns;
    let units: LammpsUnitStyle | null;
    try {
      cols = parseDumpColumns(header.columnsText);
      units = unitStyle(header, options.units);
      dumpCell(header);
    } catch (e) {
      if (!(e instanceof DumpHeaderError)) throw e;
      if (atUnterminatedEnd()) {
        tail = fail('TRUNCATED', `the file ends inside the ATOMS header of frame ${frame} (${e.message})`, atomsLine, lr.lastOffset, atomsText).toJSON();
        break;
      }
      throw fail(e.line !== undefined ? 'CORRUPT' : 'FORMAT', e.message, e.line ?? atomsLine, frameStart, e.lineText ?? atomsText);
    }
    const n = header.atoms;
    if (atomCount >= 0 && n !== atomCount) {
      throw fail('FORMAT', `frame ${frame} has ${n} atoms but frame 0 has ${atomCount}; a trajectory must have the same atoms in every frame`, frameLine, frameStart);
    }
    const remaining = source.size - lr.offset;
    if (n > 0 && n * minAtomBytes(cols.count) - 1 > remaining) {
      tail = fail('TRUNCATED', `frame ${frame} declares ${n} atoms (at least ${n * minAtomBytes(cols.count) - 1} bytes of atom lines) but only ${remaining} bytes remain`, atomsLine, frameStart).toJSON();
      break;
    }
    const got = await lr.skip(n);
    if (got < n) {
      tail = fail('TRUNCATED', `frame ${frame} needs ${n} atom lines, the file ends after ${got}`, lr.line - 1, lr.lastOffset).toJSON();
      break;
    }
    if (n > 0 && atUnterminatedEnd()) {
      // The last line has no newline: it may be an atom line cut mid-way (see checkFinalLine).
      const v = await checkFinalLine(source, lr.lastOffset, cols.count);
      if (!v.complete) {
        tail = fail('TRUNCATED', `the last atom line of frame ${frame} has no newline and looks cut short (${v.fields} of ${cols.count} columns)`, lr.line - 1, lr.lastOffset, v.text).toJSON();
        break;
      }
    }
    if (atomCount < 0) {
      atomCount = n;
      extra = { columns: cols.names, boxKind: header.boxKind, boundary: header.boundary, units: header.units };
      if (header.boundary.length === 3 && header.boundary.some((f) => f !== 'pp')) {
        options.onWarning?.(
          new SolvscopeError('UNSUPPORTED', `boundary '${header.boundary.join(' ')}' is not periodic in every direction; the box is still used for minimum-image distances`, {
            file,
            format,
            frame,
            line: header.boxLine,
          }),
        );
      }
    }
    if (!warnedVelocities && (cols.vel || cols.force) && !units) {
      warnedVelocities = true;
      options.onWarning?.(
        new SolvscopeError('UNSUPPORTED', "velocities/forces are ignored: the dump has no 'ITEM: UNITS'; pass the units option ('real' or 'metal') to read them", {
          file,
          format,
          frame,
          line: atomsLine,
        }),
      );
    }
    offsets.push(frameStart);
    lines.push(frameLine);
    endOffset = lr.offset;
    endLine = lr.line;
    frame++;
    if (options.onScanProgress && lr.offset - reported >= 16 << 20) {
      reported = lr.offset;
      options.onScanProgress(lr.offset, source.size);
    }
  }
  if (offsets.length === 0) {
    if (tail) throw errorFromJSON(tail);
    throw new FormatError('FORMAT', 'no LAMMPS dump frame found (the file is empty)', { file, format, line: 1, byteOffset: 0 });
  }
  options.onScanProgress?.(source.size, source.size);
  offsets.push(endOffset);
  lines.push(endLine);
  return {
    format: 'lammps-dump',
    atomCount,
    offsets: Float64Array.from(offsets),
    lines: Float64Array.from(lines),
    fileSize: source.size,
    ...(tail ? { tail } : {}),
    ...(extra ? { extra } : {}),
  };
}

/** Whether any later line is `ITEM: TIMESTEP` (i.e. bad text is not just trailing garbage). */
async function timestepFollows(lr: LineReader): Promise<boolean> {
  for (;;) {
    const s = await lr.next();
    if (s === null) return false;
    if (s.trim() === 'ITEM: TIMESTEP') return true;
  }
}

/**
 * A LAMMPS text-dump trajectory. Positions Å (scaled coordinates converted with the frame's
 * cell, r = origin + s·H), in atom-id order; Frame.step = TIMESTEP; Frame.time as documented on
 * {@link LammpsDumpOptions}; velocities Å/ps and forces kJ/(mol·Å) when the unit style is known.
 */
export class LammpsDumpFrameSource extends IndexedFrameSource {
  private readonly timestepPs: number | undefined;
  private readonly unitsOption: LammpsUnitStyle | undefined;
  private cols: DumpColumns | null = null;
  private bounds = new Int32Array(16);
  private raw = new Float64Array(0);
  private rawVel = new Float64Array(0);
  private rawForce = new Float64Array(0);
  private ids = new Float64Array(0);
  private dest = new Int32Array(0);
  private seen = new Uint8Array(0);

  constructor(source: ByteSource, index: FrameIndex, options: LammpsDumpOptions = {}) {
    super('lammps-dump', source, index);
    this.timestepPs = options.timestepPs;
    this.unitsOption = options.units;
  }

  protected override get formatLabel(): string {
    return LAMMPS_DUMP_LABEL;
  }

  private columnsFor(text: string): DumpColumns {
    if (this.cols && this.cols.names.join(' ') === text.split(/\s+/).filter(Boolean).join(' ')) return this.cols;
    this.cols = parseDumpColumns(text);
    if (this.bounds.length < 2 * this.cols.count) this.bounds = new Int32Array(2 * this.cols.count);
    return this.cols;
  }

  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    const n = this.atomCount;
    const cur = new ByteLineCursor(bytes, this.index.lines ? this.index.lines[frame] : 1);
    const fail = (code: ErrorCode, detail: string, line = cur.line, start = cur.start, lineText: string | null = cur.text()) =>
      new FormatError(code, detail, { file: this.name, format: LAMMPS_DUMP_LABEL, frame, line, byteOffset: byteOffset + start, ...(lineText !== null ? { lineText } : {}) });
    const header = new DumpFrameHeader();
    do {
      if (!cur.next()) throw fail('TRUNCATED', 'the frame is empty', cur.line, 0, null);
    } while (cur.isBlank());
    let cols: DumpColumns;
    let cell: DumpCell;
    let units: LammpsUnitStyle | null;
    try {
      while (!header.feed(cur.text(), cur.line)) {
        if (!cur.next()) throw fail('TRUNCATED', `the frame ends inside its header, before ${header.describeExpected()}`, cur.line, cur.end, null);
      }
      cols = this.columnsFor(header.columnsText);
      cell = dumpCell(header);
      units = unitStyle(header, this.unitsOption);
    } catch (e) {
      if (e instanceof DumpHeaderError) throw fail('CORRUPT', e.message, e.line ?? cur.line, cur.start, e.lineText ?? cur.text());
      throw e;
    }
    if (header.atoms !== n) throw fail('CORRUPT', `expected ${n} atoms, the header says ${header.atoms}`);
    const factors = units ? UNIT_FACTORS[units] : null;
    const readVel = cols.vel !== null && factors !== null;
    const readForce = cols.force !== null && factors !== null;
    if (this.raw.length !== 3 * n) {
      this.raw = new Float64Array(3 * n);
      this.ids = new Float64Array(n);
      this.dest = new Int32Array(n);
      this.seen = new Uint8Array(n);
    }
    if (readVel && this.rawVel.length !== 3 * n) this.rawVel = new Float64Array(3 * n);
    if (readForce && this.rawForce.length !== 3 * n) this.rawForce = new Float64Array(3 * n);
    const { raw, rawVel, rawForce, ids, bounds } = this;
    const ncol = cols.count;
    const idc = cols.id;
    const [px, py, pz] = cols.pos;
    const firstAtomLine = cur.line + 1;
    const num = (col: number, what: string, i: number): number => {
      const v = parseFloatAscii(bytes, bounds[2 * col], bounds[2 * col + 1]);
      if (!Number.isFinite(v)) {
        throw fail('CORRUPT', `${what} (column '${cols.names[col]}') of the ${ordinal(i + 1)} atom line is not a finite number ('${latin1(bytes, bounds[2 * col], bounds[2 * col + 1])}')`);
      }
      return v;
    };
    for (let i = 0; i < n; i++) {
      if (!cur.next()) throw fail('TRUNCATED', `the frame has ${i} of ${n} atom lines`, cur.line, cur.end, null);
      const nf = fieldBounds(bytes, cur.start, cur.end, bounds);
      if (nf !== ncol) throw fail('CORRUPT', `atom line has ${nf} values, 'ITEM: ATOMS ${header.columnsText}' names ${ncol} columns`);
      if (idc >= 0) {
        const id = parseIntAscii(bytes, bounds[2 * idc], bounds[2 * idc + 1]);
        if (!Number.isSafeInteger(id)) throw fail('CORRUPT', `atom id '${latin1(bytes, bounds[2 * idc], bounds[2 * idc + 1])}' is not an integer`);
        ids[i] = id;
      }
      raw[3 * i] = num(px, 'x', i);
      raw[3 * i + 1] = num(py, 'y', i);
      raw[3 * i + 2] = num(pz, 'z', i);
      if (readVel) {
        const [a, b, c] = cols.vel!;
        rawVel[3 * i] = num(a, 'vx', i);
        rawVel[3 * i + 1] = num(b, 'vy', i);
        rawVel[3 * i + 2] = num(c, 'vz', i);
      }
      if (readForce) {
        const [a, b, c] = cols.force!;
        rawForce[3 * i] = num(a, 'fx', i);
        rawForce[3 * i + 1] = num(b, 'fy', i);
        rawForce[3 * i + 2] = num(c, 'fz', i);
      }
    }
    // Line i goes to atom dest[i]: ids 1..N map directly; other ids are ranked ascending.
    const dest = this.dest;
    if (idc < 0) {
      for (let i = 0; i < n; i++) dest[i] = i;
    } else if (!this.mapDirect(n)) {
      const order = new Uint32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => ids[a] - ids[b]);
      for (let k = 0; k < n; k++) {
        if (k > 0 && ids[order[k]] === ids[order[k - 1]]) {
          const l1 = firstAtomLine + Math.min(order[k], order[k - 1]);
          const l2 = firstAtomLine + Math.max(order[k], order[k - 1]);
          throw fail('CORRUPT', `atom id ${ids[order[k]]} appears twice (lines ${l1} and ${l2})`, l2, 0, null);
        }
        dest[order[k]] = k;
      }
    }
    if (into.positions.length !== 3 * n) into.positions = new Float32Array(3 * n);
    const pos = into.positions;
    if (cols.coords === 'xs' || cols.coords === 'xsu') {
      const h = cell.h;
      const [ox, oy, oz] = cell.origin;
      for (let i = 0; i < n; i++) {
        const s0 = raw[3 * i];
        const s1 = raw[3 * i + 1];
        const s2 = raw[3 * i + 2];
        const d = 3 * dest[i];
        pos[d] = ox + s0 * h[0] + s1 * h[3] + s2 * h[6];
        pos[d + 1] = oy + s0 * h[1] + s1 * h[4] + s2 * h[7];
        pos[d + 2] = oz + s0 * h[2] + s1 * h[5] + s2 * h[8];
      }
    } else {
      for (let i = 0; i < n; i++) {
        const d = 3 * dest[i];
        pos[d] = raw[3 * i];
        pos[d + 1] = raw[3 * i + 1];
        pos[d + 2] = raw[3 * i + 2];
      }
    }
    if (cell.rotation) rotateTriplets(pos, n, cell.rotation);
    into.velocities = readVel ? this.scatter(rawVel, into.velocities, n, factors!.velocity, cell.rotation) : null;
    into.forces = readForce ? this.scatter(rawForce, into.forces, n, factors!.force, cell.rotation) : null;
    if (into.box) into.box.set(cell.box);
    else into.box = cell.box;
    into.step = header.step;
    if (this.timestepPs !== undefined) into.time = header.step * this.timestepPs;
    else if (factors && Number.isFinite(header.time)) into.time = header.time * factors.time;
    else into.time = NaN;
  }

  /** If the ids are exactly 1..n (any order), set dest = id - 1 and return true. */
  private mapDirect(n: number): boolean {
    const { ids, dest, seen } = this;
    seen.fill(0);
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (id < 1 || id > n || seen[id - 1]) return false;
      seen[id - 1] = 1;
      dest[i] = id - 1;
    }
    return true;
  }

  private scatter(raw: Float64Array, out: Float32Array | null, n: number, factor: number, rot: Float64Array | null): Float32Array {
    const v = out && out.length === 3 * n ? out : new Float32Array(3 * n);
    const dest = this.dest;
    for (let i = 0; i < n; i++) {
      const d = 3 * dest[i];
      v[d] = raw[3 * i] * factor;
      v[d + 1] = raw[3 * i + 1] * factor;
      v[d + 2] = raw[3 * i + 2] * factor;
    }
    if (rot) rotateTriplets(v, n, rot);
    return v;
  }
}

function ordinal(k: number): string {
  const s = k % 100 >= 11 && k % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][k % 10] ?? 'th');
  return `${k}${s}`;
}

/**
 * Open a LAMMPS text dump (scanning it unless `options.index` is a matching index of the same
 * file size).
 * @throws OptionError for a bad `timestepPs` or `units`.
 * @throws FormatError as {@link scanLammpsDumpIndex}; later frame errors come from readFrame.
 */
export async function openLammpsDump(source: ByteSource, options: LammpsDumpOptions = {}): Promise<LammpsDumpFrameSource> {
  checkOptions(options);
  const given = options.index;
  const index = given && given.format === 'lammps-dump' && given.fileSize === source.size ? given : await scanLammpsDumpIndex(source, options);
  return new LammpsDumpFrameSource(source, index, options);
}
