import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORMATS, type CoordsRef } from '@solvscope/fixtures';
import { FormatError, MemoryByteSource, OptionError, boxToLengthsAngles, buildTopology, createFrame, isReducedBox, orthorhombicBox } from '@solvscope/core';
import { checkTruncated, describeFrameSource } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import type { ByteSink } from '../format.js';
import { openXyz, readXyzTopology, scanXyzIndex } from './xyz-reader.js';
import { createXyzWriter } from './xyz-writer.js';
import { sniffXyz, xyzFormat } from './xyz-format.js';
import { parseXyzComment } from './extxyz-comment.js';

const ref = JSON.parse(readFileSync(FORMATS.coordsRef, "utf8")) as CoordsRef;
const LINES_PER_FRAME = FORMATS.atoms + 2;
const fixtureBytes = new Uint8Array(readFileSync(FORMATS.xyz));
const fixtureText = new TextDecoder().decode(fixtureBytes);

/** Byte offset of the start of 1-based line `line` of the fixture. */
function lineOffset(line: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) off = fixtureBytes.indexOf(10, off) + 1;
  return off;
}
const mem = (text: string | Uint8Array, name = 'synthetic.xyz') => new MemoryByteSource(name, text);
const cut = (n: number) => new MemoryByteSource('formats.xyz', fixtureBytes.slice(0, n));
/** Replace the text of 1-based line `line` of the fixture. */
function withLine(line: number, text: string): MemoryByteSource {
  const lines = fixtureText.split('\n');
  lines[line - 1] = text;
  return mem(lines.join('\n'), 'formats.xyz');
}

describeFrameSource('FORMATS.xyz', {
  open: async () => openXyz(await fileSource(FORMATS.xyz)),
  format: 'xyz',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref,
  positionTolerance: 1e-4,
  box: 'none',
  time: 'none',
});

describe('XYZ reader on the real fixture', () => {
  it('indexes every frame at its count line with 1-based line numbers', async () => {
    const index = await scanXyzIndex(memorySource(FORMATS.xyz));
    expect(index.atomCount).toBe(3066);
    expect(index.offsets.length).toBe(11);
    for (let k = 0; k < 10; k++) {
      expect(index.lines![k]).toBe(1 + k * LINES_PER_FRAME);
      expect(index.offsets[k]).toBe(lineOffset(1 + k * LINES_PER_FRAME));
    }
    expect(index.tail).toBeUndefined();
  });

  it('reads time as NaN, step as -1 and no velocities from a plain comment', async () => {
    const src = await openXyz(memorySource(FORMATS.xyz));
    const f = await src.readFrame(3);
    expect(f.time).toBeNaN();
    expect(f.step).toBe(-1);
    expect(f.velocities).toBeNull();
    expect(f.box).toBeNull();
  });

  it('reads the first atom of frame 1 exactly as written in the file', async () => {
    const src = await openXyz(memorySource(FORMATS.xyz));
    const f = await src.readFrame(1);
    // line 3071: "       O     8.16000   26.31000   17.57000"
    expect(Array.from(f.positions.subarray(0, 3))).toEqual([Math.fround(8.16), Math.fround(26.31), Math.fround(17.57)]);
  });

  it('gives names and elements from the first frame species column', async () => {
    const init = await readXyzTopology(memorySource(FORMATS.xyz));
    expect(init.atomCount).toBe(3066);
    expect(init.names!.slice(0, 3)).toEqual(['O', 'H', 'H']);
    const topo = buildTopology(init);
    const counts: Record<string, number> = {};
    for (const e of topo.elements) counts[e] = (counts[e] ?? 0) + 1;
    const ions = fixtureText.split('\n').slice(2, 2 + 3066);
    const mg = ions.filter((l) => l.trim().startsWith('Mg ')).length;
    const cl = ions.filter((l) => l.trim().startsWith('Cl ')).length;
    expect(mg).toBeGreaterThan(0);
    expect(counts.Mg).toBe(mg);
    expect(counts.Cl).toBe(cl);
    expect(counts.O + counts.H + counts.Mg + counts.Cl).toBe(3066);
  });

  it('is recognised by its sniff and described as readable and writable', () => {
    expect(sniffXyz(fixtureBytes.subarray(0, 4096))).toBe(true);
    expect(sniffXyz(new TextEncoder().encode('ITEM: TIMESTEP\n0\n'))).toBe(false);
    expect(xyzFormat.capabilities.write).toBe(true);
    expect(xyzFormat.capabilities.topology).toBe(true);
  });
});

