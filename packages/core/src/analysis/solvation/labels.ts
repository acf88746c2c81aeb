import type { Species, Topology } from '../../topology.js';

/** Residue names that denote water when the formula is H2O. */
const WATER_RESNAMES = new Set(['SOL', 'WAT', 'HOH', 'H2O', 'TIP3', 'TIP3P', 'TIP4', 'TIP4P', 'TIP5', 'TIP5P', 'SPC', 'SPCE', 'T3P', 'T4P', 'OPC']);

/**
 * The name a species takes inside a speciation label:
 * - water (formula H2O and residue name SOL, WAT, HOH, TIP3, SPC, …) → `H2O`;
 * - a one-atom species with a known element (an ion) → its element symbol (`Mg`, `Cl`);
 * - otherwise the species name (residue name, user rename, else formula).
 */
export function labelName(topo: Topology, s: Species): string {
  if (s.formula === 'H2O' && WATER_RESNAMES.has(s.resname.toUpperCase())) return 'H2O';
  if (s.atomsPerMolecule === 1) {
    const el = topo.elements[topo.moleculeAtoms[topo.moleculeStart[s.molecules[0] ?? 0]]];
    if (el && s.count > 0) return el;
  }
  return s.name;
}

/** True for a label name that is a bare element symbol (monatomic ligand, written without parentheses). */
function isElementLike(name: string): boolean {
  return /^[A-Z][a-z]?$/.test(name);
}

/**
 * Charge suffix of a label: the charge rounded to an integer, then `2+`, `+`, `` (zero), `-`,
 * `2-` — magnitude before sign, 1 omitted.
 */
export function chargeSuffix(charge: number): string {
  const q = Math.round(charge);
  if (q === 0 || Object.is(q, -0)) return '';
  const sign = q > 0 ? '+' : '-';
  const m = Math.abs(q);
  return m === 1 ? sign : `${m}${sign}`;
}

/** One ligand kind in a shell. */
export interface LabelLigand {
  /** From {@link labelName}. */
  name: string;
  count: number;
  /** 0 = anion, 1 = neutral, 2 = cation: the order ligands are written in. */
  group: number;
}

/**
 * Canonical speciation label: `[` ion, then ligands — anions first, then neutrals, then any
 * cations, each group sorted by name (code-point order) — `]` and the net charge suffix.
 * Polyatomic ligands are parenthesised, counts above 1 follow as plain digits:
 * `[Mg(TFSI)(DME)2]+`, `[Mg(H2O)6]2+`, `[MgCl(H2O)5]+`, `[Mg]2+` (empty shell).
 */
export function speciationLabel(ionName: string, ligands: readonly LabelLigand[], netCharge: number): string {
  const sorted = ligands.filter((l) => l.count > 0).sort((a, b) => a.group - b.group || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let s = `[${ionName}`;
  for (const l of sorted) {
    s += isElementLike(l.name) ? l.name : `(${l.name})`;
    if (l.count > 1) s += String(l.count);
  }
  return `${s}]${chargeSuffix(netCharge)}`;
}
