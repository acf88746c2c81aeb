/**
 * The header of one LAMMPS text-dump frame (see README.md for the layout):
 *
 *     ITEM: TIMESTEP
 *     1000
 *     ITEM: NUMBER OF ATOMS
 *     3066
 *     ITEM: BOX BOUNDS xy xz yz pp pp pp      (orthogonal: ITEM: BOX BOUNDS pp pp pp)
 *     xlo_bound xhi_bound xy                  (orthogonal: xlo xhi)
 *     ylo_bound yhi_bound xz
 *     zlo_bound zhi_bound yz
 *     ITEM: ATOMS id type x y z vx vy vz      (any columns, any order)
 *
 * Optional `ITEM: UNITS` and `ITEM: TIME` (dump_modify units/time yes) may precede the box.
 * The header is fed one line at a time so that the streaming index scan and the in-memory frame
 * decoder share one parser.
 */
import { reduceCell } from '../text/lattice-rotation.js';

/** A header problem; the caller wraps it in a FormatError with file, frame and line. */
export class DumpHeaderError extends Error {
  constructor(
    message: string,
    /** Set when the problem is on an earlier line than the one just fed (1-based). */
    readonly line?: number,
    readonly lineText?: string,
  ) {
    super(message);
  }
}

type Expect = 'timestep-item' | 'timestep' | 'item' | 'natoms' | 'box' | 'time' | 'units';

/** Parses one frame header, line by line. */
export class DumpFrameHeader {
  step = -1;
  atoms = -1;
  /** ITEM: TIME value in the dump's time unit, NaN when absent. */
  time = NaN;
  /** ITEM: UNITS value, null when absent. */
  units: string | null = null;
  /** 'orthogonal' (lo hi), 'triclinic' (bounding box + tilt) or 'general' (abc origin). */
  boxKind: 'orthogonal' | 'triclinic' | 'general' | null = null;
  /** Boundary flags as written ('pp pp pp'), empty when the header has none. */
  boundary: string[] = [];
  /** The three box lines' numbers, 2 to 4 per line. */
  readonly boxValues = new Float64Array(12);
  /** 1-based line of the ITEM: BOX BOUNDS header, for messages. */
  boxLine = 0;
  boxText = '';
  /** Column names of ITEM: ATOMS. */
  columnsText = '';
  private expect: Expect = 'timestep-item';
  private boxRow = 0;

  /** True before the first line was accepted. */
  get atStart(): boolean {
    return this.expect === 'timestep-item';
  }

  /** What the parser waits for, for truncation messages. */
  describeExpected(): string {
    switch (this.expect) {
      case 'timestep-item':
        return "'ITEM: TIMESTEP'";
      case 'timestep':
        return 'the timestep value';
      case 'natoms':
        return 'the number of atoms';
      case 'box':
        return `box line ${this.boxRow + 1} of 3`;
      case 'time':
        return 'the time value';
      case 'units':
        return 'the units name';
      default:
        return "the next 'ITEM:' line";
    }
  }

