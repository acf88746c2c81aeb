/**
 * PDB reader: multi-model trajectories (MODEL … ENDMDL, as `gmx trjconv -o x.pdb` writes),
 * single-model files without MODEL, and END-separated frames; box from CRYST1; topology (names,
 * residues, chains, elements, formal charges, CONECT bonds) from the first model.
 * Record columns: pdb-records.ts; layout and conventions: README.md.
 */
import {
  FormatError,
  serializeError,
  throwIfAborted,
  type Box,
  type ByteSource,
  type ErrorCode,
  type ErrorContext,
  type Frame,
  type FrameIndex,
  type FrameSource,
  type SerializedError,
  type SolvscopeError,
  type TopologyInit,
} from '@solvscope/core';
import { IndexedFrameSource } from '../base/indexed-frame-source.js';
import type { FormatDescriptor, OpenOptions } from '../format.js';
import { ByteLineCursor } from '../text/byte-line-cursor.js';
import { LineReader, latin1, splitLines } from '../text/line-reader.js';
import { parseFloatAscii } from '../text/numbers.js';
import { parseTitleTime } from '../text/title-time.js';
import { decodeHybrid36 } from './hybrid36.js';
import { PDB_COORD_END, PdbRecord, parseCryst1, parsePdbCharge, pdbRecordOf } from './pdb-records.js';
import { createPdbWriter } from './pdb-writer.js';

const FORMAT = 'PDB';
/** How far from the end topology reading looks for CONECT records of a multi-model file. */
const CONECT_TAIL_BYTES = 8 << 20;

/**
 * Build the frame index of a PDB file. Frames are models: frame i spans from the line after the
 * previous model's ENDMDL (so the REMARK/TITLE/CRYST1 records that precede MODEL belong to it)
 * through its ENDMDL. Without MODEL records the ATOM/HETATM records up to END (or the end of
 * the file) are one frame, and further END-terminated blocks are further frames. The atom count
 * is the number of ATOM/HETATM records of the first frame; every frame must have as many.
 * A model cut by the end of the file (no ENDMDL, a cut atom line) goes to `index.tail`.
 * @throws FormatError naming the file, frame and line (quoted) for an atom-count mismatch
 *   between models, a misplaced MODEL/ENDMDL/ATOM record, a short atom record followed by more
 *   data, or a file without atoms.
 */
