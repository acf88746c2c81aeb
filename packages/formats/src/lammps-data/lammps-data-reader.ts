/**
 * LAMMPS data file reader (the input of `read_data`, the output of `write_data`), used as a
 * topology: types, masses, charges, molecule ids and bonds; plus the coordinates and box as a
 * single frame. Layout and spec link in README.md.
 *
 * Units: positions and box in Å (LAMMPS 'real' and 'metal' units); masses g/mol; charges e.
 */
import {
  FormatError,
  OptionError,
  SolvscopeError,
  createFrame,
  resolveRange,
  type Box,
  type ByteSource,
  type ErrorCode,
  type Frame,
  type FrameIndex,
  type FrameSource,
  type FramesOptions,
  type TopologyInit,
} from '@solvscope/core';
import type { OpenOptions } from '../format.js';
import { fieldBounds } from '../text/byte-line-cursor.js';
import { reduceCell, rotateTriplets } from '../text/lattice-rotation.js';
import { LineReader, latin1 } from '../text/line-reader.js';
import { parseFloatAscii, parseIntAscii } from '../text/numbers.js';

/** Format label used in error messages. */
export const LAMMPS_DATA_LABEL = 'LAMMPS data';

/** Atom styles whose Atoms lines solvscope reads. */
export type LammpsAtomStyle = 'full' | 'charge' | 'atomic' | 'molecular' | 'bond' | 'angle';

/** Column positions of one atom style (0-based, -1 when the style has no such column). */
interface StyleLayout {
  cols: number;
  mol: number;
  type: number;
  q: number;
  x: number;
}

/** Atoms-section columns per style (https://docs.lammps.org/read_data.html#format-of-the-body-of-a-data-file). */
const STYLES: Record<LammpsAtomStyle, StyleLayout> = {
  full: { cols: 7, mol: 1, type: 2, q: 3, x: 4 }, //       atom-ID molecule-ID atom-type q x y z
  charge: { cols: 6, mol: -1, type: 1, q: 2, x: 3 }, //    atom-ID atom-type q x y z
  atomic: { cols: 5, mol: -1, type: 1, q: -1, x: 2 }, //   atom-ID atom-type x y z
  molecular: { cols: 6, mol: 1, type: 2, q: -1, x: 3 }, // atom-ID molecule-ID atom-type x y z
  bond: { cols: 6, mol: 1, type: 2, q: -1, x: 3 },
  angle: { cols: 6, mol: 1, type: 2, q: -1, x: 3 },
};
const STYLE_NAMES = Object.keys(STYLES).join(', ');

/** Options of {@link readLammpsDataTopology}, {@link readLammpsData} and {@link openLammpsData}. */
export interface LammpsDataOptions extends OpenOptions {
  /**
   * Atom style of the Atoms section. Default: the comment after the section name
   * (`Atoms # full`, as write_data writes it), else guessed from the column count
   * (7 or 10 → full, 5 or 8 → atomic; 6 or 9 is ambiguous and needs this option).
   */
  atomStyle?: LammpsAtomStyle;
  /** Unit style for the Velocities section ('real': Å/fs, 'metal': Å/ps); velocities are read only when given. */
  units?: 'real' | 'metal';
}

/** Everything solvscope takes from a data file. */
export interface LammpsData {
  topology: TopologyInit;
  /** Å, in atom-id order. */
  positions: Float32Array;
  /** Reduced cell in Å (lower-triangular). */
  box: Box;
  /** Å/ps, or null (no Velocities section or no `units` option). */
  velocities: Float32Array | null;
  /** Image flags ix iy iz per atom when the Atoms lines have them, else null. */
  images: Int32Array | null;
  /** The atom style used. */
  atomStyle: LammpsAtomStyle;
  /** Atom ids in the order of the returned arrays (ascending). */
  ids: Float64Array;
}