  /**
   * Feed the next line (without its line ending). Returns true once `ITEM: ATOMS` has been read,
   * i.e. the atom lines follow.
   * @throws DumpHeaderError describing what was expected and what was found.
   */
  feed(line: string, lineNo: number): boolean {
    const t = line.trim();
    switch (this.expect) {
      case 'timestep-item':
        if (t !== 'ITEM: TIMESTEP') throw new DumpHeaderError(`expected 'ITEM: TIMESTEP' at the start of a frame, found '${clip(t)}'`);
        this.expect = 'timestep';
        return false;
      case 'timestep': {
        if (!/^[+-]?\d+$/.test(t)) throw new DumpHeaderError(`the timestep must be an integer, found '${clip(t)}'`);
        this.step = Number(t);
        this.expect = 'item';
        return false;
      }
      case 'natoms': {
        if (!/^\+?\d+$/.test(t) || !Number.isSafeInteger(Number(t))) throw new DumpHeaderError(`the number of atoms must be a non-negative integer, found '${clip(t)}'`);
        this.atoms = Number(t);
        this.expect = 'item';
        return false;
      }
      case 'time': {
        const v = Number(t);
        if (t === '' || !Number.isFinite(v)) throw new DumpHeaderError(`ITEM: TIME must be a number, found '${clip(t)}'`);
        this.time = v;
        this.expect = 'item';
        return false;
      }
      case 'units':
        if (!/^[a-z]+$/.test(t)) throw new DumpHeaderError(`ITEM: UNITS must be a unit style name, found '${clip(t)}'`);
        this.units = t;
        this.expect = 'item';
        return false;
      case 'box': {
        const want = this.boxKind === 'orthogonal' ? 2 : this.boxKind === 'triclinic' ? 3 : 4;
        const parts = t.split(/\s+/);
        const nums = parts.map((p) => (p !== '' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(p) ? Number(p) : NaN));
        if (parts.length !== want || nums.some((v) => !Number.isFinite(v))) {
          const what = this.boxKind === 'orthogonal' ? 'lo hi' : this.boxKind === 'triclinic' ? 'lo_bound hi_bound tilt' : 'ax ay az origin';
          throw new DumpHeaderError(`box line ${this.boxRow + 1} must hold ${want} numbers (${what}), found '${clip(t)}'`);
        }
        if (this.boxKind !== 'general' && !(nums[1] > nums[0])) {
          throw new DumpHeaderError(`box line ${this.boxRow + 1}: the upper bound ${nums[1]} is not above the lower bound ${nums[0]}`);
        }
        for (let k = 0; k < want; k++) this.boxValues[4 * this.boxRow + k] = nums[k];
        if (++this.boxRow === 3) this.expect = 'item';
        return false;
      }
      case 'item': {
        if (!t.startsWith('ITEM:')) {
          throw new DumpHeaderError(`expected an 'ITEM:' line in the frame header, found '${clip(t)}'`);
        }
        const item = t.slice(5).trim();
        if (item === 'NUMBER OF ATOMS') {
          this.expect = 'natoms';
        } else if (item.startsWith('BOX BOUNDS')) {
          const words = item.slice(10).trim().split(/\s+/).filter(Boolean);
          if (words[0] === 'xy' && words[1] === 'xz' && words[2] === 'yz') {
            this.boxKind = 'triclinic';
            this.boundary = words.slice(3);
          } else if (words[0] === 'abc' && words[1] === 'origin') {
            this.boxKind = 'general';
            this.boundary = words.slice(2);
          } else {
            this.boxKind = 'orthogonal';
            this.boundary = words;
          }
          this.boxLine = lineNo;
          this.boxText = line;
          this.boxRow = 0;
          this.expect = 'box';
        } else if (item === 'TIME') {
          this.expect = 'time';
        } else if (item === 'UNITS') {
          this.expect = 'units';
        } else if (item === 'ATOMS' || item.startsWith('ATOMS ')) {
          if (this.atoms < 0) throw new DumpHeaderError("'ITEM: ATOMS' comes before 'ITEM: NUMBER OF ATOMS'");
          if (this.boxKind === null) throw new DumpHeaderError("the frame header has no 'ITEM: BOX BOUNDS'");
          this.columnsText = item.slice(5).trim();
          return true;
        } else if (item === 'TIMESTEP') {
          throw new DumpHeaderError("'ITEM: TIMESTEP' inside a frame header (the previous frame has no 'ITEM: ATOMS')");
        } else {
          throw new DumpHeaderError(`unsupported item '${clip(t)}': solvscope reads LAMMPS atom dumps (dump atom / custom)`);
        }
        return false;
      }
    }
  }
}

function clip(s: string): string {
  return s.length > 60 ? s.slice(0, 57) + '...' : s;
}

/** The cell of one frame. */
export interface DumpCell {
  /** Reduced box (Å), rows a, b, c, lower-triangular. */
  box: Float64Array;
  /** Cell rows in the dump's own frame (equal to box unless general triclinic): r = origin + s·H. */
  h: Float64Array;
  /** xlo ylo zlo (the lattice origin). */
  origin: Float64Array;
  /** r' = r·R that takes dump coordinates into the reduced frame; null when none is needed. */
  rotation: Float64Array | null;
}

/**
 * Turn the box lines into the lattice. Orthogonal: a = (xhi-xlo, 0, 0) …. Triclinic: the lines
 * hold the bounding box, so first undo LAMMPS' enlargement by the tilts
 * (https://docs.lammps.org/Howto_triclinic.html):
 *
 *     xlo = xlo_bound - min(0, xy, xz, xy+xz)    xhi = xhi_bound - max(0, xy, xz, xy+xz)
 *     ylo = ylo_bound - min(0, yz)               yhi = yhi_bound - max(0, yz)
 *
 * then a = (xhi-xlo, 0, 0), b = (xy, yhi-ylo, 0), c = (xz, yz, zhi-zlo). General triclinic
 * (`abc origin`) lines are `ax ay az xlo` / `bx by bz ylo` / `cx cy cz zlo`; that cell is
 * rotated into reduced form.
 * @throws DumpHeaderError naming the BOX BOUNDS line when the cell has no volume.
 */
