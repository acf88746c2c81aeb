import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MemoryByteSource, boxFromLengthsAngles, boxToLengthsAngles, buildTopology, createFrame, type Frame } from '@solvscope/core';
import { FORMATS, MG_TFSI_DME } from '@solvscope/fixtures';
import type { ByteSink } from '../format.js';
import { fileSource } from '../testing/node-source.js';
import { openPdb, readPdbTopology } from './pdb-reader.js';
import { createPdbWriter, pdbAtomName } from './pdb-writer.js';

class MemorySink implements ByteSink {
  readonly chunks: Uint8Array[] = [];
  closed = false;
  constructor(readonly name: string) {}
  async write(bytes: Uint8Array): Promise<void> {
    this.chunks.push(bytes.slice());
  }
  async close(): Promise<void> {
    this.closed = true;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.chunks.reduce((s, c) => s + c.length, 0));
    let p = 0;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    return out;
  }
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

async function readAll(path: string): Promise<Frame[]> {
  const src = await openPdb(await fileSource(path));
  const out: Frame[] = [];
  for await (const f of src.frames({ reuse: false })) out.push(f);
  await src.close();
  return out;
}

async function topologyOf(path: string) {
  const src = await fileSource(path);
  try {
    return buildTopology(await readPdbTopology(src));
  } finally {
    await src.close();
  }
}

