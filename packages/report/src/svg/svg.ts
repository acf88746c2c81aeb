import { escapeXml } from './escape.js';
import { FONT_FAMILY } from './text-metrics.js';

/** Attribute values; null, undefined and false omit the attribute. */
export type Attrs = Record<string, string | number | null | undefined | false>;

/**
 * Print a pixel coordinate with at most 2 decimals (1/100 px is far below what a screen or
 * printer resolves), without trailing zeros or `-0`, so output is small and deterministic.
 */
export function px(v: number): string {
  if (!Number.isFinite(v)) return '0';
  const r = Math.round(v * 100) / 100;
  return String(r === 0 ? 0 : r);
}

function attrString(attrs: Attrs): string {
  let s = '';
  for (const k of Object.keys(attrs)) {
    const v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    s += ` ${k}="${escapeXml(typeof v === 'number' ? px(v) : v)}"`;
  }
  return s;
}

/**
 * One element. `content` is markup (already escaped); with no content the element is
 * self-closing.
 */
export function el(tag: string, attrs: Attrs = {}, content?: string): string {
  const a = attrString(attrs);
  return content === undefined || content === '' ? `<${tag}${a}/>` : `<${tag}${a}>${content}</${tag}>`;
}

/** A text element holding `text` (escaped here). */
export function text(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, escapeXml(content));
}

/**
 * Text with a white halo, readable over lines and bars: a white-stroked copy (hidden from
 * screen readers) under the normal text. Two elements rather than `paint-order`, which older
 * SVG renderers ignore (they would paint the white stroke over the glyphs).
 */
export function haloText(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return (
    text(x, y, content, { ...attrs, stroke: '#ffffff', 'stroke-width': 3, 'stroke-linejoin': 'round', 'aria-hidden': 'true' }) +
    text(x, y, content, attrs)
  );
}

/** A line segment. */
export function line(x1: number, y1: number, x2: number, y2: number, attrs: Attrs = {}): string {
  return el('line', { x1, y1, x2, y2, ...attrs });
}

/** A rectangle; negative width/height are normalised. */
export function rect(x: number, y: number, w: number, h: number, attrs: Attrs = {}): string {
  return el('rect', { x: Math.min(x, x + w), y: Math.min(y, y + h), width: Math.abs(w), height: Math.abs(h), ...attrs });
}

/**
 * Polyline path through the points; non-finite points break the line into pieces.
 */
export function pathThrough(xs: ArrayLike<number>, ys: ArrayLike<number>): string {
  let d = '';
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${px(x)} ${px(y)}`;
    pen = true;
  }
  return d;
}

/**
 * Deterministic short id from a string (FNV-1a, 32 bit, base 36), for clip paths of SVGs
 * that are inlined several to one HTML page, where ids must not collide.
 */
export function stableId(prefix: string, seed: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${prefix}-${h.toString(36)}`;
}

export interface SvgDocumentOptions {
  width: number;
  height: number;
  /** Accessible name (the `<title>` child and `aria-label`). */
  title: string;
  /** Longer accessible description (`<desc>`). */
  desc?: string;
  /** Inner markup. */
  body: string;
  /** Extra class on the root element. */
  className?: string;
}

/**
 * A standalone SVG document: explicit size and viewBox (so it scales when inlined), a white
 * background (PNG exports and dark viewers), `role="img"` with `<title>`/`<desc>` for screen
 * readers, system fonts only.
 */
export function svgDocument(o: SvgDocumentOptions): string {
  const head = el('title', {}, escapeXml(o.title)) + (o.desc ? el('desc', {}, escapeXml(o.desc)) : '');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg"${attrString({
      width: o.width,
      height: o.height,
      viewBox: `0 0 ${px(o.width)} ${px(o.height)}`,
      role: 'img',
      'aria-label': o.title,
      class: o.className,
      'font-family': FONT_FAMILY,
    })}>` +
    head +
    rect(0, 0, o.width, o.height, { fill: '#ffffff' }) +
    o.body +
    '</svg>'
  );
}