describe('XYZ reader on truncated files', () => {
  // frame 9 (the last) starts at line 9 * 3068 + 1
  const last = 9 * LINES_PER_FRAME + 1;
  const cases: [string, number][] = [
    ['inside the count line of the last frame', lineOffset(last) + 2],
    ['right after the count line of the last frame', lineOffset(last + 1)],
    ['inside the comment line of the last frame', lineOffset(last + 1) + 10],
    ['right after the comment line of the last frame', lineOffset(last + 2)],
    ['at an atom-line boundary inside the last frame', lineOffset(last + 2 + 1500)],
    ['in the middle of an atom line of the last frame', lineOffset(last + 2 + 1500) + 17],
    ['in the middle of the last atom line of the file', fixtureBytes.length - 12],
  ];
  for (const [what, at] of cases) {
    it(`keeps the 9 complete frames and reports a TRUNCATED tail when cut ${what}`, async () => {
      const { threw, source } = await checkTruncated(() => openXyz(cut(at)), 9);
      expect(threw).toBeNull();
      expect(source!.tailError).toBeInstanceOf(FormatError);
      expect(source!.tailError!.code).toBe('TRUNCATED');
      expect(source!.tailError!.context.frame).toBe(9);
      expect(source!.tailError!.context.file).toBe('formats.xyz');
      expect(source!.tailError!.context.line).toBeGreaterThanOrEqual(last);
    });
  }

  it('keeps all 10 frames when the file is cut exactly after the last atom line', async () => {
    const src = await openXyz(cut(fixtureBytes.length - 1)); // drop only the trailing blank line
    expect(src.frameCount).toBe(10);
    expect(src.tailError).toBeNull();
  });

  it('rejects a file whose only frame is truncated, naming line and frame', async () => {
    const err = await openXyz(cut(lineOffset(100))).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('TRUNCATED');
    const remain = lineOffset(100) - lineOffset(3);
    expect(err.message).toBe(
      `formats.xyz: XYZ frame 0 (byte 0, line 1): frame 0 declares 3066 atoms (at least 24527 bytes of atom lines) but only ${remain} bytes remain; the line is '3066'`,
    );
  });

  it('rejects an empty file with a FORMAT error', async () => {
    await expect(openXyz(mem('', 'empty.xyz'))).rejects.toMatchObject({ code: 'FORMAT', context: { file: 'empty.xyz' } });
  });
});

