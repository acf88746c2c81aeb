import { describe, expect, it } from 'vitest';
import { buildTopology } from '../topology.js';
import { orthorhombicBox, boxFromLengthsAngles } from '../box.js';
import { createFrame } from '../frame.js';
import { SelectionError } from '../errors.js';
import { selectAtoms, parseSelection, isDynamic, selectNonEmpty } from './selection.js';

// 2 waters, one Mg, one 4-atom "TFSI-like" residue with names clashing with another residue
const topo = buildTopology({
  atomCount: 10,
  names: ['OW', 'HW1', 'HW2', 'OW', 'HW1', 'HW2', 'MG', 'N1', 'O1', 'O2'],
  resnames: ['SOL', 'SOL', 'SOL', 'SOL', 'SOL', 'SOL', 'MG', 'TFSI', 'TFSI', 'TFSI'],
  resids: [1, 1, 1, 2, 2, 2, 3, 4, 4, 4],
  charges: [-0.834, 0.417, 0.417, -0.834, 0.417, 0.417, 2, -0.66, -0.53, -0.53],
});
const sel = (s: string) => Array.from(selectAtoms(topo, s));

describe('selection language', () => {
  it('selects by name, with several values and wildcards', () => {
    expect(sel('name OW')).toEqual([0, 3]);
    expect(sel('name OW MG')).toEqual([0, 3, 6]);
    expect(sel('name HW*')).toEqual([1, 2, 4, 5]);
    expect(sel('name O?')).toEqual([0, 3, 8, 9]);
    expect(sel('name O[12]')).toEqual([8, 9]);
  });
  it('combines with and/or/not and parentheses with the usual precedence', () => {
    expect(sel('resname TFSI and name O1 O2')).toEqual([8, 9]);
    expect(sel('name MG or resname TFSI and name N1')).toEqual([6, 7]);
    expect(sel('not resname SOL')).toEqual([6, 7, 8, 9]);
    expect(sel('not (resname SOL or name MG)')).toEqual([7, 8, 9]);
    expect(sel('not not name MG')).toEqual([6]);
  });
  it('selects by element case-insensitively, and by guessed elements', () => {
    expect(sel('element Mg')).toEqual([6]);
    expect(sel('element MG')).toEqual([6]);
    expect(sel('element O')).toEqual([0, 3, 8, 9]);
  });
  it('selects residue numbers, indices (0-based) and bynum (1-based) with ranges', () => {
    expect(sel('resid 2')).toEqual([3, 4, 5]);
    expect(sel('resid 1-2 4')).toEqual([0, 1, 2, 3, 4, 5, 7, 8, 9]);
    expect(sel('resid 3:4')).toEqual([6, 7, 8, 9]);
    expect(sel('index 0 to 2')).toEqual([0, 1, 2]);
    expect(sel('bynum 1 7')).toEqual([0, 6]);
  });
  it('compares masses and charges', () => {
    expect(sel('mass > 20')).toEqual([6]);
    expect(sel('charge < -0.6')).toEqual([0, 3, 7]);
    expect(sel('charge 2')).toEqual([6]);
    expect(sel('mass 14 to 16.5')).toEqual([0, 3, 7, 8, 9]);
  });
  it('selects species and molecules', () => {
    expect(sel('species SOL')).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sel('molecule 2')).toEqual([6]);
    expect(sel('same residue as name N1')).toEqual([7, 8, 9]);
    expect(sel('same molecule as (index 4)')).toEqual([3, 4, 5]);
  });
  it('evaluates within periodically, and around excludes the reference', () => {
    const f = createFrame(10);
    f.box = orthorhombicBox(20, 20, 20);
    // Mg at x=0.5; OW0 at x=19 (1.5 Å away through the boundary); OW3 far
    const xyz = [19, 0, 0, 19.5, 0.8, 0, 19.5, -0.8, 0, 10, 10, 10, 10.5, 10.8, 10, 10.5, 9.2, 10, 0.5, 0, 0, 5, 5, 5, 5, 6, 5, 5, 4, 5];
    f.positions.set(xyz);
    expect(Array.from(selectAtoms(topo, 'name OW and within 2.0 of name MG', f))).toEqual([0]);
    expect(Array.from(selectAtoms(topo, 'within 1 of (name MG)', f))).toEqual([6]);
    expect(Array.from(selectAtoms(topo, 'around 2 name MG', f))).toEqual([0, 1, 2]);
    f.box = null;
    expect(Array.from(selectAtoms(topo, 'name OW and within 2.0 of name MG', f))).toEqual([]);
  });
  it('evaluates within in a triclinic cell by true minimum image', () => {
    const f = createFrame(10);
    f.box = boxFromLengthsAngles(20, 20, 20, 60, 60, 90);
    f.positions.fill(100);
    f.positions.set([0, 0, 0], 18); // MG
    // OW0 at c-vector image + small offset: c = (10, 10, 14.14)
    f.positions.set([10.5, 10, 14.142], 0);
    expect(Array.from(selectAtoms(topo, 'name OW and within 1 of name MG', f))).toEqual([0]);
    expect(isDynamic(parseSelection('name OW and within 1 of name MG'))).toBe(true);
  });
  it('reports the position of a malformed selection', () => {
    const cases: [string, number, RegExp][] = [
      ['name', 4, /needs at least one value/],
      ['name OW and', 11, /ends too early/],
      ['nmae OW', 0, /did you mean 'name'/],
      ['(name OW', 8, /expected '\)'/],
      ['name OW)', 7, /unmatched/],
      ['resid x', 6, /needs integers/],
      ['within of name MG', 7, /distance/],
      ['mass >', 6, /needs a number/],
      ['', 0, /empty selection/],
    ];
    for (const [s, pos, re] of cases) {
      let err: unknown;
      try {
        parseSelection(s);
      } catch (e) {
        err = e;
      }
      expect(err, s).toBeInstanceOf(SelectionError);
      expect((err as SelectionError).context.position, s).toBe(pos);
      expect((err as SelectionError).message, s).toMatch(re);
    }
  });
  it('shows the selection with a caret under the problem', () => {
    expect(() => parseSelection('name OW and nmae MG')).toThrow("at position 12 in selection:\nname OW and nmae MG\n            ^");
  });
  it('names the option when a required selection is empty', () => {
    expect(() => selectNonEmpty(topo, 'name XX', '--ion')).toThrow("--ion 'name XX' selects no atoms");
    expect(() => selectAtoms(topo, 'name OW and within 3 of name MG')).toThrow(/needs coordinates/);
  });
});