export function dumpCell(h: DumpFrameHeader): DumpCell {
  const v = h.boxValues;
  const origin = new Float64Array(3);
  let rows: Float64Array;
  if (h.boxKind === 'general') {
    rows = new Float64Array([v[0], v[1], v[2], v[4], v[5], v[6], v[8], v[9], v[10]]);
    origin[0] = v[3];
    origin[1] = v[7];
    origin[2] = v[11];
  } else if (h.boxKind === 'triclinic') {
    const xy = v[2];
    const xz = v[6];
    const yz = v[10];
    const xlo = v[0] - Math.min(0, xy, xz, xy + xz);
    const xhi = v[1] - Math.max(0, xy, xz, xy + xz);
    const ylo = v[4] - Math.min(0, yz);
    const yhi = v[5] - Math.max(0, yz);
    origin[0] = xlo;
    origin[1] = ylo;
    origin[2] = v[8];
    rows = new Float64Array([xhi - xlo, 0, 0, xy, yhi - ylo, 0, xz, yz, v[9] - v[8]]);
  } else {
    origin[0] = v[0];
    origin[1] = v[4];
    origin[2] = v[8];
    rows = new Float64Array([v[1] - v[0], 0, 0, 0, v[5] - v[4], 0, 0, 0, v[9] - v[8]]);
  }
  const red = reduceCell(rows);
  if (!red) {
    throw new DumpHeaderError(`the box has no volume (a, b, c = ${Array.from(rows).join(' ')})`, h.boxLine, h.boxText);
  }
  return { box: red.box, h: rows, origin, rotation: red.rotation };
}

/** Where a frame's atom columns are. Column indices are 0-based; -1 when absent. */
export interface DumpColumns {
  /** Number of columns every atom line has. */
  count: number;
  names: string[];
  id: number;
  type: number;
  /** x, y, z columns of the chosen coordinate kind. */
  pos: [number, number, number];
  /** wrapped x y z, unwrapped xu yu zu, scaled xs ys zs, scaled-unwrapped xsu ysu zsu. */
  coords: 'x' | 'xu' | 'xs' | 'xsu';
  vel: [number, number, number] | null;
  force: [number, number, number] | null;
}

/**
 * Map `ITEM: ATOMS` column names. Coordinates: x y z, else xu yu zu, else xs ys zs, else
 * xsu ysu zsu; velocities vx vy vz and forces fx fy fz when all three are present.
 * @throws DumpHeaderError when no complete coordinate triple is present or a name repeats.
 */
export function parseDumpColumns(text: string): DumpColumns {
  const names = text.split(/\s+/).filter(Boolean);
  const at = new Map<string, number>();
  names.forEach((n, i) => {
    if (at.has(n)) throw new DumpHeaderError(`column '${n}' appears twice in 'ITEM: ATOMS ${text}'`);
    at.set(n, i);
  });
  const triple = (a: string, b: string, c: string): [number, number, number] | null =>
    at.has(a) && at.has(b) && at.has(c) ? [at.get(a)!, at.get(b)!, at.get(c)!] : null;
  let coords: DumpColumns['coords'] = 'x';
  let pos = triple('x', 'y', 'z');
  if (!pos && (pos = triple('xu', 'yu', 'zu'))) coords = 'xu';
  if (!pos && (pos = triple('xs', 'ys', 'zs'))) coords = 'xs';
  if (!pos && (pos = triple('xsu', 'ysu', 'zsu'))) coords = 'xsu';
  if (!pos) {
    throw new DumpHeaderError(`'ITEM: ATOMS ${text}' has no coordinate columns (x y z, xu yu zu, xs ys zs or xsu ysu zsu)`);
  }
  return {
    count: names.length,
    names,
    id: at.get('id') ?? -1,
    type: at.get('type') ?? -1,
    pos,
    coords,
    vel: triple('vx', 'vy', 'vz'),
    force: triple('fx', 'fy', 'fz'),
  };
}