export async function scanPdbIndex(source: ByteSource, options: OpenOptions = {}): Promise<FrameIndex> {
  const file = source.name;
  const size = source.size;
  const lr = new LineReader(source);
  const offsets: number[] = [];
  const lines: number[] = [];
  let mode: 'unknown' | 'models' | 'plain' = 'unknown';
  let inModel = false;
  let atomCount = -1;
  let atoms = 0;
  let frameStart = 0;
  let frameLine = 1;
  let modelLine = 0;
  let modelLabel = '';
  let cryst1Count = 0;
  let firstCryst1: string | null = null;
  let cryst1BeforeModels = false;
  let tail: SerializedError | undefined;
  let counter = 0;
  /** First TITLE/CRYST1 line after the last complete model (0: none): the header of a next model. */
  let pendingLine = 0;
  let pendingOffset = 0;
  let endSeen = false;
  const where = (line: number, lineText: string, byteOffset: number): ErrorContext => ({ file, format: FORMAT, frame: offsets.length, line, lineText, byteOffset });
  const closeFrame = (lineNo: number, text: string, lineOffset: number) => {
    const label = mode === 'models' ? `${modelLabel} (line ${modelLine})` : `frame ${offsets.length}`;
    if (atomCount < 0) {
      if (atoms === 0) throw new FormatError('FORMAT', `${label} has no ATOM or HETATM records`, where(lineNo, text, lineOffset));
      atomCount = atoms;
    } else if (atoms !== atomCount) {
      throw new FormatError('FORMAT', `${label} has ${atoms} atom records, the first ${mode === 'models' ? 'model' : 'frame'} has ${atomCount}`, where(lineNo, text, lineOffset));
    }
    offsets.push(frameStart);
    lines.push(frameLine);
    frameStart = lr.offset;
    frameLine = lr.line;
    atoms = 0;
    pendingLine = 0;
  };
  scan: for (;;) {
    if ((++counter & 16383) === 0) {
      throwIfAborted(options.signal, { file, format: FORMAT, frame: offsets.length });
      options.onScanProgress?.(lr.offset, size);
    }
    const lineNo = lr.line;
    const b = await lr.nextBytes();
    if (b === null) break;
    const rec = pdbRecordOf(b, 0, b.length);
    if (rec === PdbRecord.Other || rec === PdbRecord.Conect) continue;
    const lineOffset = lr.lastOffset;
    switch (rec) {
      case PdbRecord.Atom: {
        if (mode === 'unknown') mode = 'plain';
        if (mode === 'models' && !inModel) {
          throw new FormatError('CORRUPT', 'ATOM/HETATM record outside MODEL … ENDMDL', where(lineNo, latin1(b), lineOffset));
        }
        if (b.length < PDB_COORD_END) {
          const atEnd = lr.offset >= size && lr.offset === lr.lastOffset + b.length;
          if (atEnd) {
            tail = serializeError(new FormatError('TRUNCATED', `the file ends inside an atom record of frame ${offsets.length}`, where(lineNo, latin1(b), lineOffset)));
            break scan;
          }
          throw new FormatError('CORRUPT', `the atom record is too short for x, y, z (needs ${PDB_COORD_END} columns, has ${b.length})`, where(lineNo, latin1(b), lineOffset));
        }
        atoms++;
        break;
      }
      case PdbRecord.Model:
        if (mode === 'plain') throw new FormatError('FORMAT', 'MODEL record after ATOM/HETATM records that are not in a model', where(lineNo, latin1(b), lineOffset));
        if (inModel) throw new FormatError('CORRUPT', `MODEL record before the ENDMDL of ${modelLabel} (line ${modelLine})`, where(lineNo, latin1(b), lineOffset));
        mode = 'models';
        inModel = true;
        pendingLine = 0;
        modelLine = lineNo;
        modelLabel = latin1(b).trim().replace(/\s+/, ' ');
        atoms = 0;
        break;
      case PdbRecord.EndModel:
        if (!inModel) throw new FormatError('CORRUPT', 'ENDMDL without a MODEL', where(lineNo, latin1(b), lineOffset));
        inModel = false;
        closeFrame(lineNo, latin1(b), lineOffset);
        break;
      case PdbRecord.End:
        if (mode === 'models') {
          // END closes the file; a last model closed by END instead of ENDMDL is accepted.
          if (inModel) {
            inModel = false;
            closeFrame(lineNo, latin1(b), lineOffset);
          }
          endSeen = true;
          break scan;
        }
        if (mode === 'plain' && atoms > 0) closeFrame(lineNo, latin1(b), lineOffset);
        break;
      case PdbRecord.Cryst1:
        if (++cryst1Count === 1) {
          firstCryst1 = latin1(b);
          cryst1BeforeModels = mode === 'unknown';
        }
        if (!inModel && pendingLine === 0) [pendingLine, pendingOffset] = [lineNo, lineOffset];
        break;
      case PdbRecord.Title:
        if (!inModel && pendingLine === 0) [pendingLine, pendingOffset] = [lineNo, lineOffset];
        break;
    }
  }
  if (!tail) {
    if (mode === 'unknown') throw new FormatError('FORMAT', 'the file has no ATOM or HETATM records', { file, format: FORMAT, line: 1, byteOffset: 0 });
    if (mode === 'models' && inModel) {
      const err = new FormatError('TRUNCATED', `${modelLabel} (line ${modelLine}) has no ENDMDL: the file ends after ${atoms} of its atom records`, {
        file,
        format: FORMAT,
        frame: offsets.length,
        line: modelLine,
        byteOffset: frameStart,
      });
      tail = serializeError(err);
    } else if (mode === 'models' && pendingLine > 0 && !endSeen) {
      const err = new FormatError('TRUNCATED', `the file ends after the header records of model ${offsets.length + 1} (from line ${pendingLine}), before its MODEL record`, {
        file,
        format: FORMAT,
        frame: offsets.length,
        line: pendingLine,
        byteOffset: pendingOffset,
      });
      tail = serializeError(err);
    } else if (mode === 'plain' && atoms > 0) {
      if (atomCount >= 0 && atoms !== atomCount) {
        const err = new FormatError('TRUNCATED', `frame ${offsets.length} ends with the file after ${atoms} of ${atomCount} atom records`, {
          file,
          format: FORMAT,
          frame: offsets.length,
          line: frameLine,
          byteOffset: frameStart,
        });
        tail = serializeError(err);
      } else {
        closeFrame(lr.line - 1, '', lr.offset);
      }
    }
  }
  offsets.push(offsets.length ? frameStart : 0);
  lines.push(lines.length ? frameLine : 1);
  options.onScanProgress?.(size, size);
  const index: FrameIndex = {
    format: 'pdb',
    atomCount: Math.max(0, atomCount),
    offsets: Float64Array.from(offsets),
    lines: Float64Array.from(lines),
    fileSize: size,
  };
  if (cryst1Count === 1 && cryst1BeforeModels && mode === 'models' && firstCryst1) index.extra = { sharedCryst1: firstCryst1 };
  if (tail) index.tail = tail;
  return index;
}

