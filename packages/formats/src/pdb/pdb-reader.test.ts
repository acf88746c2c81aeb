import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, MemoryByteSource, SolvscopeError, boxToLengthsAngles, buildTopology } from '@solvscope/core';
import { FORMATS, MG_TFSI_DME, TRICLINIC, readJson } from '@solvscope/fixtures';
import { checkTruncated, describeFrameSource, type CoordsRefLike } from '../testing/conformance.js';
import { fileSource, memorySource } from '../testing/node-source.js';
import { readGroTopology } from '../gro/gro-reader.js';
import { openPdb, pdbFormat, readPdbTopology, scanPdbIndex } from './pdb-reader.js';

const text = (name: string, s: string) => new MemoryByteSource(name, s);
const enc = new TextEncoder();
const dec = new TextDecoder();
const formatsRef = readJson<CoordsRefLike>('mgcl2-water-formats', 'coords-ref.json');
const onlyFrame0 = (ref: CoordsRefLike): CoordsRefLike => ({ ...ref, frames: ref.frames.filter((f) => f.frame === 0) });

describeFrameSource('FORMATS.pdb (gmx trjconv, 10 models)', {
  open: async () => openPdb(await fileSource(FORMATS.pdb)),
  format: 'pdb',
  atomCount: FORMATS.atoms,
  frameCount: FORMATS.frames,
  ref: formatsRef,
  positionTolerance: 5e-4,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-4 },
});

describeFrameSource('FORMATS.topologyPdb (first_frame.pdb, one model)', {
  open: async () => openPdb(await fileSource(FORMATS.topologyPdb)),
  format: 'pdb',
  atomCount: FORMATS.atoms,
  frameCount: 1,
  ref: onlyFrame0(formatsRef),
  positionTolerance: 5e-4,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-4 },
});

describeFrameSource('MG_TFSI_DME.pdb (first_frame.pdb, TFSI touching the chain column)', {
  open: async () => openPdb(await fileSource(MG_TFSI_DME.pdb)),
  format: 'pdb',
  atomCount: MG_TFSI_DME.atoms,
  frameCount: 1,
  ref: onlyFrame0(readJson<CoordsRefLike>('mg-tfsi-dme', 'coords-ref.json')),
  positionTolerance: 5e-4,
  box: 'yes',
  boxTolerance: 1e-3,
  time: { tolerance: 1e-4 },
});

async function topologyOf(path: string) {
  const src = await fileSource(path);
  try {
    return await readPdbTopology(src);
  } finally {
    await src.close();
  }
}

/** An ATOM record in wwPDB columns. */
function atom(serial: string, name: string, resname: string, chain: string, resSeq: string, x: number, y: number, z: number, element = '', charge = ''): string {
  const f = (v: number) => v.toFixed(3).padStart(8);
  return `ATOM  ${serial.padStart(5)} ${name.padEnd(4)} ${resname.padEnd(4)}${chain.padEnd(1)}${resSeq.padStart(4)}    ${f(x)}${f(y)}${f(z)}  1.00  0.00          ${element.padStart(2)}${charge.padEnd(2)}`;
}

