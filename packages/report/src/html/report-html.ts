import { OptionError } from '@solvscope/core';
import { barChart } from '../charts/bar-chart.js';
import { histogramChart } from '../charts/histogram-chart.js';
import { pairingChart } from '../charts/pairing-chart.js';
import { rdfChart } from '../charts/rdf-chart.js';
import { DEFINITIONS } from '../definitions.js';
import { formatBytes, formatEstimate, formatNumber, formatPercent, MISSING } from '../format.js';
import type { ReportProvenance, SolvscopeReport } from '../report-types.js';
import { chemLabelHtml } from '../svg/chem-label.js';
import { escapeHtml, figure, htmlPage, htmlTable, isLocalHref, valueHtml, type Cell } from './html.js';

export interface ReportHtmlOptions {
  /** Page title (default: report.title, else derived from the ions and the trajectory). */
  title?: string;
  /**
   * Relative links to the CSV tables written beside report.html, by file name
   * (e.g. `{"speciation.csv": "speciation.csv"}`); listed under "Tables". Absolute URLs are
   * refused, so the page never points off the machine.
   */
  csvFiles?: Record<string, string>;
  /** Extra note under the title. */
  note?: string;
  /** Speciation entries drawn in the chart (default 12; the table lists all). */
  maxSpeciationBars?: number;
}

/** Section ids of report.html, in order. */
export const REPORT_SECTIONS = ['provenance', 'summary', 'rdf', 'coordination', 'speciation', 'pairing', 'clusters', 'residence', 'warnings', 'definitions'] as const;

const SECTION_TITLES: Record<(typeof REPORT_SECTIONS)[number], string> = {
  provenance: 'Provenance',
  summary: 'Summary',
  rdf: 'Radial distribution functions',
  coordination: 'Coordination',
  speciation: 'Speciation',
  pairing: 'Ion pairing',
  clusters: 'Clusters',
  residence: 'Residence times',
  warnings: 'Warnings',
  definitions: 'Definitions',
};

/** Size of the side-by-side coordination histograms, px. */
const SMALL_CHART = { width: 460, height: 300 };

function ionName(report: SolvscopeReport): string {
  return report.ions.name ?? report.species.find((s) => s.role === 'ion')?.name ?? report.ions.selection;
}

function basename(p: string): string {
  const parts = p.split(/[\\/]/);
  return parts[parts.length - 1] || p;
}

function defaultTitle(report: SolvscopeReport): string {
  if (report.title) return report.title;
  const traj = report.provenance?.inputs?.find((f) => f.role === 'trajectory');
  return `Solvation of ${ionName(report)}${traj ? ` in ${basename(traj.path)}` : ''}`;
}

const SUPERSCRIPT_DIGITS = '\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079';

/** κ with a superscript count: κ¹, κ², κ¹⁰. */
export function kappa(k: string | number): string {
  return 'κ' + String(k).replace(/[0-9]/g, (d) => SUPERSCRIPT_DIGITS[Number(d)]);
}

function distText(d: Record<string, number> | undefined, key: (k: string) => string = (k) => `${k}:`): string {
  if (!d) return MISSING;
  const e = Object.entries(d);
  if (!e.length) return MISSING;
  return e.map(([k, f]) => `${key(k)} ${formatNumber(f, 3)}`).join(' · ');
}

function num(text: string): Cell {
  return { text, num: true };
}

