import { estimateParts } from '../format.js';
import { errorBarV, FONT, gridY, layoutFrame, tickLabelWidth, TICK_LEN, tooltip, axisY } from '../svg/frame.js';
import { INK, OKABE_ITO } from '../svg/palette.js';
import { linearScale } from '../svg/scale.js';
import { el, haloText, line, rect, svgDocument, text } from '../svg/svg.js';
import { niceTicks } from '../svg/ticks.js';
import { check, checkSize, DEFAULT_HEIGHT, DEFAULT_WIDTH } from './common.js';

/** A fraction with its block standard error (null or NaN when unknown). */
export interface FractionWithError {
  fraction: number;
  stderr: number | null;
}

export interface PairingChartOptions {
  /** Per cation-frame: SSIP (no anion in the shell), CIP, AGG. */
  cation: { SSIP: FractionWithError; CIP: FractionWithError; AGG: FractionWithError };
  /** Per anion-frame: SSIP (in no cation's shell), CIP (one), AGG_I (two), AGG_II (three or more). */
  anion: { SSIP: FractionWithError; CIP: FractionWithError; AGG_I: FractionWithError; AGG_II: FractionWithError };
  /** Default `Ion pairing (Seo–Henderson)`. */
  title?: string;
  subtitle?: string;
  /** Cation name for the panel header, e.g. `Mg`. */
  cationName?: string;
  /** Anion name for the panel header, e.g. `TFSI`. */
  anionName?: string;
  width?: number;
  height?: number;
}

/** One colour per pairing class, the same on both sides. */
export const PAIRING_COLORS = {
  SSIP: OKABE_ITO.skyBlue,
  CIP: OKABE_ITO.orange,
  AGG: OKABE_ITO.bluishGreen,
  AGG_I: OKABE_ITO.bluishGreen,
  AGG_II: OKABE_ITO.reddishPurple,
} as const;

const CATION_KEYS = ['SSIP', 'CIP', 'AGG'] as const;
const ANION_KEYS = ['SSIP', 'CIP', 'AGG_I', 'AGG_II'] as const;
const DISPLAY: Record<string, string> = { SSIP: 'SSIP', CIP: 'CIP', AGG: 'AGG', AGG_I: 'AGG-I', AGG_II: 'AGG-II' };

function num(v: number | null | undefined): number {
  return v === null || v === undefined ? NaN : v;
}

/**
 * Ion-pairing fractions from both sides (Seo & Henderson): the cation panel (SSIP / CIP /
 * AGG per cation-frame) beside the anion panel (SSIP / CIP / AGG-I / AGG-II per
 * anion-frame), on one fraction axis from 0 to 1, with ± block standard errors and the
 * values printed at each bar.
 *
 * @returns a standalone SVG document (string).
 * @throws OptionError when a class is missing or a size is out of range.
 */