describe('PDB topology', () => {
  it('reads the 4-character TFSI residue name from columns 18-21 and its chain from column 22', async () => {
    const init = await topologyOf(MG_TFSI_DME.pdb);
    expect(init.atomCount).toBe(MG_TFSI_DME.atoms);
    expect(init.resnames![12]).toBe('TFSI');
    expect(init.chains![12]).toBe('A');
    expect(init.names![12]).toBe('N1');
    expect(init.resids![12]).toBe(13);
    expect(init.elements!.slice(0, 1)).toEqual(['Mg']);
    expect(init.resnames![0]).toBe('MG');
    expect(init.chains![0]).toBe('');
    expect(init.resnames![MG_TFSI_DME.atoms - 1]).toBe('DME');
    expect(init.charges).toBeUndefined();
    expect(init.bonds).toBeUndefined();
    const topo = buildTopology(init);
    const count = (name: string) => topo.species.find((s) => s.resname === name)!.count;
    expect([count('MG'), count('TFSI'), count('DME')]).toEqual([12, 24, 200]);
    expect(topo.species.find((s) => s.resname === 'TFSI')!.formula).toBe('C2F6NO4S2');
  });

  it('agrees with the GRO topology of the same system (names, residue names and numbers)', async () => {
    const pdb = await topologyOf(FORMATS.topologyPdb);
    const groSrc = await fileSource(FORMATS.gro);
    const gro = await readGroTopology(groSrc);
    await groSrc.close();
    expect(pdb.atomCount).toBe(gro.atomCount);
    expect(pdb.names).toEqual(gro.names);
    expect(pdb.resnames).toEqual(gro.resnames);
    expect(Array.from(pdb.resids!)).toEqual(Array.from(gro.resids!));
    expect(new Set(pdb.elements)).toEqual(new Set(['O', 'H', 'Mg', 'Cl']));
  });

  it('reads only the first model of a multi-model file', async () => {
    const init = await topologyOf(FORMATS.pdb);
    expect(init.atomCount).toBe(FORMATS.atoms);
    expect(init.names!.slice(0, 3)).toEqual(['OW', 'HW1', 'HW2']);
  });

  it('reads formal charges only when every atom has one, bonds from CONECT, and hybrid-36 numbers', async () => {
    const lines = [
      'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1',
      atom('A0000', 'MG', 'MG', '', '9999', 1, 2, 3, 'MG', '2+'),
      atom('A0001', 'CL', 'CL', '', 'A000', 4, 5, 6, 'CL', '1-'),
      atom('A0002', 'O1', 'HOH', 'B', 'A001', 7, 8, 9, 'O', '1-'),
      atom('A0003', 'H1', 'HOH', 'B', 'A001', 7.5, 8, 9, 'H', '+1'),
      'CONECTA0002A0003',
      'CONECTA0003A0002',
      'END',
    ];
    const init = await readPdbTopology(text('q.pdb', lines.join('\n') + '\n'));
    expect(Array.from(init.charges!)).toEqual([2, -1, -1, 1]);
    expect(Array.from(init.resids!)).toEqual([9999, 10000, 10001, 10001]);
    expect(init.chains).toEqual(['', '', 'B', 'B']);
    expect(Array.from(init.bonds!)).toEqual([2, 3]);
    const topo = buildTopology(init);
    expect(topo.moleculeSource).toBe('bonds');
    expect(topo.moleculeCount).toBe(3);

    lines[2] = atom('A0001', 'CL', 'CL', '', 'A000', 4, 5, 6, 'CL', '');
    const partial = await readPdbTopology(text('q2.pdb', lines.join('\n') + '\n'));
    expect(partial.charges).toBeUndefined();

    const src = await openPdb(text('q.pdb', lines.join('\n') + '\n'));
    const f = await src.readFrame(0);
    expect(f.box).toBeNull();
    expect(Array.from(f.positions)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 7.5, 8, 9]);
    expect(f.time).toBeNaN();
  });

  it('finds CONECT records at the end of a multi-model file', async () => {
    const model = (k: number) => [`MODEL     ${String(k).padStart(4)}`, atom('1', 'C1', 'ETH', '', '1', k, 0, 0, 'C'), atom('2', 'C2', 'ETH', '', '1', k + 1.5, 0, 0, 'C'), 'ENDMDL'];
    const pdb = [...model(1), ...model(2), ...model(3), 'CONECT    1    2', 'CONECT    2    1', 'END', ''].join('\n');
    const init = await readPdbTopology(text('m.pdb', pdb));
    expect(Array.from(init.bonds!)).toEqual([0, 1]);
    const src = await openPdb(text('m.pdb', pdb));
    expect(src.frameCount).toBe(3);
    expect((await src.readFrame(2)).positions[3]).toBe(4.5);
  });

  it('warns and ignores CONECT records naming unknown atoms', async () => {
    const warnings: SolvscopeError[] = [];
    const pdb = [atom('1', 'C1', 'ETH', '', '1', 0, 0, 0, 'C'), atom('2', 'C2', 'ETH', '', '1', 1.5, 0, 0, 'C'), 'CONECT    1    2    7', ''].join('\n');
    const init = await readPdbTopology(text('w.pdb', pdb), { onWarning: (w) => warnings.push(w) });
    expect(Array.from(init.bonds!)).toEqual([0, 1]);
    expect(warnings.map((w) => w.context.file)).toEqual(['w.pdb']);
  });
});

