import { chemTextSvg, chemTextWidth } from './chem-label.js';
import { escapeXml } from './escape.js';
import { INK } from './palette.js';
import type { LinearScale } from './scale.js';
import { el, line, px, text, type Attrs } from './svg.js';
import { textWidth, truncateText } from './text-metrics.js';
import { formatTick, type Ticks } from './ticks.js';

/** Font sizes (px) shared by all charts: legible at 640×400 on screen and in print. */
export const FONT = { title: 16, subtitle: 12.5, label: 13, tick: 12, legend: 12.5, note: 11.5 } as const;
export const TICK_LEN = 5;

/** The plotting rectangle. */
export interface PlotArea {
  x: number;
  y: number;
  w: number;
  h: number;
}

export type MarkerShape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'cross';
export const MARKERS: readonly MarkerShape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'cross'];

/** A legend entry: a line sample (optionally dashed, with a marker) or a filled swatch. */
export interface LegendItem {
  label: string;
  color: string;
  kind: 'line' | 'swatch';
  dash?: string | null;
  marker?: MarkerShape;
  strokeWidth?: number;
}

const LEGEND_SAMPLE = 26;
const LEGEND_GAP = 18;

function legendItemWidth(it: LegendItem): number {
  return (it.kind === 'line' ? LEGEND_SAMPLE : 12) + 6 + chemTextWidth(it.label, FONT.legend);
}

/** Lay legend items into rows no wider than `maxWidth`; returns the rows. */
function legendRows(items: readonly LegendItem[], maxWidth: number): LegendItem[][] {
  const rows: LegendItem[][] = [];
  let row: LegendItem[] = [];
  let w = 0;
  for (const it of items) {
    const iw = legendItemWidth(it);
    if (row.length && w + LEGEND_GAP + iw > maxWidth) {
      rows.push(row);
      row = [];
      w = 0;
    }
    w += (row.length ? LEGEND_GAP : 0) + iw;
    row.push(it);
  }
  if (row.length) rows.push(row);
  return rows;
}

/** SVG for a marker centred at (x, y) with radius-like size r. */
export function marker(shape: MarkerShape, x: number, y: number, r: number, color: string, fill = color): string {
  const common = { fill, stroke: color, 'stroke-width': 1.3 };
  switch (shape) {
    case 'circle':
      return el('circle', { cx: x, cy: y, r, ...common });
    case 'square':
      return el('rect', { x: x - r * 0.88, y: y - r * 0.88, width: r * 1.76, height: r * 1.76, ...common });
    case 'diamond':
      return el('path', { d: `M${px(x)} ${px(y - r * 1.2)}L${px(x + r * 1.2)} ${px(y)}L${px(x)} ${px(y + r * 1.2)}L${px(x - r * 1.2)} ${px(y)}Z`, ...common });
    case 'triangle':
      return el('path', { d: `M${px(x)} ${px(y - r * 1.2)}L${px(x + r * 1.1)} ${px(y + r * 0.8)}L${px(x - r * 1.1)} ${px(y + r * 0.8)}Z`, ...common });
    case 'triangle-down':
      return el('path', { d: `M${px(x)} ${px(y + r * 1.2)}L${px(x + r * 1.1)} ${px(y - r * 0.8)}L${px(x - r * 1.1)} ${px(y - r * 0.8)}Z`, ...common });
    case 'cross':
      return el('path', { d: `M${px(x - r)} ${px(y - r)}L${px(x + r)} ${px(y + r)}M${px(x - r)} ${px(y + r)}L${px(x + r)} ${px(y - r)}`, fill: 'none', stroke: color, 'stroke-width': 2 });
  }
}

export interface FrameOptions {
  width: number;
  height: number;
  title: string;
  subtitle?: string;
  legend?: readonly LegendItem[];
  /** Left axis label (rotated). */
  yLabel?: string;
  /** Right axis label (rotated), for a second y axis. */
  y2Label?: string;
  xLabel?: string;
  /** Widest left tick label, px. */
  yTickWidth: number;
  /** Widest right tick label, px (second axis). */
  y2TickWidth?: number;
  /** Height taken by x tick labels, px (default one line of tick text). */
  xTickHeight?: number;
  /** Extra right margin, px (e.g. for labels that overhang the plot). */
  rightExtra?: number;
}

export interface Frame {
  plot: PlotArea;
  /** Title, subtitle, legend and axis labels. */
  markup: string;
}

/**
 * Lay out a chart: title and subtitle at the top, then the legend (wrapped into rows), then
 * the plot area, framed by room for tick labels and axis labels on every side that has them.
 */
