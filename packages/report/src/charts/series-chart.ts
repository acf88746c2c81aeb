import { formatEstimate, formatNumber } from '../format.js';
import { chemLabelSvg, chemLabelWidth } from '../svg/chem-label.js';
import { escapeXml } from '../svg/escape.js';
import { axisX, axisY, errorBarV, gridY, layoutFrame, marker, MARKERS, tickLabelWidth, TICK_LEN, tooltip, type LegendItem } from '../svg/frame.js';
import { DASHES, INK, seriesColor } from '../svg/palette.js';
import { bandScale, linearScale } from '../svg/scale.js';
import { el, pathThrough, px, svgDocument } from '../svg/svg.js';
import { truncateText } from '../svg/text-metrics.js';
import { niceTicks } from '../svg/ticks.js';
import { at, check, checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, finiteMax, finiteMin, tickTarget, type NumberArray } from './common.js';

export interface Series {
  /** Legend name. */
  name: string;
  /** One value per x; null/NaN leaves a gap. */
  y: NumberArray;
  /** ± error per x (optional). */
  err?: NumberArray | null;
}

export interface SeriesChartOptions {
  /** x values: numbers (a linear axis) or strings (categories in the given order). */
  x: readonly (number | string)[];
  /** x axis label with unit, e.g. `concentration (mol/kg)`. */
  xLabel: string;
  series: readonly Series[];
  /** y axis label with unit. */
  yLabel: string;
  title: string;
  subtitle?: string;
  /** Join the points of a series with lines (default: true for numeric x, false for categories). */
  connect?: boolean;
  /** Start the y axis at 0 when all values are ≥ 0 (default true). */
  yFromZero?: boolean;
  width?: number;
  height?: number;
}

const LABEL_FONT = 12;

/**
 * One or more quantities against a label — e.g. CIP fraction against salt concentration in a
 * batch screen — with ± error bars. Numeric x gives a linear axis; string x gives equally
 * spaced categories (series are dodged sideways so error bars do not overlap). Each series
 * has its own colour, marker shape and dash pattern. Pure and deterministic.
 *
 * @returns a standalone SVG document (string).
 * @throws OptionError when a series' y or err length differs from x, x mixes numbers and
 *   strings, or there is no series.
 */