/** Byte offsets of the start of every line. */
function lineStarts(b: Uint8Array): number[] {
  const out = [0];
  for (let i = 0; i < b.length; i++) if (b[i] === 10 && i + 1 < b.length) out.push(i + 1);
  return out;
}

describe('PDB reader', () => {
  it('indexes one frame per model, including the REMARK/TITLE/CRYST1 records before MODEL', async () => {
    const src = await fileSource(FORMATS.pdb);
    const index = await scanPdbIndex(src);
    await src.close();
    const bytes = readFileSync(FORMATS.pdb);
    const starts = lineStarts(bytes);
    // Per model: REMARK, TITLE, REMARK, CRYST1, MODEL, 3066 ATOM, TER, ENDMDL = 3073 lines.
    for (let i = 0; i < 10; i++) {
      expect(index.lines![i]).toBe(1 + 3073 * i);
      expect(index.offsets[i]).toBe(starts[3073 * i]);
    }
    expect(index.offsets[10]).toBe(bytes.length);
    expect(index.extra).toBeUndefined();
  });

  it('reads the CRYST1 box of each model (a 1 1 1 90 90 90 CRYST1 means no box)', async () => {
    const src = await openPdb(await fileSource(FORMATS.pdb));
    try {
      const f = await src.readFrame(4);
      expect(boxToLengthsAngles(f.box!).map((v) => Number(v.toFixed(3)))).toEqual([31.488, 31.488, 31.488, 90, 90, 90]);
      expect(f.time).toBe(4);
      expect(f.step).toBe(2000);
    } finally {
      await src.close();
    }
  });

  it('applies a single CRYST1 before the first MODEL to every model', async () => {
    const model = (k: number) => [`MODEL     ${String(k).padStart(4)}`, atom('1', 'AR', 'AR', '', '1', k, 0, 0, 'AR'), 'ENDMDL'];
    const pdb = ['CRYST1   20.000   21.000   22.000  90.00  90.00 120.00 P 1           1', ...model(1), ...model(2), 'END', ''].join('\n');
    const src = await openPdb(text('shared.pdb', pdb));
    const b1 = (await src.readFrame(1)).box!;
    const dims = boxToLengthsAngles(b1);
    expect(dims[0]).toBeCloseTo(20, 9);
    expect(dims[2]).toBeCloseTo(22, 9);
    expect(dims[5]).toBeCloseTo(120, 9);
    expect(Array.from((await src.readFrame(0)).box!)).toEqual(Array.from(b1));
  });

  it('reads END-separated frames of a file without MODEL records', async () => {
    const frame = (x: number) => [atom('1', 'OW', 'SOL', '', '1', x, 1, 2, 'O'), atom('2', 'HW1', 'SOL', '', '1', x + 1, 1, 2, 'H'), 'END'];
    const src = await openPdb(text('ends.pdb', [...frame(0), ...frame(10), ...frame(20), ''].join('\n')));
    expect(src.frameCount).toBe(3);
    expect((await src.readFrame(2)).positions[3]).toBe(21);
    expect(src.tailError).toBeNull();
  });

  it('reads CRLF line endings', async () => {
    const pdb = ['CRYST1   10.000   10.000   10.000  90.00  90.00  90.00 P 1           1', 'MODEL        1', atom('1', 'OW', 'SOL', '', '1', 1, 2, 3, 'O'), 'ENDMDL', 'END', ''].join('\r\n');
    const src = await openPdb(text('crlf.pdb', pdb));
    const f = await src.readFrame(0);
    expect(Array.from(f.positions)).toEqual([1, 2, 3]);
    expect(f.box![8]).toBe(10);
    expect((await readPdbTopology(text('crlf.pdb', pdb))).elements).toEqual(['O']);
  });

  it('reads a single model without MODEL, TER or END', async () => {
    const src = await openPdb(text('plain.pdb', [atom('1', 'OW', 'SOL', '', '1', 1, 2, 3, 'O'), 'TER', atom('2', 'MG', 'MG', '', '2', 4, 5, 6, 'MG')].join('\n')));
    expect(src.frameCount).toBe(1);
    expect(src.atomCount).toBe(2);
    expect(Array.from((await src.readFrame(0)).positions)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects models with different atom counts, naming the model and the line', async () => {
    const bytes = new Uint8Array(readFileSync(FORMATS.pdb));
    const starts = lineStarts(bytes);
    // Turn the last ATOM record of model 4 (0-based frame 3) into a REMARK.
    const li = 3 * 3073 + 4 + 3066;
    bytes.set(enc.encode('REMARK'), starts[li]);
    const err = await scanPdbIndex(new MemoryByteSource('count.pdb', bytes)).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('FORMAT');
    expect(err.detail).toBe(`MODEL 4 (line ${3 * 3073 + 5}) has 3065 atom records, the first model has 3066`);
    expect(err.context).toMatchObject({ file: 'count.pdb', format: 'PDB', frame: 3, line: 3 * 3073 + 3073, lineText: 'ENDMDL' });
  });

  it('rejects ATOM records outside a model and MODEL inside a model', async () => {
    const a = atom('1', 'AR', 'AR', '', '1', 0, 0, 0);
    await expect(scanPdbIndex(text('x.pdb', ['MODEL        1', a, 'ENDMDL', a, ''].join('\n')))).rejects.toMatchObject({ code: 'CORRUPT', context: { line: 4 } });
    await expect(scanPdbIndex(text('y.pdb', ['MODEL        1', a, 'MODEL        2', a, 'ENDMDL', ''].join('\n')))).rejects.toMatchObject({ code: 'CORRUPT', context: { line: 3 } });
    await expect(scanPdbIndex(text('z.pdb', ['REMARK nothing here', ''].join('\n')))).rejects.toMatchObject({ code: 'FORMAT' });
  });

  describe('bad input', () => {
    const full = new Uint8Array(readFileSync(FORMATS.pdb));
    const starts = lineStarts(full);
    const patched = (li: number, col: number, s: string) => {
      const b = full.slice();
      b.set(enc.encode(s), starts[li] + col);
      return new MemoryByteSource('bad.pdb', b);
    };

    it('rejects a non-numeric coordinate with the frame, line number and the line', async () => {
      const li = 6 * 3073 + 5 + 99; // model 7, atom 100
      const src = patched(li, 46, '  17.8a0');
      const pdb = await openPdb(src);
      const err = await pdb.readFrame(6).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      const lineText = dec.decode(src.bytes.subarray(starts[li], starts[li + 1] - 1));
      expect(err.context).toMatchObject({ file: 'bad.pdb', format: 'PDB', frame: 6, line: li + 1, lineText, byteOffset: starts[li] });
      expect(err.message).toBe(`bad.pdb: PDB frame 6 (byte ${starts[li]}, line ${li + 1}): the z coordinate '17.8a0' (columns 47-54) is not a finite number; the line is '${lineText}'`);
      await expect(pdb.readFrame(5)).resolves.toBeDefined();
    });

    it("rejects 'nan' in a coordinate field", async () => {
      const li = 5 + 3;
      const pdb = await openPdb(patched(li, 30, '     nan'));
      await expect(pdb.readFrame(0)).rejects.toMatchObject({ code: 'CORRUPT', context: { frame: 0, line: li + 1 } });
    });

    it('rejects a malformed CRYST1 record', async () => {
      const pdb = await openPdb(patched(3 * 3073 + 3, 6, '  31.4x0'));
      await expect(pdb.readFrame(3)).rejects.toMatchObject({ code: 'CORRUPT', context: { frame: 3, line: 3 * 3073 + 4 } });
    });

    it('rejects a short atom record in the middle of the file', async () => {
      const b = full.slice();
      const li = 2 * 3073 + 5 + 10;
      b.fill(32, starts[li] + 40, starts[li + 1] - 1);
      b[starts[li] + 40] = 10; // end the line at column 40 and blank the rest as a next line
      const err = await scanPdbIndex(new MemoryByteSource('short.pdb', b)).catch((e) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect(err.code).toBe('CORRUPT');
      expect(err.context.line).toBe(li + 1);
    });
  });

  describe('truncation', () => {
    const full = new Uint8Array(readFileSync(FORMATS.pdb));
    const starts = lineStarts(full);
    const m = (k: number, line: number) => starts[k * 3073 + line]; // line = 0-based line within model k
    const cases: [string, number, RegExp][] = [
      ['in the first REMARK of model 7', m(6, 0) + 10, /./],
      ['after the TITLE of model 7', m(6, 2), /header records of model 7 \(from line 18440\), before its MODEL record/],
      ['after the CRYST1 of model 7', m(6, 4), /header records of model 7/],
      ['after the MODEL record of model 7', m(6, 5), /MODEL 7 \(line 18443\) has no ENDMDL: the file ends after 0 of its atom records/],
      ['in the middle of an atom record of model 7', m(6, 5 + 1500) + 40, /the file ends inside an atom record of frame 6/],
      ['after 1500 atom records of model 7', m(6, 5 + 1500), /has no ENDMDL: the file ends after 1500 of its atom records/],
      ['before the TER of model 7', m(6, 5 + 3066), /has no ENDMDL: the file ends after 3066 of its atom records/],
      ['before the ENDMDL of model 7 (missing ENDMDL)', m(6, 3072), /has no ENDMDL: the file ends after 3066 of its atom records/],
      ['inside the ENDMDL of model 7', m(6, 3072) + 4, /has no ENDMDL/],
    ];
    for (const [where, at, msg] of cases) {
      it(`keeps models 1-6 and reports a TRUNCATED tail when cut ${where}`, async () => {
        const r = await checkTruncated(() => openPdb(new MemoryByteSource('cut.pdb', full.slice(0, at))), 6);
        expect(r.threw).toBeNull();
        const t = r.source!.tailError;
        if (where.includes('first REMARK')) {
          // A cut in a REMARK leaves no trace of model 7: six clean models.
          expect(t).toBeNull();
          return;
        }
        expect(t).not.toBeNull();
        expect(t!.code).toBe('TRUNCATED');
        expect(t!.context).toMatchObject({ file: 'cut.pdb', format: 'PDB', frame: 6 });
        expect(t!.detail).toMatch(msg);
      });
    }
    it('has no tail error when cut exactly after an ENDMDL', async () => {
      const src = await openPdb(new MemoryByteSource('cut.pdb', full.slice(0, m(6, 0))));
      expect(src.frameCount).toBe(6);
      expect(src.tailError).toBeNull();
    });
    it('reports a truncated single-model file with zero frames', async () => {
      const bytes = readFileSync(MG_TFSI_DME.pdb);
      const src = await openPdb(new MemoryByteSource('cut.pdb', new Uint8Array(bytes.subarray(0, 100000))));
      expect(src.frameCount).toBe(0);
      expect(src.tailError!.code).toBe('TRUNCATED');
      await expect(readPdbTopology(new MemoryByteSource('cut.pdb', new Uint8Array(bytes.subarray(0, 100000))))).rejects.toMatchObject({ code: 'TRUNCATED' });
    });
  });

  it('sniffs PDB files and rejects GRO and XYZ', () => {
    expect(pdbFormat.sniff!(memorySource(FORMATS.pdb).bytes.subarray(0, 4096))).toBe(true);
    expect(pdbFormat.sniff!(memorySource(TRICLINIC.topologyPdb).bytes.subarray(0, 4096))).toBe(true);
    expect(pdbFormat.sniff!(memorySource(FORMATS.gro).bytes.subarray(0, 4096))).toBe(false);
    expect(pdbFormat.sniff!(memorySource(FORMATS.xyz).bytes.subarray(0, 4096))).toBe(false);
  });
});