/** A PDB file as a FrameSource: positions in Å, box from CRYST1, time from a GROMACS TITLE `t=`. */
export class PdbFrameSource extends IndexedFrameSource {
  /** Box of the single CRYST1 before the first MODEL, applied to models without their own. */
  private readonly sharedBox: Box | null;

  constructor(source: ByteSource, index: FrameIndex, _options: OpenOptions = {}) {
    super('pdb', source, index);
    const shared = index.extra?.sharedCryst1;
    let box: Box | null = null;
    if (typeof shared === 'string') {
      const b = new TextEncoder().encode(shared);
      const parsed = parseCryst1(b, 0, b.length);
      box = typeof parsed === 'string' ? null : parsed;
    }
    this.sharedBox = box;
  }

  protected decodeFrame(bytes: Uint8Array, frame: number, byteOffset: number, into: Frame): void {
    const cur = new ByteLineCursor(bytes, this.index.lines ? this.index.lines[frame] : 1);
    const b = bytes;
    const fail = (code: ErrorCode, detail: string): FormatError =>
      new FormatError(code, detail, { line: cur.line, lineText: cur.text(), byteOffset: byteOffset + cur.start });
    const n = this.atomCount;
    const pos = into.positions;
    let k = 0;
    let box: Box | null | undefined;
    let time = NaN;
    let step = -1;
    while (cur.next()) {
      const s = cur.start;
      const e = cur.end;
      const rec = pdbRecordOf(b, s, e);
      if (rec === PdbRecord.Atom) {
        if (k >= n) throw fail('MISMATCH', `more than ${n} atom records in this frame`);
        if (e - s < PDB_COORD_END) throw fail('CORRUPT', `the atom record is too short for x, y, z (needs ${PDB_COORD_END} columns, has ${e - s})`);
        for (let d = 0; d < 3; d++) {
          const fs = s + 30 + 8 * d;
          const v = parseFloatAscii(b, fs, fs + 8);
          if (!Number.isFinite(v)) throw fail('CORRUPT', `the ${'xyz'[d]} coordinate '${latin1(b, fs, fs + 8).trim()}' (columns ${31 + 8 * d}-${38 + 8 * d}) is not a finite number`);
          pos[3 * k + d] = v;
        }
        k++;
      } else if (rec === PdbRecord.Cryst1) {
        const parsed = parseCryst1(b, s, e);
        if (typeof parsed === 'string') throw fail('CORRUPT', parsed);
        box = parsed;
      } else if (rec === PdbRecord.Title && Number.isNaN(time)) {
        const tt = parseTitleTime(cur.text());
        time = tt.time;
        step = tt.step;
      }
    }
    if (k !== n) throw new FormatError('MISMATCH', `the frame has ${k} atom records, the index ${n}`, { byteOffset });
    into.box = box === undefined ? (this.sharedBox ? this.sharedBox.slice() : null) : box;
    into.time = time;
    into.step = step;
    into.velocities = null;
    into.forces = null;
  }
}

/**
 * Open a PDB file as a FrameSource (scanning unless `options.index` is given).
 * Units: positions Å, box Å (from CRYST1 a b c α β γ), time ps from a `t=` in the TITLE
 * (GROMACS) or NaN.
 * @throws FormatError from {@link scanPdbIndex}.
 */
export async function openPdb(source: ByteSource, options: OpenOptions = {}): Promise<FrameSource> {
  const index = options.index ?? (await scanPdbIndex(source, options));
  return new PdbFrameSource(source, index, options);
}

