/**
 * The comment (second) line of an XYZ frame. Plain XYZ leaves it free-form; extended XYZ
 * (https://github.com/libAtoms/extxyz) fills it with `key=value` pairs:
 *
 *     Lattice="31.4 0 0 0 31.4 0 0 0 31.4" Properties=species:S:1:pos:R:3:velo:R:3 Time=2.5 pbc="T T T"
 *
 * Values may be bare, double-quoted (with backslash escapes), or bracketed with `{…}` / `[…]`;
 * a key without `=` is a boolean flag. Keys are matched case-insensitively.
 */

/** Column layout of the atom lines, from `Properties=` (default: species:S:1:pos:R:3). */
export interface XyzColumns {
  /** Total number of whitespace-separated columns an atom line must have (at least). */
  fieldCount: number;
  /** Column of the species (element symbol / atom name), -1 if none. */
  species: number;
  /** First of the three position columns. */
  pos: number;
  /** First of the three velocity columns, -1 if none. */
  velo: number;
  /** The Properties text, for messages. */
  text: string;
}

/** What solvscope takes from a comment line. */
export interface XyzCommentInfo {
  /** Column layout; the plain-XYZ default when the line has no `Properties=`. */
  columns: XyzColumns;
  /** `Lattice=` rows a, b, c (Å, 9 numbers), or null. */
  lattice: Float64Array | null;
  /** `pbc=` flags, or null when absent. */
  pbc: [boolean, boolean, boolean] | null;
  /** `Time=` / `time=` as written (unit decided by the caller), NaN when absent. */
  time: number;
  /** `step=` / `Step=` as written, -1 when absent. */
  step: number;
  /** True when the line had extended-XYZ keys (Properties or Lattice). */
  extended: boolean;
}

/** The plain-XYZ layout: `symbol x y z`. */
export const PLAIN_XYZ_COLUMNS: XyzColumns = { fieldCount: 4, species: 0, pos: 1, velo: -1, text: 'species:S:1:pos:R:3' };

/** Problem in a comment line; the reader wraps it in a FormatError naming file, frame and line. */
export class ExtxyzCommentError extends Error {}

/**
 * Split a comment line into key/value pairs (keys lower-cased). Returns null when the line
 * cannot be tokenised (an unterminated quote or bracket), which for a plain-XYZ comment just
 * means "not extended XYZ".
 */
export function tokenizeExtxyzComment(s: string): Map<string, string> | null {
  const out = new Map<string, string>();
  const n = s.length;
  const ws = (c: string) => c === ' ' || c === '\t';
  let i = 0;
  for (;;) {
    while (i < n && ws(s[i])) i++;
    if (i >= n) return out;
    let key = '';
    if (s[i] === '"') {
      const q = readQuoted(s, i);
      if (!q) return null;
      key = q.value;
      i = q.end;
    } else {
      const k0 = i;
      while (i < n && !ws(s[i]) && s[i] !== '=') i++;
      key = s.slice(k0, i);
    }
    let j = i;
    while (j < n && ws(s[j])) j++;
    if (j < n && s[j] === '=') {
      j++;
      while (j < n && ws(s[j])) j++;
      let value = '';
      if (j >= n) {
        value = '';
      } else if (s[j] === '"') {
        const q = readQuoted(s, j);
        if (!q) return null;
        value = q.value;
        j = q.end;
      } else if (s[j] === '{' || s[j] === '[') {
        const open = s[j];
        const close = open === '{' ? '}' : ']';
        let depth = 0;
        const v0 = j;
        for (; j < n; j++) {
          if (s[j] === open) depth++;
          else if (s[j] === close && --depth === 0) break;
        }
        if (j >= n) return null;
        value = s.slice(v0 + 1, j);
        j++;
      } else {
        const v0 = j;
        while (j < n && !ws(s[j])) j++;
        value = s.slice(v0, j);
      }
      i = j;
      if (key) out.set(key.toLowerCase(), value);
    } else {
      if (key) out.set(key.toLowerCase(), 'T');
    }
  }
}

function readQuoted(s: string, i: number): { value: string; end: number } | null {
  let v = '';
  let j = i + 1;
  for (; j < s.length; j++) {
    const c = s[j];
    if (c === '\\' && j + 1 < s.length) {
      v += s[++j];
    } else if (c === '"') {
      return { value: v, end: j + 1 };
    } else {
      v += c;
    }
  }
  return null;
}

/**
 * Parse `Properties=name:type:cols:…` into the column layout. Types are S (string), R (real),
 * I (integer) and L (logical). Positions come from `pos` (or `positions`), velocities from
 * `velo` (or `velocities`), the species from `species` (or `element`, else the first S column).
 * @throws ExtxyzCommentError for a malformed list or one without a 3-column real `pos`.
 */
