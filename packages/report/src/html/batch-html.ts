import { OptionError } from '@solvscope/core';
import { seriesChart } from '../charts/series-chart.js';
import { formatEstimate, formatNumber, MISSING } from '../format.js';
import { matchesQuantity, quantityAxisLabel, quantityTitle, type EntryLabels, type LabelledTidyRow, type QuantityRef } from '../tables/tidy.js';
import { escapeHtml, figure, htmlPage, htmlTable, isLocalHref, valueHtml, type Cell } from './html.js';

/** One entry of a batch run. */
export interface BatchEntry {
  /** Unique entry name (its result folder). */
  name: string;
  /** salt, concentration, replica, temperature … */
  labels: EntryLabels;
  /** 'ok' (computed), 'cached' (unchanged, reused), 'failed', 'partial' (some frames), 'skipped'. */
  status: 'ok' | 'cached' | 'failed' | 'partial' | 'skipped';
  /** The error message of a failed or partial entry. */
  error?: string;
  /** Relative link to the entry's report.html. */
  reportHref?: string;
  /** Frames analysed. */
  frames?: number;
}

export interface BatchHtmlOptions {
  title?: string;
  /** Label on the x axis of every chart (default: the first label with several values, numeric ones first). */
  x?: string;
  /** Axis title for x, with unit (default: the label name). */
  xLabel?: string;
  /** Label that splits entries into series (default: another label with several values; null for none). */
  groupBy?: string | null;
  /** Quantities to chart (default: CIP/SSIP/AGG per cation, molecule CN per species, the most common shell). */
  quantities?: QuantityRef[];
  /** Settings shared by the batch, shown under "Provenance". */
  provenance?: Record<string, unknown>;
}

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const REPLICA = /^(replica|rep|seed|run|repeat)$/i;

function asNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && NUMERIC.test(v.trim())) return Number(v);
  return null;
}

function labelKeys(entries: readonly BatchEntry[]): string[] {
  const keys: string[] = [];
  for (const e of entries) for (const k of Object.keys(e.labels)) if (!keys.includes(k)) keys.push(k);
  return keys;
}

function distinct(entries: readonly BatchEntry[], key: string): unknown[] {
  const out: unknown[] = [];
  for (const e of entries) {
    const v = e.labels[key];
    if (!out.some((o) => o === v)) out.push(v);
  }
  return out;
}

function pickX(entries: readonly BatchEntry[]): string | null {
  const keys = labelKeys(entries).filter((k) => !REPLICA.test(k) && distinct(entries, k).length > 1);
  return keys.find((k) => distinct(entries, k).every((v) => asNumber(v) !== null)) ?? keys[0] ?? null;
}

