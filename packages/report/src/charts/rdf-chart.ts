import { OKABE_ITO, INK } from '../svg/palette.js';
import { axisX, axisY, FONT, gridY, layoutFrame, plotClip, tickLabelWidth, type LegendItem } from '../svg/frame.js';
import { linearScale } from '../svg/scale.js';
import { el, line, pathThrough, rect, stableId, svgDocument, text } from '../svg/svg.js';
import { textWidth } from '../svg/text-metrics.js';
import { niceAxis, niceTicks } from '../svg/ticks.js';
import { formatNumber } from '../format.js';
import { at, check, checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, finiteMax, tickTarget, type NumberArray } from './common.js';

export interface RdfChartOptions {
  /** Bin centres, Å. */
  r: NumberArray;
  /** g(r), dimensionless, one value per bin. */
  g: NumberArray;
  /** Running coordination number n(r), one value per bin (see `nAt`); omit to draw g alone. */
  n?: NumberArray | null;
  /** Shell cutoff, Å: a dashed vertical line labelled with its value and n at the cutoff. */
  cutoff?: number | null;
  /** Raw-histogram minimum, Å: a dotted line when it differs from `cutoff`. */
  cutoffRaw?: number | null;
  /** First peak (Å, g), quoted in the subtitle. */
  peak?: { r: number; g: number } | null;
  /** Chart title. */
  title: string;
  /** The pair, e.g. `Mg–O(DME)`; in the subtitle and the accessible description. */
  pairLabel: string;
  /**
   * Where each n value sits: 'upper-edge' (default; solvscope and MDAnalysis counts give n at
   * the upper bin edge r + Δr/2) or 'centre'.
   */
  nAt?: 'upper-edge' | 'centre';
  /** Show r only up to this value, Å (default: the last bin edge). */
  rMax?: number;
  /** px (default 640). */
  width?: number;
  /** px (default 400). */
  height?: number;
}

const G_COLOR = OKABE_ITO.blue;
const N_COLOR = OKABE_ITO.vermillion;
const N_DASH = '7 3';
const CUT_DASH = '5 4';
const N_LABEL = 'n(r), running coordination number';

/** Linear interpolation of y(x) on increasing xs (NaN outside). */
function interpolate(xs: ArrayLike<number>, ys: ArrayLike<number>, x: number): number {
  const n = xs.length;
  if (n === 0 || x < xs[0] || x > xs[n - 1]) return NaN;
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  if (xs[hi] === xs[lo]) return ys[lo];
  return ys[lo] + ((ys[hi] - ys[lo]) * (x - xs[lo])) / (xs[hi] - xs[lo]);
}

/**
 * g(r) with the running coordination number n(r) on a second (right) axis and the
 * first-shell cutoff marked. r in Å on x. The g axis runs from 0 to the largest g shown with
 * ~6 % headroom (first peaks of Mg–O reach g > 50); n runs from 0 to its largest value
 * shown. A dotted line marks g = 1. Pure: the same input gives the same SVG string.
 *
 * @returns a standalone SVG document (string).
 * @throws OptionError when r, g and n differ in length, r is empty or not increasing, or a
 *   size is out of range.
 */
