import { describe, expect, it } from 'vitest';
import { FormatError, MemoryByteSource, OptionError, SolvscopeError, boxToLengthsAngles, buildTopology, createFrame } from '@solvscope/core';
import { openLammpsData, readLammpsData, readLammpsDataTopology } from './lammps-data-reader.js';
import { lammpsDataFormat, sniffLammpsData } from './lammps-data-format.js';

const mem = (text: string, name = 'system.data') => new MemoryByteSource(name, text);

/** Two TIP3P-like waters and a Mg2+ ion, atom style full, as LAMMPS write_data lays it out (atoms shuffled). */
const WATER_MG = `LAMMPS data file via write_data, version 2 Aug 2023, timestep = 1000, units = real

7 atoms
3 atom types
4 bonds
1 bond types
2 angles
1 angle types

0.0 20.0 xlo xhi
-1.0 19.0 ylo yhi
0.0 18.0 zlo zhi
2.0 -1.5 0.5 xy xz yz

Masses

1 15.9994 # OW
2 1.008
3 24.305

Pair Coeffs # lj/cut/coul/long

1 0.1521 3.1507
2 0 0
3 0.875 2.1

Bond Coeffs # harmonic

1 450 0.9572

Angle Coeffs # harmonic

1 55 104.52

Atoms # full

4 2 1 -0.834 5.0 5.0 5.0 0 0 0
1 1 1 -0.834 1.0 1.0 1.0 0 0 0
7 3 3 2.0 10.0 10.0 10.0 1 -1 0
2 1 2 0.417 1.9572 1.0 1.0 0 0 0
3 1 2 0.417 0.76 1.93 1.0 0 0 0
6 2 2 0.417 5.24 5.93 5.0 0 0 1
5 2 2 0.417 5.9572 5.0 5.0 0 0 0

Velocities

1 0.001 0.002 0.003
2 0 0 0
3 0 0 0
4 -0.001 0 0
5 0 0 0
6 0 0 0
7 0.01 0.02 0.03

Bonds

1 1 1 2
2 1 1 3
3 1 4 5
4 1 4 6

Angles

1 1 2 1 3
2 1 5 4 6
`;

function replaceLine(text: string, from: string, to: string): string {
  expect(text.includes(from)).toBe(true);
  return text.replace(from, to);
}
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('LAMMPS data topology', () => {
  it('reads types, masses, charges, molecule ids and bonds in atom-id order', async () => {
    const t = await readLammpsDataTopology(mem(WATER_MG));
    expect(t.atomCount).toBe(7);
    expect(t.types).toEqual(['1', '2', '2', '1', '2', '2', '3']);
    expect(t.names).toEqual(t.types);
    expect(Array.from(t.masses!)).toEqual([15.9994, 1.008, 1.008, 15.9994, 1.008, 1.008, 24.305]);
    expect(Array.from(t.charges!)).toEqual([-0.834, 0.417, 0.417, -0.834, 0.417, 0.417, 2]);
    expect(Array.from(t.moleculeIds!)).toEqual([1, 1, 1, 2, 2, 2, 3]);
    expect(Array.from(t.bonds!)).toEqual([0, 1, 0, 2, 3, 4, 3, 5]);
    expect(t.source).toBe('system.data');
  });

  it('builds molecules from molecule ids and elements from masses', async () => {
    const topo = buildTopology(await readLammpsDataTopology(mem(WATER_MG)));
    expect(topo.elements).toEqual(['O', 'H', 'H', 'O', 'H', 'H', 'Mg']);
    expect(topo.moleculeSource).toBe('molecule-ids');
    expect(topo.moleculeCount).toBe(3);
    const byFormula = Object.fromEntries(topo.species.map((s) => [s.formula, s]));
    expect(byFormula.H2O.count).toBe(2);
    expect(byFormula.H2O.charge).toBeCloseTo(0, 6);
    expect(byFormula.Mg.count).toBe(1);
    expect(byFormula.Mg.charge).toBe(2);
    expect(byFormula.Mg.chargeSource).toBe('topology');
  });

  it('uses Atom Type Labels as names and types, also where Atoms writes labels', async () => {
    let text = replaceLine(WATER_MG, 'Masses\n', 'Atom Type Labels\n\n1 OW\n2 HW\n3 MG\n\nMasses\n');
    text = replaceLine(text, '7 3 3 2.0 10.0', '7 3 MG 2.0 10.0');
    text = replaceLine(text, '3 24.305', 'MG 24.305');
    const t = await readLammpsDataTopology(mem(text));
    expect(t.names).toEqual(['OW', 'HW', 'HW', 'OW', 'HW', 'HW', 'MG']);
    expect(t.masses![6]).toBe(24.305);
    expect(buildTopology(t).elements[6]).toBe('Mg');
  });

  it('reads the atom styles charge, atomic and molecular', async () => {
    const head = 'title\n\n2 atoms\n1 atom types\n0 10 xlo xhi\n0 10 ylo yhi\n0 10 zlo zhi\n\nMasses\n\n1 39.948\n\n';
    const charge = await readLammpsDataTopology(mem(head + 'Atoms # charge\n\n2 1 0.5 1 2 3\n1 1 -0.5 4 5 6\n'));
    expect(Array.from(charge.charges!)).toEqual([-0.5, 0.5]);
    expect(charge.moleculeIds).toBeUndefined();
    const atomic = await readLammpsData(mem(head + 'Atoms\n\n2 1 1 2 3\n1 1 4 5 6\n'));
    expect(atomic.atomStyle).toBe('atomic');
    expect(Array.from(atomic.positions)).toEqual([4, 5, 6, 1, 2, 3]);
    expect(atomic.topology.charges).toBeUndefined();
    const molecular = await readLammpsDataTopology(mem(head + 'Atoms\n\n1 7 1 1 2 3\n2 8 1 4 5 6\n'), { atomStyle: 'molecular' });
    expect(Array.from(molecular.moleculeIds!)).toEqual([7, 8]);
  });

  it('asks for atomStyle when six columns could be charge or molecular', async () => {
    const text = 'title\n\n1 atoms\n1 atom types\n\nAtoms\n\n1 1 1 0 0 0\n';
    const err = await readLammpsDataTopology(mem(text)).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.context).toMatchObject({ file: 'system.data', line: 8, lineText: '1 1 1 0 0 0' });
    expect(err.message).toMatch(/pass the atomStyle option/);
  });

  it('rejects an unsupported atom style and a bad atomStyle option', async () => {
    const text = replaceLine(WATER_MG, 'Atoms # full', 'Atoms # sphere');
    const err = await readLammpsDataTopology(mem(text)).catch((e) => e);
    expect(err).toBeInstanceOf(SolvscopeError);
    expect(err.code).toBe('UNSUPPORTED');
    expect(err.context.line).toBe(lineOf(text, 'Atoms # sphere'));
    await expect(readLammpsDataTopology(mem(WATER_MG), { atomStyle: 'ellipsoid' as 'full' })).rejects.toBeInstanceOf(OptionError);
  });

  it('is recognised by its sniff and described as a topology format', () => {
    expect(sniffLammpsData(new TextEncoder().encode(WATER_MG))).toBe(true);
    expect(sniffLammpsData(new TextEncoder().encode('ITEM: TIMESTEP\n0\n'))).toBe(false);
    expect(lammpsDataFormat.capabilities).toMatchObject({ topology: true, trajectory: false });
  });
});