/** Header keywords that are counts solvscope does not need. */
const IGNORED_COUNTS = /^(angles|dihedrals|impropers|bond types|angle types|dihedral types|improper types|extra bond per atom|extra angle per atom|extra dihedral per atom|extra improper per atom|extra special per atom|ellipsoids|lines|triangles|bodies)$/;

const MIN_ATOM_LINE = 10; // "1 1 0 0 0\n"
const MIN_BOND_LINE = 8; // "1 1 1 2\n"

function checkOptions(options: LammpsDataOptions): void {
  if (options.atomStyle !== undefined && !(options.atomStyle in STYLES)) {
    throw new OptionError('OPTION', `atomStyle must be one of ${STYLE_NAMES} (got ${JSON.stringify(options.atomStyle)})`, { option: 'atomStyle' });
  }
  if (options.units !== undefined && options.units !== 'real' && options.units !== 'metal') {
    throw new OptionError('OPTION', `units must be one of 'real', 'metal' (got ${JSON.stringify(options.units)})`, { option: 'units' });
  }
}

/** End of the data part of a line: before a '#' comment. */
function dataEnd(b: Uint8Array): number {
  const h = b.indexOf(35);
  return h < 0 ? b.length : h;
}

function firstNonSpace(b: Uint8Array, end: number): number {
  let i = 0;
  while (i < end && (b[i] === 32 || b[i] === 9 || b[i] === 13)) i++;
  return i;
}

