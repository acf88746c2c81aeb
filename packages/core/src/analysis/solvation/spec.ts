import { isHeteroatom } from '../../elements.js';
import { OptionError } from '../../errors.js';
import { selectNonEmpty } from '../../selection/index.js';
import { findSpecies, type Species, type Topology } from '../../topology.js';
import { labelName } from './labels.js';

/** One shell partner species of a {@link SolvationSpec}. */
export interface SolvationSpeciesSpec {
  /**
   * Which atoms of this species can bind (donor atoms):
   * - `'heteroatoms'` (default): every atom whose element is not C or H (O, N, S, F, Cl …);
   * - `'all'`: every atom of the species;
   * - any other string: a selection, intersected with the atoms of this species
   *   (e.g. `'name O1 O2 O3 O4'` for the sulfonyl oxygens of TFSI).
   */
  donors?: string;
  /**
   * First-shell cutoff in Å (required, > 0): a donor atom binds when its minimum-image distance
   * to the ion is d < cutoff (strict). `'auto'` (from the g(r) minimum) must be resolved by the
   * caller before the spec reaches this analysis.
   */
  cutoff: number;
}

/**
 * Spec of the 'solvation' analysis (plain JSON).
 *
 * ```json
 * { "ions": "name MG",
 *   "species": { "DME": { "cutoff": 2.8 },
 *                "TFSI": { "donors": "name O1 O2 O3 O4", "cutoff": 2.8 } } }
 * ```
 */
export interface SolvationSpec {
  /** Selection of the ion atoms whose shells are analysed (one ion = one atom), e.g. `'name MG'`. */
  ions: string;
  /**
   * Shell partners by species key (species name, formula or residue name, as
   * `findSpecies` accepts). Species not listed are never shell partners; an ion's own molecule
   * never is, and the ions' own species is a partner only when listed.
   */
  species: Record<string, SolvationSpeciesSpec>;
  /** Species keys counted as anions for ion pairing; default: listed species with charge < 0. */
  anions?: string[];
  /** Pairing's cations: the ions (the only choice). */
  cations?: 'ions';
  /**
   * Residence-time options, or `false` to skip residence times (and the membership windows they
   * keep). `tolerancePs`: the continuous definition forgives absences shorter than this (ps,
   * default 0); `maxLagFrames`: longest lag computed (visited frames; default
   * min(frames visited − 1, 2000), see DEFAULT_MAX_LAG; never more than the longest contiguous
   * run of frames minus one). Memory grows linearly with it; times that do not decay within it
   * are reported as the window length with `converged: false`.
   */
  residence?: false | { tolerancePs?: number; maxLagFrames?: number };
  /** Frame spacing in ps of the file's frames, used when frames carry no time. */
  timestepPs?: number;
  /** Emit `perIonTimeline` (default true). */
  timeline?: boolean;
}

/** A resolved partner species. */
export interface PartnerSlot {
  species: Species;
  /** Species key as given in the spec. */
  key: string;
  /** Name in labels (H2O for water, element symbol for monatomic species). */
  labelName: string;
  cutoff: number;
  /** The donors option as given ('heteroatoms' when omitted). */
  donors: string;
  /** Donor atom indices (sorted). */
  donorAtoms: Int32Array;
  /** Distinct donor atom names, in first-appearance order. */
  donorNames: string[];
  anion: boolean;
  /** 0 anion, 1 neutral (|q| < 0.5), 2 cation: label order. */
  group: number;
}

/** Everything `setup` resolves once per thread. Never crosses threads. */
export interface SolvationContext {
  topology: Topology;
  ionsSelection: string;
  /** Ion atom indices (sorted). */
  ionAtoms: Int32Array;
  /** Molecule of each ion. */
  ionMolecule: Int32Array;
  /** Index into ionKinds of each ion. */
  ionKind: Int32Array;
  /** Distinct species of the ions. */
  ionKinds: { species: Species; labelName: string; charge: number }[];
  slots: PartnerSlot[];
  /** Union of all slots' donor atoms (sorted): the atoms the neighbour grid is built on. */
  donorAtoms: Int32Array;
  /** Slot of each atom, −1 if not a donor. */
  slotOfAtom: Int32Array;
  /** Donor-name index (within its slot) of each donor atom. */
  nameOfAtom: Int32Array;
  /** Slot of each molecule, −1 if not a partner. */
  slotOfMolecule: Int32Array;
  /** Squared cutoff per slot (Å²). */
  cut2: Float64Array;
  maxCutoff: number;
  /** 1 for molecules of anion slots that contain no ion. */
  isAnionMolecule: Uint8Array;
  /** Number of such molecules. */
  anionMoleculeCount: number;
  residence: false | { tolerancePs: number; maxLagFrames: number | null };
  timestepPs: number | null;
  timeline: boolean;
  /** Membership (bound molecules per ion and frame) is stored for residence times / timeline. */
  storeMembership: boolean;
}

