/** Drawing constants: element colours (Jmol CPK) and covalent radii (Å) for guessing bonds. */
const COLORS: Record<string, string> = {
  H: '#ffffff', Li: '#cc80ff', C: '#909090', N: '#3050f8', O: '#ff0d0d', F: '#90e050', Na: '#ab5cf2',
  Mg: '#8aff00', Al: '#bfa6a6', P: '#ff8000', S: '#ffff30', Cl: '#1ff01f', K: '#8f40d4', Ca: '#3dff00',
  Zn: '#7d80b0', B: '#ffb5b5', Br: '#a62929', I: '#940094', Si: '#f0c8a0',
};
const COVALENT: Record<string, number> = {
  H: 0.31, Li: 1.28, B: 0.84, C: 0.76, N: 0.71, O: 0.66, F: 0.57, Na: 1.66, Mg: 1.41, Al: 1.21, Si: 1.11,
  P: 1.07, S: 1.05, Cl: 1.02, K: 2.03, Ca: 1.76, Zn: 1.22, Br: 1.2, I: 1.39,
};

export function elementColor(el: string): string {
  return COLORS[el] ?? '#ff1493';
}

/** Ball radius (Å) for ball-and-stick: a fraction of the covalent radius, ions larger. */
export function ballRadius(el: string): number {
  return Math.max(0.18, 0.32 * (COVALENT[el] ?? 0.8));
}

/**
 * Bonds of one molecule guessed from distances: i–j bonded when d < 1.2·(rᵢ + rⱼ) (covalent
 * radii), the VMD/MDAnalysis rule. Positions Å (whole molecule), k-indices into the molecule.
 */
export function guessBonds(elements: readonly string[], positions: ArrayLike<number>): [number, number][] {
  const n = elements.length;
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const ri = COVALENT[elements[i]] ?? 0.8;
    for (let j = i + 1; j < n; j++) {
      const rj = COVALENT[elements[j]] ?? 0.8;
      const dx = positions[3 * j] - positions[3 * i];
      const dy = positions[3 * j + 1] - positions[3 * i + 1];
      const dz = positions[3 * j + 2] - positions[3 * i + 2];
      const lim = 1.2 * (ri + rj);
      const d2 = dx * dx + dy * dy + dz * dz;
      if (d2 > 0.01 && d2 < lim * lim) out.push([i, j]);
    }
  }
  return out;
}

/** Distinct colours for speciation labels (in result order). */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
export function labelColor(k: number): string {
  return k < 0 ? '#333' : PALETTE[k % PALETTE.length];
}