const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** Section names of read_data (https://docs.lammps.org/read_data.html). */
const SECTIONS = new Set([
  'Atoms', 'Velocities', 'Masses', 'Ellipsoids', 'Lines', 'Triangles', 'Bodies', 'Bonds', 'Angles', 'Dihedrals', 'Impropers',
  'Pair Coeffs', 'PairIJ Coeffs', 'Bond Coeffs', 'Angle Coeffs', 'Dihedral Coeffs', 'Improper Coeffs', 'BondBond Coeffs',
  'BondAngle Coeffs', 'MiddleBondTorsion Coeffs', 'EndBondTorsion Coeffs', 'AngleTorsion Coeffs', 'AngleAngleTorsion Coeffs',
  'BondBond13 Coeffs', 'AngleAngle Coeffs', 'Atom Type Labels', 'Bond Type Labels', 'Angle Type Labels', 'Dihedral Type Labels',
  'Improper Type Labels',
]);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;

/**
 * A section name: a known one, or (for sections of packages solvscope does not know) a line
 * that starts with a letter and holds no number. Entry lines that start with a type label
 * (`MG 24.305` in Masses) always hold a number, so they are not mistaken for headers.
 */
function sectionName(b: Uint8Array, s: number, end: number): string | null {
  if (!isLetter(b[s])) return null;
  const name = latin1(b, s, end).trim().replace(/\s+/g, ' ');
  if (SECTIONS.has(name)) return name;
  return name.split(' ').some((w) => NUMBER.test(w)) ? null : name;
}

/**
 * Read a whole data file.
 * @throws FormatError naming the file and line (and quoting it) for malformed header lines,
 *   counts that do not fit the file size, short or malformed section lines, repeated atom ids,
 *   bonds to unknown atoms, types without a mass, or a missing Atoms section ('CORRUPT' /
 *   'FORMAT' / 'TRUNCATED' when the file ends inside a section).
 * @throws SolvscopeError 'UNSUPPORTED' for atom styles other than full, charge, atomic,
 *   molecular, bond, angle.
 * @throws OptionError for a bad `atomStyle` or `units`.
 */
export async function readLammpsData(source: ByteSource, options: LammpsDataOptions = {}): Promise<LammpsData> {
  checkOptions(options);
  const file = source.name;
  const format = LAMMPS_DATA_LABEL;
  const lr = new LineReader(source);
  let lineNo = 0;
  let lineStart = 0;
  let cur: Uint8Array = new Uint8Array(0);
  const endsWithNewline = source.size === 0 || (await source.read(source.size - 1, 1))[0] === 10;
  const fail = (code: ErrorCode, detail: string, quote = true, line = lineNo) => {
    // A malformed last line without a newline is most likely a cut file.
    if (code === 'CORRUPT' && quote && line === lineNo && lr.offset >= source.size && !endsWithNewline) {
      code = 'TRUNCATED';
      detail = `the file ends inside this line: ${detail}`;
    }
    return new FormatError(code, detail, { file, format, line, byteOffset: lineStart, ...(quote ? { lineText: latin1(cur) } : {}) });
  };
  const next = async (): Promise<Uint8Array | null> => {
    const b = await lr.nextBytes();
    if (b !== null) {
      cur = b;
      lineNo = lr.line - 1;
      lineStart = lr.lastOffset;
    }
    return b;
  };

  if ((await next()) === null) throw new FormatError('FORMAT', 'the data file is empty', { file, format, line: 1, byteOffset: 0 });

  // ---- header: "N atoms", "N atom types", "xlo xhi" …, until the first section name ----
  let nAtoms = -1;
  let nBonds = 0;
  let nTypes = -1;
  const lo = [-0.5, -0.5, -0.5];
  const hi = [0.5, 0.5, 0.5];
  const tilt = [0, 0, 0];
  const general: (number[] | null)[] = [null, null, null, null]; // avec bvec cvec origin
  let section: { name: string; comment: string; line: number } | null = null;
  for (;;) {
    const b = await next();
    if (b === null) break;
    const end = dataEnd(b);
    const s = firstNonSpace(b, end);
    if (s >= end) continue;
    const text = latin1(b, s, end).trim();
    const sec = sectionName(b, s, end);
    if (sec !== null) {
      section = { name: sec, comment: latin1(b, end + 1, b.length).trim(), line: lineNo };
      break;
    }
    const words = text.split(/\s+/);
    const nums = words.map((w) => (NUMBER.test(w) ? Number(w.replace(/[dD]/, 'e')) : NaN));
    const kw = words.filter((_, k) => Number.isNaN(nums[k])).join(' ');
    const vals = nums.filter((v) => !Number.isNaN(v));
    const count = () => {
      if (vals.length !== 1 || !Number.isSafeInteger(vals[0]) || vals[0] < 0) throw fail('CORRUPT', `'${kw}' needs one non-negative integer`);
      return vals[0];
    };
    const pair = (k: number) => {
      if (vals.length !== 2 || !(vals[1] > vals[0])) throw fail('CORRUPT', `'${kw}' needs two numbers, lo < hi`);
      lo[k] = vals[0];
      hi[k] = vals[1];
    };
    if (kw === 'atoms') nAtoms = count();
    else if (kw === 'bonds') nBonds = count();
    else if (kw === 'atom types') nTypes = count();
    else if (IGNORED_COUNTS.test(kw)) count();
    else if (kw === 'xlo xhi') pair(0);
    else if (kw === 'ylo yhi') pair(1);
    else if (kw === 'zlo zhi') pair(2);
    else if (kw === 'xy xz yz') {
      if (vals.length !== 3) throw fail('CORRUPT', `'xy xz yz' needs three numbers`);
      tilt[0] = vals[0];
      tilt[1] = vals[1];
      tilt[2] = vals[2];
    } else if (kw === 'avec' || kw === 'bvec' || kw === 'cvec' || kw === 'abc origin') {
      if (vals.length !== 3) throw fail('CORRUPT', `'${kw}' needs three numbers`);
      general[['avec', 'bvec', 'cvec', 'abc origin'].indexOf(kw)] = vals;
    } else {
      options.onWarning?.(new SolvscopeError('UNSUPPORTED', `unknown header line ignored`, { file, format, line: lineNo, lineText: latin1(b) }));
    }
  }
  if (nAtoms < 0) throw new FormatError('FORMAT', "the header has no 'N atoms' line (is this a LAMMPS data file?)", { file, format, line: 2 });
  if (nAtoms * MIN_ATOM_LINE > source.size) {
    throw new FormatError('CORRUPT', `the header declares ${nAtoms} atoms, more than a ${source.size}-byte file can hold`, { file, format });
  }
  if (nBonds * MIN_BOND_LINE > source.size) {
    throw new FormatError('CORRUPT', `the header declares ${nBonds} bonds, more than a ${source.size}-byte file can hold`, { file, format });
  }

  // ---- sections ----
  const n = nAtoms;
  const lineIds = new Float64Array(n);
  const lineMol = new Float64Array(n);
  const lineQ = new Float64Array(n);
  const linePos = new Float64Array(3 * n);
  const lineImg = new Int32Array(3 * n);
  const lineType: string[] = new Array<string>(n);
  const lineNumbers = new Float64Array(n);
  let hasImages = false;
  let style: LammpsAtomStyle | null = null;
  let atomsSeen = false;
  const typeMass = new Map<string, number>();
  const typeLabel = new Map<string, string>();
  const labelType = new Map<string, string>();
  const bondIds = new Float64Array(2 * nBonds);
  const bondLines = new Float64Array(nBonds);
  let bondsSeen = 0;
  let velIds: Float64Array | null = null;
  let velRaw: Float64Array | null = null;
  let velLines: Float64Array | null = null;
  const bounds = new Int32Array(2 * 12);

  // Field readers over the current line `cur` (hoisted: no closures per line).
  const int = (k: number, what: string) => {
    const v = parseIntAscii(cur, bounds[2 * k], bounds[2 * k + 1]);
    if (!Number.isSafeInteger(v)) throw fail('CORRUPT', `${what} '${latin1(cur, bounds[2 * k], bounds[2 * k + 1])}' is not an integer`);
    return v;
  };
  const real = (k: number, what: string) => {
    const v = parseFloatAscii(cur, bounds[2 * k], bounds[2 * k + 1]);
    if (!Number.isFinite(v)) throw fail('CORRUPT', `${what} '${latin1(cur, bounds[2 * k], bounds[2 * k + 1])}' is not a finite number`);
    return v;
  };
  const word = (k: number) => latin1(cur, bounds[2 * k], bounds[2 * k + 1]);
  /** Type field: numeric types are interned ('1', '2' …) so atoms share strings. */
  const typeNames = new Map<number, string>();
  const typeField = (k: number) => {
    const v = parseIntAscii(cur, bounds[2 * k], bounds[2 * k + 1]);
    if (!(v >= 0)) return word(k);
    let t = typeNames.get(v);
    if (t === undefined) typeNames.set(v, (t = String(v)));
    return t;
  };

  while (section) {
    const sec = section;
    section = null;
    const name = sec.name;
    let expected = -1;
    let entries = 0;
    if (name === 'Atoms') {
      if (atomsSeen) throw fail('CORRUPT', 'a second Atoms section', true, sec.line);
      atomsSeen = true;
      expected = n;
      const fromComment = sec.comment.split(/\s+/)[0] ?? '';
      if (options.atomStyle) {
        style = options.atomStyle;
        if (fromComment && fromComment !== style) {
          options.onWarning?.(new SolvscopeError('MISMATCH', `the Atoms section says '${fromComment}', using atomStyle '${style}' as asked`, { file, format, line: sec.line }));
        }
      } else if (fromComment) {
        if (!(fromComment in STYLES)) {
          throw new SolvscopeError('UNSUPPORTED', `atom style '${fromComment}' is not supported (supported: ${STYLE_NAMES})`, { file, format, line: sec.line });
        }
        style = fromComment as LammpsAtomStyle;
      }
    } else if (name === 'Masses' || name === 'Atom Type Labels') {
      expected = nTypes;
    } else if (name === 'Bonds') {
      expected = nBonds;
    } else if (name === 'Velocities') {
      expected = n;
      if (options.units) {
        velIds = new Float64Array(n);
        velRaw = new Float64Array(3 * n);
        velLines = new Float64Array(n);
      }
    }
    for (;;) {
      const b = await next();
      if (b === null) break;
      const end = dataEnd(b);
      const s = firstNonSpace(b, end);
      if (s >= end) continue;
      const following = sectionName(b, s, end);
      if (following !== null) {
        section = { name: following, comment: latin1(b, end + 1, b.length).trim(), line: lineNo };
        break;
      }
      if (expected >= 0 && entries >= expected) {
        throw fail('CORRUPT', `the ${name} section has more lines than the ${expected} the header declares`);
      }
      const nf = fieldBounds(b, s, end, bounds);
      if (name === 'Atoms') {
        if (!style) {
          if (nf === 7 || nf === 10) style = 'full';
          else if (nf === 5 || nf === 8) style = 'atomic';
          else {
            throw fail('FORMAT', `cannot tell the atom style from ${nf} columns (charge and molecular both have 6 or 9): pass the atomStyle option`);
          }
        }
        const L = STYLES[style];
        if (nf !== L.cols && nf !== L.cols + 3) {
          throw fail('CORRUPT', `atom style '${style}' needs ${L.cols} columns (or ${L.cols + 3} with image flags), found ${nf}`);
        }
        const i = entries;
        lineIds[i] = int(0, 'atom id');
        lineNumbers[i] = lineNo;
        if (L.mol >= 0) lineMol[i] = int(L.mol, 'molecule id');
        lineType[i] = typeField(L.type);
        if (L.q >= 0) lineQ[i] = real(L.q, 'charge');
        linePos[3 * i] = real(L.x, 'x');
        linePos[3 * i + 1] = real(L.x + 1, 'y');
        linePos[3 * i + 2] = real(L.x + 2, 'z');
        if (nf === L.cols + 3) {
          hasImages = true;
          lineImg[3 * i] = int(L.cols, 'image flag');
          lineImg[3 * i + 1] = int(L.cols + 1, 'image flag');
          lineImg[3 * i + 2] = int(L.cols + 2, 'image flag');
        }
      } else if (name === 'Masses') {
        if (nf < 2) throw fail('CORRUPT', `a Masses line needs 'type mass'`);
        const m = real(1, 'mass');
        if (!(m > 0)) throw fail('CORRUPT', `mass ${m} is not positive`);
        typeMass.set(typeField(0), m);
      } else if (name === 'Atom Type Labels') {
        if (nf < 2) throw fail('CORRUPT', `an Atom Type Labels line needs 'type label'`);
        const t = String(int(0, 'atom type'));
        typeLabel.set(t, word(1));
        labelType.set(word(1), t);
      } else if (name === 'Bonds') {
        if (nf < 4) throw fail('CORRUPT', `a Bonds line needs 'id type atom1 atom2', found ${nf} columns`);
        bondIds[2 * entries] = int(2, 'atom id');
        bondIds[2 * entries + 1] = int(3, 'atom id');
        bondLines[entries] = lineNo;
        bondsSeen++;
      } else if (name === 'Velocities' && velIds && velRaw && velLines) {
        if (nf < 4) throw fail('CORRUPT', `a Velocities line needs 'id vx vy vz', found ${nf} columns`);
        velIds[entries] = int(0, 'atom id');
        velRaw[3 * entries] = real(1, 'vx');
        velRaw[3 * entries + 1] = real(2, 'vy');
        velRaw[3 * entries + 2] = real(3, 'vz');
        velLines[entries] = lineNo;
      }
      entries++;
    }
    if (expected >= 0 && entries < expected) {
      const code = section === null ? 'TRUNCATED' : 'CORRUPT';
      const where = section === null ? 'the file ends' : `'${section.name}' starts`;
      throw fail(code, `the ${name} section has ${entries} of the ${expected} lines the header declares when ${where}`, false, sec.line);
    }
  }
  if (!atomsSeen && n > 0) throw new FormatError('FORMAT', 'the file has no Atoms section', { file, format, line: lineNo });
  if (bondsSeen < nBonds) {
    throw new FormatError(lr.offset >= source.size ? 'TRUNCATED' : 'CORRUPT', `the header declares ${nBonds} bonds but the file has no Bonds section`, { file, format, line: lineNo });
  }

  // ---- atoms in id order ----
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => lineIds[a] - lineIds[b]);
  const indexOfId = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const i = order[k];
    if (k > 0 && lineIds[i] === lineIds[order[k - 1]]) {
      throw new FormatError('CORRUPT', `atom id ${lineIds[i]} appears twice in Atoms (lines ${lineNumbers[order[k - 1]]} and ${lineNumbers[i]})`, { file, format, line: Math.max(lineNumbers[i], lineNumbers[order[k - 1]]) });
    }
    indexOfId.set(lineIds[i], k);
  }
  // Types may be written as labels anywhere (Atom Type Labels can follow Masses or Atoms): resolve now.
  const resolveType = (t: string) => labelType.get(t) ?? t;
  for (const [t, m] of [...typeMass]) {
    const id = resolveType(t);
    if (id !== t) {
      typeMass.delete(t);
      typeMass.set(id, m);
    }
  }
  const L = STYLES[style ?? 'atomic'];
  const ids = new Float64Array(n);
  const types = new Array<string>(n);
  const charges = L.q >= 0 ? new Float64Array(n) : null;
  const moleculeIds = L.mol >= 0 ? new Float64Array(n) : null;
  const positions = new Float32Array(3 * n);
  const images = hasImages ? new Int32Array(3 * n) : null;
  for (let k = 0; k < n; k++) {
    const i = order[k];
    ids[k] = lineIds[i];
    types[k] = resolveType(lineType[i]);
    if (charges) charges[k] = lineQ[i];
    if (moleculeIds) moleculeIds[k] = lineMol[i];
    positions[3 * k] = linePos[3 * i];
    positions[3 * k + 1] = linePos[3 * i + 1];
    positions[3 * k + 2] = linePos[3 * i + 2];
    if (images) {
      images[3 * k] = lineImg[3 * i];
      images[3 * k + 1] = lineImg[3 * i + 1];
      images[3 * k + 2] = lineImg[3 * i + 2];
    }
  }
  let masses: Float64Array | undefined;
  if (typeMass.size > 0) {
    masses = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const m = typeMass.get(types[k]);
      if (m === undefined) {
        throw new FormatError('CORRUPT', `atom type ${types[k]} (atom id ${ids[k]}) has no entry in Masses`, { file, format, line: lineNumbers[order[k]] });
      }
      masses[k] = m;
    }
  }
  const labels = types.map((t) => typeLabel.get(t) ?? t);
  const bonds = new Uint32Array(2 * bondsSeen);
  for (let j = 0; j < 2 * bondsSeen; j++) {
    const k = indexOfId.get(bondIds[j]);
    if (k === undefined) {
      throw new FormatError('CORRUPT', `bond ${(j >> 1) + 1} refers to atom id ${bondIds[j]}, which is not in Atoms`, { file, format, line: bondLines[j >> 1] });
    }
    bonds[j] = k;
  }
  let velocities: Float32Array | null = null;
  if (velIds && velRaw && velLines) {
    const f = options.units === 'real' ? 1000 : 1;
    velocities = new Float32Array(3 * n);
    for (let e = 0; e < n; e++) {
      const k = indexOfId.get(velIds[e]);
      if (k === undefined) throw new FormatError('CORRUPT', `Velocities refers to atom id ${velIds[e]}, which is not in Atoms`, { file, format, line: velLines[e] });
      velocities[3 * k] = velRaw[3 * e] * f;
      velocities[3 * k + 1] = velRaw[3 * e + 1] * f;
      velocities[3 * k + 2] = velRaw[3 * e + 2] * f;
    }
  }

  // ---- cell ----
  let rows: number[];
  if (general[0] && general[1] && general[2]) {
    rows = [...general[0], ...general[1], ...general[2]];
  } else {
    rows = [hi[0] - lo[0], 0, 0, tilt[0], hi[1] - lo[1], 0, tilt[1], tilt[2], hi[2] - lo[2]];
  }
  const red = reduceCell(rows);
  if (!red) throw new FormatError('CORRUPT', `the box has no volume (${rows.join(' ')})`, { file, format });
  if (red.rotation) {
    rotateTriplets(positions, n, red.rotation);
    if (velocities) rotateTriplets(velocities, n, red.rotation);
  }

  const topology: TopologyInit = {
    atomCount: n,
    names: labels,
    types: labels.slice(),
    ...(masses ? { masses } : {}),
    ...(charges ? { charges } : {}),
    ...(moleculeIds ? { moleculeIds } : {}),
    ...(bonds.length ? { bonds } : {}),
    source: file,
  };
  return { topology, positions, box: red.box, velocities, images, atomStyle: style ?? 'atomic', ids };
}