describe('LAMMPS data as one frame', () => {
  it('gives positions in id order and the triclinic box from the header', async () => {
    const src = await openLammpsData(mem(WATER_MG));
    expect(src.frameCount).toBe(1);
    expect(src.atomCount).toBe(7);
    const f = await src.readFrame(0);
    expect(Array.from(f.positions.subarray(0, 6))).toEqual([1, 1, 1, Math.fround(1.9572), 1, 1]);
    expect(Array.from(f.positions.subarray(18))).toEqual([10, 10, 10]);
    expect(Array.from(f.box!)).toEqual([20, 0, 0, 2, 20, 0, -1.5, 0.5, 18]);
    expect(f.time).toBeNaN();
    expect(f.velocities).toBeNull();
    const into = createFrame(7);
    expect(await src.readFrame(0, into)).toBe(into);
    await expect(src.readFrame(1)).rejects.toThrow(/frame 1 does not exist/);
    const all = [];
    for await (const g of src.frames()) all.push(g.index);
    expect(all).toEqual([0]);
  });

  it('converts velocities from real units when asked', async () => {
    const d = await readLammpsData(mem(WATER_MG), { units: 'real' });
    expect(d.velocities![0]).toBeCloseTo(1, 6); // 0.001 Å/fs = 1 Å/ps
    expect(d.velocities![20]).toBeCloseTo(30, 4);
    expect(Array.from(d.images!.subarray(18))).toEqual([1, -1, 0]);
  });

  it('rotates a general triclinic cell (avec bvec cvec) into reduced form', async () => {
    const text = 'title\n\n1 atoms\n1 atom types\n0 10 0 avec\n-12 0 0 bvec\n0 0 14 cvec\n0 0 0 abc origin\n\nMasses\n\n1 12.011\n\nAtoms # atomic\n\n1 1 -3 2 5\n';
    const d = await readLammpsData(mem(text));
    const dims = boxToLengthsAngles(d.box);
    expect(dims.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([10, 12, 14, 90, 90, 90]);
    expect(d.positions[0]).toBeCloseTo(2, 5);
    expect(d.positions[1]).toBeCloseTo(3, 5);
    expect(d.positions[2]).toBeCloseTo(5, 5);
  });
});

describe('LAMMPS data errors', () => {
  it('reports a non-numeric coordinate with the file, line and quoted line', async () => {
    const text = replaceLine(WATER_MG, '5 2 2 0.417 5.9572 5.0 5.0', '5 2 2 0.417 5.9572 five 5.0');
    const line = lineOf(text, 'five');
    const err = await readLammpsDataTopology(mem(text)).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toBe(`system.data: LAMMPS data (byte ${text.indexOf('5 2 2 0.417 5.9572 five')}, line ${line}): y 'five' is not a finite number; the line is '5 2 2 0.417 5.9572 five 5.0 0 0 0'`);
  });

  it('rejects a NaN coordinate', async () => {
    const text = replaceLine(WATER_MG, '7 3 3 2.0 10.0 10.0 10.0', '7 3 3 2.0 nan 10.0 10.0');
    await expect(readLammpsDataTopology(mem(text))).rejects.toMatchObject({ code: 'CORRUPT', context: { line: lineOf(text, '7 3 3 2.0 nan') } });
  });

  it('reports a file cut inside the Atoms section as TRUNCATED', async () => {
    const cutAt = WATER_MG.indexOf('2 1 2 0.417 1.9572');
    const err = await readLammpsDataTopology(mem(WATER_MG.slice(0, cutAt + 8))).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('TRUNCATED'); // the partial last line '2 1 2 0.' has 4 of 7 columns
    expect(err.context.lineText).toBe('2 1 2 0.');
    const err2 = await readLammpsDataTopology(mem(WATER_MG.slice(0, cutAt))).catch((e) => e);
    expect(err2.code).toBe('TRUNCATED');
    expect(err2.message).toMatch(/the Atoms section has 3 of the 7 lines the header declares when the file ends/);
    expect(err2.context.line).toBe(lineOf(WATER_MG, 'Atoms # full'));
  });

  it('reports a file cut inside the header before any section', async () => {
    const err = await readLammpsDataTopology(mem(WATER_MG.slice(0, WATER_MG.indexOf('0.0 20.0 xlo')))).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/no Atoms section/);
  });

  it('rejects a section with fewer lines than the header declares', async () => {
    const text = replaceLine(WATER_MG, '4 1 4 6\n', '');
    const err = await readLammpsDataTopology(mem(text)).catch((e) => e);
    expect(err.code).toBe('CORRUPT');
    expect(err.message).toMatch(/the Bonds section has 3 of the 4 lines the header declares when 'Angles' starts/);
  });

  it('reports a file cut before its declared Bonds section', async () => {
    const err = await readLammpsDataTopology(mem(WATER_MG.slice(0, WATER_MG.indexOf('Bonds\n\n1 1 1 2')))).catch((e) => e);
    expect(err).toMatchObject({ code: 'TRUNCATED' });
    expect(err.message).toMatch(/declares 4 bonds but the file has no Bonds section/);
  });

  it('rejects a bond to an atom that does not exist, naming the bond line', async () => {
    const text = replaceLine(WATER_MG, '4 1 4 6\n', '4 1 4 9\n');
    const err = await readLammpsDataTopology(mem(text)).catch((e) => e);
    expect(err).toMatchObject({ code: 'CORRUPT', context: { line: lineOf(text, '4 1 4 9') } });
    expect(err.message).toMatch(/bond 4 refers to atom id 9/);
  });

  it('rejects a repeated atom id naming both lines', async () => {
    const text = replaceLine(WATER_MG, '6 2 2 0.417 5.24', '5 2 2 0.417 5.24');
    const err = await readLammpsDataTopology(mem(text)).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`atom id 5 appears twice in Atoms \\(lines ${lineOf(text, '5 2 2 0.417 5.24')} and ${lineOf(text, '5 2 2 0.417 5.9572')}\\)`));
  });

  it('rejects an atom type without a mass', async () => {
    const text = replaceLine(WATER_MG, '7 3 3 2.0', '7 3 4 2.0');
    await expect(readLammpsDataTopology(mem(text))).rejects.toThrow(/atom type 4 \(atom id 7\) has no entry in Masses/);
  });

  it('rejects an atom count the file cannot hold without allocating it', async () => {
    const text = replaceLine(WATER_MG, '7 atoms', '900000000000 atoms');
    await expect(readLammpsDataTopology(mem(text))).rejects.toThrow(/declares 900000000000 atoms, more than a \d+-byte file can hold/);
  });

  it('rejects a file without an atoms count and a malformed box line', async () => {
    await expect(readLammpsDataTopology(mem('title\n\nAtoms\n\n1 1 0 0 0\n'))).rejects.toThrow(/no 'N atoms' line/);
    const text = replaceLine(WATER_MG, '0.0 18.0 zlo zhi', '18.0 0.0 zlo zhi');
    await expect(readLammpsDataTopology(mem(text))).rejects.toMatchObject({ context: { line: lineOf(text, 'zlo zhi'), lineText: '18.0 0.0 zlo zhi' } });
  });

  it('rejects an Atoms line with the wrong number of columns', async () => {
    const text = replaceLine(WATER_MG, '3 1 2 0.417 0.76 1.93 1.0 0 0 0', '3 1 2 0.417 0.76 1.93 1.0 0');
    await expect(readLammpsDataTopology(mem(text))).rejects.toThrow(/atom style 'full' needs 7 columns \(or 10 with image flags\), found 8/);
  });
});
