import { formatEstimate, MISSING, sharedDecimals } from '../format.js';
import { chemLabelSvg, chemLabelWidth } from '../svg/chem-label.js';
import { escapeXml } from '../svg/escape.js';
import { axisX, axisY, errorBarH, errorBarV, FONT, gridX, gridY, layoutFrame, tickLabelWidth, TICK_LEN, tooltip, type LegendItem, type PlotArea } from '../svg/frame.js';
import { INK, OKABE_ITO } from '../svg/palette.js';
import { bandScale, linearScale, type BandScale, type LinearScale } from '../svg/scale.js';
import { el, haloText, line, px, rect, svgDocument } from '../svg/svg.js';
import { textWidth, truncateText } from '../svg/text-metrics.js';
import { niceTicks, type Ticks } from '../svg/ticks.js';
import { at, check, checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH, finiteMax, finiteMin, tickTarget, type NumberArray } from './common.js';

export interface BarChartOptions {
  /** One label per bar. Speciation labels such as `[Mg(TFSI)(DME)2]+` get sub/superscripts. */
  categories: readonly string[];
  /** Bar values, in the unit named by `yLabel`; null/NaN draws no bar. */
  values: NumberArray;
  /** ± error per bar (e.g. the block standard error); null/NaN draws no error bar. */
  errors?: NumberArray | null;
  title: string;
  subtitle?: string;
  /** Label of the value axis, with its unit, e.g. `fraction of Mg–frames`. */
  yLabel: string;
  /** Label of the category axis (optional). */
  xLabel?: string;
  /**
   * Bars along x with the categories listed down the left side. Default: horizontal when
   * the labels do not fit under vertical bars (long speciation labels).
   */
  horizontal?: boolean;
  /** Print `value ± error` at each bar (default true; left out where it does not fit). */
  showValues?: boolean;
  /** Fix the value axis end (e.g. 1 for fractions); default from the data. */
  valueMax?: number;
  /** One colour per bar (default Okabe–Ito blue for all). */
  colors?: readonly string[];
  /** px (default 640). */
  width?: number;
  /** px (default 400 vertical; horizontal grows with the number of bars). */
  height?: number;
}

/** Extra drawing on top of the bars (histogram mean line). */
interface Overlay {
  (ctx: { plot: PlotArea; band: BandScale; value: LinearScale }): string;
}

const BAR_COLOR = OKABE_ITO.blue;
const LABEL_FONT = 12.5;
const MAX_LABEL_FRACTION = 0.45;

function valueLabel(v: number, e: number, decimals: number): string {
  if (!Number.isFinite(v)) return MISSING;
  return Number.isFinite(e) && e !== 0 ? formatEstimate(v, e, 3) : v.toFixed(decimals).replace(/^-/, '\u2212');
}

/** Value axis ticks and domain leaving `room(i)` px after each bar's end for its label. */
function valueDomain(
  values: Float64Array,
  errors: Float64Array,
  lengthPx: number,
  room: (i: number) => number,
  valueMax: number | undefined,
  spacing: number,
): { ticks: Ticks; domain: [number, number] } {
  const ends = Array.from(values, (v, i) => v + (Number.isFinite(errors[i]) ? Math.abs(errors[i]) : 0));
  const starts = Array.from(values, (v, i) => v - (Number.isFinite(errors[i]) ? Math.abs(errors[i]) : 0));
  const lo = Math.min(0, finiteMin(starts));
  let hi = Math.max(0, finiteMax(ends));
  if (valueMax !== undefined && Number.isFinite(valueMax) && valueMax > hi) hi = valueMax;
  if (!(hi > lo)) hi = lo + 1;
  const ticks = niceTicks(lo, hi, tickTarget(lengthPx, spacing));
  let d1 = ticks.max;
  for (let i = 0; i < values.length; i++) {
    const need = room(i);
    if (!Number.isFinite(ends[i]) || need <= 0) continue;
    const frac = (lengthPx - need) / lengthPx;
    if (frac <= 0.2) continue;
    d1 = Math.max(d1, ticks.min + (ends[i] - ticks.min) / frac);
  }
  return { ticks, domain: [ticks.min, d1] };
}

/**
 * Shared bar renderer for barChart and histogramChart.
 * @internal
 */