function provenanceSection(p: ReportProvenance | undefined, report: SolvscopeReport): string {
  if (!p) return '<p>No provenance recorded.</p>';
  const known = new Set(['solvscope', 'created', 'command', 'inputs', 'frames', 'selections', 'cutoffs_A', 'cutoffSources', 'rdf']);
  const kv: [string, string][] = [];
  kv.push(['solvscope version', escapeHtml(p.solvscope ?? MISSING)]);
  if (p.created) kv.push(['created', escapeHtml(p.created)]);
  if (p.command) kv.push(['command', `<code>${escapeHtml(p.command)}</code>`]);
  if (p.frames) {
    const f = p.frames;
    const t = f.first_ps !== undefined && f.first_ps !== null && f.last_ps !== undefined && f.last_ps !== null ? ` (${formatNumber(f.first_ps)}–${formatNumber(f.last_ps)} ps${f.dt_ps ? `, Δt ${formatNumber(f.dt_ps)} ps` : ''})` : '';
    kv.push(['frames', escapeHtml(`${f.first}–${f.last}, stride ${f.stride}, ${f.count} frames${t}`)]);
  } else kv.push(['frames', escapeHtml(String(report.frames))]);
  kv.push(['blocks for standard errors', escapeHtml(String(report.blocks))]);
  if (p.rdf) {
    const r = p.rdf;
    const parts = [r.norm ? `norm '${r.norm}'` : '', r.rMin_A !== undefined || r.rMax_A !== undefined ? `r ${formatNumber(r.rMin_A ?? 0)}–${formatNumber(r.rMax_A ?? NaN)} Å` : '', r.binWidth_A !== undefined ? `bin width ${formatNumber(r.binWidth_A)} Å` : '', r.exclude ? `exclude ${r.exclude}` : ''];
    kv.push(['g(r) normalisation', escapeHtml(parts.filter(Boolean).join(', '))]);
  }
  for (const [k, v] of Object.entries(p)) if (!known.has(k)) kv.push([k, valueHtml(v)]);
  let html = '<dl class="kv">' + kv.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('') + '</dl>';
  if (p.inputs?.length) {
    html += htmlTable(
      ['role', 'file', num('size'), 'SHA-256'],
      p.inputs.map((f) => [f.role, { html: `<code>${escapeHtml(f.path)}</code>${f.format ? ` (${escapeHtml(f.format)})` : ''}` }, num(f.size_bytes !== undefined ? `${formatBytes(f.size_bytes)} (${f.size_bytes} B)` : MISSING), { html: f.sha256 ? `<code class="hash">${escapeHtml(f.sha256)}</code>` : MISSING }]),
      'Input files',
    );
  }
  if (p.selections && Object.keys(p.selections).length) {
    html += htmlTable(['selection', 'expression'], Object.entries(p.selections).map(([k, v]) => [k, { html: `<code>${escapeHtml(v)}</code>` }]), 'Selections');
  }
  if (p.cutoffs_A && Object.keys(p.cutoffs_A).length) {
    html += htmlTable(
      ['species', num('cutoff (Å)'), 'source'],
      Object.entries(p.cutoffs_A).map(([k, v]) => [k, num(formatNumber(v, 5)), p.cutoffSources?.[k] ?? MISSING]),
      'Shell cutoffs',
    );
  }
  return html;
}

