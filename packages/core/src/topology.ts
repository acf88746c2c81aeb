import { COMMON_ION_CHARGES, COMMON_MOLECULAR_ION_CHARGES, guessElementFromMass, guessElementFromName, hillFormula, massOf, normalizeElement } from './elements.js';
import { OptionError } from './errors.js';

/**
 * What a topology reader knows about the atoms, in file order. Every array has one entry per
 * atom; anything the file lacks is left out and is filled in by {@link buildTopology}.
 */
export interface TopologyInit {
  names?: string[];
  types?: string[];
  /** Element symbols as written (any case); '' where unknown. */
  elements?: string[];
  resnames?: string[];
  /** Residue numbers as written (GRO/PDB wrap them at 99999 / 9999). */
  resids?: ArrayLike<number>;
  chains?: string[];
  /** Molecule ids as written (LAMMPS molecule-ID); any integers, equal id = same molecule. */
  moleculeIds?: ArrayLike<number>;
  /** e */
  charges?: ArrayLike<number>;
  /** g/mol */
  masses?: ArrayLike<number>;
  /** Bonds as 0-based atom index pairs [i0, j0, i1, j1, …]. */
  bonds?: ArrayLike<number>;
  atomCount: number;
  /** Where the topology came from (file name), for messages. */
  source?: string;
}

/** A molecule species: all molecules with the same atom sequence. */
export interface Species {
  /** 0-based species index. */
  index: number;
  /** Display name: user rename, else residue name, else the Hill formula. */
  name: string;
  /** Hill formula of one molecule, e.g. C4H10O2. */
  formula: string;
  /** Residue name shared by all its molecules ('' if none or mixed). */
  resname: string;
  /** Number of molecules. */
  count: number;
  /** Atoms per molecule. */
  atomsPerMolecule: number;
  /** Net charge of one molecule (e): from topology charges, else the common-ion table, else assumed 0. */
  charge: number;
  /** Where `charge` came from. */
  chargeSource: 'topology' | 'ion-table' | 'assumed-neutral' | 'user';
  /** Molecule indices of this species. */
  molecules: Int32Array;
}

/** How molecules were determined. */
export type MoleculeSource = 'molecule-ids' | 'bonds' | 'residues' | 'atoms';

/** Atoms, residues, molecules and species of a system. All arrays are indexed by 0-based atom index. */
export interface Topology {
  readonly atomCount: number;
  readonly names: string[];
  readonly types: string[];
  /** Element symbols, properly capitalised; guessed from name or mass where the file has none; '' if unknown. */
  readonly elements: string[];
  readonly resnames: string[];
  /** Residue numbers as in the file. */
  readonly resids: Int32Array;
  /** 0-based contiguous residue index (changes whenever resid or resname changes between consecutive atoms). */
  readonly residueIndex: Int32Array;
  readonly chains: string[];
  /** 0-based molecule index per atom. */
  readonly molecules: Int32Array;
  readonly moleculeSource: MoleculeSource;
  /** First atom of molecule m is atoms[moleculeStart[m]] … moleculeStart has length moleculeCount + 1 over moleculeAtoms. */
  readonly moleculeStart: Int32Array;
  /** Atom indices grouped by molecule (in atom order within each molecule). */
  readonly moleculeAtoms: Int32Array;
  readonly moleculeCount: number;
  /** Species index per molecule. */
  readonly moleculeSpecies: Int32Array;
  readonly species: Species[];
  /** e; null when the file has no charges. */
  readonly charges: Float64Array | null;
  /** g/mol; from the file or from the element. */
  readonly masses: Float64Array;
  readonly bonds: Uint32Array | null;
  readonly source: string;
}

export interface BuildTopologyOptions {
  /** Rename species: keys are a formula, a residue name or a current name; values the new name. */
  rename?: Record<string, string>;
  /** Species charges (e) by name or formula, overriding topology and the ion table. */
  charges?: Record<string, number>;
}

class UnionFind {
  parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function fill<T>(src: ArrayLike<T> | undefined, n: number, dflt: T): T[] {
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = src && i < src.length ? src[i] : dflt;
  return out;
}

/** Renumber arbitrary labels to 0-based indices in order of first appearance. */
function relabel(keys: ArrayLike<number>, n: number): Int32Array {
  const map = new Map<number, number>();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let v = map.get(keys[i]);
    if (v === undefined) {
      v = map.size;
      map.set(keys[i], v);
    }
    out[i] = v;
  }
  return out;
}

