import type { RdfCurve, Solvation } from './results';

function csvCell(v: string | number): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** Speciation as CSV: label, composition, charge (e), fraction, stderr, ion-frames. */
export function speciationCsv(s: Solvation): string {
  const rows: (string | number)[][] = [['label', 'composition', 'charge_e', 'fraction', 'stderr', 'ion_frames']];
  for (const e of s.speciation) {
    const comp = Object.entries(e.composition).map(([k, v]) => `${k}:${v}`).join(' ');
    rows.push([e.label, comp, e.charge, e.fraction, e.stderr, e.ionFrames]);
  }
  return csv(rows);
}

/** g(r) and n(r) as CSV: r (Å, bin centre), g, n (at the upper bin edge). */
export function rdfCsv(name: string, rdf: RdfCurve): string {
  const rows: (string | number)[][] = [[`r_A`, `g_${name}`, `n_${name}`]];
  for (let k = 0; k < rdf.r.length; k++) rows.push([rdf.r[k], rdf.g[k], rdf.n[k]]);
  return csv(rows);
}

/** JSON of any result, typed arrays written as plain arrays and NaN as null. */
export function resultsJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v), 2);
}

/** Offer a download of text or a data URL. */
export function download(name: string, data: string, type = 'text/plain'): void {
  const href = data.startsWith('data:') ? data : URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  if (!data.startsWith('data:')) setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