describe('XYZ reader on corrupted files', () => {
  it('reports a non-numeric coordinate with file, frame, line and the quoted line', async () => {
    const line = 3 * LINES_PER_FRAME + 2 + 11; // frame 3, atom 11 (1-based)
    const src = await openXyz(withLine(line, '       H     8.74000   abc   18.58000'));
    await expect(src.readFrame(2)).resolves.toBeTruthy();
    const err = await src.readFrame(3).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('CORRUPT');
    expect(err.context).toMatchObject({ file: 'formats.xyz', format: 'XYZ', frame: 3, line });
    expect(err.message).toBe(
      `formats.xyz: XYZ frame 3 (byte ${lineOffset(line)}, line ${line}): y coordinate of atom 11 is not a finite number ('abc'); the line is '       H     8.74000   abc   18.58000'`,
    );
  });

  it('rejects a NaN coordinate instead of passing it on', async () => {
    const line = 5 * LINES_PER_FRAME + 2 + 1;
    const src = await openXyz(withLine(line, 'O nan 1.0 2.0'));
    await expect(src.readFrame(5)).rejects.toMatchObject({ code: 'CORRUPT', context: { frame: 5, line, lineText: 'O nan 1.0 2.0' } });
    const frames = async () => {
      for await (const _ of src.frames()) {
        // consume
      }
    };
    await expect(frames()).rejects.toMatchObject({ context: { frame: 5 } });
  });

  it('rejects an atom line with too few columns', async () => {
    const line = 2 + 7;
    const src = await openXyz(withLine(line, 'H 1.0 2.0'));
    await expect(src.readFrame(0)).rejects.toThrow(/atom 7 has 3 columns, Properties=species:S:1:pos:R:3 needs 4/);
  });

  it('rejects an atom count that changes between frames, naming the frame', async () => {
    const src = mem('2\nf0\nO 0 0 0\nH 1 0 0\n2\nf1\nO 0 0 0\nH 1 0 0\n3\nf2\nO 0 0 0\nH 1 0 0\nH 0 1 0\n');
    const err = await openXyz(src).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('FORMAT');
    expect(err.context).toMatchObject({ frame: 2, line: 9, lineText: '3' });
    expect(err.message).toMatch(/frame 2 has 3 atoms but frame 0 has 2/);
  });

  it('rejects garbage where a count line should be in the middle of the file', async () => {
    const line = 4 * LINES_PER_FRAME + 1;
    const err = await openXyz(withLine(line, 'garbage')).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('CORRUPT');
    expect(err.context).toMatchObject({ frame: 4, line, lineText: 'garbage' });
  });

  it('detects a frame with a missing atom line as garbage at the next count line', async () => {
    const lines = fixtureText.split('\n');
    lines.splice(2 * LINES_PER_FRAME + 5, 1); // drop one atom line of frame 2
    const err = await openXyz(mem(lines.join('\n'), 'formats.xyz')).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.context.frame).toBe(3);
  });

  it('rejects a malformed Lattice at open with the comment line quoted', async () => {
    const err = await openXyz(mem('1\nLattice="1 0 0 0 1" Properties=species:S:1:pos:R:3\nO 0 0 0\n')).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('CORRUPT');
    expect(err.context).toMatchObject({ frame: 0, line: 2, file: 'synthetic.xyz' });
    expect(err.message).toMatch(/Lattice must hold 9 numbers/);
  });

  it('rejects Properties without a pos:R:3 entry', async () => {
    await expect(openXyz(mem('1\nProperties=species:S:1:x:R:3\nO 0 0 0\n'))).rejects.toThrow(/no pos:R:3 entry/);
  });

  it('rejects a bad option value naming the option', async () => {
    await expect(openXyz(mem('1\n\nO 0 0 0\n'), { timeUnit: 'ns' as 'ps' })).rejects.toBeInstanceOf(OptionError);
  });
});

