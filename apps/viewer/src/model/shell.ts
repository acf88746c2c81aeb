import type { Frame, Topology } from '@solvscope/core';
import { displayCell, makeWholeAround, minimumImage, speciationLabel } from './core-bridge';
import type { ViewerPlan } from './plan';

/** One molecule of the first shell, drawn whole next to the ion. */
export interface ShellMolecule {
  molecule: number;
  /** Index into plan.partners. */
  partner: number;
  atoms: Int32Array;
  /** Positions (Å) of `atoms`, made whole around the ion. */
  positions: Float32Array;
  /** Indices k into `atoms` of the donor atoms within the cutoff (the ion–donor contacts). */
  contacts: number[];
}

export interface Shell {
  ionAtom: number;
  /** Ion position (Å), the centre every shell molecule is placed around. */
  center: [number, number, number];
  molecules: ShellMolecule[];
  /** Molecules per partner (plan order). */
  counts: number[];
  /** e.g. `[Mg(TFSI)2(DME)2]` */
  label: string;
}

const d = new Float64Array(3);

/**
 * The first shell of one ion in one frame, by the solvation analysis' rule: a partner molecule
 * is in the shell when one of its donor atoms is closer than the partner's cutoff (minimum
 * image, strict <); the ion's own molecule never is. Molecules come out whole around the ion.
 * Cost: one distance per donor atom (fine for 10⁵ atoms per frame).
 */
export function computeShell(topo: Topology, plan: ViewerPlan, cutoffs: readonly number[], frame: Frame, ionAtom: number): Shell {
  const pos = frame.positions;
  const cell = displayCell(frame.box);
  const cx = pos[3 * ionAtom];
  const cy = pos[3 * ionAtom + 1];
  const cz = pos[3 * ionAtom + 2];
  const own = topo.molecules[ionAtom];
  const found = new Map<number, { partner: number; donors: number[] }>();
  plan.partners.forEach((p, pi) => {
    const c2 = cutoffs[pi] * cutoffs[pi];
    const donors = p.donorAtoms;
    for (let k = 0; k < donors.length; k++) {
      const a = donors[k];
      const dx = pos[3 * a] - cx;
      const dy = pos[3 * a + 1] - cy;
      const dz = pos[3 * a + 2] - cz;
      let r2: number;
      if (cell) r2 = minimumImage(cell, dx, dy, dz, d);
      else r2 = dx * dx + dy * dy + dz * dz;
      if (!(r2 < c2)) continue;
      const m = topo.molecules[a];
      if (m === own) continue;
      let e = found.get(m);
      if (!e) found.set(m, (e = { partner: pi, donors: [] }));
      e.donors.push(a);
    }
  });
  const center: [number, number, number] = [cx, cy, cz];
  const molecules: ShellMolecule[] = [];
  const counts = plan.partners.map(() => 0);
  for (const m of [...found.keys()].sort((a, b) => a - b)) {
    const e = found.get(m)!;
    const atoms = topo.moleculeAtoms.subarray(topo.moleculeStart[m], topo.moleculeStart[m + 1]);
    const positions = makeWholeAround(pos, atoms, center, cell, new Float32Array(atoms.length * 3));
    const contacts = e.donors.map((a) => atoms.indexOf(a));
    molecules.push({ molecule: m, partner: e.partner, atoms, positions, contacts });
    counts[e.partner]++;
  }
  let charge = plan.ion.charge;
  plan.partners.forEach((p, k) => (charge += counts[k] * p.species.charge));
  const label = speciationLabel(
    plan.ionLabelName,
    plan.partners.map((p, k) => ({ name: p.labelName, count: counts[k], group: p.group })),
    charge,
  );
  return { ionAtom, center, molecules, counts, label };
}

/**
 * All atoms placed at their minimum image around `center` (Å), written relative to the centre
 * (so the ion sits at the origin of the drawing): the periodic cell seen from the ion.
 */
export function centredCloud(frame: Frame, center: readonly number[], out: Float32Array): Float32Array {
  const pos = frame.positions;
  const n = pos.length / 3;
  const cell = displayCell(frame.box);
  for (let i = 0; i < n; i++) {
    const dx = pos[3 * i] - center[0];
    const dy = pos[3 * i + 1] - center[1];
    const dz = pos[3 * i + 2] - center[2];
    if (cell) {
      minimumImage(cell, dx, dy, dz, d);
      out[3 * i] = d[0];
      out[3 * i + 1] = d[1];
      out[3 * i + 2] = d[2];
    } else {
      out[3 * i] = dx;
      out[3 * i + 1] = dy;
      out[3 * i + 2] = dz;
    }
  }
  return out;
}
