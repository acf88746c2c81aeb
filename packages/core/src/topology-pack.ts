import type { Species, Topology, MoleculeSource } from './topology.js';

/** Per-atom string columns of a topology, stored as a table of distinct values and a code per atom. */
const STRING_COLUMNS = ['names', 'types', 'elements', 'resnames', 'chains'] as const;
type StringColumn = (typeof STRING_COLUMNS)[number];

/**
 * A {@link Topology} in a form that is cheap to send to another thread: every per-atom string
 * column becomes a small table of distinct strings plus an Int32Array of codes, and every
 * numeric array is a typed array (optionally backed by a SharedArrayBuffer, so that sending it
 * through postMessage shares the memory instead of copying it).
 *
 * At 110k atoms a structured clone of the Topology itself takes ~100–180 ms and re-reading the
 * file ~170–280 ms per thread; unpacking this takes a few ms.
 */
export interface PackedTopology {
  atomCount: number;
  source: string;
  moleculeSource: MoleculeSource;
  moleculeCount: number;
  tables: Record<StringColumn, string[]>;
  codes: Record<StringColumn, Int32Array>;
  resids: Int32Array;
  residueIndex: Int32Array;
  molecules: Int32Array;
  moleculeStart: Int32Array;
  moleculeAtoms: Int32Array;
  moleculeSpecies: Int32Array;
  species: Species[];
  charges: Float64Array | null;
  masses: Float64Array;
  bonds: Uint32Array | null;
}

type Typed = Int32Array | Uint32Array | Float64Array;

function copyTyped<T extends Typed>(a: T, shared: boolean): T {
  if (!shared) return a;
  const Ctor = a.constructor as { new (b: ArrayBufferLike): T };
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: ArrayLike<number>): void }).set(a);
  return out;
}

function encode(values: readonly string[]): { table: string[]; codes: Int32Array } {
  const table: string[] = [];
  const seen = new Map<string, number>();
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    let c = seen.get(v);
    if (c === undefined) {
      c = table.length;
      table.push(v);
      seen.set(v, c);
    }
    codes[i] = c;
  }
  return { table, codes };
}

/**
 * Pack a topology for another thread. With `shared` (default: when SharedArrayBuffer exists),
 * typed arrays are copied into shared memory once, so every later postMessage of the packed
 * value is O(string tables) whatever the atom count.
 */
export function packTopology(t: Topology, options: { shared?: boolean } = {}): PackedTopology {
  const shared = options.shared ?? typeof SharedArrayBuffer !== 'undefined';
  const tables = {} as Record<StringColumn, string[]>;
  const codes = {} as Record<StringColumn, Int32Array>;
  for (const col of STRING_COLUMNS) {
    const e = encode(t[col]);
    tables[col] = e.table;
    codes[col] = copyTyped(e.codes, shared);
  }
  return {
    atomCount: t.atomCount,
    source: t.source,
    moleculeSource: t.moleculeSource,
    moleculeCount: t.moleculeCount,
    tables,
    codes,
    resids: copyTyped(t.resids, shared),
    residueIndex: copyTyped(t.residueIndex, shared),
    molecules: copyTyped(t.molecules, shared),
    moleculeStart: copyTyped(t.moleculeStart, shared),
    moleculeAtoms: copyTyped(t.moleculeAtoms, shared),
    moleculeSpecies: copyTyped(t.moleculeSpecies, shared),
    species: t.species.map((s) => ({ ...s, molecules: copyTyped(s.molecules, shared) })),
    charges: t.charges ? copyTyped(t.charges, shared) : null,
    masses: copyTyped(t.masses, shared),
    bonds: t.bonds ? copyTyped(t.bonds, shared) : null,
  };
}

/** The topology back from {@link packTopology}: equal field by field to the one packed. */
export function unpackTopology(p: PackedTopology): Topology {
  const strings = {} as Record<StringColumn, string[]>;
  for (const col of STRING_COLUMNS) {
    const table = p.tables[col];
    const c = p.codes[col];
    const out = new Array<string>(c.length);
    for (let i = 0; i < c.length; i++) out[i] = table[c[i]];
    strings[col] = out;
  }
  return {
    atomCount: p.atomCount,
    ...strings,
    resids: p.resids,
    residueIndex: p.residueIndex,
    molecules: p.molecules,
    moleculeSource: p.moleculeSource,
    moleculeStart: p.moleculeStart,
    moleculeAtoms: p.moleculeAtoms,
    moleculeCount: p.moleculeCount,
    moleculeSpecies: p.moleculeSpecies,
    species: p.species,
    charges: p.charges,
    masses: p.masses,
    bonds: p.bonds,
    source: p.source,
  };
}
