import { describe, expect, it } from 'vitest';
import { buildTopology, findSpecies, parseRenameList } from './topology.js';
import { guessElementFromName, hillFormula, guessElementFromMass } from './elements.js';
import { OptionError } from './errors.js';

describe('element guessing', () => {
  it('recognises ions by name and residue, and organic atoms by first letter', () => {
    expect(guessElementFromName('MG', 'MG')).toBe('Mg');
    expect(guessElementFromName('CA', 'CA')).toBe('Ca');
    expect(guessElementFromName('CA', 'ALA')).toBe('C');
    expect(guessElementFromName('CL', 'CL')).toBe('Cl');
    expect(guessElementFromName('CL1', 'CCL4')).toBe('Cl');
    expect(guessElementFromName('OW', 'SOL')).toBe('O');
    expect(guessElementFromName('HW1', 'SOL')).toBe('H');
    expect(guessElementFromName('1HB', 'ALA')).toBe('H');
    expect(guessElementFromName('NA', 'NA')).toBe('Na');
    expect(guessElementFromName('N1', 'TFSI')).toBe('N');
    expect(guessElementFromName('SOD', 'SOD')).toBe('Na');
  });
  it('guesses elements from masses', () => {
    expect(guessElementFromMass(15.9994)).toBe('O');
    expect(guessElementFromMass(1.008)).toBe('H');
    expect(guessElementFromMass(24.305)).toBe('Mg');
    expect(guessElementFromMass(100.5)).toBe('');
  });
  it('writes Hill formulas', () => {
    expect(hillFormula(['C', 'H', 'H', 'O', 'C', 'H'])).toBe('C2H3O');
    expect(hillFormula(['O', 'H', 'H'])).toBe('H2O');
    expect(hillFormula(['N', 'S', 'S', 'O', 'O', 'O', 'O', 'C', 'C', 'F', 'F', 'F', 'F', 'F', 'F'])).toBe('C2F6NO4S2');
    expect(hillFormula(['Cl'])).toBe('Cl');
  });
});

describe('topology building', () => {
  it('finds molecules from residues and groups identical molecules into species', () => {
    const t = buildTopology({
      atomCount: 8,
      names: ['MG', 'OW', 'HW1', 'HW2', 'OW', 'HW1', 'HW2', 'CL'],
      resnames: ['MG', 'SOL', 'SOL', 'SOL', 'SOL', 'SOL', 'SOL', 'CL'],
      resids: [1, 2, 2, 2, 3, 3, 3, 4],
    });
    expect(t.moleculeSource).toBe('residues');
    expect(t.moleculeCount).toBe(4);
    expect(t.species.map((s) => [s.name, s.formula, s.count, s.charge, s.chargeSource])).toEqual([
      ['MG', 'Mg', 1, 2, 'ion-table'],
      ['SOL', 'H2O', 2, 0, 'assumed-neutral'],
      ['CL', 'Cl', 1, -1, 'ion-table'],
    ]);
    expect(Array.from(t.masses.slice(0, 2))).toEqual([24.305, 15.999]);
  });
  it('keeps residues apart when GRO residue numbers wrap at 99999 → 0', () => {
    const t = buildTopology({ atomCount: 3, names: ['OW', 'OW', 'OW'], resnames: ['SOL', 'SOL', 'SOL'], resids: [99999, 0, 1] });
    expect(Array.from(t.residueIndex)).toEqual([0, 1, 2]);
  });
  it('finds molecules from bonds and names species without residue names by Hill formula', () => {
    // two DME-like fragments "C-O-C" and an ion; no residue names
    const t = buildTopology({ atomCount: 7, names: ['C1', 'O1', 'C2', 'C1', 'O1', 'C2', 'LI'], bonds: [0, 1, 1, 2, 3, 4, 4, 5] });
    expect(t.moleculeSource).toBe('bonds');
    expect(t.species.map((s) => [s.name, s.count])).toEqual([
      ['C2O', 2],
      ['Li', 1],
    ]);
  });
  it('uses LAMMPS molecule ids and topology charges', () => {
    const t = buildTopology({ atomCount: 4, types: ['1', '2', '2', '3'], masses: [15.9994, 1.008, 1.008, 24.305], moleculeIds: [7, 7, 7, 9], charges: [-0.8, 0.4, 0.4, 2] });
    expect(t.elements).toEqual(['O', 'H', 'H', 'Mg']);
    expect(t.species.map((s) => [s.name, s.charge, s.chargeSource])).toEqual([
      ['H2O', 0, 'topology'],
      ['Mg', 2, 'topology'],
    ]);
  });
  it('renames species by formula, and rejects unknown ones with the list', () => {
    const t = buildTopology({ atomCount: 3, names: ['O', 'H', 'H'], bonds: [0, 1, 0, 2] }, { rename: parseRenameList('H2O=water') });
    expect(findSpecies(t, 'water')?.formula).toBe('H2O');
    expect(() => buildTopology({ atomCount: 1, names: ['MG'] }, { rename: { DME: 'x' } })).toThrow(OptionError);
    expect(() => parseRenameList('C4H10O2')).toThrow(/FROM=TO/);
  });
});