export function parseXyzProperties(text: string): XyzColumns {
  const parts = text.split(':');
  if (parts.length % 3 !== 0 || parts.length === 0) {
    throw new ExtxyzCommentError(`Properties must be name:type:count triples (got '${text}')`);
  }
  let col = 0;
  let species = -1;
  let firstString = -1;
  let pos = -1;
  let velo = -1;
  for (let k = 0; k < parts.length; k += 3) {
    const name = parts[k];
    const type = parts[k + 1].toUpperCase();
    const count = Number(parts[k + 2]);
    if (!name || !/^[SRIL]$/.test(type) || !Number.isInteger(count) || count < 1) {
      throw new ExtxyzCommentError(`bad Properties entry '${parts[k]}:${parts[k + 1]}:${parts[k + 2]}' (expected name:S|R|I|L:count)`);
    }
    const lname = name.toLowerCase();
    if ((lname === 'pos' || lname === 'positions') && pos < 0) {
      if (type !== 'R' || count !== 3) throw new ExtxyzCommentError(`Properties entry '${name}' must be ${name}:R:3`);
      pos = col;
    } else if ((lname === 'velo' || lname === 'velocities') && velo < 0) {
      if (type !== 'R' || count !== 3) throw new ExtxyzCommentError(`Properties entry '${name}' must be ${name}:R:3`);
      velo = col;
    } else if ((lname === 'species' || lname === 'element') && species < 0 && type === 'S' && count === 1) {
      species = col;
    }
    if (type === 'S' && count === 1 && firstString < 0) firstString = col;
    col += count;
  }
  if (pos < 0) throw new ExtxyzCommentError(`Properties has no pos:R:3 entry (got '${text}')`);
  return { fieldCount: col, species: species >= 0 ? species : firstString, pos, velo, text };
}

function parseNumberList(text: string): number[] {
  return text
    .split(/[\s,[\]{}]+/)
    .filter((t) => t.length > 0)
    .map((t) => (/^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/.test(t) ? Number(t.replace(/[dD]/, 'e')) : NaN));
}

const TRUE_WORDS = new Set(['t', 'true', '1']);
const FALSE_WORDS = new Set(['f', 'false', '0']);

/**
 * Interpret a comment line. Lines that do not tokenise, or carry neither `Properties=` nor
 * `Lattice=`, are plain XYZ (default columns, no box) but may still give `Time=`.
 * @throws ExtxyzCommentError for a malformed `Properties` or `Lattice`, for a malformed `pbc`
 *   or `Time` on an extended line (a free-form plain comment is never an error), or for an
 *   unterminated quote on a line that mentions `Properties=` or `Lattice=`.
 */
export function parseXyzComment(line: string): XyzCommentInfo {
  const info: XyzCommentInfo = { columns: PLAIN_XYZ_COLUMNS, lattice: null, pbc: null, time: NaN, step: -1, extended: false };
  if (line.indexOf('=') < 0) return info;
  const kv = tokenizeExtxyzComment(line);
  if (!kv) {
    if (/(^|\s)(properties|lattice)\s*=/i.test(line)) throw new ExtxyzCommentError('unterminated quote or bracket in the extended-XYZ comment line');
    return info;
  }
  const props = kv.get('properties');
  if (props !== undefined) {
    info.columns = parseXyzProperties(props);
    info.extended = true;
  }
  const lat = kv.get('lattice');
  if (lat !== undefined) {
    const v = parseNumberList(lat);
    if (v.length !== 9 || v.some((x) => !Number.isFinite(x))) {
      throw new ExtxyzCommentError(`Lattice must hold 9 numbers (a1 a2 a3 b1 b2 b3 c1 c2 c3, Å), got '${lat}'`);
    }
    const det = v[0] * (v[4] * v[8] - v[5] * v[7]) - v[1] * (v[3] * v[8] - v[5] * v[6]) + v[2] * (v[3] * v[7] - v[4] * v[6]);
    if (det === 0) throw new ExtxyzCommentError(`Lattice is singular (zero volume): '${lat}'`);
    info.lattice = Float64Array.from(v);
    info.extended = true;
  }
  const pbc = kv.get('pbc');
  if (pbc !== undefined) {
    const w = pbc.split(/[\s,[\]{}]+/).filter(Boolean).map((t) => t.toLowerCase());
    if (w.length === 3 && w.every((t) => TRUE_WORDS.has(t) || FALSE_WORDS.has(t))) {
      info.pbc = [TRUE_WORDS.has(w[0]), TRUE_WORDS.has(w[1]), TRUE_WORDS.has(w[2])];
    } else if (info.extended) {
      throw new ExtxyzCommentError(`pbc must be three T/F flags, got '${pbc}'`);
    }
  }
  const time = kv.get('time');
  if (time !== undefined) {
    const v = parseNumberList(time);
    if (v.length === 1 && Number.isFinite(v[0])) info.time = v[0];
    else if (info.extended) throw new ExtxyzCommentError(`Time must be a number, got '${time}'`);
  }
  const step = kv.get('step');
  if (step !== undefined && /^[+-]?\d+$/.test(step.trim())) info.step = Number(step.trim());
  return info;
}
