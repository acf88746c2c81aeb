import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMATS, TRICLINIC, type CoordsRef } from '@solvscope/fixtures';
import { FormatError, MemoryByteSource, OptionError, SolvscopeError, boxToLengthsAngles, isReducedBox } from '@solvscope/core';
import { checkTruncated, describeFrameSource } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { openLammpsDump, scanLammpsDumpIndex } from './lammps-dump-reader.js';
import { lammpsDumpFormat, sniffLammpsDump } from './lammps-dump-format.js';

const readRef = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as CoordsRef;
const HEADER_LINES = 9;
const ortho = new Uint8Array(readFileSync(FORMATS.lammpsDump));
const orthoText = new TextDecoder().decode(ortho);
const tric = new Uint8Array(readFileSync(TRICLINIC.lammpsDump));
const tricText = new TextDecoder().decode(tric);

const mem = (text: string | Uint8Array, name = 'synthetic.lammpstrj') => new MemoryByteSource(name, text);
/** Byte offset of 1-based line `line` of `b`. */
function lineOffset(b: Uint8Array, line: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) off = b.indexOf(10, off) + 1;
  return off;
}
function withLine(text: string, line: number, replacement: string): MemoryByteSource {
  const lines = text.split('\n');
  lines[line - 1] = replacement;
  return mem(lines.join('\n'), 'formats.lammpstrj');
}

describeFrameSource('FORMATS.lammpsDump', {
  open: async () => openLammpsDump(await fileSource(FORMATS.lammpsDump), { timestepPs: 0.002 }),
  format: 'lammps-dump',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref: readRef(FORMATS.coordsRef),
  positionTolerance: 1e-4,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-9 },
});

describeFrameSource('TRICLINIC.lammpsDump', {
  open: async () => openLammpsDump(await fileSource(TRICLINIC.lammpsDump), { timestepPs: 0.002 }),
  format: 'lammps-dump',
  atomCount: TRICLINIC.atoms,
  frameCount: TRICLINIC.frames,
  ref: readRef(TRICLINIC.coordsRef),
  positionTolerance: 5e-4,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-9 },
});

describe('LAMMPS dump reader on the real fixtures', () => {
  it('indexes every frame at its ITEM: TIMESTEP line and records the column layout', async () => {
    const index = await scanLammpsDumpIndex(memorySource(FORMATS.lammpsDump));
    const per = HEADER_LINES + FORMATS.atoms;
    for (let k = 0; k < FORMATS.frames; k++) {
      expect(index.lines![k]).toBe(1 + k * per);
      expect(index.offsets[k]).toBe(lineOffset(ortho, 1 + k * per));
    }
    expect(index.offsets[FORMATS.frames]).toBe(ortho.length);
    expect(index.extra).toEqual({ columns: ['id', 'type', 'x', 'y', 'z'], boxKind: 'orthogonal', boundary: ['pp', 'pp', 'pp'], units: null });
  });

  it('gives the raw step and NaN time without a timestep option', async () => {
    const src = await openLammpsDump(memorySource(FORMATS.lammpsDump));
    const f = await src.readFrame(3);
    expect(f.step).toBe(1500);
    expect(f.time).toBeNaN();
    expect(f.velocities).toBeNull();
  });

  it('turns the triclinic bounding box into the GROMACS cell (a along x, b in xy)', async () => {
    const src = await openLammpsDump(memorySource(TRICLINIC.lammpsDump));
    const f = await src.readFrame(0);
    // lines 6-8: "0.000000 47.148155 0.000000" / "0.000000 47.148155 15.716051" / "0.000000 22.225838 15.716051"
    const xy = 0;
    const xz = 15.716051;
    const yz = 15.716051;
    const want = [47.148155 - Math.max(0, xy, xz, xy + xz), 0, 0, xy, 47.148155 - Math.max(0, yz), 0, xz, yz, 22.225838];
    for (let k = 0; k < 9; k++) expect(f.box![k]).toBeCloseTo(want[k], 9);
    const dims = boxToLengthsAngles(f.box!);
    expect(dims[3]).toBeCloseTo(60, 3);
    expect(dims[4]).toBeCloseTo(60, 3);
    expect(dims[5]).toBeCloseTo(90, 6);
  });

  it('is recognised by its sniff', () => {
    expect(sniffLammpsDump(ortho.subarray(0, 4096))).toBe(true);
    expect(sniffLammpsDump(new TextEncoder().encode('3\ncomment\nO 0 0 0\n'))).toBe(false);
    expect(lammpsDumpFormat.capabilities.trajectory).toBe(true);
  });
});