export function rdfChart(o: RdfChartOptions): string {
  const W = o.width ?? DEFAULT_WIDTH;
  const H = o.height ?? DEFAULT_HEIGHT;
  checkSize('rdfChart', W, H);
  const nb = o.r.length;
  check(nb > 0, 'rdfChart', 'r', 'must hold at least one bin centre');
  check(o.g.length === nb, 'rdfChart', 'g', `must have one value per r (${nb}), got ${o.g.length}`);
  check(!o.n || o.n.length === nb, 'rdfChart', 'n', `must have one value per r (${nb}), got ${o.n?.length}`);
  const r = Float64Array.from({ length: nb }, (_, i) => at(o.r, i));
  for (let i = 1; i < nb; i++) check(r[i] > r[i - 1], 'rdfChart', 'r', `must be increasing (r[${i}] = ${r[i]} after ${r[i - 1]})`);
  const half = nb > 1 ? (r[1] - r[0]) / 2 : 0;
  const g = Float64Array.from({ length: nb }, (_, i) => at(o.g, i));
  const hasN = !!o.n;
  const nR = Float64Array.from(r, (v) => v + ((o.nAt ?? 'upper-edge') === 'upper-edge' ? half : 0));
  const n = hasN ? Float64Array.from({ length: nb }, (_, i) => at(o.n, i)) : new Float64Array(0);

  const rLo = Math.min(0, r[0] - half);
  const rHi = o.rMax !== undefined && o.rMax > rLo ? o.rMax : r[nb - 1] + half;
  const visible = (x: number) => x >= rLo && x <= rHi;
  const gMax = finiteMax(Array.from(g).filter((_, i) => visible(r[i])));
  const nMax = hasN ? finiteMax(Array.from(n).filter((_, i) => visible(nR[i]))) : -Infinity;

  const estPlotW = W - 150;
  const estPlotH = H - 130;
  // The r axis ends where the data end (no overshoot to the next tick): ticks inside only.
  const xAll = niceTicks(rLo, rHi, tickTarget(estPlotW, 55));
  const xt = { ...xAll, values: xAll.values.filter((v) => v >= rLo - 1e-9 && v <= rHi + 1e-9) };
  const yAxis = niceAxis(0, gMax > 0 ? gMax : 1, tickTarget(estPlotH, 45), 0.04);
  const yt = yAxis.ticks;
  const y2Axis = hasN ? niceAxis(0, nMax > 0 ? nMax : 1, tickTarget(estPlotH, 45), 0.02) : null;
  const y2t = y2Axis ? y2Axis.ticks : null;

  const cut = o.cutoff !== undefined && o.cutoff !== null && Number.isFinite(o.cutoff) ? o.cutoff : null;
  const rawGiven = o.cutoffRaw !== undefined && o.cutoffRaw !== null && Number.isFinite(o.cutoffRaw) && (cut === null || Math.abs(o.cutoffRaw - cut) > 1e-9) ? o.cutoffRaw : null;
  // A raw minimum within a few pixels of the cutoff gets no line of its own (it would merge
  // into the dashed one); its value goes into the cutoff label instead.
  const rawNear = rawGiven !== null && cut !== null && (Math.abs(rawGiven - cut) * estPlotW) / (rHi - rLo) < 5;
  const cutRaw = rawNear ? null : rawGiven;

  const legend: LegendItem[] = [{ label: 'g(r)', color: G_COLOR, kind: 'line' }];
  if (hasN) legend.push({ label: 'n(r), right axis', color: N_COLOR, kind: 'line', dash: N_DASH });
  if (cut !== null) legend.push({ label: 'shell cutoff', color: INK.axis, kind: 'line', dash: CUT_DASH, strokeWidth: 1.3 });
  if (cutRaw !== null) legend.push({ label: 'raw-histogram minimum', color: INK.refLine, kind: 'line', dash: '1.5 3', strokeWidth: 1.3 });

  const sub = [o.title.includes(o.pairLabel) ? '' : o.pairLabel];
  if (o.peak && Number.isFinite(o.peak.r) && Number.isFinite(o.peak.g)) sub.push(`first peak g = ${formatNumber(o.peak.g, 3)} at ${formatNumber(o.peak.r, 3)} Å`);
  const subtitle = sub.filter(Boolean).join(' · ');

  const frame = layoutFrame({
    width: W,
    height: H,
    title: o.title,
    subtitle: subtitle || undefined,
    legend,
    yLabel: 'g(r)',
    y2Label: hasN ? (textWidth(N_LABEL, FONT.label) <= estPlotH - 20 ? N_LABEL : 'n(r)') : undefined,
    xLabel: 'r (Å)',
    yTickWidth: tickLabelWidth(yt),
    y2TickWidth: y2t ? tickLabelWidth(y2t) : undefined,
  });
  const p = frame.plot;
  const x = linearScale([rLo, rHi], [p.x, p.x + p.w]);
  const y = linearScale(yAxis.domain, [p.y + p.h, p.y]);
  const y2 = y2Axis ? linearScale(y2Axis.domain, [p.y + p.h, p.y]) : null;

  const clip = plotClip(stableId('rdf-clip', `${o.title}|${o.pairLabel}|${nb}|${gMax}|${nMax}|${W}x${H}`), p);
  let body = clip.defs + gridY(p, y, yt);
  if (1 >= yAxis.domain[0] && 1 <= yAxis.domain[1]) {
    body += line(p.x, y(1), p.x + p.w, y(1), { stroke: INK.refLine, 'stroke-width': 1, 'stroke-dasharray': '1.5 3' });
  }
  let curves = '';
  if (y2) curves += el('path', { d: pathThrough(Array.from(nR, x), Array.from(n, y2)), fill: 'none', stroke: N_COLOR, 'stroke-width': 1.8, 'stroke-dasharray': N_DASH, 'stroke-linejoin': 'round' });
  curves += el('path', { d: pathThrough(Array.from(r, x), Array.from(g, y)), fill: 'none', stroke: G_COLOR, 'stroke-width': 1.8, 'stroke-linejoin': 'round' });
  body += el('g', { 'clip-path': clip.attr }, curves);

  if (cutRaw !== null && visible(cutRaw)) {
    body += line(x(cutRaw), p.y, x(cutRaw), p.y + p.h, { stroke: INK.refLine, 'stroke-width': 1.3, 'stroke-dasharray': '1.5 3' });
  }
  if (cut !== null && visible(cut)) {
    const cx = x(cut);
    body += line(cx, p.y, cx, p.y + p.h, { stroke: INK.axis, 'stroke-width': 1.3, 'stroke-dasharray': CUT_DASH, class: 'cutoff' });
    const lines: { t: string; color: string }[] = [{ t: `cutoff ${formatNumber(cut, 4)} Å`, color: INK.text }];
    if (rawNear && rawGiven !== null) lines.push({ t: `raw minimum ${formatNumber(rawGiven, 4)} Å`, color: INK.muted });
    if (hasN) {
      const nc = interpolate(nR, n, cut);
      if (Number.isFinite(nc)) lines.push({ t: `n(cutoff) = ${formatNumber(nc, 3)}`, color: N_COLOR });
    }
    const lw = Math.max(...lines.map((l) => textWidth(l.t, FONT.note))) + 8;
    const lh = FONT.note + 4;
    const boxH = lines.length * lh + 4;
    // Right of the line at a third of the height, where ion–solvent g(r) and n(r) leave room;
    // left of it when the right side is too narrow.
    const rx = cutRaw !== null && visible(cutRaw) ? Math.max(cx, x(cutRaw)) : cx;
    const lx = cutRaw !== null && visible(cutRaw) ? Math.min(cx, x(cutRaw)) : cx;
    const right = rx + 6 + lw <= p.x + p.w;
    const bx = right ? rx + 5 : lx - 5 - lw;
    const by = p.y + p.h * 0.3;
    body += rect(bx, by, lw, boxH, { fill: '#ffffff', 'fill-opacity': 0.88, stroke: 'none' });
    lines.forEach((l, i) => {
      body += text(bx + 4, by + 2 + (i + 1) * lh - 4, l.t, { 'font-size': FONT.note, fill: l.color });
    });
  }

  body += axisX(p, x, xt) + axisY(p, y, yt, 'left');
  if (y2 && y2t) body += axisY(p, y2, y2t, 'right', N_COLOR);
  body += frame.markup;

  const desc =
    `Radial distribution function g(r) of ${o.pairLabel} against r in Å` +
    (hasN ? ', with the running coordination number n(r) on the right axis' : '') +
    (cut !== null ? `; shell cutoff at ${formatNumber(cut, 4)} Å` : '') +
    '.';
  return svgDocument({ width: W, height: H, title: o.title, desc, body });
}