/**
 * The topology of a LAMMPS data file: per atom (in atom-id order) the type label (from
 * `Atom Type Labels`) or type id as both name and type, the mass of its type (g/mol, from
 * Masses), charges (e; styles full and charge), molecule ids (full, molecular, bond, angle) and
 * bonds as 0-based index pairs. Elements are left to buildTopology, which guesses them from the
 * masses (15.9994 → O, 1.008 → H, 24.305 → Mg).
 * @throws as {@link readLammpsData}.
 */
export async function readLammpsDataTopology(source: ByteSource, options: LammpsDataOptions = {}): Promise<TopologyInit> {
  return (await readLammpsData(source, options)).topology;
}

/** A data file's coordinates as a one-frame FrameSource (time NaN, step -1). */
export class LammpsDataFrameSource implements FrameSource {
  readonly format = 'lammps-data';
  readonly index: FrameIndex;
  readonly tailError = null;
  constructor(
    readonly source: ByteSource,
    readonly data: LammpsData,
  ) {
    this.index = { format: 'lammps-data', atomCount: data.positions.length / 3, offsets: new Float64Array([0, source.size]), lines: new Float64Array([1, 1]), fileSize: source.size };
  }
  get name(): string {
    return this.source.name;
  }
  get atomCount(): number {
    return this.data.positions.length / 3;
  }
  get frameCount(): number {
    return 1;
  }
  async readFrame(i: number, into?: Frame): Promise<Frame> {
    if (i !== 0) {
      throw new FormatError('FORMAT', `frame ${i} does not exist (the file has 1 frame)`, { file: this.name, format: LAMMPS_DATA_LABEL });
    }
    const f = into ?? createFrame(this.atomCount);
    if (f.positions.length !== this.data.positions.length) f.positions = new Float32Array(this.data.positions.length);
    f.positions.set(this.data.positions);
    f.box = this.data.box.slice();
    f.velocities = this.data.velocities ? this.data.velocities.slice() : null;
    f.forces = null;
    f.time = NaN;
    f.step = -1;
    f.index = 0;
    return f;
  }
  async *frames(options: FramesOptions = {}): AsyncGenerator<Frame> {
    const { start, stop, step } = resolveRange(options, 1);
    for (let i = start; i < stop; i += step) yield await this.readFrame(i);
  }
  async close(): Promise<void> {
    await this.source.close();
  }
}

/**
 * Open a data file as a single-frame trajectory (positions Å in atom-id order, box, velocities
 * Å/ps when `units` is given). The whole file is parsed once; the frame is kept in memory.
 * @throws as {@link readLammpsData}.
 */
export async function openLammpsData(source: ByteSource, options: LammpsDataOptions = {}): Promise<LammpsDataFrameSource> {
  return new LammpsDataFrameSource(source, await readLammpsData(source, options));
}
