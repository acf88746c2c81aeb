import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, MemoryByteSource, boxToLengthsAngles, buildTopology, createFrame } from '@solvscope/core';
import { FORMATS, MG_TFSI_DME, TRICLINIC, readJson } from '@solvscope/fixtures';
import { checkTruncated, describeFrameSource, type CoordsRefLike } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { groFieldWidth, groFormat, openGro, readGroTopology, scanGroIndex } from './gro-reader.js';

const text = (name: string, s: string) => new MemoryByteSource(name, s);
const enc = new TextEncoder();
const dec = new TextDecoder();

describeFrameSource('FORMATS.gro (gmx trjconv, 10 frames)', {
  open: async () => openGro(await fileSource(FORMATS.gro)),
  format: 'gro',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref: readJson<CoordsRefLike>('mgcl2-water-formats', 'coords-ref.json'),
  positionTolerance: 5e-3,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-4 },
});

/** Byte offsets of the start of every line of a text. */
function lineStarts(b: Uint8Array): number[] {
  const out = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 10 && i + 1 < b.length) out.push(i + 1);
  return out;
}

describe('GRO reader', () => {
  it('reads the dodecahedral box of TRICLINIC.gro as described in the data README', async () => {
    // README: a=(d,0,0), b=(0,d,0), c=(d/2,d/2,d·√2/2); a=b=c, α=β=60°, γ=90°.
    const src = await openGro(await fileSource(TRICLINIC.gro));
    try {
      expect(src.frameCount).toBe(1);
      expect(src.atomCount).toBe(TRICLINIC.atoms);
      const f = await src.readFrame(0);
      const box = f.box!;
      const d = box[0];
      expect(d).toBeCloseTo(31.4939, 4);
      expect(Array.from(box.subarray(1, 6))).toEqual([0, 0, 0, d, 0]);
      expect(box[6]).toBeCloseTo(d / 2, 3);
      expect(box[7]).toBeCloseTo(d / 2, 3);
      expect(box[8]).toBeCloseTo((d * Math.SQRT2) / 2, 3);
      const [a, b, c, al, be, ga] = boxToLengthsAngles(box);
      expect(b).toBeCloseTo(a, 3);
      expect(c).toBeCloseTo(a, 3);
      expect(al).toBeCloseTo(60, 2);
      expect(be).toBeCloseTo(60, 2);
      expect(ga).toBeCloseTo(90, 6);
      // first atom: "    1SOL     OW    1   2.207   1.545   0.451  0.0204 -0.0307  0.2486"
      expect(Array.from(f.positions.subarray(0, 3))).toEqual([22.07, 15.45, 4.51].map(Math.fround));
      expect(Array.from(f.velocities!.subarray(0, 3))).toEqual([0.204, -0.307, 2.486].map(Math.fround));
      expect(f.time).toBeNaN();
      expect(f.step).toBe(-1);
    } finally {
      await src.close();
    }
  });

  it('reads the TFSI and DME residues of MG_TFSI_DME.gro into 12 Mg, 24 TFSI and 200 DME molecules', async () => {
    const source = await fileSource(MG_TFSI_DME.gro);
    const init = await readGroTopology(source);
    await source.close();
    expect(init.atomCount).toBe(MG_TFSI_DME.atoms);
    expect(init.names!.slice(0, 2)).toEqual(['MG', 'MG']);
    expect(init.resnames![12]).toBe('TFSI');
    expect(init.names![12]).toBe('N1');
    expect(init.resids![12]).toBe(13);
    expect(init.resnames![MG_TFSI_DME.atoms - 1]).toBe('DME');
    const topo = buildTopology(init);
    const count = (name: string) => topo.species.find((s) => s.resname === name)!.count;
    expect([count('MG'), count('TFSI'), count('DME')]).toEqual([12, 24, 200]);
    expect(topo.species.find((s) => s.resname === 'TFSI')!.atomsPerMolecule).toBe(15);
  });

  it('reads the times and steps that trjconv writes into the titles', async () => {
    const src = await openGro(await fileSource(FORMATS.gro));
    try {
      const t: number[] = [];
      const s: number[] = [];
      for await (const f of src.frames()) {
        t.push(f.time);
        s.push(f.step);
      }
      expect(t).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(s).toEqual([0, 500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500]);
    } finally {
      await src.close();
    }
  });

  it('detects the coordinate precision from the decimal points (%10.5f and %9.4f with velocities)', async () => {
    const gro = [
      'high precision t= 2.5',
      '    2',
      '    1SOL     OW    1   1.23456  -0.00001  12.34567',
      '    1SOL    HW1    2  -1.00000   0.50000   0.25000',
      '   2.00000   3.00000   4.00000',
      'four decimals with velocities',
      '    2',
      '    1SOL     OW    1   1.2345  -0.0001  12.3456  0.12345 -0.12345  1.00000',
      '    1SOL    HW1    2  -1.0000   0.5000   0.2500  0.00000  0.00000  0.00001',
      '   2.00000   3.00000   4.00000',
      '',
    ].join('\n');
    const src = await openGro(text('prec.gro', gro));
    expect(src.frameCount).toBe(2);
    const f0 = await src.readFrame(0);
    expect(Array.from(f0.positions)).toEqual([12.3456, -0.0001, 123.4567, -10, 5, 2.5].map(Math.fround));
    expect(f0.velocities).toBeNull();
    expect(f0.time).toBe(2.5);
    const f1 = await src.readFrame(1);
    expect(Array.from(f1.positions)).toEqual([12.345, -0.001, 123.456, -10, 5, 2.5].map(Math.fround));
    expect(Array.from(f1.velocities!)).toEqual([1.2345, -1.2345, 10, 0, 0, 0.0001].map(Math.fround));
    expect(Array.from(f1.box!)).toEqual([20, 0, 0, 0, 30, 0, 0, 0, 40]);
  });

  it('reads CRLF line endings', async () => {
    const gro = ['crlf t= 3', '    1', '    1SOL     OW    1   0.100   0.200   0.300', '   1.00000   2.00000   3.00000', ''].join('\r\n');
    const src = await openGro(text('crlf.gro', gro));
    const f = await src.readFrame(0);
    expect(Array.from(f.positions)).toEqual([1, 2, 3]);
    expect(Array.from(f.box!)).toEqual([10, 0, 0, 0, 20, 0, 0, 0, 30]);
    expect(f.time).toBe(3);
    expect((await readGroTopology(text('crlf.gro', gro))).names).toEqual(['OW']);
  });

  it('finds the field width from the decimal points as GROMACS does, and explains odd lines', () => {
    const w = (s: string) => groFieldWidth(enc.encode(s), 0, s.length);
    expect(w('    1SOL     OW    1   0.868   2.411   1.789')).toBe(8);
    expect(w('    1SOL     OW    1   0.86800   2.41100   1.78900')).toBe(10);
    expect(w('    1SOL     OW    1   0.868  2.411   1.789')).toMatch(/not consistent/);
    expect(w('    1SOL     OW    1  0.868   2.411   1.789')).toMatch(/column 24, expected column 25/);
    expect(w('    1SOL     OW    1')).toMatch(/no decimal point/);
  });

  it('keeps residues distinct across the 99999 → 0 wrap of residue numbers', async () => {
    const line = (resid: number, resname: string, name: string, atom: number) =>
      `${String(resid).padStart(5)}${resname.padEnd(5)}${name.padStart(5)}${String(atom).padStart(5)}   0.000   0.000   0.000`;
    const gro = ['wrap', '    7', line(99998, 'SOL', 'OW', 99998), line(99998, 'SOL', 'HW1', 99999), line(99999, 'SOL', 'OW', 0), line(99999, 'SOL', 'HW1', 1), line(0, 'SOL', 'OW', 2), line(0, 'SOL', 'HW1', 3), line(0, 'CL', 'CL', 4), '   1.00000   1.00000   1.00000', ''].join('\n');
    const init = await readGroTopology(text('wrap.gro', gro));
    expect(Array.from(init.resids!)).toEqual([99998, 99998, 99999, 99999, 0, 0, 0]);
    expect(init.resnames).toEqual(['SOL', 'SOL', 'SOL', 'SOL', 'SOL', 'SOL', 'CL']);
    const topo = buildTopology(init);
    expect(Array.from(topo.residueIndex)).toEqual([0, 0, 1, 1, 2, 2, 3]);
    expect(topo.moleculeCount).toBe(4);
  });

  it('ignores trailing blank lines and accepts a last box line without newline', async () => {
    const full = readFileSync(FORMATS.gro);
    const noNewline = full.subarray(0, full.length - 1);
    const a = await openGro(new MemoryByteSource('a.gro', new Uint8Array(noNewline)));
    expect(a.frameCount).toBe(10);
    expect(a.tailError).toBeNull();
    const blank = new Uint8Array([...full, ...enc.encode('\n   \n\n')]);
    const b = await openGro(new MemoryByteSource('b.gro', blank));
    expect(b.frameCount).toBe(10);
    expect(b.tailError).toBeNull();
  });

  it('builds the index from line counts: offsets and 1-based title line numbers', async () => {
    const src = await fileSource(FORMATS.gro);
    const index = await scanGroIndex(src);
    await src.close();
    const bytes = readFileSync(FORMATS.gro);
    const starts = lineStarts(bytes);
    expect(index.offsets.length).toBe(11);
    for (let i = 0; i < 10; i++) {
      expect(index.lines![i]).toBe(1 + i * 3069);
      expect(index.offsets[i]).toBe(starts[i * 3069]);
    }
    expect(index.offsets[10]).toBe(bytes.length);
  });

  describe('truncation', () => {
    const full = new Uint8Array(readFileSync(FORMATS.gro));
    const starts = lineStarts(full);
    const frameStart = (k: number) => k * 3069; // 0-based line index of frame k's title
    const cases: [string, number, RegExp][] = [
      ['in the title of frame 6', starts[frameStart(6)] + 10, /ends after the title line of frame 6/],
      ['after the title of frame 6', starts[frameStart(6) + 1], /ends after the title line of frame 6/],
      ['in the atom count of frame 6', starts[frameStart(6) + 1] + 3, /atom count line of frame 6 is cut/],
      ['after the atom count of frame 6', starts[frameStart(6) + 2], /frame 6 needs 3066 atom lines, the file ends after 0/],
      ['in the middle of atom line 999 of frame 6', starts[frameStart(6) + 2 + 998] + 25, /frame 6 needs 3066 atom lines, the file ends after 999$/],
      ['in the middle of the last atom line of frame 6', starts[frameStart(6) + 3067] + 25, /frame 6: the file ends inside atom line 3066 \(no box line\)/],
      ['after atom line 1500 of frame 6', starts[frameStart(6) + 2 + 1500], /frame 6 needs 3066 atom lines, the file ends after 1500/],
      ['before the box line of frame 6 (missing box line)', starts[frameStart(6) + 3068], /frame 6 has no box line/],
      ['in the box line of frame 6', starts[frameStart(6) + 3068] + 15, /box line of frame 6 is cut/],
      ['in the last digit of the box line of frame 6', starts[frameStart(7)] - 2, /box line of frame 6 is cut/],
    ];
    for (const [where, at, msg] of cases) {
      it(`keeps frames 0-5 and reports a TRUNCATED tail when cut ${where}`, async () => {
        const r = await checkTruncated(() => openGro(new MemoryByteSource('cut.gro', full.slice(0, at))), 6);
        expect(r.threw).toBeNull();
        const t = r.source!.tailError!;
        expect(t.code).toBe('TRUNCATED');
        expect(t.context).toMatchObject({ file: 'cut.gro', format: 'GRO', frame: 6 });
        expect(t.context.line).toBeGreaterThan(6 * 3069);
        expect(t.detail).toMatch(msg);
      });
    }
    it('has no tail error when cut exactly after a box line', async () => {
      const src = await openGro(new MemoryByteSource('cut.gro', full.slice(0, starts[frameStart(6)])));
      expect(src.frameCount).toBe(6);
      expect(src.tailError).toBeNull();
    });
    it('reports a truncated first frame with zero frames', async () => {
      const src = await openGro(new MemoryByteSource('cut.gro', full.slice(0, starts[100])));
      expect(src.frameCount).toBe(0);
      expect(src.tailError!.code).toBe('TRUNCATED');
    });
    it('rejects a truncated topology', async () => {
      await expect(readGroTopology(new MemoryByteSource('cut.gro', full.slice(0, starts[1000])))).rejects.toMatchObject({ code: 'TRUNCATED', context: { file: 'cut.gro' } });
    });
  });

  describe('bad input', () => {
    const full = new Uint8Array(readFileSync(FORMATS.gro));
    const starts = lineStarts(full);
    const lineOf = (k: number) => dec.decode(full.subarray(starts[k], starts[k + 1] - 1));
    const patch = (lineIndex: number, col: number, s: string) => {
      const b = full.slice();
      b.set(enc.encode(s), starts[lineIndex] + col);
      return new MemoryByteSource('bad.gro', b);
    };

    it('rejects a non-numeric coordinate with the frame, line number and the line', async () => {
      const li = 3 * 3069 + 2 + 40; // frame 3, atom 41
      const bad = patch(li, 28, '   2.4x1');
      const src = await openGro(bad);
      await expect(src.readFrame(2)).resolves.toBeDefined();
      const err = await src.readFrame(3).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('CORRUPT');
      const lineText = dec.decode(bad.bytes.subarray(starts[li], starts[li + 1] - 1));
      expect(lineText).toBe('   14SOL    HW1   41   1.985   2.4x1   1.391');
      expect(err.context).toMatchObject({ file: 'bad.gro', format: 'GRO', frame: 3, line: li + 1, lineText, byteOffset: starts[li] });
      expect(err.message).toBe(`bad.gro: GRO frame 3 (byte ${starts[li]}, line ${li + 1}): the y coordinate '2.4x1' (columns 29-36) is not a finite number; the line is '${lineText}'`);
    });

    it("rejects 'nan' in a coordinate field", async () => {
      const li = 2 + 7;
      const src = await openGro(patch(li, 20, '     nan'));
      await expect(src.readFrame(0)).rejects.toMatchObject({ code: 'CORRUPT', context: { frame: 0, line: li + 1 } });
      await expect(src.readFrame(0)).rejects.toThrow(/x coordinate 'nan'/);
    });

    it('rejects an atom count that differs between frames, naming the frame and line', async () => {
      const b = full.slice();
      b.set(enc.encode(' 3065'), starts[4 * 3069 + 1]);
      const err = await scanGroIndex(new MemoryByteSource('count.gro', b)).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('FORMAT');
      expect(err.context).toMatchObject({ file: 'count.gro', frame: 4, line: 4 * 3069 + 2, lineText: ' 3065' });
      expect(err.detail).toBe('frame 4 has 3065 atoms, frame 0 has 3066');
    });

    it('rejects a malformed box line in the middle of the file', async () => {
      const li = 2 * 3069 + 3068;
      const err = await scanGroIndex(patch(li, 0, '   3.14939   3.14939    garbage')).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('CORRUPT');
      expect(err.context).toMatchObject({ frame: 2, line: li + 1 });
    });

    it('rejects a missing atom count line', async () => {
      const err = await scanGroIndex(text('x.gro', 'title\nnot a number\n')).catch((e) => e);
      expect(err).toMatchObject({ code: 'CORRUPT', context: { line: 2, lineText: 'not a number' } });
    });

    it('rejects an empty file', async () => {
      await expect(scanGroIndex(text('empty.gro', ''))).rejects.toMatchObject({ code: 'FORMAT' });
    });

    it('rejects an atom line whose coordinates are not in the GRO columns', async () => {
      const gro = 'shifted\n    1\n    1SOL     OW    1  0.868   2.411   1.789\n   1.0   1.0   1.0\n';
      const src = await openGro(text('shift.gro', gro));
      await expect(src.readFrame(0)).rejects.toMatchObject({ code: 'CORRUPT', context: { line: 3 } });
    });
  });

  it('sniffs GRO files and rejects other text', () => {
    expect(groFormat.sniff!(memorySource(FORMATS.gro).bytes.subarray(0, 4096))).toBe(true);
    expect(groFormat.sniff!(memorySource(TRICLINIC.gro).bytes.subarray(0, 4096))).toBe(true);
    expect(groFormat.sniff!(memorySource(FORMATS.pdb).bytes.subarray(0, 4096))).toBe(false);
    expect(groFormat.sniff!(memorySource(FORMATS.xyz).bytes.subarray(0, 4096))).toBe(false);
    expect(groFormat.sniff!(memorySource(FORMATS.lammpsDump).bytes.subarray(0, 4096))).toBe(false);
    expect(groFormat.sniff!(enc.encode('ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n3\n'))).toBe(false);
    expect(groFormat.sniff!(enc.encode('empty\n0\n   1.00000   1.00000   1.00000\n'))).toBe(true);
  });

  it('decodes into a supplied frame without replacing its buffers', async () => {
    const src = await openGro(await fileSource(FORMATS.gro));
    try {
      const into = createFrame(FORMATS.atoms);
      const p = into.positions;
      await src.readFrame(3, into);
      expect(into.positions).toBe(p);
      expect(into.index).toBe(3);
    } finally {
      await src.close();
    }
  });
});