export function pairingChart(o: PairingChartOptions): string {
  const W = o.width ?? DEFAULT_WIDTH;
  const H = o.height ?? DEFAULT_HEIGHT;
  checkSize('pairingChart', W, H);
  for (const k of CATION_KEYS) check(!!o.cation?.[k], 'pairingChart', `cation.${k}`, 'is required ({fraction, stderr})');
  for (const k of ANION_KEYS) check(!!o.anion?.[k], 'pairingChart', `anion.${k}`, 'is required ({fraction, stderr})');
  const title = o.title ?? 'Ion pairing (Seo–Henderson)';
  const bars = [
    ...CATION_KEYS.map((k) => ({ side: 'cation' as const, key: k, v: num(o.cation[k].fraction), e: num(o.cation[k].stderr) })),
    ...ANION_KEYS.map((k) => ({ side: 'anion' as const, key: k, v: num(o.anion[k].fraction), e: num(o.anion[k].stderr) })),
  ];
  const top = Math.max(1, ...bars.map((b) => (Number.isFinite(b.v) ? b.v + (Number.isFinite(b.e) ? Math.abs(b.e) : 0) : 0)));
  const ticks = niceTicks(0, top, 6);
  const frame = layoutFrame({ width: W, height: H, title, subtitle: o.subtitle, yLabel: 'fraction', yTickWidth: tickLabelWidth(ticks), xTickHeight: FONT.label + 2 });
  const header = FONT.label + 10;
  const p = { ...frame.plot, y: frame.plot.y + header, h: frame.plot.h - header };
  const y = linearScale([ticks.min, ticks.max], [p.y + p.h, p.y]);
  const step = p.w / 8;
  const bw = step * 0.68;
  const slot = (i: number) => (i < 3 ? i : i + 1);
  let body = gridY(p, y, ticks);
  const cName = o.cationName ? `${o.cationName} ` : '';
  const aName = o.anionName ? `${o.anionName} ` : '';
  const headers = [
    { t: `${cName}cations: per cation-frame`, x0: p.x, x1: p.x + 3 * step },
    { t: `${aName}anions: per anion-frame`, x0: p.x + 4 * step, x1: p.x + 8 * step },
  ];
  for (const h of headers) {
    body += text((h.x0 + h.x1) / 2, p.y - 10, h.t, { 'font-size': FONT.label, 'font-weight': 'bold', fill: INK.text, 'text-anchor': 'middle' });
    body += line(h.x0 + 4, p.y + p.h, h.x1 - 4, p.y + p.h, { stroke: INK.axis, 'stroke-width': 1 });
  }
  const desc: string[] = [];
  bars.forEach((b, i) => {
    const cx = p.x + (slot(i) + 0.5) * step;
    const name = DISPLAY[b.key];
    body += line(cx, p.y + p.h, cx, p.y + p.h + TICK_LEN, { stroke: INK.axis, 'stroke-width': 1 });
    body += text(cx, p.y + p.h + TICK_LEN + 3 + FONT.label * 0.8, name, { 'font-size': FONT.label, fill: INK.text, 'text-anchor': 'middle' });
    const [vText, eText] = estimateParts(b.v, b.e);
    desc.push(`${b.side} ${name} ${vText}${eText ? ' ' + eText : ''}`);
    if (!Number.isFinite(b.v)) return;
    const color = PAIRING_COLORS[b.key];
    body += el('g', { class: 'bar' }, tooltip(`${b.side} ${name}: ${vText} ${eText}`) + rect(cx - bw / 2, y(b.v), bw, y(0) - y(b.v), { fill: color }));
    let barTop = y(b.v);
    if (Number.isFinite(b.e) && b.e !== 0) {
      const hi = y(b.v + Math.abs(b.e));
      body += el('g', { class: 'error-bar' }, errorBarV(cx, y(b.v - Math.abs(b.e)), hi, Math.min(6, bw * 0.3), INK.text));
      barTop = Math.min(barTop, hi);
    }
    const lines = eText ? [vText, eText] : [vText];
    const lh = FONT.note + 2;
    const needed = lines.length * lh + 4;
    if (barTop - p.y >= needed) {
      lines.forEach((t, j) => {
        body += text(cx, barTop - 5 - (lines.length - 1 - j) * lh, t, { 'font-size': FONT.note, fill: INK.text, 'text-anchor': 'middle' });
      });
    } else {
      // Tall bar: print inside, below the error bar's lower cap, on a white backing.
      const y0 = y(b.v - (Number.isFinite(b.e) ? Math.abs(b.e) : 0)) + 6;
      lines.forEach((t, j) => {
        body += haloText(cx, y0 + (j + 1) * lh - 2, t, { 'font-size': FONT.note, fill: INK.text, 'text-anchor': 'middle' });
      });
    }
  });
  body += axisY(p, y, ticks, 'left');
  body += frame.markup;
  return svgDocument({ width: W, height: H, title, desc: `Ion-pairing fractions: ${desc.join('; ')}.`, body });
}
