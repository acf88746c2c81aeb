/**
 * Fixed-column PDB record helpers shared by the reader, the topology reader and the index scan
 * (wwPDB format v3.3, https://www.wwpdb.org/documentation/file-format-content/format33/v3.3.html).
 * Columns below are 1-based as in the spec; code uses 0-based [start, end).
 *
 *     ATOM/HETATM  7-11 serial (hybrid-36)   13-16 name   17 altLoc   18-21 resName*
 *                  22 chainID   23-26 resSeq (hybrid-36)   27 iCode
 *                  31-38 x   39-46 y   47-54 z (Å, 8.3)   55-60 occupancy   61-66 tempFactor
 *                  77-78 element   79-80 charge ('2+', '1-')
 *     CRYST1       7-15 a   16-24 b   25-33 c (Å, 9.3)   34-40 α   41-47 β   48-54 γ (deg, 7.2)
 *     MODEL        11-14 serial        CONECT  7-11 atom, 12-16 … 27-31 bonded atoms
 *
 * *The spec gives resName columns 18-20; GROMACS, CHARMM and NAMD put 4-character residue
 * names (TFSI) in 18-21, touching the chain ID, so we read 18-21 and trim.
 */
import { boxFromLengthsAngles, isValidBox, type Box } from '@solvscope/core';
import { latin1 } from '../text/line-reader.js';
import { parseFloatAscii } from '../text/numbers.js';

/** Record kinds the readers act on (plain numbers: cheap to compare in the hot loops). */
export const PdbRecord = {
  Other: 0,
  Atom: 1,
  Model: 2,
  EndModel: 3,
  End: 4,
  Cryst1: 5,
  Title: 6,
  Conect: 7,
} as const;
export type PdbRecord = (typeof PdbRecord)[keyof typeof PdbRecord];

function tagIs(b: Uint8Array, s: number, e: number, tag: string): boolean {
  for (let i = 0; i < 6; i++) {
    const c = s + i < e ? b[s + i] : 32;
    if (c !== tag.charCodeAt(i)) return false;
  }
  return true;
}

/** Kind of the record on line `b[s, e)` from its first six columns (short lines padded with spaces). */
export function pdbRecordOf(b: Uint8Array, s: number, e: number): PdbRecord {
  if (e - s < 3) return PdbRecord.Other;
  switch (b[s]) {
    case 65: // A
      return tagIs(b, s, e, 'ATOM  ') ? PdbRecord.Atom : PdbRecord.Other;
    case 72: // H
      return tagIs(b, s, e, 'HETATM') ? PdbRecord.Atom : PdbRecord.Other;
    case 77: // M
      return tagIs(b, s, e, 'MODEL ') ? PdbRecord.Model : PdbRecord.Other;
    case 69: // E
      if (tagIs(b, s, e, 'ENDMDL')) return PdbRecord.EndModel;
      return tagIs(b, s, e, 'END   ') ? PdbRecord.End : PdbRecord.Other;
    case 67: // C
      if (tagIs(b, s, e, 'CRYST1')) return PdbRecord.Cryst1;
      return tagIs(b, s, e, 'CONECT') ? PdbRecord.Conect : PdbRecord.Other;
    case 84: // T
      return tagIs(b, s, e, 'TITLE ') ? PdbRecord.Title : PdbRecord.Other;
    default:
      return PdbRecord.Other;
  }
}

/** Coordinates end in column 54: a shorter ATOM/HETATM line cannot hold x, y, z. */
export const PDB_COORD_END = 54;

/**
 * Box from a CRYST1 line `b[s, e)`. A cell of 1 × 1 × 1 Å with right angles means "no box"
 * (the placeholder PDB writers emit for non-periodic structures, treated so by MDAnalysis), as
 * does a zero cell; both give null.
 * @returns the box, null for "no box", or a message for a malformed record.
 */
export function parseCryst1(b: Uint8Array, s: number, e: number): Box | null | string {
  if (e - s < 54) return `the CRYST1 record is too short for a b c α β γ (needs 54 columns, has ${e - s})`;
  const cols: [number, number, string][] = [
    [6, 15, 'a'],
    [15, 24, 'b'],
    [24, 33, 'c'],
    [33, 40, 'alpha'],
    [40, 47, 'beta'],
    [47, 54, 'gamma'],
  ];
  const v = [0, 0, 0, 0, 0, 0];
  for (let k = 0; k < 6; k++) {
    const [cs, ce, name] = cols[k];
    v[k] = parseFloatAscii(b, s + cs, s + ce);
    if (!Number.isFinite(v[k])) return `the CRYST1 ${name} '${latin1(b, s + cs, s + ce).trim()}' (columns ${cs + 1}-${ce}) is not a finite number`;
  }
  const [a, bb, c, al, be, ga] = v;
  if (a === 1 && bb === 1 && c === 1 && al === 90 && be === 90 && ga === 90) return null;
  if (a === 0 && bb === 0 && c === 0) return null;
  if (!(a > 0 && bb > 0 && c > 0 && al > 0 && al < 180 && be > 0 && be < 180 && ga > 0 && ga < 180)) {
    return `the CRYST1 cell ${a} ${bb} ${c} ${al} ${be} ${ga} is not a valid cell`;
  }
  const box = boxFromLengthsAngles(a, bb, c, al, be, ga);
  return isValidBox(box) ? box : `the CRYST1 cell ${a} ${bb} ${c} ${al} ${be} ${ga} is not a valid cell`;
}

/** Formal charge from columns 79-80 ('2+', '1-', also '+2', '-', '+'); NaN when blank or unreadable. */
export function parsePdbCharge(b: Uint8Array, s: number, e: number): number {
  const t = e - s > 78 ? latin1(b, s + 78, Math.min(e, s + 80)).trim() : '';
  if (!t) return NaN;
  let m = /^(\d)([+-])$/.exec(t);
  if (m) return (m[2] === '-' ? -1 : 1) * Number(m[1]);
  m = /^([+-])(\d)?$/.exec(t);
  if (m) return (m[1] === '-' ? -1 : 1) * (m[2] ? Number(m[2]) : 1);
  return NaN;
}