/** A small synthetic dump; `atoms` are lines after the ATOMS header. */
function dumpText(frames: { step: number; n?: number; box: string[]; boxHeader?: string; cols: string; atoms: string[]; extra?: string[] }[]): string {
  const out: string[] = [];
  for (const f of frames) {
    out.push('ITEM: TIMESTEP', String(f.step), ...(f.extra ?? []), 'ITEM: NUMBER OF ATOMS', String(f.n ?? f.atoms.length));
    out.push(`ITEM: BOX BOUNDS ${f.boxHeader ?? 'pp pp pp'}`, ...f.box, `ITEM: ATOMS ${f.cols}`, ...f.atoms);
  }
  return out.join('\n') + '\n';
}
const BOX10 = ['0 10', '0 20', '0 30'];

describe('LAMMPS dump column layouts and atom order', () => {
  it('sorts shuffled atom lines by id', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'type x y z id', atoms: ['2 3 3 3 3', '1 1 1 1 1', '2 4 4 4 4', '1 2 2 2 2'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.positions)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]);
  });

  it('ranks ids that are not 1..N in ascending order', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'id x y z', atoms: ['300 3 0 0', '7 1 0 0', '1000 4 0 0', '12 2 0 0'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.positions.filter((_, k) => k % 3 === 0))).toEqual([1, 2, 3, 4]);
  });

  it('keeps file order when there is no id column', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'x y z', atoms: ['3 0 0', '1 0 0'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(f.positions[0]).toBe(3);
    expect(f.positions[3]).toBe(1);
  });

  it('rejects a repeated atom id naming both lines', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'id x y z', atoms: ['1 0 0 0', '2 0 0 0', '2 1 1 1'] }]);
    const err = await (await openLammpsDump(mem(text))).readFrame(0).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/atom id 2 appears twice \(lines 11 and 12\)/);
    expect(err.context.line).toBe(12);
  });

  it('prefers wrapped x y z over unwrapped and scaled columns', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'id xs ys zs xu yu zu x y z', atoms: ['1 0.5 0.5 0.5 15 25 35 5 6 7'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.positions)).toEqual([5, 6, 7]);
  });

  it('reads unwrapped xu yu zu when there is no x y z', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'id type xu yu zu', atoms: ['1 1 -12.5 25 61'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.positions)).toEqual([-12.5, 25, 61]);
  });

  it('converts scaled xs ys zs with the box origin and lengths', async () => {
    const text = dumpText([{ step: 0, box: ['-5 5', '2 22', '0 30'], cols: 'id xs ys zs', atoms: ['2 0.5 0.25 0.1', '1 0 0 0'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.positions)).toEqual([-5, 2, 0, 0, 7, 3]);
  });

  it('converts scaled-unwrapped xsu ysu zsu, including images outside the cell', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'id xsu ysu zsu', atoms: ['1 1.5 -0.25 2'] }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.positions)).toEqual([15, -5, 60]);
  });

  it('converts triclinic scaled coordinates through the cell recovered from the bounding box', async () => {
    // Cell: xlo=1, lx=20, ylo=-2, ly=18, zlo=0.5, lz=16, tilts xy=-4, xz=3, yz=5.
    const [xlo, lx, ylo, ly, zlo, lz, xy, xz, yz] = [1, 20, -2, 18, 0.5, 16, -4, 3, 5];
    const bounds = [
      `${xlo + Math.min(0, xy, xz, xy + xz)} ${xlo + lx + Math.max(0, xy, xz, xy + xz)} ${xy}`,
      `${ylo + Math.min(0, yz)} ${ylo + ly + Math.max(0, yz)} ${xz}`,
      `${zlo} ${zlo + lz} ${yz}`,
    ];
    const s = [
      [0.25, 0.5, 0.75],
      [0.9, 0.1, 0.3],
    ];
    const text = dumpText([{ step: 0, box: bounds, boxHeader: 'xy xz yz pp pp pp', cols: 'id type xs ys zs', atoms: s.map((v, i) => `${i + 1} 1 ${v.join(' ')}`) }]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(Array.from(f.box!)).toEqual([lx, 0, 0, xy, ly, 0, xz, yz, lz]);
    s.forEach(([a, b, c], i) => {
      const want = [xlo + a * lx + b * xy + c * xz, ylo + b * ly + c * yz, zlo + c * lz];
      for (let d = 0; d < 3; d++) expect(f.positions[3 * i + d]).toBeCloseTo(want[d], 5);
    });
  });

  it('reads the triclinic fixture frame rewritten as shuffled scaled coordinates like the original', async () => {
    // Build frame 0 of TRICLINIC as xs ys zs (computed here from the bounds lines), shuffled.
    const lines = tricText.split('\n');
    const [b1, b2, b3] = [lines[5], lines[6], lines[7]].map((l) => l.trim().split(/\s+/).map(Number));
    const [xy, xz, yz] = [b1[2], b2[2], b3[2]];
    const xlo = b1[0] - Math.min(0, xy, xz, xy + xz);
    const lx = b1[1] - Math.max(0, xy, xz, xy + xz) - xlo;
    const ylo = b2[0] - Math.min(0, yz);
    const ly = b2[1] - Math.max(0, yz) - ylo;
    const [zlo, lz] = [b3[0], b3[1] - b3[0]];
    const atoms = lines.slice(9, 9 + TRICLINIC.atoms).map((l) => {
      const [id, type, x, y, z] = l.trim().split(/\s+/).map(Number);
      const sz = (z - zlo) / lz;
      const sy = (y - ylo - sz * yz) / ly;
      const sx = (x - xlo - sy * xy - sz * xz) / lx;
      return `${id} ${type} ${sx.toPrecision(12)} ${sy.toPrecision(12)} ${sz.toPrecision(12)}`;
    });
    for (let i = atoms.length - 1; i > 0; i--) {
      const j = (i * 7919) % (i + 1);
      [atoms[i], atoms[j]] = [atoms[j], atoms[i]];
    }
    const text = [...lines.slice(0, 8), 'ITEM: ATOMS id type xs ys zs', ...atoms, ''].join('\n');
    const scaled = await (await openLammpsDump(mem(text))).readFrame(0);
    const plain = await (await openLammpsDump(memorySource(TRICLINIC.lammpsDump))).readFrame(0);
    let maxd = 0;
    for (let k = 0; k < plain.positions.length; k++) maxd = Math.max(maxd, Math.abs(scaled.positions[k] - plain.positions[k]));
    expect(maxd).toBeLessThan(2e-5);
    expect(Array.from(scaled.box!)).toEqual(Array.from(plain.box!));
  });

  it('rotates a general triclinic (abc origin) cell and its coordinates into reduced form', async () => {
    // a along y, b along -x, c along z: a 90° rotation of a 10 x 12 x 14 box.
    const text = dumpText([
      { step: 0, boxHeader: 'abc origin pp pp pp', box: ['0 10 0 0', '-12 0 0 0', '0 0 14 0'], cols: 'id x y z', atoms: ['1 -3 2 5'] },
    ]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(isReducedBox(f.box!)).toBe(true);
    for (const [k, v] of [10, 0, 0, 0, 12, 0, 0, 0, 14].entries()) expect(f.box![k]).toBeCloseTo(v, 9);
    // r = 0.2 a + 0.25 b + 5/14 c  ->  (2, 3, 5) in the reduced frame
    expect(f.positions[0]).toBeCloseTo(2, 5);
    expect(f.positions[1]).toBeCloseTo(3, 5);
    expect(f.positions[2]).toBeCloseTo(5, 5);
  });

  it('reads velocities and forces converted from real units, and time from ITEM: TIME', async () => {
    const text = dumpText([
      { step: 100, extra: ['ITEM: UNITS', 'real', 'ITEM: TIME', '200.0'], box: BOX10, cols: 'id x y z vx vy vz fx fy fz', atoms: ['1 1 2 3 0.01 -0.02 0.005 1 0 -2'] },
    ]);
    const f = await (await openLammpsDump(mem(text))).readFrame(0);
    expect(f.time).toBeCloseTo(0.2, 12);
    expect(f.step).toBe(100);
    expect(f.velocities![0]).toBeCloseTo(10, 4);
    expect(f.velocities![1]).toBeCloseTo(-20, 4);
    expect(f.forces![0]).toBeCloseTo(4.184, 5);
    expect(f.forces![2]).toBeCloseTo(-8.368, 5);
    const dt = await (await openLammpsDump(mem(text), { timestepPs: 0.001 })).readFrame(0);
    expect(dt.time).toBeCloseTo(0.1, 12);
  });

  it('ignores velocities with a warning when the unit style is unknown, and reads them with the units option', async () => {
    const text = dumpText([{ step: 0, box: BOX10, cols: 'id x y z vx vy vz', atoms: ['1 1 2 3 1 2 3'] }]);
    const warnings: SolvscopeError[] = [];
    const f = await (await openLammpsDump(mem(text), { onWarning: (w) => warnings.push(w) })).readFrame(0);
    expect(f.velocities).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/units option/);
    const g = await (await openLammpsDump(mem(text), { units: 'metal' })).readFrame(0);
    expect(Array.from(g.velocities!)).toEqual([1, 2, 3]);
  });
});

