import type { AnalyzeReport } from '@solvscope/core';

/** RFC 4180 CSV; NaN/null → empty; numbers at full precision. */
export function csv(header: string[], rows: unknown[][]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

/** The CSV tables of an analyze report, by file name. */
export function reportTables(rep: AnalyzeReport): Record<string, string> {
  const rdfRows: unknown[][] = [];
  for (const r of rep.rdf) for (let k = 0; k < r.r.length; k++) rdfRows.push([r.species, r.r[k], r.g[k], r.gStderr[k], r.n[k]]);
  const coord: unknown[][] = [];
  for (const c of rep.coordination) {
    coord.push([c.species, 'atoms', c.cutoff, c.atoms.mean, c.atoms.stderr, JSON.stringify(c.atoms.distribution), '']);
    coord.push([c.species, 'molecules', c.cutoff, c.molecules.mean, c.molecules.stderr, JSON.stringify(c.molecules.distribution), JSON.stringify(c.denticity)]);
  }
  const pairing: unknown[][] = [];
  for (const [k, v] of Object.entries(rep.pairing.cation)) pairing.push(['cation', k, v.fraction, v.stderr]);
  for (const [k, v] of Object.entries(rep.pairing.anion)) pairing.push(['anion', k, v.fraction, v.stderr]);
  return {
    'rdf.csv': csv(['species', 'r_A', 'g', 'g_stderr', 'n'], rdfRows),
    'coordination.csv': csv(['species', 'count', 'cutoff_A', 'mean', 'stderr', 'distribution', 'denticity'], coord),
    'speciation.csv': csv(
      ['label', 'charge_e', 'fraction', 'stderr', 'composition'],
      rep.speciation.map((s) => [s.label, s.charge, s.fraction, s.stderr, JSON.stringify(s.composition)]),
    ),
    'pairing.csv': csv(['side', 'class', 'fraction', 'stderr'], pairing),
    'residence.csv': csv(
      ['species', 'intermittent_ps', 'continuous_ps', 'converged', 'lower_bound', 'window_ps', 'events'],
      rep.residence.map((r) => [r.species, r.intermittent_ps, r.continuous_ps, r.converged, r.lowerBound, r.window_ps, r.events]),
    ),
  };
}