function opt(name: string, detail: string): OptionError {
  return new OptionError('OPTION', `solvation: ${name} ${detail}`, { option: name });
}

function speciesList(topo: Topology): string {
  return topo.species.map((s) => (s.name === s.formula ? s.name : `${s.name} (${s.formula})`)).join(', ');
}

/**
 * Resolve a spec against a topology.
 * @throws OptionError for a missing or malformed option (naming it), an unknown species key,
 *   a cutoff that is not a positive number of Å, or an empty donor set.
 * @throws SelectionError for a malformed or empty ion / donor selection.
 */
export function resolveSolvationSpec(spec: SolvationSpec, topo: Topology): SolvationContext {
  if (!spec || typeof spec !== 'object') throw opt('spec', 'must be an object with ions and species');
  if (typeof spec.ions !== 'string' || !spec.ions.trim()) throw opt('ions', `must be a selection string (got ${JSON.stringify(spec.ions)})`);
  if (!spec.species || typeof spec.species !== 'object' || Array.isArray(spec.species)) {
    throw opt('species', 'must be an object mapping species names to { cutoff, donors? }');
  }
  if (spec.cations !== undefined && spec.cations !== 'ions') throw opt('cations', `must be 'ions' (got ${JSON.stringify(spec.cations)})`);
  const ionAtoms = selectNonEmpty(topo, spec.ions, 'ions');
  const ionMolecule = new Int32Array(ionAtoms.length);
  const ionKind = new Int32Array(ionAtoms.length);
  const ionKinds: SolvationContext['ionKinds'] = [];
  const kindOfSpecies = new Map<number, number>();
  const ionMolSet = new Set<number>();
  for (let i = 0; i < ionAtoms.length; i++) {
    const m = topo.molecules[ionAtoms[i]];
    ionMolecule[i] = m;
    ionMolSet.add(m);
    const sp = topo.moleculeSpecies[m];
    let k = kindOfSpecies.get(sp);
    if (k === undefined) {
      k = ionKinds.length;
      kindOfSpecies.set(sp, k);
      const s = topo.species[sp];
      ionKinds.push({ species: s, labelName: labelName(topo, s), charge: s.charge });
    }
    ionKind[i] = k;
  }

  const slots: PartnerSlot[] = [];
  const slotOfSpecies = new Map<number, number>();
  const slotOfAtom = new Int32Array(topo.atomCount).fill(-1);
  const nameOfAtom = new Int32Array(topo.atomCount).fill(-1);
  const slotOfMolecule = new Int32Array(topo.moleculeCount).fill(-1);
  for (const [key, sspec] of Object.entries(spec.species)) {
    const o = `species.${key}`;
    const s = findSpecies(topo, key);
    if (!s) throw opt(o, `names no species of the topology (species: ${speciesList(topo)})`);
    if (slotOfSpecies.has(s.index)) throw opt(o, `is species ${s.name}, which is already listed as '${slots[slotOfSpecies.get(s.index)!].key}'`);
    if (!sspec || typeof sspec !== 'object') throw opt(o, 'must be an object { cutoff, donors? }');
    const cutoff = (sspec as { cutoff: unknown }).cutoff;
    if (cutoff === 'auto') throw opt(`${o}.cutoff`, `'auto' must be resolved to a number of Å (from the g(r) minimum) before the solvation analysis runs`);
    if (typeof cutoff !== 'number' || !Number.isFinite(cutoff) || cutoff <= 0) {
      throw opt(`${o}.cutoff`, `must be a positive number of Å (got ${JSON.stringify(cutoff)})`);
    }
    const donors = sspec.donors ?? 'heteroatoms';
    if (typeof donors !== 'string' || !donors.trim()) throw opt(`${o}.donors`, `must be 'heteroatoms', 'all' or a selection (got ${JSON.stringify(donors)})`);
    const inSpecies = (a: number) => topo.moleculeSpecies[topo.molecules[a]] === s.index;
    let list: number[] = [];
    if (donors === 'heteroatoms' || donors === 'all') {
      for (const m of s.molecules) {
        for (let k = topo.moleculeStart[m]; k < topo.moleculeStart[m + 1]; k++) {
          const a = topo.moleculeAtoms[k];
          if (donors === 'all' || isHeteroatom(topo.elements[a])) list.push(a);
        }
      }
      list.sort((x, y) => x - y);
    } else {
      const sel = selectNonEmpty(topo, donors, `${o}.donors`);
      list = Array.from(sel).filter(inSpecies);
    }
    if (list.length === 0) throw opt(`${o}.donors`, `'${donors}' selects no atoms of species ${s.name}`);
    const slot = slots.length;
    const names: string[] = [];
    const nameIdx = new Map<string, number>();
    for (const a of list) {
      let ni = nameIdx.get(topo.names[a]);
      if (ni === undefined) {
        ni = names.length;
        nameIdx.set(topo.names[a], ni);
        names.push(topo.names[a]);
      }
      slotOfAtom[a] = slot;
      nameOfAtom[a] = ni;
    }
    for (const m of s.molecules) slotOfMolecule[m] = slot;
    slotOfSpecies.set(s.index, slot);
    slots.push({
      species: s,
      key,
      labelName: labelName(topo, s),
      cutoff,
      donors,
      donorAtoms: Int32Array.from(list),
      donorNames: names,
      anion: s.charge < 0,
      group: s.charge <= -0.5 ? 0 : s.charge >= 0.5 ? 2 : 1,
    });
  }
  if (slots.length === 0) throw opt('species', 'lists no species: name at least one shell partner with its cutoff');

  if (spec.anions !== undefined) {
    if (!Array.isArray(spec.anions)) throw opt('anions', 'must be a list of species names');
    for (const sl of slots) sl.anion = false;
    for (const key of spec.anions) {
      const s = typeof key === 'string' ? findSpecies(topo, key) : undefined;
      if (!s) throw opt('anions', `names no species of the topology: ${JSON.stringify(key)} (species: ${speciesList(topo)})`);
      const slot = slotOfSpecies.get(s.index);
      if (slot === undefined) throw opt('anions', `lists ${s.name}, which is not in species: an anion needs its cutoff and donors there`);
      slots[slot].anion = true;
    }
  }
  for (const sl of slots) if (sl.anion) sl.group = 0;
  else if (sl.group === 0) sl.group = 1;

  const cut2 = new Float64Array(slots.length);
  let maxCutoff = 0;
  slots.forEach((sl, k) => {
    cut2[k] = sl.cutoff * sl.cutoff;
    if (sl.cutoff > maxCutoff) maxCutoff = sl.cutoff;
  });
  let nd = 0;
  for (let a = 0; a < topo.atomCount; a++) if (slotOfAtom[a] >= 0) nd++;
  const donorAtoms = new Int32Array(nd);
  nd = 0;
  for (let a = 0; a < topo.atomCount; a++) if (slotOfAtom[a] >= 0) donorAtoms[nd++] = a;

  const isAnionMolecule = new Uint8Array(topo.moleculeCount);
  let anionMoleculeCount = 0;
  for (const sl of slots) {
    if (!sl.anion) continue;
    for (const m of sl.species.molecules) {
      if (ionMolSet.has(m)) continue;
      isAnionMolecule[m] = 1;
      anionMoleculeCount++;
    }
  }

  let residence: SolvationContext['residence'] = { tolerancePs: 0, maxLagFrames: null };
  if (spec.residence === false) residence = false;
  else if (spec.residence !== undefined) {
    if (typeof spec.residence !== 'object' || spec.residence === null) throw opt('residence', 'must be false or { tolerancePs?, maxLagFrames? }');
    const tol = spec.residence.tolerancePs ?? 0;
    if (typeof tol !== 'number' || !Number.isFinite(tol) || tol < 0) throw opt('residence.tolerancePs', `must be a number of ps ≥ 0 (got ${JSON.stringify(tol)})`);
    const ml = spec.residence.maxLagFrames;
    if (ml !== undefined && (!Number.isInteger(ml) || ml < 1)) throw opt('residence.maxLagFrames', `must be a positive integer (got ${JSON.stringify(ml)})`);
    residence = { tolerancePs: tol, maxLagFrames: ml ?? null };
  }
  const ts = spec.timestepPs;
  if (ts !== undefined && (typeof ts !== 'number' || !Number.isFinite(ts) || ts <= 0)) throw opt('timestepPs', `must be a positive number of ps (got ${JSON.stringify(ts)})`);
  const timeline = spec.timeline ?? true;
  if (typeof timeline !== 'boolean') throw opt('timeline', `must be true or false (got ${JSON.stringify(timeline)})`);

  return {
    topology: topo,
    ionsSelection: spec.ions,
    ionAtoms,
    ionMolecule,
    ionKind,
    ionKinds,
    slots,
    donorAtoms,
    slotOfAtom,
    nameOfAtom,
    slotOfMolecule,
    cut2,
    maxCutoff,
    isAnionMolecule,
    anionMoleculeCount,
    residence,
    timestepPs: ts ?? null,
    timeline,
    storeMembership: residence !== false || timeline,
  };
}