/**
 * Complete a topology: guess elements (from mass if given, else from name and residue name),
 * fill masses, find residues, molecules (from molecule ids, else bonds, else residues) and species.
 */
export function buildTopology(init: TopologyInit, options: BuildTopologyOptions = {}): Topology {
  const n = init.atomCount;
  const names = fill(init.names, n, '');
  const types = fill(init.types, n, '');
  for (let i = 0; i < n; i++) if (!types[i]) types[i] = names[i];
  const resnames = fill(init.resnames, n, '');
  const chains = fill(init.chains, n, '');
  const resids = new Int32Array(n);
  if (init.resids) for (let i = 0; i < n; i++) resids[i] = init.resids[i];
  const elements = new Array<string>(n);
  const masses = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let el = init.elements ? normalizeElement(init.elements[i] ?? '') : '';
    const m = init.masses ? init.masses[i] : NaN;
    if (!el && Number.isFinite(m) && m > 0) el = guessElementFromMass(m);
    if (!el) el = guessElementFromName(names[i] || types[i], resnames[i]);
    elements[i] = el;
    masses[i] = Number.isFinite(m) && m > 0 ? m : massOf(el);
  }
  const residueIndex = new Int32Array(n);
  let r = -1;
  for (let i = 0; i < n; i++) {
    if (i === 0 || resids[i] !== resids[i - 1] || resnames[i] !== resnames[i - 1] || chains[i] !== chains[i - 1]) r++;
    residueIndex[i] = r;
  }
  let molecules: Int32Array;
  let moleculeSource: MoleculeSource;
  const bonds = init.bonds && init.bonds.length ? Uint32Array.from(init.bonds) : null;
  if (init.moleculeIds && init.moleculeIds.length === n) {
    molecules = relabel(init.moleculeIds, n);
    moleculeSource = 'molecule-ids';
  } else if (bonds) {
    const uf = new UnionFind(n);
    for (let k = 0; k + 1 < bonds.length; k += 2) uf.union(bonds[k], bonds[k + 1]);
    const roots = new Int32Array(n);
    for (let i = 0; i < n; i++) roots[i] = uf.find(i);
    molecules = relabel(roots, n);
    moleculeSource = 'bonds';
  } else if (init.resids || init.resnames) {
    molecules = residueIndex.slice();
    moleculeSource = 'residues';
  } else {
    molecules = new Int32Array(n);
    for (let i = 0; i < n; i++) molecules[i] = i;
    moleculeSource = 'atoms';
  }
  let moleculeCount = 0;
  for (let i = 0; i < n; i++) if (molecules[i] + 1 > moleculeCount) moleculeCount = molecules[i] + 1;
  const moleculeStart = new Int32Array(moleculeCount + 1);
  for (let i = 0; i < n; i++) moleculeStart[molecules[i] + 1]++;
  for (let m = 0; m < moleculeCount; m++) moleculeStart[m + 1] += moleculeStart[m];
  const moleculeAtoms = new Int32Array(n);
  const cursor = moleculeStart.slice(0, moleculeCount);
  for (let i = 0; i < n; i++) moleculeAtoms[cursor[molecules[i]]++] = i;

  const charges = init.charges && init.charges.length === n ? Float64Array.from(init.charges) : null;

  // Species: molecules with the same sequence of (name, type, element) are one species.
  const keyOf = new Map<string, number>();
  const moleculeSpecies = new Int32Array(moleculeCount);
  const protos: { first: number; count: number; resname: string; mixedRes: boolean }[] = [];
  for (let m = 0; m < moleculeCount; m++) {
    const a0 = moleculeStart[m];
    const a1 = moleculeStart[m + 1];
    let key = '';
    for (let k = a0; k < a1; k++) {
      const a = moleculeAtoms[k];
      key += `${names[a]}\u0001${types[a]}\u0001${elements[a]}\u0002`;
    }
    let s = keyOf.get(key);
    const rn = resnames[moleculeAtoms[a0]];
    let molRes = rn;
    for (let k = a0 + 1; k < a1; k++) if (resnames[moleculeAtoms[k]] !== rn) molRes = '';
    if (s === undefined) {
      s = protos.length;
      keyOf.set(key, s);
      protos.push({ first: m, count: 0, resname: molRes, mixedRes: false });
    } else if (protos[s].resname !== molRes) {
      protos[s].mixedRes = true;
    }
    protos[s].count++;
    moleculeSpecies[m] = s;
  }
  const species: Species[] = protos.map((p, index) => {
    const a0 = moleculeStart[p.first];
    const a1 = moleculeStart[p.first + 1];
    const els: string[] = [];
    let q = 0;
    for (let k = a0; k < a1; k++) {
      els.push(elements[moleculeAtoms[k]]);
      if (charges) q += charges[moleculeAtoms[k]];
    }
    const formula = hillFormula(els);
    const resname = p.mixedRes ? '' : p.resname;
    const mols = new Int32Array(p.count);
    let j = 0;
    for (let m = 0; m < moleculeCount; m++) if (moleculeSpecies[m] === index) mols[j++] = m;
    let charge = 0;
    let chargeSource: Species['chargeSource'] = 'assumed-neutral';
    if (charges) {
      charge = Math.round(q * 1e4) / 1e4;
      chargeSource = 'topology';
    } else {
      const table = a1 - a0 === 1 ? COMMON_ION_CHARGES[els[0]] : (COMMON_MOLECULAR_ION_CHARGES[resname.toUpperCase()] ?? COMMON_MOLECULAR_ION_CHARGES[formula]);
      if (table !== undefined) {
        charge = table;
        chargeSource = 'ion-table';
      }
    }
    return {
      index,
      name: resname || formula,
      formula,
      resname,
      count: p.count,
      atomsPerMolecule: a1 - a0,
      charge,
      chargeSource,
      molecules: mols,
    };
  });
  // Species whose name collides (same residue name, different atom sequence) get the formula appended.
  const byName = new Map<string, Species[]>();
  for (const s of species) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  for (const [, list] of byName) if (list.length > 1) for (const s of list) s.name = `${s.name}:${s.formula}`;

  const topo: Topology = {
    atomCount: n,
    names,
    types,
    elements,
    resnames,
    resids,
    residueIndex,
    chains,
    molecules,
    moleculeSource,
    moleculeStart,
    moleculeAtoms,
    moleculeCount,
    moleculeSpecies,
    species,
    charges,
    masses,
    bonds,
    source: init.source ?? '',
  };
  if (options.rename) renameSpecies(topo, options.rename);
  if (options.charges) setSpeciesCharges(topo, options.charges);
  return topo;
}