export function layoutFrame(o: FrameOptions): Frame {
  const pad = 10;
  let top = pad;
  let markup = '';
  const maxTitle = o.width - 2 * pad;
  top += FONT.title;
  markup += richText(pad + 2, top, o.title, maxTitle, FONT.title, { 'font-weight': 'bold', fill: INK.text }, true);
  if (o.subtitle) {
    top += FONT.subtitle + 6;
    markup += richText(pad + 2, top, o.subtitle, maxTitle, FONT.subtitle, { fill: INK.muted });
  }
  top += 8;

  const left = pad + (o.yLabel ? FONT.label + 8 : 0) + o.yTickWidth + TICK_LEN + 5;
  const right = o.y2Label !== undefined || o.y2TickWidth !== undefined
    ? pad + (o.y2Label ? FONT.label + 8 : 0) + (o.y2TickWidth ?? 0) + TICK_LEN + 5
    : pad + 12;
  const rightMargin = right + (o.rightExtra ?? 0);

  if (o.legend && o.legend.length) {
    const rows = legendRows(o.legend, o.width - left - rightMargin);
    for (const row of rows) {
      top += 6;
      const cy = top + FONT.legend / 2;
      let x = left;
      for (const it of row) {
        markup += legendSample(it, x, cy);
        x += (it.kind === 'line' ? LEGEND_SAMPLE : 12) + 6;
        markup += el('text', { x, y: cy + FONT.legend * 0.36, 'font-size': FONT.legend, fill: INK.text }, chemTextSvg(it.label, FONT.legend));
        x += chemTextWidth(it.label, FONT.legend) + LEGEND_GAP;
      }
      top += FONT.legend + 2;
    }
    top += 6;
  }
  top += 8;

  const xTick = o.xTickHeight ?? FONT.tick;
  const bottom = pad + TICK_LEN + 4 + xTick + (o.xLabel ? 10 + FONT.label : 0) + 4;
  const plot: PlotArea = { x: left, y: top, w: Math.max(40, o.width - left - rightMargin), h: Math.max(40, o.height - top - bottom) };

  if (o.yLabel) {
    const cx = pad + FONT.label * 0.85;
    const cy = plot.y + plot.h / 2;
    markup += text(cx, cy, truncateText(o.yLabel, plot.h + 40, FONT.label), {
      'font-size': FONT.label,
      fill: INK.text,
      'text-anchor': 'middle',
      transform: `rotate(-90 ${px(cx)} ${px(cy)})`,
    });
  }
  if (o.y2Label) {
    const cx = o.width - pad - FONT.label * 0.85 - (o.rightExtra ?? 0);
    const cy = plot.y + plot.h / 2;
    markup += text(cx, cy, truncateText(o.y2Label, plot.h + 40, FONT.label), {
      'font-size': FONT.label,
      fill: INK.text,
      'text-anchor': 'middle',
      transform: `rotate(90 ${px(cx)} ${px(cy)})`,
    });
  }
  if (o.xLabel) {
    markup += text(plot.x + plot.w / 2, o.height - pad - 2, truncateText(o.xLabel, o.width - 2 * pad, FONT.label), {
      'font-size': FONT.label,
      fill: INK.text,
      'text-anchor': 'middle',
    });
  }
  return { plot, markup };
}

/**
 * Text that may hold speciation labels (typeset with sub/superscripts); when it is wider
 * than maxWidth it is truncated as plain text, with the full text as a tooltip.
 */
function richText(x: number, y: number, s: string, maxWidth: number, size: number, attrs: Attrs, bold = false): string {
  const k = bold ? 1.07 : 1;
  if (chemTextWidth(s, size) * k <= maxWidth) return el('text', { x, y, 'font-size': size, ...attrs }, chemTextSvg(s, size));
  return el('text', { x, y, 'font-size': size, ...attrs }, tooltip(s) + escapeXml(truncateText(s, maxWidth, size * k)));
}

function legendSample(it: LegendItem, x: number, cy: number): string {
  if (it.kind === 'swatch') return el('rect', { x, y: cy - 6, width: 12, height: 12, fill: it.color, stroke: it.color });
  let s = line(x, cy, x + LEGEND_SAMPLE, cy, {
    stroke: it.color,
    'stroke-width': it.strokeWidth ?? 2,
    'stroke-dasharray': it.dash ?? null,
  });
  if (it.marker) s += marker(it.marker, x + LEGEND_SAMPLE / 2, cy, 3.6, it.color);
  return s;
}

