/**
 * Element symbols, standard atomic masses (g/mol, IUPAC 2013 conventional values) and the
 * guessing rules used when a file has no element column.
 */
export const ELEMENT_MASSES: Readonly<Record<string, number>> = {
  H: 1.008, He: 4.0026, Li: 6.94, Be: 9.0122, B: 10.81, C: 12.011, N: 14.007, O: 15.999, F: 18.998,
  Ne: 20.18, Na: 22.99, Mg: 24.305, Al: 26.982, Si: 28.085, P: 30.974, S: 32.06, Cl: 35.45, Ar: 39.948,
  K: 39.098, Ca: 40.078, Sc: 44.956, Ti: 47.867, V: 50.942, Cr: 51.996, Mn: 54.938, Fe: 55.845,
  Co: 58.933, Ni: 58.693, Cu: 63.546, Zn: 65.38, Ga: 69.723, Ge: 72.63, As: 74.922, Se: 78.971,
  Br: 79.904, Kr: 83.798, Rb: 85.468, Sr: 87.62, Y: 88.906, Zr: 91.224, Mo: 95.95, Ag: 107.87,
  Cd: 112.41, In: 114.82, Sn: 118.71, Sb: 121.76, I: 126.9, Te: 127.6, Xe: 131.29, Cs: 132.91,
  Ba: 137.33, La: 138.91, Pt: 195.08, Au: 196.97, Hg: 200.59, Pb: 207.2,
};

/** Elements a chemist calls heteroatoms (default donor atoms): everything but C and H. */
export function isHeteroatom(el: string): boolean {
  return el !== '' && el !== 'C' && el !== 'H';
}

/** Canonical capitalisation ('CL' → 'Cl') or '' when not an element. */
export function normalizeElement(sym: string): string {
  const s = sym.trim();
  if (!s) return '';
  const c = s[0].toUpperCase() + s.slice(1).toLowerCase();
  return c in ELEMENT_MASSES ? c : '';
}

/** Two-letter element names that denote an ion when the atom is its own residue (MG in MG). */
const TWO_LETTER_IONS = new Set(['MG', 'CA', 'CL', 'NA', 'LI', 'ZN', 'FE', 'CU', 'MN', 'CO', 'NI', 'BR', 'CS', 'RB', 'SR', 'BA', 'AL', 'CD', 'HG', 'AG', 'AU', 'PT', 'PB']);
/** Two-letter names that are that element in any residue (no common atom name starts CL/BR). */
const ALWAYS_TWO = new Set(['CL', 'BR']);
/** Common ion atom names that are not element symbols. */
const ION_ALIASES: Readonly<Record<string, string>> = { SOD: 'Na', POT: 'K', CLA: 'Cl', CAL: 'Ca', MG2: 'Mg', CA2: 'Ca', LIT: 'Li', 'NA+': 'Na', 'CL-': 'Cl', 'K+': 'K', 'LI+': 'Li', 'MG2+': 'Mg', 'CA2+': 'Ca' };

/**
 * Guess an element from an atom name and its residue name. Rules, in order:
 * 1. known ion aliases (SOD, POT, CLA, MG2+ …);
 * 2. the leading letters (after any leading digits) form a two-letter element symbol that is
 *    an ion (MG, CA, CL, NA, LI, ZN …) and the residue name is empty or starts with the same
 *    letters (MG in MG, CA in CA, NA in NA+) → that element; CL and BR always → Cl, Br;
 * 3. otherwise the first letter (OW → O, HW1 → H, C1 → C, CA in a protein → C).
 */
export function guessElementFromName(name: string, resname = ''): string {
  const n = name.trim().toUpperCase();
  if (!n) return '';
  if (n in ION_ALIASES) return ION_ALIASES[n];
  const m = /^[0-9]*([A-Z]+)/.exec(n);
  if (!m) return '';
  const letters = m[1];
  const rn = resname.trim().toUpperCase();
  if (letters.length >= 2) {
    const two = letters.slice(0, 2);
    if (ALWAYS_TWO.has(two)) return normalizeElement(two);
    if (letters.length === 2 && TWO_LETTER_IONS.has(two) && (rn === '' || rn.startsWith(two))) return normalizeElement(two);
  }
  return normalizeElement(letters[0]) || normalizeElement(letters.slice(0, 2));
}

/** Element whose standard mass is within `tol` g/mol of `mass`, or ''. */
export function guessElementFromMass(mass: number, tol = 0.6): string {
  let best = '';
  let bestD = tol;
  for (const [el, m] of Object.entries(ELEMENT_MASSES)) {
    const d = Math.abs(m - mass);
    if (d < bestD) {
      bestD = d;
      best = el;
    }
  }
  return best;
}

export function massOf(element: string): number {
  return ELEMENT_MASSES[element] ?? NaN;
}

/**
 * Hill formula: C first, then H, then the rest alphabetically; without C, all alphabetically.
 * Counts of 1 are omitted (C4H10O2, H2O, Cl).
 */
export function hillFormula(elements: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const e of elements) {
    const k = e || 'X';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const keys = [...counts.keys()];
  const order: string[] = [];
  if (counts.has('C')) {
    order.push('C');
    if (counts.has('H')) order.push('H');
    order.push(...keys.filter((k) => k !== 'C' && k !== 'H').sort());
  } else {
    order.push(...keys.sort());
  }
  return order.map((k) => (counts.get(k) === 1 ? k : `${k}${counts.get(k)}`)).join('');
}

/** Formal charges of common ions (e), used when the topology has none. */
export const COMMON_ION_CHARGES: Readonly<Record<string, number>> = {
  Li: 1, Na: 1, K: 1, Rb: 1, Cs: 1, Mg: 2, Ca: 2, Sr: 2, Ba: 2, Zn: 2, Al: 3,
  F: -1, Cl: -1, Br: -1, I: -1,
};

/** Formal charges of common molecular ions by name (e). */
export const COMMON_MOLECULAR_ION_CHARGES: Readonly<Record<string, number>> = {
  TFSI: -1, TFS: -1, NTF2: -1, FSI: -1, PF6: -1, BF4: -1, CLO4: -1, OTF: -1, TFO: -1, BH4: -1, NO3: -1, SO4: -2,
  // the same anions by Hill formula, for topologies without residue names
  C2F6NO4S2: -1, F2NO4S2: -1, F6P: -1, ClO4: -1, CF3O3S: -1,
};