describe('LAMMPS dump reader on truncated files', () => {
  // frame 9 (the last) of FORMATS.lammpsDump starts at line 9 * 3075 + 1
  const L = 9 * (HEADER_LINES + FORMATS.atoms) + 1;
  const at = (line: number, plus = 0) => lineOffset(ortho, line) + plus;
  const cases: [string, number][] = [
    ['inside ITEM: TIMESTEP', at(L, 7)],
    ['right after ITEM: TIMESTEP', at(L + 1)],
    ['right after the timestep value', at(L + 2)],
    ['inside ITEM: NUMBER OF ATOMS', at(L + 2, 12)],
    ['right after ITEM: NUMBER OF ATOMS', at(L + 3)],
    ['inside the number of atoms', at(L + 3, 2)],
    ['inside ITEM: BOX BOUNDS', at(L + 4, 13)],
    ['before the box lines', at(L + 5)],
    ['after one box line', at(L + 6)],
    ['inside the second box line', at(L + 6, 9)],
    ['after two box lines', at(L + 7)],
    ['before ITEM: ATOMS', at(L + 8)],
    ['inside ITEM: ATOMS', at(L + 8, 18)],
    ['right after ITEM: ATOMS', at(L + 9)],
    ['at an atom-line boundary', at(L + 9 + 1000)],
    ['in the middle of an atom line', at(L + 9 + 1000, 9)],
    ['in the middle of the last atom line', ortho.length - 6],
  ];
  for (const [what, n] of cases) {
    it(`keeps the 9 complete frames and reports a TRUNCATED tail when cut ${what}`, async () => {
      const { threw, source } = await checkTruncated(() => openLammpsDump(mem(ortho.slice(0, n), 'formats.lammpstrj')), 9);
      expect(threw).toBeNull();
      const t = source!.tailError!;
      expect(t).toBeInstanceOf(FormatError);
      expect(t.code).toBe('TRUNCATED');
      expect(t.context).toMatchObject({ file: 'formats.lammpstrj', format: 'LAMMPS dump', frame: 9 });
      expect(t.context.line).toBeGreaterThanOrEqual(L);
    });
  }

  it('keeps all 10 frames when only the final newline is missing', async () => {
    const src = await openLammpsDump(mem(ortho.slice(0, ortho.length - 1), 'formats.lammpstrj'));
    expect(src.frameCount).toBe(10);
    expect(src.tailError).toBeNull();
    const f = await src.readFrame(9);
    expect(Number.isFinite(f.positions[3 * 3066 - 1])).toBe(true);
  });

  it('names the missing part when the file ends before the box lines', async () => {
    const src = await openLammpsDump(mem(ortho.slice(0, at(L + 5)), 'formats.lammpstrj'));
    expect(src.tailError!.message).toBe(
      `formats.lammpstrj: LAMMPS dump frame 9 (byte ${at(L + 4)}, line ${L + 4}): the file ends inside the header of frame 9, before box line 1 of 3`,
    );
  });

  it('rejects a file whose first frame is truncated', async () => {
    const err = await openLammpsDump(mem(ortho.slice(0, at(500)), 'formats.lammpstrj')).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('TRUNCATED');
    expect(err.context.frame).toBe(0);
  });

  it('keeps every frame of the triclinic fixture cut inside its last header', async () => {
    const last = 50 * (HEADER_LINES + TRICLINIC.atoms) + 1;
    const { source } = await checkTruncated(() => openLammpsDump(mem(tric.slice(0, lineOffset(tric, last + 6) + 5), 'prod_triclinic.lammpstrj')), 50);
    expect(source!.tailError!.code).toBe('TRUNCATED');
  });
});