export function renderBars(o: BarChartOptions, chart: string, overlay?: Overlay, legend?: LegendItem[]): string {
  const nCat = o.categories.length;
  check(nCat > 0, chart, 'categories', 'must name at least one bar');
  check(o.values.length === nCat, chart, 'values', `must have one value per category (${nCat}), got ${o.values.length}`);
  check(!o.errors || o.errors.length === nCat, chart, 'errors', `must have one value per category (${nCat}), got ${o.errors?.length}`);
  const values = Float64Array.from({ length: nCat }, (_, i) => at(o.values, i));
  const errors = Float64Array.from({ length: nCat }, (_, i) => at(o.errors, i));
  const show = o.showValues ?? true;
  const W = o.width ?? DEFAULT_WIDTH;
  const labelW = o.categories.map((c) => chemLabelWidth(c, LABEL_FONT));
  const maxLabel = Math.max(...labelW);
  const estStep = (W - 110) / nCat;
  const horizontal = o.horizontal ?? maxLabel > estStep - 8;
  const H = o.height ?? (horizontal ? (nCat <= 6 ? Math.max(240, 130 + nCat * 46) : Math.max(DEFAULT_HEIGHT, 130 + nCat * 26)) : DEFAULT_HEIGHT);
  checkSize(chart, W, H);
  const colors = o.colors ?? [];
  const color = (i: number) => colors[i] ?? BAR_COLOR;
  const decimals = sharedDecimals(values, 3);
  const texts = Array.from(values, (v, i) => valueLabel(v, errors[i], decimals));
  const desc = `${horizontal ? 'Horizontal' : 'Vertical'} bar chart of ${o.yLabel}: ` + o.categories.map((c, i) => `${c} ${texts[i]}`).join('; ') + '.';
  let body = '';
  // Value labels go on top of everything (reference lines included), with a white halo.
  let labels = '';

  if (horizontal) {
    const labelCap = Math.min(maxLabel, W * MAX_LABEL_FRACTION);
    const frame = layoutFrame({ width: W, height: H, title: o.title, subtitle: o.subtitle, legend, xLabel: o.yLabel, yLabel: o.xLabel, yTickWidth: labelCap + 3 });
    const p = frame.plot;
    const room = (i: number) => (show && Number.isFinite(values[i]) ? textWidth(texts[i], FONT.note) + 8 : 0);
    const { ticks, domain } = valueDomain(values, errors, p.w, room, o.valueMax, 85);
    const x = linearScale(domain, [p.x, p.x + p.w]);
    const band = bandScale(nCat, [p.y, p.y + p.h], 0.32);
    const bw = band.bandwidth;
    body += gridX(p, x, ticks);
    for (let i = 0; i < nCat; i++) {
      const v = values[i];
      const e = errors[i];
      const cy = band.center(i);
      const label = o.categories[i];
      const lx = p.x - TICK_LEN - 3;
      const ly = cy + LABEL_FONT * 0.35;
      if (labelW[i] <= labelCap + 0.5) {
        body += el('text', { x: lx, y: ly, 'font-size': LABEL_FONT, fill: INK.text, 'text-anchor': 'end' }, chemLabelSvg(label, LABEL_FONT));
      } else {
        body += el('text', { x: lx, y: ly, 'font-size': LABEL_FONT, fill: INK.text, 'text-anchor': 'end' }, tooltip(label) + escapeXml(truncateText(label, labelCap, LABEL_FONT)));
      }
      body += line(p.x - TICK_LEN, cy, p.x, cy, { stroke: INK.axis, 'stroke-width': 1 });
      if (!Number.isFinite(v)) continue;
      body += el('g', { class: 'bar' }, tooltip(`${label}: ${texts[i]}`) + rect(x(0), band(i), x(v) - x(0), bw, { fill: color(i) }));
      let end = x(v);
      if (Number.isFinite(e) && e !== 0) {
        const lo = x(v - Math.abs(e));
        const hi = x(v + Math.abs(e));
        body += el('g', { class: 'error-bar' }, errorBarH(cy, lo, hi, Math.min(6, bw * 0.3), INK.text));
        end = Math.max(end, hi);
      }
      if (show) labels += haloText(end + 6, cy + FONT.note * 0.35, texts[i], { 'font-size': FONT.note, fill: INK.text });
    }
    body += line(x(0), p.y, x(0), p.y + p.h, { stroke: INK.axis, 'stroke-width': 1 });
    body += axisX(p, x, ticks);
    if (overlay) body += overlay({ plot: p, band, value: x });
    body += labels;
    body += frame.markup;
  } else {
    const estW = W - 100;
    const step = estW / nCat;
    const rotate = maxLabel > step - 4;
    const xTickHeight = rotate ? Math.min(maxLabel, H * 0.3) * Math.sin(Math.PI / 4) + LABEL_FONT : LABEL_FONT + 2;
    const estH = H - 120 - xTickHeight;
    const spacing = estH >= 220 ? 50 : 40;
    const est = valueDomain(values, errors, estH, () => 0, o.valueMax, spacing);
    const frame = layoutFrame({ width: W, height: H, title: o.title, subtitle: o.subtitle, legend, xLabel: o.xLabel, yLabel: o.yLabel, yTickWidth: tickLabelWidth(est.ticks), xTickHeight });
    const p = frame.plot;
    const band = bandScale(nCat, [p.x, p.x + p.w], 0.3);
    const bw = band.bandwidth;
    const fits = (i: number) => show && Number.isFinite(values[i]) && textWidth(texts[i], FONT.note) <= band.step - 2;
    const { ticks, domain } = valueDomain(values, errors, p.h, (i) => (fits(i) ? FONT.note + 6 : 0), o.valueMax, spacing);
    const y = linearScale(domain, [p.y + p.h, p.y]);
    body += gridY(p, y, ticks);
    for (let i = 0; i < nCat; i++) {
      const v = values[i];
      const e = errors[i];
      const cx = band.center(i);
      const label = o.categories[i];
      const ty = p.y + p.h + TICK_LEN + 3 + LABEL_FONT * 0.8;
      if (rotate) {
        const cap = Math.min(maxLabel, H * 0.3);
        const content = labelW[i] <= cap + 0.5 ? chemLabelSvg(label, LABEL_FONT) : tooltip(label) + escapeXml(truncateText(label, cap, LABEL_FONT));
        body += el('text', { x: cx, y: ty - 2, 'font-size': LABEL_FONT, fill: INK.text, 'text-anchor': 'end', transform: `rotate(-45 ${px(cx)} ${px(ty - 2)})` }, content);
      } else {
        body += el('text', { x: cx, y: ty, 'font-size': LABEL_FONT, fill: INK.text, 'text-anchor': 'middle' }, chemLabelSvg(label, LABEL_FONT));
      }
      body += line(cx, p.y + p.h, cx, p.y + p.h + TICK_LEN, { stroke: INK.axis, 'stroke-width': 1 });
      if (!Number.isFinite(v)) continue;
      body += el('g', { class: 'bar' }, tooltip(`${label}: ${texts[i]}`) + rect(band(i), y(v), bw, y(0) - y(v), { fill: color(i) }));
      let top = y(v);
      if (Number.isFinite(e) && e !== 0) {
        const lo = y(v - Math.abs(e));
        const hi = y(v + Math.abs(e));
        body += el('g', { class: 'error-bar' }, errorBarV(cx, lo, hi, Math.min(6, bw * 0.3), INK.text));
        top = Math.min(top, hi);
      }
      if (fits(i)) labels += haloText(cx, top - 5, texts[i], { 'font-size': FONT.note, fill: INK.text, 'text-anchor': 'middle' });
    }
    body += line(p.x, y(0), p.x + p.w, y(0), { stroke: INK.axis, 'stroke-width': 1 });
    body += axisY(p, y, ticks, 'left');
    if (overlay) body += overlay({ plot: p, band, value: y });
    body += labels;
    body += frame.markup;
  }
  return svgDocument({ width: W, height: H, title: o.title, desc, body });
}

/**
 * Bar chart with ± error bars (e.g. block standard errors), for speciation fractions and
 * other per-category values. Long category labels switch to horizontal bars automatically;
 * speciation labels are typeset with sub- and superscripts. Pure and deterministic.
 *
 * @returns a standalone SVG document (string).
 * @throws OptionError when values or errors do not match the categories in length, there
 *   are no categories, or a size is out of range.
 */
export function barChart(o: BarChartOptions): string {
  return renderBars(o, 'barChart');
}