describe('extended XYZ', () => {
  it('reads an orthorhombic Lattice, Time and step', async () => {
    const text = [
      '2',
      'Lattice="10.0 0.0 0.0 0.0 11.0 0.0 0.0 0.0 12.0" Properties=species:S:1:pos:R:3 Time=2.5 step=1250 pbc="T T T"',
      'O 1.0 2.0 3.0',
      'H 1.5 2.5 3.5',
      '2',
      'Properties=species:S:1:pos:R:3 Lattice="10.5 0 0 0 11 0 0 0 12" time=3.5',
      'O 1.1 2.0 3.0',
      'H 1.5 2.5 3.5',
      '',
    ].join('\n');
    const src = await openXyz(mem(text));
    expect(src.frameCount).toBe(2);
    const f0 = await src.readFrame(0);
    expect(Array.from(f0.box!)).toEqual([10, 0, 0, 0, 11, 0, 0, 0, 12]);
    expect(f0.time).toBe(2.5);
    expect(f0.step).toBe(1250);
    const f1 = await src.readFrame(1);
    expect(f1.box![0]).toBe(10.5);
    expect(f1.time).toBe(3.5);
    expect(f1.positions[0]).toBeCloseTo(1.1, 6);
  });

  it('converts Time from fs when asked', async () => {
    const src = await openXyz(mem('1\nProperties=species:S:1:pos:R:3 Time=500\nO 0 0 0\n'), { timeUnit: 'fs' });
    expect((await src.readFrame(0)).time).toBeCloseTo(0.5, 12);
  });

  it('finds positions and velocities from Properties in any column order', async () => {
    const text = [
      '2',
      'Properties=id:I:1:charge:R:1:species:S:1:velo:R:3:pos:R:3 Lattice="20 0 0 0 20 0 0 0 20"',
      '1 -0.8 O 0.01 0.02 0.03 1.0 2.0 3.0',
      '2 0.4 H -0.01 0 0.5 4.0 5.0 6.0',
      '',
    ].join('\n');
    const plain = await openXyz(mem(text));
    const f = await plain.readFrame(0);
    expect(Array.from(f.positions)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(f.velocities).toBeNull();
    const withVel = await openXyz(mem(text), { velocityUnit: 'A/fs' });
    const g = await withVel.readFrame(0);
    expect(g.velocities![0]).toBeCloseTo(10, 4); // 0.01 Å/fs = 10 Å/ps
    expect(g.velocities![5]).toBeCloseTo(500, 3);
    const init = await readXyzTopology(mem(text));
    expect(init.names).toEqual(['O', 'H']);
  });

  it('keeps a lower-triangular triclinic Lattice as written', async () => {
    const src = await openXyz(mem('1\nLattice="30 0 0 0 30 0 15 15 21.2132" Properties=species:S:1:pos:R:3\nMg 1 2 3\n'));
    const f = await src.readFrame(0);
    expect(Array.from(f.box!)).toEqual([30, 0, 0, 0, 30, 0, 15, 15, 21.2132]);
    expect(Array.from(f.positions)).toEqual([1, 2, 3]);
  });

  it('rotates a general Lattice into reduced form together with the coordinates', async () => {
    // A cell whose a vector is not along x: rotate a reduced cell by 30° about z and 20° about x.
    const reduced = [20, 0, 0, 5, 18, 0, 4, 6, 16];
    const rz = (t: number) => [Math.cos(t), Math.sin(t), 0, -Math.sin(t), Math.cos(t), 0, 0, 0, 1];
    const rx = (t: number) => [1, 0, 0, 0, Math.cos(t), Math.sin(t), 0, -Math.sin(t), Math.cos(t)];
    const mul = (a: number[], b: number[]) => {
      const o = new Array(9).fill(0);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) o[3 * i + j] += a[3 * i + k] * b[3 * k + j];
      return o;
    };
    const rot = mul(rz(0.5236), rx(0.349));
    const h = mul(reduced, rot); // rows rotated: a' = a·rot
    const frac = [
      [0.1, 0.2, 0.3],
      [0.9, 0.5, 0.05],
    ];
    const cart = (m: number[], s: number[]) => [0, 1, 2].map((j) => s[0] * m[j] + s[1] * m[3 + j] + s[2] * m[6 + j]);
    const lines = frac.map((s) => `X ${cart(h, s).map((v) => v.toFixed(8)).join(' ')}`);
    const text = `2\nLattice="${h.map((v) => v.toFixed(10)).join(' ')}" Properties=species:S:1:pos:R:3\n${lines.join('\n')}\n`;
    const f = await (await openXyz(mem(text))).readFrame(0);
    expect(isReducedBox(f.box!)).toBe(true);
    for (let k = 0; k < 9; k++) expect(f.box![k]).toBeCloseTo(reduced[k], 6);
    frac.forEach((s, i) => {
      const want = cart(reduced, s);
      for (let d = 0; d < 3; d++) expect(f.positions[3 * i + d]).toBeCloseTo(want[d], 4);
    });
  });

  it('gives no box when pbc is "F F F"', async () => {
    const f = await (await openXyz(mem('1\nLattice="10 0 0 0 10 0 0 0 10" Properties=species:S:1:pos:R:3 pbc="F F F"\nO 0 0 0\n'))).readFrame(0);
    expect(f.box).toBeNull();
  });

  it('reads CRLF line endings and blank lines between frames', async () => {
    const src = await openXyz(mem('1\r\nfirst\r\nO 1 2 3\r\n\r\n1\r\nsecond\r\nO 4 5 6\r\n\r\n'));
    expect(src.frameCount).toBe(2);
    expect(Array.from((await src.readFrame(1)).positions)).toEqual([4, 5, 6]);
  });

  it('reads a final frame whose last line has no newline', async () => {
    const src = await openXyz(mem('1\nc\nO 1 2 3\n1\nc\nO 4 5 6'));
    expect(src.frameCount).toBe(2);
    expect(src.tailError).toBeNull();
    expect(Array.from((await src.readFrame(1)).positions)).toEqual([4, 5, 6]);
  });

  it('tolerates a free-form plain comment with stray quotes and equals signs', () => {
    const info = parseXyzComment('run "3 a=b c');
    expect(info.extended).toBe(false);
    expect(info.lattice).toBeNull();
    expect(parseXyzComment('energy=-3.2 note="has \\"quotes\\"" time=4').time).toBe(4);
  });
});