describe('LAMMPS dump reader on corrupted files', () => {
  const per = HEADER_LINES + FORMATS.atoms;
  it('reports a non-numeric coordinate with file, frame, line and the quoted line', async () => {
    const line = 2 * per + HEADER_LINES + 5; // frame 2, 5th atom line
    const src = await openLammpsDump(withLine(orthoText, line, '5 2 8.2200 x24.5600 17.1700'));
    const err = await src.readFrame(2).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toBe(
      `formats.lammpstrj: LAMMPS dump frame 2 (byte ${lineOffset(ortho, line)}, line ${line}): y (column 'y') of the 5th atom line is not a finite number ('x24.5600'); the line is '5 2 8.2200 x24.5600 17.1700'`,
    );
  });

  it('rejects a NaN coordinate', async () => {
    const line = 7 * per + HEADER_LINES + 1;
    const src = await openLammpsDump(withLine(orthoText, line, '1 1 nan 24.11 17.89'));
    await expect(src.readFrame(7)).rejects.toMatchObject({ code: 'CORRUPT', context: { frame: 7, line } });
  });

  it('rejects an atom line with a missing column', async () => {
    const line = per + HEADER_LINES + 3;
    const src = await openLammpsDump(withLine(orthoText, line, '3 2 8.74 24.77'));
    await expect(src.readFrame(1)).rejects.toThrow(/atom line has 4 values, 'ITEM: ATOMS id type x y z' names 5 columns/);
  });

  it('rejects an atom count that changes between frames, naming the frame', async () => {
    const text = dumpText([
      { step: 0, box: BOX10, cols: 'id x y z', atoms: ['1 0 0 0', '2 1 1 1'] },
      { step: 10, box: BOX10, cols: 'id x y z', atoms: ['1 0 0 0', '2 1 1 1'] },
      { step: 20, box: BOX10, cols: 'id x y z', atoms: ['1 0 0 0', '2 1 1 1', '3 2 2 2'] },
    ]);
    const err = await openLammpsDump(mem(text)).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('FORMAT');
    expect(err.context).toMatchObject({ frame: 2, line: 23 });
    expect(err.message).toMatch(/frame 2 has 3 atoms but frame 0 has 2/);
  });

  it('rejects a frame with a missing atom line at the next frame header', async () => {
    const lines = orthoText.split('\n');
    lines.splice(3 * per + HEADER_LINES + 10, 1);
    const err = await openLammpsDump(mem(lines.join('\n'), 'formats.lammpstrj')).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('CORRUPT');
    expect(err.context.frame).toBe(4);
    expect(err.message).toMatch(/frame 3 may have more or fewer atom lines/);
  });

  it('rejects a garbled box line inside the file', async () => {
    const line = 4 * per + 7;
    const err = await openLammpsDump(withLine(orthoText, line, '0.000000 abc')).catch((e) => e);
    expect(err).toMatchObject({ code: 'CORRUPT', context: { frame: 4, line, lineText: '0.000000 abc' } });
    expect(err.message).toMatch(/box line 2 must hold 2 numbers/);
  });

  it('reports text after the last frame as a CORRUPT tail and keeps the frames', async () => {
    const src = await openLammpsDump(mem(orthoText + 'some trailing junk\nmore\n', 'formats.lammpstrj'));
    expect(src.frameCount).toBe(10);
    expect(src.tailError!.code).toBe('CORRUPT');
    expect(src.tailError!.context.line).toBe(10 * per + 1);
  });

  it('rejects a non-Å unit style and an ATOMS header without coordinates', async () => {
    const lj = dumpText([{ step: 0, extra: ['ITEM: UNITS', 'lj'], box: BOX10, cols: 'id x y z', atoms: ['1 0 0 0'] }]);
    await expect(openLammpsDump(mem(lj))).rejects.toThrow(/unit style 'lj' is not supported/);
    const nocoord = dumpText([{ step: 0, box: BOX10, cols: 'id type q', atoms: ['1 1 0.5'] }]);
    await expect(openLammpsDump(mem(nocoord))).rejects.toThrow(/has no coordinate columns/);
  });

  it('rejects a bad timestep option naming the option', async () => {
    const err = await openLammpsDump(memorySource(FORMATS.lammpsDump), { timestepPs: -2 }).catch((e) => e);
    expect(err).toBeInstanceOf(OptionError);
    expect(err.context.option).toBe('timestepPs');
  });
});