export function seriesChart(o: SeriesChartOptions): string {
  const W = o.width ?? DEFAULT_WIDTH;
  const H = o.height ?? DEFAULT_HEIGHT;
  checkSize('seriesChart', W, H);
  const nx = o.x.length;
  check(nx > 0, 'seriesChart', 'x', 'must have at least one value');
  check(o.series.length > 0, 'seriesChart', 'series', 'must have at least one series');
  const categorical = typeof o.x[0] === 'string';
  for (let i = 0; i < nx; i++) check((typeof o.x[i] === 'string') === categorical, 'seriesChart', 'x', 'must be all numbers or all strings');
  o.series.forEach((s, si) => {
    check(s.y.length === nx, 'seriesChart', `series[${si}].y`, `must have one value per x (${nx}), got ${s.y.length}`);
    check(!s.err || s.err.length === nx, 'seriesChart', `series[${si}].err`, `must have one value per x (${nx}), got ${s.err?.length}`);
  });
  const connect = o.connect ?? !categorical;
  const S = o.series.length;

  const ys = o.series.map((s) => Float64Array.from({ length: nx }, (_, i) => at(s.y, i)));
  const es = o.series.map((s) => Float64Array.from({ length: nx }, (_, i) => Math.abs(at(s.err, i))));
  const lows: number[] = [];
  const highs: number[] = [];
  ys.forEach((y, si) =>
    y.forEach((v, i) => {
      const e = Number.isFinite(es[si][i]) ? es[si][i] : 0;
      lows.push(v - e);
      highs.push(v + e);
    }),
  );
  let lo = finiteMin(lows);
  let hi = finiteMax(highs);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if ((o.yFromZero ?? true) && lo >= 0) lo = 0;
  if (hi === lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo) * 0.2);
  const span = hi - lo;
  const yt = niceTicks(lo, hi + span * 0.04, tickTarget(H - 140, 50));

  const legend: LegendItem[] = S > 1 || o.series[0].name
    ? o.series.map((s, si) => ({ label: s.name, color: seriesColor(si), kind: 'line', dash: connect ? DASHES[si % DASHES.length] : null, marker: MARKERS[si % MARKERS.length], strokeWidth: connect ? 1.8 : 0 }))
    : [];

  const catLabels = categorical ? (o.x as string[]) : [];
  const maxCat = categorical ? Math.max(...catLabels.map((c) => chemLabelWidth(c, LABEL_FONT))) : 0;
  const estStep = (W - 110) / Math.max(1, nx);
  const rotate = categorical && maxCat > estStep - 6;
  const rotCap = H * 0.28;
  const xTickHeight = rotate ? Math.min(maxCat, rotCap) * Math.SQRT1_2 + LABEL_FONT : LABEL_FONT + 2;

  const frame = layoutFrame({ width: W, height: H, title: o.title, subtitle: o.subtitle, legend, xLabel: o.xLabel, yLabel: o.yLabel, yTickWidth: tickLabelWidth(yt), xTickHeight });
  const p = frame.plot;
  const y = linearScale([yt.min, yt.max], [p.y + p.h, p.y]);
  let body = gridY(p, y, yt);
  let xPos: (i: number, si: number) => number;
  let xAxis = '';
  if (categorical) {
    const band = bandScale(nx, [p.x, p.x + p.w], 0);
    const dodge = S > 1 ? Math.min(12, (band.step * 0.5) / (S - 1)) : 0;
    xPos = (i, si) => band.center(i) + (si - (S - 1) / 2) * dodge;
    xAxis += el('line', { x1: p.x, y1: p.y + p.h, x2: p.x + p.w, y2: p.y + p.h, stroke: INK.axis, 'stroke-width': 1 });
    for (let i = 0; i < nx; i++) {
      const cx = band.center(i);
      const ty = p.y + p.h + TICK_LEN + 3 + LABEL_FONT * 0.8;
      xAxis += el('line', { x1: cx, y1: p.y + p.h, x2: cx, y2: p.y + p.h + TICK_LEN, stroke: INK.axis, 'stroke-width': 1 });
      const label = catLabels[i];
      if (rotate) {
        const content = chemLabelWidth(label, LABEL_FONT) <= rotCap + 0.5 ? chemLabelSvg(label, LABEL_FONT) : tooltip(label) + escapeXml(truncateText(label, rotCap, LABEL_FONT));
        xAxis += el('text', { x: cx, y: ty - 2, 'font-size': LABEL_FONT, fill: INK.text, 'text-anchor': 'end', transform: `rotate(-45 ${px(cx)} ${px(ty - 2)})` }, content);
      } else {
        xAxis += el('text', { x: cx, y: ty, 'font-size': LABEL_FONT, fill: INK.text, 'text-anchor': 'middle' }, chemLabelSvg(label, LABEL_FONT));
      }
    }
  } else {
    const xv = o.x as number[];
    const xLo = finiteMin(xv);
    const xHi = finiteMax(xv);
    const xt = niceTicks(xLo, xHi, tickTarget(p.w, 90));
    const pad = (xt.max - xt.min) * 0.03;
    const x = linearScale([Math.min(xt.min, xLo - pad), Math.max(xt.max, xHi + pad)], [p.x, p.x + p.w]);
    xPos = (i) => x(xv[i]);
    xAxis += axisX(p, x, xt);
  }

  const desc: string[] = [];
  o.series.forEach((s, si) => {
    const color = seriesColor(si);
    const shape = MARKERS[si % MARKERS.length];
    const order = Array.from({ length: nx }, (_, i) => i);
    if (!categorical) order.sort((a, b) => (o.x[a] as number) - (o.x[b] as number) || a - b);
    let g = '';
    if (connect) {
      const px_ = order.map((i) => xPos(i, si));
      const py_ = order.map((i) => y(ys[si][i]));
      g += el('path', { d: pathThrough(px_, py_), fill: 'none', stroke: color, 'stroke-width': 1.8, 'stroke-dasharray': DASHES[si % DASHES.length], 'stroke-linejoin': 'round' });
    }
    const pts: string[] = [];
    for (const i of order) {
      const v = ys[si][i];
      if (!Number.isFinite(v)) continue;
      const e = es[si][i];
      const cx = xPos(i, si);
      if (Number.isFinite(e) && e > 0) g += el('g', { class: 'error-bar' }, errorBarV(cx, y(v - e), y(v + e), 4, color, 1.3));
      const label = `${s.name ? s.name + ', ' : ''}${typeof o.x[i] === 'number' ? formatNumber(o.x[i] as number) : o.x[i]}: ${formatEstimate(v, Number.isFinite(e) ? e : null)}`;
      g += el('g', { class: 'point' }, tooltip(label) + marker(shape, cx, y(v), 4, color, shape === 'cross' ? 'none' : color));
      pts.push(label);
    }
    desc.push(pts.join('; '));
    body += el('g', { class: 'series' }, g);
  });
  body += xAxis + axisY(p, y, yt, 'left') + frame.markup;
  return svgDocument({ width: W, height: H, title: o.title, desc: `${o.yLabel} against ${o.xLabel}. ${desc.join('. ')}.`, body });
}