describe('extended XYZ writer', () => {
  function memorySink(): ByteSink & { text(): string } {
    const chunks: Uint8Array[] = [];
    return {
      name: 'out.xyz',
      async write(b: Uint8Array) {
        chunks.push(b.slice());
      },
      async close() {},
      text: () => chunks.map((c) => new TextDecoder().decode(c)).join(''),
    };
  }

  it('writes Lattice, Properties and Time that the reader reads back', async () => {
    const topology = buildTopology({ atomCount: 3, names: ['OW', 'HW1', 'MG'], elements: ['O', 'H', 'Mg'] });
    const sink = memorySink();
    const w = createXyzWriter(sink, { topology });
    const f = createFrame(3);
    f.positions.set([1.23456, -2.5, 3, 4, 5, 6, 7.5, 8.25, 9.125]);
    f.box = new Float64Array([31.48, 0, 0, 0, 31.48, 0, 15.74, 15.74, 22.26]);
    f.time = 12.5;
    f.step = 6250;
    await w.writeFrame(f);
    const g = createFrame(3);
    g.positions.set([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    g.box = orthorhombicBox(30, 30, 30);
    g.time = 13.5;
    await w.writeFrame(g);
    await w.close();
    const text = sink.text();
    expect(text.split('\n')[1]).toBe('Lattice="31.48 0 0 0 31.48 0 15.74 15.74 22.26" Properties=species:S:1:pos:R:3 Time=12.5 step=6250 pbc="T T T"');
    expect(text.split('\n')[2]).toBe('O 1.23456 -2.50000 3.00000');
    const src = await openXyz(mem(text, 'out.xyz'));
    expect(src.frameCount).toBe(2);
    const r = await src.readFrame(0);
    for (let i = 0; i < 9; i++) expect(Math.abs(r.positions[i] - f.positions[i])).toBeLessThan(1e-5);
    expect(Array.from(r.box!)).toEqual(Array.from(f.box));
    expect(r.time).toBe(12.5);
    expect(r.step).toBe(6250);
    const r1 = await src.readFrame(1);
    expect(boxToLengthsAngles(r1.box!).slice(0, 3)).toEqual([30, 30, 30]);
    const init = await readXyzTopology(mem(text, 'out.xyz'));
    expect(init.names).toEqual(['O', 'H', 'Mg']);
  });

  it('writes a selection of atoms and plain Properties without a box', async () => {
    const topology = buildTopology({ atomCount: 2, names: ['CL', 'MG'], elements: ['Cl', 'Mg'] });
    const sink = memorySink();
    const w = createXyzWriter(sink, { topology });
    const f = createFrame(4);
    f.positions.set([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    await w.writeFrame(f, Int32Array.from([3, 1]));
    expect(sink.text()).toBe('2\nProperties=species:S:1:pos:R:3\nCl 3.00000 3.00000 3.00000\nMg 1.00000 1.00000 1.00000\n');
    await expect(w.writeFrame(f)).rejects.toMatchObject({ code: 'MISMATCH' });
  });
});