/** Find a species by name, formula or residue name (case-sensitive first, then case-insensitive). */
export function findSpecies(topo: Topology, key: string): Species | undefined {
  return (
    topo.species.find((s) => s.name === key) ??
    topo.species.find((s) => s.formula === key) ??
    topo.species.find((s) => s.resname === key) ??
    topo.species.find((s) => s.name.toLowerCase() === key.toLowerCase() || s.formula.toLowerCase() === key.toLowerCase())
  );
}

/**
 * Rename species in place. Keys may be a formula (`C4H10O2`), a residue name or a current name.
 * @throws OptionError naming the unknown key, with the species that exist.
 */
export function renameSpecies(topo: Topology, rename: Record<string, string>): void {
  for (const [from, to] of Object.entries(rename)) {
    const s = findSpecies(topo, from);
    if (!s) {
      throw new OptionError('OPTION', `unknown species '${from}' (species: ${topo.species.map((x) => `${x.name} (${x.formula})`).join(', ')})`, { option: 'species' });
    }
    s.name = to;
  }
}

export function setSpeciesCharges(topo: Topology, charges: Record<string, number>): void {
  for (const [key, q] of Object.entries(charges)) {
    const s = findSpecies(topo, key);
    if (!s) throw new OptionError('OPTION', `unknown species '${key}' in charges`, { option: 'charges' });
    s.charge = q;
    s.chargeSource = 'user';
  }
}

/** Parse `A=B,C=D` (CLI --rename) into a map. */
export function parseRenameList(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) throw new OptionError('OPTION', `--rename expects FROM=TO pairs separated by commas (got "${part}")`, { option: '--rename' });
    out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}

/** A topology with only atom count (trajectory without topology file): every atom 'X'. */
export function anonymousTopology(atomCount: number): Topology {
  return buildTopology({ atomCount, names: fill(undefined, atomCount, 'X') });
}