function defaultQuantities(table: readonly LabelledTidyRow[]): QuantityRef[] {
  const qs: QuantityRef[] = [];
  const has = (q: QuantityRef) => table.some((r) => matchesQuantity(r, q));
  for (const key of ['CIP', 'SSIP', 'AGG']) if (has({ quantity: 'pairing.cation', key })) qs.push({ quantity: 'pairing.cation', key });
  const species: string[] = [];
  for (const r of table) if (r.quantity === 'coordination.molecules' && !species.includes(r.species)) species.push(r.species);
  for (const s of species) qs.push({ quantity: 'coordination.molecules', species: s, key: 'mean' });
  const spec = new Map<string, number>();
  for (const r of table) if (r.quantity === 'speciation' && r.value !== null) spec.set(r.key, (spec.get(r.key) ?? 0) + r.value);
  const top = [...spec.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
  if (top) qs.push({ quantity: 'speciation', key: top[0] });
  return qs;
}

interface Point {
  mean: number;
  err: number | null;
  n: number;
}

/** Mean over replicas: with n ≥ 2 values, SE = sample sd / √n; with one, its own stderr. */
function aggregate(rows: readonly LabelledTidyRow[]): Point | null {
  const vals = rows.filter((r) => r.value !== null && Number.isFinite(r.value)) as (LabelledTidyRow & { value: number })[];
  if (!vals.length) return null;
  if (vals.length === 1) return { mean: vals[0].value, err: vals[0].stderr, n: 1 };
  const m = vals.reduce((s, r) => s + r.value, 0) / vals.length;
  const v = vals.reduce((s, r) => s + (r.value - m) ** 2, 0) / (vals.length - 1);
  return { mean: m, err: Math.sqrt(v / vals.length), n: vals.length };
}

function labelText(v: unknown): string {
  return v === null || v === undefined ? MISSING : typeof v === 'number' ? formatNumber(v, 6) : String(v);
}

/**
 * The summary page of a batch: chosen quantities against one label (e.g. CIP fraction
 * against concentration, one series per salt) with error bars, a table of every entry with
 * its status and a link to its own report.html, and a pivot table of the charted numbers.
 * Replicas (entries equal in x and group) are averaged; their error bar is the standard
 * error across replicas (sample sd/√n), or the block standard error for a single replica.
 * Self-contained like report.html.
 *
 * @param entries every entry of the batch, failed ones included.
 * @param table the combined tidy rows (see `labelledTidyRows`).
 * @throws OptionError when `x` or `groupBy` names no label, or a report link is not relative.
 */
export function renderBatchHtml(entries: readonly BatchEntry[], table: readonly LabelledTidyRow[], options: BatchHtmlOptions = {}): string {
  const keys = labelKeys(entries);
  if (options.x !== undefined && !keys.includes(options.x)) {
    throw new OptionError('OPTION', `renderBatchHtml: x must be one of the labels ${keys.map((k) => `"${k}"`).join(', ') || '(none)'} (got "${options.x}")`, { option: 'x' });
  }
  if (options.groupBy && !keys.includes(options.groupBy)) {
    throw new OptionError('OPTION', `renderBatchHtml: groupBy must be one of the labels ${keys.map((k) => `"${k}"`).join(', ') || '(none)'} (got "${options.groupBy}")`, { option: 'groupBy' });
  }
  for (const e of entries) {
    if (e.reportHref && !isLocalHref(e.reportHref)) throw new OptionError('OPTION', `renderBatchHtml: reportHref of "${e.name}" must be a relative path (got "${e.reportHref}")`, { option: 'reportHref' });
  }
  const title = options.title ?? `solvscope batch: ${entries.length} entries`;
  const x = options.x ?? pickX(entries);
  const groupBy =
    options.groupBy === null ? null : options.groupBy ?? keys.find((k) => k !== x && !REPLICA.test(k) && distinct(entries, k).length > 1) ?? null;
  const quantities = options.quantities ?? defaultQuantities(table);
  const ok = entries.filter((e) => e.status === 'ok' || e.status === 'cached');
  const failed = entries.filter((e) => e.status === 'failed' || e.status === 'partial');

  let body = `<header><h1>${escapeHtml(title)}</h1><p class="lede">${ok.length} of ${entries.length} entries complete${failed.length ? `, ${failed.length} failed or partial` : ''}.</p></header>`;

  body += '<section id="charts"><h2>Quantities</h2>';
  if (!x) body += '<p>No label varies between entries, so there is nothing to plot against.</p>';
  else if (!quantities.length) body += '<p>No quantities to plot.</p>';
  else {
    const byEntry = new Map(entries.map((e) => [e.name, e]));
    const xVals = distinct(ok, x);
    const numericX = xVals.every((v) => asNumber(v) !== null);
    const xs: (number | string)[] = numericX ? [...new Set(xVals.map((v) => asNumber(v)!))].sort((a, b) => a - b) : xVals.map(labelText);
    const groups = groupBy ? distinct(ok, groupBy) : [null];
    for (const q of quantities) {
      const rows = table.filter((r) => matchesQuantity(r, q) && byEntry.get(r.entry) && ok.includes(byEntry.get(r.entry)!));
      if (!rows.length) continue;
      const series = groups.map((gv) => {
        const y: number[] = [];
        const err: (number | null)[] = [];
        for (const xv of xs) {
          const sel = rows.filter((r) => {
            const e = byEntry.get(r.entry)!;
            const ex = numericX ? asNumber(e.labels[x]) : labelText(e.labels[x]);
            return ex === xv && (groupBy === null || e.labels[groupBy] === gv);
          });
          const p = aggregate(sel);
          y.push(p ? p.mean : NaN);
          err.push(p ? p.err : null);
        }
        return { name: groupBy ? labelText(gv) : '', y, err };
      });
      const qt = quantityTitle(q);
      body += figure(
        seriesChart({ x: xs, xLabel: options.xLabel ?? x, series, yLabel: quantityAxisLabel(q), title: qt, subtitle: groupBy ? `by ${groupBy}` : undefined }),
        `${qt} against ${x}${groupBy ? `, one series per ${groupBy}` : ''}; replicas averaged, error bars = standard error across replicas (block standard error for a single replica).`,
      );
    }
  }
  body += '</section>';

  const statusCell = (e: BatchEntry): Cell => ({ html: `<span class="status-${e.status === 'ok' || e.status === 'cached' ? 'ok' : 'failed'}">${escapeHtml(e.status)}</span>${e.error ? `<br>${escapeHtml(e.error)}` : ''}` });
  body += '<section id="entries"><h2>Entries</h2>';
  body += htmlTable(
    ['entry', ...keys, 'status', { text: 'frames', num: true }, 'report'],
    entries.map((e) => [
      { text: e.name, nowrap: true },
      ...keys.map((k) => labelText(e.labels[k])),
      statusCell(e),
      { text: formatNumber(e.frames ?? null), num: true },
      e.reportHref ? { html: `<a href="${escapeHtml(e.reportHref)}">report.html</a>` } : MISSING,
    ]),
  );
  body += '</section>';

  if (quantities.length) {
    body += '<section id="values"><h2>Values</h2>';
    body += htmlTable(
      ['entry', ...quantities.map((q) => ({ text: quantityTitle(q), num: true }))],
      ok.map((e) => [
        { text: e.name, nowrap: true } as Cell,
        ...quantities.map((q) => {
          const r = table.find((t) => t.entry === e.name && matchesQuantity(t, q));
          return { text: r ? formatEstimate(r.value, r.stderr) : MISSING, num: true };
        }),
      ]),
      'Per entry (value ± block standard error)',
    );
    body += '</section>';
  }
  if (options.provenance) body += `<section id="provenance"><h2>Provenance</h2>${valueHtml(options.provenance)}</section>`;
  body += '<footer>Generated by solvscope. This page is self-contained: it loads nothing from the network.</footer>';
  return htmlPage(title, body);
}