/**
 * Topology of the first model (or of the whole file when it has no MODEL records): names
 * (columns 13-16), residue names (18-21, so 4-character names such as TFSI are whole), chain
 * IDs (22), residue numbers (23-26, hybrid-36 decoded), elements (77-78, '' where blank),
 * formal charges (79-80) only when every atom has one, and bonds from CONECT records (serials
 * hybrid-36 decoded; bonds listed twice are kept once). For multi-model files CONECT records are
 * looked for after the first model and in the last 8 MiB of the file, where writers put them.
 * @throws FormatError naming the file and line for a malformed atom record or residue number,
 *   or when the file has no atoms or ends inside the first model.
 */
export async function readPdbTopology(source: ByteSource, options: OpenOptions = {}): Promise<TopologyInit> {
  const file = source.name;
  throwIfAborted(options.signal, { file, format: FORMAT });
  const lr = new LineReader(source);
  const names: string[] = [];
  const resnames: string[] = [];
  const chains: string[] = [];
  const elements: string[] = [];
  const resids: number[] = [];
  const charges: number[] = [];
  const serials: number[] = [];
  const conect: number[][] = [];
  let allCharges = true;
  let anyElement = false;
  let inModel = false;
  let done = false;
  let jumpToTail = false;
  const at = (b: Uint8Array, line: number): ErrorContext => ({ file, format: FORMAT, frame: 0, line, lineText: latin1(b), byteOffset: lr.lastOffset });
  for (;;) {
    const lineNo = lr.line;
    const b = await lr.nextBytes();
    if (b === null) break;
    const rec = pdbRecordOf(b, 0, b.length);
    if (rec === PdbRecord.Conect) {
      conect.push(parseConect(b));
      continue;
    }
    if (done) {
      if (rec === PdbRecord.Model || rec === PdbRecord.Atom) {
        jumpToTail = true;
        break;
      }
      continue;
    }
    if (rec === PdbRecord.Model) {
      inModel = true;
    } else if (rec === PdbRecord.EndModel || (rec === PdbRecord.End && names.length > 0)) {
      done = true;
    } else if (rec === PdbRecord.Atom) {
      if (b.length < PDB_COORD_END && lr.offset >= source.size && lr.offset === lr.lastOffset + b.length) {
        throw new FormatError('TRUNCATED', 'the file ends inside an atom record', at(b, lineNo));
      }
      if (b.length < 27) throw new FormatError('CORRUPT', `the atom record is too short for name, residue and residue number (needs 26 columns, has ${b.length})`, at(b, lineNo));
      names.push(latin1(b, 12, 16).trim());
      resnames.push(latin1(b, 17, 21).trim());
      chains.push(b[21] === 32 ? '' : latin1(b, 21, 22));
      const r = decodeHybrid36(b, 22, 26);
      if (!Number.isFinite(r)) throw new FormatError('CORRUPT', `the residue number '${latin1(b, 22, 26)}' (columns 23-26) is not a number`, at(b, lineNo));
      resids.push(r);
      serials.push(decodeHybrid36(b, 6, 11));
      const el = b.length > 76 ? latin1(b, 76, Math.min(b.length, 78)).trim() : '';
      if (el) anyElement = true;
      elements.push(el);
      const q = parsePdbCharge(b, 0, b.length);
      if (Number.isNaN(q)) allCharges = false;
      charges.push(q);
    }
  }
  if (!done && inModel) throw new FormatError('TRUNCATED', 'the file ends inside the first model (no ENDMDL)', { file, format: FORMAT, frame: 0, line: lr.line, byteOffset: lr.offset });
  if (names.length === 0) throw new FormatError('FORMAT', 'the file has no ATOM or HETATM records', { file, format: FORMAT, line: 1, byteOffset: 0 });
  if (jumpToTail) {
    const start = Math.max(lr.offset, source.size - CONECT_TAIL_BYTES);
    const bytes = await source.read(start, source.size - start);
    const ls = splitLines(bytes);
    // The first line of the window may be partial unless the window starts at a line start.
    for (let k = start === lr.offset ? 0 : 2; k < ls.length; k += 2) {
      if (pdbRecordOf(bytes, ls[k], ls[k + 1]) === PdbRecord.Conect) conect.push(parseConect(bytes.subarray(ls[k], ls[k + 1])));
    }
  }
  const n = names.length;
  const init: TopologyInit = { atomCount: n, names, resnames, resids: Int32Array.from(resids), chains, source: file };
  if (anyElement) init.elements = elements;
  if (allCharges) init.charges = Float64Array.from(charges);
  if (conect.length) {
    const bonds = conectBonds(conect, serials, n, (w) => options.onWarning?.(w.withContext({ file, format: FORMAT })));
    if (bonds.length) init.bonds = bonds;
  }
  return init;
}

