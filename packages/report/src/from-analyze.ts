import type { AnalyzeReport } from '@solvscope/core';
import type { ReportProvenance, SolvscopeReport } from './report-types.js';

const fin = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

/** Replace non-finite numbers by null and typed arrays by arrays, recursively (JSON-safe). */
function clean<T>(v: T): T {
  if (typeof v === 'number') return (Number.isFinite(v) ? v : null) as T;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : null)) as T;
  if (Array.isArray(v)) return v.map(clean) as T;
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = clean(x);
    return o as T;
  }
  return v;
}

const CHARGE_SOURCE = { topology: 'topology', 'ion-table': 'table', user: 'config', 'assumed-neutral': 'unknown' } as const;

/**
 * Map the `analyze` result of @solvscope/core (report.json as the CLI writes it) onto the
 * renderer's {@link SolvscopeReport}: NaN → null, roles and charge sources renamed, the
 * provenance gathered into inputs / frames / selections / cutoffs.
 */
export function fromAnalyzeReport(rep: AnalyzeReport): SolvscopeReport {
  const p = rep.provenance as Record<string, any>;
  const ionSpecies = rep.species.filter((s) => s.role === 'ion');
  const inputs: ReportProvenance['inputs'] = [];
  for (const role of ['trajectory', 'topology'] as const) {
    // a run in several files lists each part, in order
    for (const f of Array.isArray(p[role]) ? p[role] : p[role] ? [p[role]] : []) {
      inputs.push({ role, path: f.path, size_bytes: f.bytes, sha256: f.sha256 ?? undefined, format: role === 'trajectory' ? p.format : undefined });
    }
  }
  const range = p.frameRange as { start: number; stop: number; step: number } | undefined;
  const provenance: ReportProvenance = {
    solvscope: String(p.solvscope ?? ''),
    created: p.createdAt,
    inputs,
    frames: range ? { first: range.start, last: range.stop - 1, stride: range.step, count: rep.frames } : undefined,
    selections: { ion: rep.settings.ion, ...(rep.settings.anion ? { anion: rep.settings.anion } : {}), ...Object.fromEntries(rep.rdf.map((r) => [`${r.species} donors`, r.sel])) },
    cutoffs_A: Object.fromEntries(rep.settings.cutoffs.map((c) => [c.species, c.cutoff_A])),
    cutoffSources: Object.fromEntries(rep.settings.cutoffs.map((c) => [c.species, c.source === 'auto' ? 'auto' : 'user'])),
    rdf: { norm: rep.settings.norm, rMin_A: 0, rMax_A: rep.settings.rMax_A, binWidth_A: rep.settings.binWidth_A, exclude: 'none' },
    execution: { workers: p.workers, chunks: p.chunks, node: p.node, autoCutoffSampleFrames: rep.settings.autoCutoffSampleFrames, framesCovered: p.framesCovered, atoms: p.atoms },
    ...(p.config ? { config: p.config } : {}),
  };
  const out: SolvscopeReport = {
    schema: rep.schema,
    frames: rep.frames,
    ions: { selection: rep.ions.selection, count: rep.ions.count, name: rep.ions.species.join('+'), charge: ionSpecies.length === 1 ? ionSpecies[0].charge : null },
    species: rep.species.map((s) => ({
      name: s.name,
      formula: s.formula,
      charge: fin(s.charge),
      count: s.count,
      role: s.role === 'partner' ? 'solvent' : s.role,
      chargeSource: CHARGE_SOURCE[s.chargeSource as keyof typeof CHARGE_SOURCE] ?? 'unknown',
      donors: rep.settings.cutoffs.find((c) => c.species === s.name)?.donors,
    })),
    rdf: rep.rdf.map((r) => ({
      species: r.species,
      ref: r.ref,
      sel: r.sel,
      r: r.r,
      g: r.g,
      n: r.n,
      cutoff: r.cutoff,
      cutoffRaw: r.firstMinimum ? fin(r.firstMinimum.rRaw) : null,
      cutoffSource: r.cutoffSource === 'auto' ? 'auto' : 'user',
      peak: r.peak,
      nAtCutoff: nAt(r.r, r.n, rep.settings.binWidth_A, r.cutoff),
      norm: rep.settings.norm,
      binWidth: rep.settings.binWidth_A,
    })),
    coordination: rep.coordination.map((c) => ({
      species: c.species,
      cutoff: c.cutoff,
      atoms: { mean: c.atoms.mean, stderr: fin(c.atoms.stderr), distribution: c.atoms.distribution },
      molecules: { mean: c.molecules.mean, stderr: fin(c.molecules.stderr), distribution: c.molecules.distribution },
      denticity: c.denticity,
      donors: c.donors,
      boundEvents: c.boundEvents,
      donorAtoms: c.donorAtoms,
    })),
    speciation: rep.speciation.map((s) => ({ label: s.label, composition: s.composition, charge: fin(s.charge), fraction: s.fraction, stderr: fin(s.stderr), ionFrames: s.ionFrames })),
    pairing: clean(rep.pairing) as SolvscopeReport['pairing'],
    clusters: clean(rep.clusters) as SolvscopeReport['clusters'],
    residence: rep.residence.map((r) => ({
      species: r.species,
      intermittent_ps: fin(r.intermittent_ps),
      continuous_ps: fin(r.continuous_ps),
      converged: r.converged,
      lowerBound: r.lowerBound,
      window_ps: fin(r.window_ps),
      tolerance_ps: Number.isFinite(r.dtPs) ? r.toleranceFrames * r.dtPs : undefined,
      pairs: r.pairs,
      events: r.events,
    })),
    blocks: rep.blocks,
    provenance,
    warnings: rep.warnings,
  };
  return out;
}

/** n(r) at the cutoff: n is given at the bin upper edges r + w/2. */
function nAt(r: readonly number[], n: readonly number[], w: number, cutoff: number): number | null {
  for (let k = 0; k < r.length; k++) if (Math.abs(r[k] + w / 2 - cutoff) < 1e-6) return fin(n[k]);
  return null;
}