describe('PDB writer', () => {
  it('round-trips FORMATS.pdb: same positions, boxes, times and ATOM columns as gmx trjconv', async () => {
    const topology = await topologyOf(FORMATS.pdb);
    const frames = await readAll(FORMATS.pdb);
    const sink = new MemorySink('out.pdb');
    const w = createPdbWriter(sink, { topology });
    for (const f of frames) await w.writeFrame(f);
    await w.close();
    expect(sink.closed).toBe(true);
    const back = await openPdb(new MemoryByteSource('out.pdb', sink.bytes()));
    expect(back.frameCount).toBe(10);
    expect(back.tailError).toBeNull();
    for (let i = 0; i < 10; i++) {
      const f = await back.readFrame(i);
      expect(Array.from(f.positions)).toEqual(Array.from(frames[i].positions));
      const a = boxToLengthsAngles(f.box!);
      const b = boxToLengthsAngles(frames[i].box!);
      for (let k = 0; k < 6; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-3);
      expect(f.time).toBe(frames[i].time);
      expect(f.step).toBe(frames[i].step);
    }
    const orig = readFileSync(FORMATS.pdb, 'utf8').split('\n').filter((l) => l.startsWith('ATOM'));
    const mine = sink.text().split('\n').filter((l) => l.startsWith('ATOM'));
    expect(mine.length).toBe(orig.length);
    for (const k of [0, 1, 2, 3000, 3065, 9 * 3066 + 17]) {
      expect(mine[k].slice(0, 76)).toBe(orig[k].slice(0, 76));
      expect(mine[k].slice(76, 78).trim()).toBe(orig[k].slice(76, 78).trim().toUpperCase());
    }
    const init = await readPdbTopology(new MemoryByteSource('out.pdb', sink.bytes()));
    expect(init.names).toEqual(topology.names);
    expect(init.resnames).toEqual(topology.resnames);
    expect(Array.from(init.resids!)).toEqual(Array.from(topology.resids));
    expect(buildTopology(init).elements).toEqual(topology.elements);
  });

  it('writes the 4-character TFSI residue name and its chain like the fixture', async () => {
    const topology = await topologyOf(MG_TFSI_DME.pdb);
    const [frame] = await readAll(MG_TFSI_DME.pdb);
    const sink = new MemorySink('tfsi.pdb');
    const w = createPdbWriter(sink, { topology });
    await w.writeFrame(frame);
    await w.close();
    const orig = readFileSync(MG_TFSI_DME.pdb, 'utf8').split('\n').filter((l) => l.startsWith('ATOM'));
    const mine = sink.text().split('\n').filter((l) => l.startsWith('ATOM'));
    for (const k of [0, 12, 13, 26, 3571]) expect(mine[k].slice(0, 76)).toBe(orig[k].slice(0, 76));
    expect(mine[12].slice(17, 22)).toBe('TFSIA');
    const init = await readPdbTopology(new MemoryByteSource('tfsi.pdb', sink.bytes()));
    expect(init.resnames).toEqual(topology.resnames);
    expect(init.chains).toEqual(topology.chains);
  });

  it('numbers atoms past 99999 in hybrid-36 and keeps CONECT bonds', async () => {
    const n = 100003;
    const names = new Array<string>(n).fill('AR');
    const resids = new Int32Array(n);
    for (let i = 0; i < n; i++) resids[i] = i + 1;
    const bonds = [0, 1, 100000, 100002, 99998, 100001];
    const topology = buildTopology({ atomCount: n, names, resnames: names, resids, elements: new Array(n).fill('Ar'), bonds });
    const frame = createFrame(n);
    for (let i = 0; i < 3 * n; i++) frame.positions[i] = ((i * 7919) % 100000) / 101 - 400;
    frame.box = boxFromLengthsAngles(950, 960, 970, 70, 80, 100);
    frame.time = 2;
    const sink = new MemorySink('big.pdb');
    const w = createPdbWriter(sink, { topology });
    await w.writeFrame(frame);
    await w.close();
    const lines = sink.text().split('\n');
    const atoms = lines.filter((l) => l.startsWith('ATOM'));
    expect(atoms[99998].slice(6, 11)).toBe('99999');
    expect(atoms[99999].slice(6, 11)).toBe('A0000');
    expect(atoms[100002].slice(6, 11)).toBe('A0003');
    expect(atoms[9998].slice(22, 26)).toBe('9999');
    expect(atoms[9999].slice(22, 26)).toBe('A000');
    expect(lines.filter((l) => l.startsWith('CONECT'))).toContain('CONECTA0001A0003');
    const init = await readPdbTopology(new MemoryByteSource('big.pdb', sink.bytes()));
    expect(init.resids![100002]).toBe(100003);
    const back = buildTopology(init);
    expect(Array.from(back.bonds!)).toEqual([0, 1, 99998, 100001, 100000, 100002]);
    const f = await (await openPdb(new MemoryByteSource('big.pdb', sink.bytes()))).readFrame(0);
    let maxd = 0;
    for (let i = 0; i < 3 * n; i++) maxd = Math.max(maxd, Math.abs(f.positions[i] - frame.positions[i]));
    expect(maxd).toBeLessThanOrEqual(5e-4 + 1e-4);
    const dims = boxToLengthsAngles(f.box!);
    expect(dims.map((v) => Number(v.toFixed(2)))).toEqual([950, 960, 970, 70, 80, 100]);
    expect(f.time).toBe(2);
  });

  it('writes a 1 1 1 90 90 90 CRYST1 for a frame without box, which reads back as no box', async () => {
    const topology = buildTopology({ atomCount: 1, names: ['CA'], resnames: ['CA'], resids: [1], elements: ['Ca'] });
    const frame = createFrame(1);
    frame.positions.set([1, -2, 3]);
    const sink = new MemorySink('nobox.pdb');
    const w = createPdbWriter(sink, { topology });
    await w.writeFrame(frame);
    await w.close();
    expect(sink.text()).toBe(
      [
        'REMARK    GENERATED BY SOLVSCOPE',
        'TITLE     solvscope output',
        'CRYST1    1.000    1.000    1.000  90.00  90.00  90.00 P 1           1',
        'MODEL        1',
        'ATOM      1 CA    CA     1       1.000  -2.000   3.000  1.00  0.00          CA',
        'TER',
        'ENDMDL',
        'END',
        '',
      ].join('\n'),
    );
    const f = await (await openPdb(new MemoryByteSource('nobox.pdb', sink.bytes()))).readFrame(0);
    expect(f.box).toBeNull();
  });

  it('aligns atom names the wwPDB way', () => {
    expect(pdbAtomName('CA', 'C')).toBe(' CA ');
    expect(pdbAtomName('CA', 'Ca')).toBe('CA  ');
    expect(pdbAtomName('HW1', 'H')).toBe(' HW1');
    expect(pdbAtomName('HH21', 'H')).toBe('HH21');
    expect(pdbAtomName('LONGNAME', 'C')).toBe('LONG');
  });

  it('refuses coordinates that do not fit the %8.3f column', async () => {
    const topology = buildTopology({ atomCount: 1, names: ['X'], resnames: ['X'], resids: [1] });
    const frame = createFrame(1);
    frame.positions.set([123456, 0, 0]);
    const w = createPdbWriter(new MemorySink('far.pdb'), { topology });
    await expect(w.writeFrame(frame)).rejects.toMatchObject({ code: 'FORMAT', context: { file: 'far.pdb', frame: 0 } });
  });
});