/** Serial numbers of a CONECT record: [atom, bonded…] (NaN-free). */
function parseConect(b: Uint8Array): number[] {
  const out: number[] = [];
  for (let s = 6; s + 5 <= b.length && s < 31; s += 5) {
    const v = decodeHybrid36(b, s, s + 5);
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** Bonds as 0-based index pairs (i < j, each once) from CONECT serial lists. */
function conectBonds(conect: number[][], serials: number[], n: number, warn: (w: SolvscopeError) => void): Uint32Array {
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const s = serials[i];
    if (!Number.isFinite(s)) continue;
    if (index.has(s)) {
      warn(new FormatError('FORMAT', `atom serial ${s} appears more than once; CONECT records are ignored`, {}));
      return new Uint32Array(0);
    }
    index.set(s, i);
  }
  const seen = new Set<number>();
  const pairs: number[] = [];
  let unknown = 0;
  for (const rec of conect) {
    if (rec.length < 2) continue;
    const i = index.get(rec[0]);
    for (let k = 1; k < rec.length; k++) {
      const j = index.get(rec[k]);
      if (i === undefined || j === undefined) {
        unknown++;
        continue;
      }
      if (i === j) continue;
      const a = Math.min(i, j);
      const c = Math.max(i, j);
      const key = a * n + c;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push(a, c);
    }
  }
  if (unknown) warn(new FormatError('FORMAT', `${unknown} CONECT entries name atoms that are not in the first model; they are ignored`, {}));
  return Uint32Array.from(pairs);
}

const PDB_RECORDS = new Set([
  'HEADER', 'OBSLTE', 'TITLE', 'SPLIT', 'CAVEAT', 'COMPND', 'SOURCE', 'KEYWDS', 'EXPDTA', 'NUMMDL', 'MDLTYP', 'AUTHOR', 'REVDAT', 'SPRSDE', 'JRNL',
  'REMARK', 'DBREF', 'DBREF1', 'DBREF2', 'SEQADV', 'SEQRES', 'MODRES', 'HET', 'HETNAM', 'HETSYN', 'FORMUL', 'HELIX', 'SHEET', 'SSBOND', 'LINK',
  'CISPEP', 'SITE', 'CRYST1', 'ORIGX1', 'ORIGX2', 'ORIGX3', 'SCALE1', 'SCALE2', 'SCALE3', 'MTRIX1', 'MTRIX2', 'MTRIX3', 'MODEL', 'ATOM', 'ANISOU',
  'TER', 'HETATM', 'ENDMDL', 'CONECT', 'MASTER', 'END',
]);

/** First-bytes check: the first non-blank line starts with a PDB record name. */
export function sniffPdb(head: Uint8Array): boolean {
  const ls = splitLines(head.subarray(0, Math.min(head.length, 4096)));
  for (let k = 0; k < ls.length; k += 2) {
    const t = latin1(head, ls[k], Math.min(ls[k + 1], ls[k] + 6)).trim();
    if (!t) continue;
    return PDB_RECORDS.has(t);
  }
  return false;
}

/** Registry entry for PDB. */
export const pdbFormat: FormatDescriptor = {
  name: 'pdb',
  label: 'PDB',
  extensions: ['pdb', 'ent'],
  description: 'Protein Data Bank coordinates (MODEL/ENDMDL frames, CRYST1 box, fixed columns in Å)',
  sniff: sniffPdb,
  units: { length: 'A', time: 'ps' },
  capabilities: { positions: true, velocities: false, forces: false, box: true, time: true, topology: true, write: true, trajectory: true },
  scanIndex: scanPdbIndex,
  open: openPdb,
  readTopology: readPdbTopology,
  createWriter: createPdbWriter,
};