function summarySection(report: SolvscopeReport): string {
  const ion = ionName(report);
  const items: string[] = [];
  const t = report.time;
  const tText = t && t.first_ps !== null && t.last_ps !== null ? ` (${formatNumber(t.first_ps)}–${formatNumber(t.last_ps)} ps)` : '';
  items.push(`${report.ions.count} ${escapeHtml(ion)} ions (<code>${escapeHtml(report.ions.selection)}</code>), ${report.frames} frames${escapeHtml(tText)}, standard errors from ${report.blocks} blocks.`);
  for (const c of report.coordination) {
    const dent = Object.entries(c.denticity);
    const top = dent.length ? dent.reduce((a, b) => (b[1] > a[1] ? b : a)) : null;
    items.push(
      `${escapeHtml(c.species)}: ${escapeHtml(formatEstimate(c.molecules.mean, c.molecules.stderr))} molecules and ${escapeHtml(formatEstimate(c.atoms.mean, c.atoms.stderr))} donor atoms per ${escapeHtml(ion)} within ${escapeHtml(formatNumber(c.cutoff, 4))} Å` +
        (top ? `; mostly ${escapeHtml(kappa(top[0]))} (${escapeHtml(formatPercent(top[1]))} of bound molecules)` : '') +
        '.',
    );
  }
  if (report.speciation.length) {
    const top = report.speciation.slice(0, 3).map((s) => `${chemLabelHtml(s.label)} ${escapeHtml(formatPercent(s.fraction))}`);
    items.push(`Most frequent shells: ${top.join(', ')}${report.speciation.length > 3 ? ` (${report.speciation.length} compositions in all)` : ''}.`);
  }
  if (report.pairing) {
    const c = report.pairing.cation;
    const a = report.pairing.anion;
    items.push(
      `Ion pairing, per cation: SSIP ${escapeHtml(formatPercent(c.SSIP.fraction))}, CIP ${escapeHtml(formatPercent(c.CIP.fraction))}, AGG ${escapeHtml(formatPercent(c.AGG.fraction))}; per anion: SSIP ${escapeHtml(formatPercent(a.SSIP.fraction))}, CIP ${escapeHtml(formatPercent(a.CIP.fraction))}, AGG-I ${escapeHtml(formatPercent(a.AGG_I.fraction))}, AGG-II ${escapeHtml(formatPercent(a.AGG_II.fraction))}.`,
    );
  }
  for (const r of report.residence) {
    const v = r.intermittent_ps;
    if (v === null) continue;
    items.push(
      r.converged
        ? `${escapeHtml(r.species)} residence time ${escapeHtml(formatNumber(v, 3))} ps (intermittent), ${escapeHtml(formatNumber(r.continuous_ps, 3))} ps (continuous).`
        : `${escapeHtml(r.species)} stays in the shell longer than the ${escapeHtml(formatNumber(r.window_ps ?? v, 4))} ps window (residence time not converged).`,
    );
  }
  if (report.warnings.length) items.push(`<a href="#warnings">${report.warnings.length} warning${report.warnings.length > 1 ? 's' : ''}</a>.`);
  return `<ul class="summary">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

function rdfSection(report: SolvscopeReport): string {
  if (!report.rdf.length) return '<p>No g(r) was computed.</p>';
  const ion = ionName(report);
  let html = '';
  for (const r of report.rdf) {
    const pair = `${ion}–${r.species}`;
    html += figure(
      rdfChart({ r: r.r, g: r.g, n: r.n, cutoff: r.cutoff, cutoffRaw: r.cutoffRaw ?? null, peak: r.peak ?? null, title: `g(r) and n(r): ${pair}`, pairLabel: `${ion} – ${r.species} donor atoms` }),
      `g(r) of the ${r.species} donor atoms${r.sel ? ` (${r.sel})` : ''} around ${ion}${r.ref ? ` (${r.ref})` : ''}, left axis; running coordination number n(r), right axis; shell cutoff ${formatNumber(r.cutoff, 4)} Å${r.cutoffSource ? ` (${r.cutoffSource})` : ''}, dashed.`,
      `rdf-${r.species}`,
    );
  }
  html += htmlTable(
    ['species', num('cutoff (Å)'), 'source', num('raw minimum (Å)'), num('first peak r (Å)'), num('first peak g'), num('n(cutoff)'), 'norm'],
    report.rdf.map((r) => [
      r.species,
      num(formatNumber(r.cutoff, 4)),
      r.cutoffSource ?? MISSING,
      num(formatNumber(r.cutoffRaw ?? null, 4)),
      num(formatNumber(r.peak?.r ?? null, 4)),
      num(formatNumber(r.peak?.g ?? null, 4)),
      num(formatNumber(r.nAtCutoff ?? null, 4)),
      r.norm ?? 'rdf',
    ]),
    'First shell from g(r)',
  );
  return html;
}

function coordinationSection(report: SolvscopeReport): string {
  if (!report.coordination.length) return '<p>No coordination numbers were computed.</p>';
  const ion = ionName(report);
  let html = htmlTable(
    ['species', num('cutoff (Å)'), num('molecules per ion'), num('donor atoms per ion'), 'molecule CN distribution', 'denticity (fraction of bound molecules)'],
    report.coordination.map((c) => [
      c.species,
      num(formatNumber(c.cutoff, 4)),
      num(formatEstimate(c.molecules.mean, c.molecules.stderr)),
      num(formatEstimate(c.atoms.mean, c.atoms.stderr)),
      distText(c.molecules.distribution),
      distText(c.denticity, kappa),
    ]),
    'Mean coordination numbers (± block standard error)',
  );
  html += htmlTable(
    ['species', 'donor-atom CN distribution', 'donor atoms by name'],
    report.coordination.map((c) => [c.species, distText(c.atoms.distribution), c.donorAtoms ? distText(c.donorAtoms) : MISSING]),
    'Donor atoms',
  );
  for (const c of report.coordination) {
    let figs = figure(
      histogramChart({
        distribution: c.molecules.distribution,
        mean: c.molecules.mean,
        title: `${c.species} molecules per ${ion}`,
        xLabel: `${c.species} molecules in the first shell`,
        width: SMALL_CHART.width,
        height: SMALL_CHART.height,
      }),
      `Number of ${c.species} molecules in the first shell (any donor atom within ${formatNumber(c.cutoff, 4)} Å), over ion-frames; dashed line: the mean.`,
      `cn-${c.species}`,
    );
    figs += figure(
      histogramChart({
        distribution: c.atoms.distribution,
        mean: c.atoms.mean,
        title: `${c.species} donor atoms per ${ion}`,
        xLabel: `${c.species} donor atoms within ${formatNumber(c.cutoff, 4)} Å`,
        width: SMALL_CHART.width,
        height: SMALL_CHART.height,
      }),
      `Number of ${c.species} donor atoms within the cutoff, over ion-frames; dashed line: the mean.`,
      `cn-atoms-${c.species}`,
    );
    html += `<div class="grid2">${figs}</div>`;
  }
  return html;
}

function speciationSection(report: SolvscopeReport, maxBars: number): string {
  if (!report.speciation.length) return '<p>No shells were classified.</p>';
  const shown = report.speciation.slice(0, maxBars);
  const ion = ionName(report);
  let html = figure(
    barChart({
      categories: shown.map((s) => s.label),
      values: shown.map((s) => s.fraction),
      errors: shown.map((s) => s.stderr),
      title: `First-shell compositions of ${ion}`,
      subtitle: report.speciation.length > shown.length ? `the ${shown.length} most frequent of ${report.speciation.length}` : undefined,
      yLabel: `fraction of ${ion} ion-frames`,
      horizontal: true,
    }),
    'Fraction of ion-frames with each shell composition, ± block standard error.',
    'speciation-chart',
  );
  const species: string[] = [];
  for (const s of report.speciation) for (const k of Object.keys(s.composition)) if (!species.includes(k)) species.push(k);
  html += htmlTable(
    ['label', ...species.map((s) => num(s)), num('charge (e)'), num('fraction'), num('± stderr')],
    report.speciation.map((s) => [
      { html: chemLabelHtml(s.label) },
      ...species.map((sp) => num(String(s.composition[sp] ?? 0))),
      num(formatNumber(s.charge, 3)),
      num(formatNumber(s.fraction, 4)),
      num(formatNumber(s.stderr, 2)),
    ]),
    'Shell compositions (ligand counts per ion)',
  );
  return html;
}

function pairingSection(report: SolvscopeReport): string {
  const p = report.pairing;
  if (!p) return '<p>No species counts as an anion, so ion pairing was not analysed.</p>';
  const anion = p.anions?.length ? p.anions.join(', ') : undefined;
  let html = figure(
    pairingChart({ cation: p.cation, anion: p.anion, cationName: ionName(report), anionName: anion }),
    'Ion pairing from both sides (Seo–Henderson): left, the share of cation-frames; right, the share of anion-frames; ± block standard error.',
    'pairing-chart',
  );
  const rows: Cell[][] = [];
  for (const k of ['SSIP', 'CIP', 'AGG'] as const) rows.push(['cation', k, num(formatEstimate(p.cation[k].fraction, p.cation[k].stderr))]);
  for (const k of ['SSIP', 'CIP', 'AGG_I', 'AGG_II'] as const) rows.push(['anion', k.replace('_', '-'), num(formatEstimate(p.anion[k].fraction, p.anion[k].stderr))]);
  html += htmlTable(['side', 'class', num('fraction ± stderr')], rows, `Pairing${anion ? ` (anions: ${anion})` : ''}`);
  const extra: string[] = [];
  if (p.cationFrames !== undefined) extra.push(`${p.cationFrames} cation-frames`);
  if (p.anionFrames !== undefined) extra.push(`${p.anionFrames} anion-frames`);
  if (p.anionsPerCation !== undefined) extra.push(`${formatNumber(p.anionsPerCation, 3)} anions per cation shell on average`);
  if (extra.length) html += `<p>${escapeHtml(extra.join('; '))}.</p>`;
  return html;
}

function clustersSection(report: SolvscopeReport): string {
  const c = report.clusters;
  if (!c) return '<p>Clusters were not analysed.</p>';
  let html = '';
  const facts: string[] = [];
  if (c.perFrame !== undefined) facts.push(`${formatNumber(c.perFrame, 4)} clusters per frame`);
  if (c.meanSize !== undefined) facts.push(`mean size ${formatNumber(c.meanSize, 4)} ions`);
  if (c.largest !== undefined) facts.push(`largest ${c.largest} ions`);
  if (facts.length) html += `<p>${escapeHtml(facts.join('; '))}.</p>`;
  html += htmlTable(
    [num('size (ions)'), num('fraction of clusters'), num('per frame')],
    c.size.map((s) => [num(String(s.size)), num(formatEstimate(s.fraction, s.stderr)), num(formatNumber(s.perFrame ?? null, 4))]),
    'Cluster sizes',
  );
  if (c.composition?.length) {
    html += htmlTable(
      [num('cations'), num('anions'), num('charge (e)'), num('fraction of clusters'), num('share of cations'), num('share of anions')],
      c.composition.map((k) => [num(String(k.cations)), num(String(k.anions)), num(formatNumber(k.charge ?? null, 3)), num(formatNumber(k.fraction, 4)), num(formatNumber(k.cationFraction ?? null, 4)), num(formatNumber(k.anionFraction ?? null, 4))]),
      'Cluster compositions',
    );
  }
  return html;
}

function residenceSection(report: SolvscopeReport): string {
  if (!report.residence.length) return '<p>Residence times were not computed.</p>';
  const t = (v: number | null, lower: boolean) => (v === null ? MISSING : `${lower ? '> ' : ''}${formatNumber(v, 4)}`);
  return htmlTable(
    ['species', num('intermittent τ (ps)'), num('continuous τ (ps)'), 'converged', num('window (ps)'), num('pairs'), num('events')],
    report.residence.map((r) => {
      const lower = !r.converged && (r.lowerBound ?? false);
      return [
        r.species,
        num(t(r.intermittent_ps, lower)),
        num(t(r.continuous_ps, lower)),
        r.converged ? 'yes' : 'no — longer than the window',
        num(formatNumber(r.window_ps ?? null, 4)),
        num(formatNumber(r.pairs ?? null)),
        num(formatNumber(r.events ?? null)),
      ];
    }),
    'Residence in the first shell (τ where the correlation falls below 1/e)',
  );
}

function definitionsSection(): string {
  return DEFINITIONS.map(
    (d) =>
      `<div class="def" id="${escapeHtml(d.id)}"><h3>${escapeHtml(d.title)}</h3>` +
      (d.formulas.length ? `<pre>${escapeHtml(d.formulas.join('\n'))}</pre>` : '') +
      d.text.map((t) => `<p>${escapeHtml(t)}</p>`).join('') +
      '</div>',
  ).join('');
}

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, no external links)
 * with the title, provenance, a summary, every chart and table of the report, and the
 * exact definitions. Deterministic: the same report gives the same bytes (no clock is read;
 * a creation time is shown only when provenance.created holds one).
 *
 * @throws OptionError when a CSV link is not a relative path, or when chart input is
 *   inconsistent (e.g. an rdf whose g and r differ in length).
 */
export function renderReportHtml(report: SolvscopeReport, options: ReportHtmlOptions = {}): string {
  const title = options.title ?? defaultTitle(report);
  const csv = options.csvFiles ?? {};
  for (const [name, href] of Object.entries(csv)) {
    if (!isLocalHref(href)) throw new OptionError('OPTION', `renderReportHtml: csvFiles["${name}"] must be a relative path (got "${href}")`, { option: 'csvFiles' });
  }
  const sections: [string, string][] = [
    ['provenance', provenanceSection(report.provenance, report)],
    ['summary', summarySection(report)],
    ['rdf', rdfSection(report)],
    ['coordination', coordinationSection(report)],
    ['speciation', speciationSection(report, options.maxSpeciationBars ?? 12)],
    ['pairing', pairingSection(report)],
    ['clusters', clustersSection(report)],
    ['residence', residenceSection(report)],
    ['warnings', report.warnings.length ? `<div class="warn"><ul>${report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul></div>` : '<p>None.</p>'],
    ['definitions', definitionsSection()],
  ];
  const toc = '<nav class="toc">' + sections.map(([id]) => `<a href="#${id}">${escapeHtml(SECTION_TITLES[id as keyof typeof SECTION_TITLES])}</a>`).join('') + (Object.keys(csv).length ? '<a href="#tables">CSV tables</a>' : '') + '</nav>';
  let body = `<header><h1>${escapeHtml(title)}</h1><p class="lede">solvscope ${escapeHtml(report.provenance?.solvscope ?? '')} · ${report.frames} frames · ${report.ions.count} ions${options.note ? ` · ${escapeHtml(options.note)}` : ''}</p>${toc}</header>`;
  for (const [id, html] of sections) body += `<section id="${id}"><h2>${escapeHtml(SECTION_TITLES[id as keyof typeof SECTION_TITLES])}</h2>${html}</section>`;
  if (Object.keys(csv).length) {
    body += `<section id="tables"><h2>CSV tables</h2><ul>${Object.entries(csv).map(([name, href]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(name)}</a></li>`).join('')}</ul></section>`;
  }
  body += `<footer>Generated by solvscope ${escapeHtml(report.provenance?.solvscope ?? '')}${report.schema ? ` · schema ${escapeHtml(report.schema)}` : ''}. This page is self-contained: it loads nothing from the network.</footer>`;
  return htmlPage(title, body);
}