/** Widest tick label of an axis, px. */
export function tickLabelWidth(ticks: Ticks, format: (v: number) => string = (v) => formatTick(v, ticks.decimals)): number {
  let w = 0;
  for (const v of ticks.values) w = Math.max(w, textWidth(format(v), FONT.tick));
  return w;
}

/** Horizontal grid lines at the y ticks (drawn first, under the data). */
export function gridY(plot: PlotArea, y: LinearScale, ticks: Ticks): string {
  let s = '';
  for (const v of ticks.values) {
    const yy = y(v);
    if (yy < plot.y - 0.5 || yy > plot.y + plot.h + 0.5) continue;
    s += line(plot.x, yy, plot.x + plot.w, yy, { stroke: INK.grid, 'stroke-width': 1 });
  }
  return s;
}

/** Vertical grid lines at the x ticks. */
export function gridX(plot: PlotArea, x: LinearScale, ticks: Ticks): string {
  let s = '';
  for (const v of ticks.values) {
    const xx = x(v);
    if (xx < plot.x - 0.5 || xx > plot.x + plot.w + 0.5) continue;
    s += line(xx, plot.y, xx, plot.y + plot.h, { stroke: INK.grid, 'stroke-width': 1 });
  }
  return s;
}

/** Left (or right, with `side: 'right'`) value axis with ticks and labels. */
export function axisY(plot: PlotArea, y: LinearScale, ticks: Ticks, side: 'left' | 'right' = 'left', color: string = INK.axis): string {
  const x0 = side === 'left' ? plot.x : plot.x + plot.w;
  const dir = side === 'left' ? -1 : 1;
  let s = line(x0, plot.y, x0, plot.y + plot.h, { stroke: color, 'stroke-width': 1 });
  for (const v of ticks.values) {
    const yy = y(v);
    if (yy < plot.y - 0.5 || yy > plot.y + plot.h + 0.5) continue;
    s += line(x0, yy, x0 + dir * TICK_LEN, yy, { stroke: color, 'stroke-width': 1 });
    s += text(x0 + dir * (TICK_LEN + 3), yy + FONT.tick * 0.35, formatTick(v, ticks.decimals), {
      'font-size': FONT.tick,
      fill: side === 'left' ? INK.text : color,
      'text-anchor': side === 'left' ? 'end' : 'start',
    });
  }
  return s;
}

/** Bottom value axis with ticks and labels. */
export function axisX(plot: PlotArea, x: LinearScale, ticks: Ticks): string {
  const y0 = plot.y + plot.h;
  let s = line(plot.x, y0, plot.x + plot.w, y0, { stroke: INK.axis, 'stroke-width': 1 });
  for (const v of ticks.values) {
    const xx = x(v);
    if (xx < plot.x - 0.5 || xx > plot.x + plot.w + 0.5) continue;
    s += line(xx, y0, xx, y0 + TICK_LEN, { stroke: INK.axis, 'stroke-width': 1 });
    s += text(xx, y0 + TICK_LEN + 3 + FONT.tick * 0.8, formatTick(v, ticks.decimals), {
      'font-size': FONT.tick,
      fill: INK.text,
      'text-anchor': 'middle',
    });
  }
  return s;
}

/** A clip path for the plot area, and the attribute that applies it. */
export function plotClip(id: string, plot: PlotArea): { defs: string; attr: string } {
  return {
    defs: el('defs', {}, el('clipPath', { id }, el('rect', { x: plot.x, y: plot.y, width: plot.w, height: plot.h }))),
    attr: `url(#${id})`,
  };
}

/** Vertical error bar with caps from y(lo) to y(hi) at x. */
export function errorBarV(x: number, yLo: number, yHi: number, cap: number, color: string, width = 1.4): string {
  return (
    line(x, yLo, x, yHi, { stroke: color, 'stroke-width': width }) +
    line(x - cap, yLo, x + cap, yLo, { stroke: color, 'stroke-width': width }) +
    line(x - cap, yHi, x + cap, yHi, { stroke: color, 'stroke-width': width })
  );
}

/** Horizontal error bar with caps from x(lo) to x(hi) at y. */
export function errorBarH(y: number, xLo: number, xHi: number, cap: number, color: string, width = 1.4): string {
  return (
    line(xLo, y, xHi, y, { stroke: color, 'stroke-width': width }) +
    line(xLo, y - cap, xLo, y + cap, { stroke: color, 'stroke-width': width }) +
    line(xHi, y - cap, xHi, y + cap, { stroke: color, 'stroke-width': width })
  );
}

/** Escape for use inside a `<title>` tooltip element. */
export function tooltip(s: string): string {
  return el('title', {}, escapeXml(s));
}
