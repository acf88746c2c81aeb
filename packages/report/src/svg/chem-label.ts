import { escapeXml } from './escape.js';
import { px } from './svg.js';
import { textWidth } from './text-metrics.js';

/** One run of a label: normal text, subscript (stoichiometric count) or superscript (charge). */
export interface LabelPiece {
  text: string;
  kind: 'normal' | 'sub' | 'sup';
}

const BRACKETED = /^\[(.*)\]([0-9]*[+\-\u2212])?$/s;

/**
 * Split a speciation label such as `[Mg(TFSI)(DME)2]+` into runs: counts after a letter or a
 * closing parenthesis inside the brackets become subscripts, and the charge after `]` a
 * superscript with a true minus sign. Labels not of the bracketed form come back as one
 * normal run, so species names with digits outside brackets are left alone.
 */
export function splitChemLabel(label: string): LabelPiece[] {
  const m = BRACKETED.exec(label);
  if (!m) return [{ text: label, kind: 'normal' }];
  const pieces: LabelPiece[] = [];
  const push = (t: string, kind: LabelPiece['kind']) => {
    const last = pieces[pieces.length - 1];
    if (last && last.kind === kind) last.text += t;
    else pieces.push({ text: t, kind });
  };
  push('[', 'normal');
  const inner = m[1];
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    const prev = i > 0 ? inner[i - 1] : '';
    const isDigit = ch >= '0' && ch <= '9';
    const afterCountable = /[A-Za-z)\]]/.test(prev) || (pieces[pieces.length - 1]?.kind === 'sub' && /[0-9]/.test(prev));
    push(ch, isDigit && afterCountable ? 'sub' : 'normal');
  }
  push(']', 'normal');
  if (m[2]) push(m[2].replace('-', '\u2212'), 'sup');
  return pieces;
}

/** Relative size of sub- and superscripts. */
const SMALL = 0.72;

/** Markup of one label and the baseline shift (px) left at its end. */
function chemLabelParts(label: string, fontSize: number): { markup: string; shift: number } {
  const pieces = splitChemLabel(label);
  if (pieces.length === 1) return { markup: escapeXml(label), shift: 0 };
  let out = '';
  let shift = 0;
  for (const p of pieces) {
    const target = p.kind === 'sub' ? 0.28 * fontSize : p.kind === 'sup' ? -0.38 * fontSize : 0;
    const dy = target - shift;
    shift = target;
    const attrs = (dy !== 0 ? ` dy="${px(dy)}"` : '') + (p.kind !== 'normal' ? ` font-size="${px(fontSize * SMALL)}"` : '');
    out += attrs ? `<tspan${attrs}>${escapeXml(p.text)}</tspan>` : escapeXml(p.text);
  }
  return { markup: out, shift };
}

/**
 * SVG `<tspan>` markup for a label at `fontSize` px, sub/superscripts shifted with `dy` (which
 * every SVG renderer supports, unlike `baseline-shift`). Meant to be the whole content of a
 * `<text>`; for labels inside running text use {@link chemTextSvg}, which restores the baseline.
 */
export function chemLabelSvg(label: string, fontSize: number): string {
  return chemLabelParts(label, fontSize).markup;
}

/** HTML for a label with `<sub>`/`<sup>`. */
export function chemLabelHtml(label: string): string {
  return splitChemLabel(label)
    .map((p) => (p.kind === 'normal' ? escapeXml(p.text) : `<${p.kind}>${escapeXml(p.text)}</${p.kind}>`))
    .join('');
}

/** Estimated width (px) of a label rendered by {@link chemLabelSvg}. */
export function chemLabelWidth(label: string, fontSize: number): number {
  let w = 0;
  for (const p of splitChemLabel(label)) w += textWidth(p.text, p.kind === 'normal' ? fontSize : fontSize * SMALL);
  return w;
}

/** Speciation labels inside running text, e.g. the `[Mg(DME)3]2+` in `fraction of [Mg(DME)3]2+`. */
const EMBEDDED = /\[[^\s[\]]*\][0-9]*[+\-\u2212]?/g;

/**
 * SVG markup for running text in which any bracketed speciation label is typeset with
 * sub/superscripts (the rest is escaped as is). Used for titles and legend entries.
 */
export function chemTextSvg(text: string, fontSize: number): string {
  let out = '';
  let last = 0;
  let shift = 0;
  const plain = (t: string) => {
    if (!t) return '';
    const r = shift !== 0 ? `<tspan dy="${px(-shift)}">${escapeXml(t)}</tspan>` : escapeXml(t);
    shift = 0;
    return r;
  };
  for (const m of text.matchAll(EMBEDDED)) {
    out += plain(text.slice(last, m.index));
    const part = chemLabelParts(m[0], fontSize);
    out += shift !== 0 ? `<tspan dy="${px(-shift)}">${part.markup}</tspan>` : part.markup;
    shift = part.shift;
    last = m.index! + m[0].length;
  }
  return out + plain(text.slice(last));
}

/** Estimated width (px) of running text rendered by {@link chemTextSvg}. */
export function chemTextWidth(text: string, fontSize: number): number {
  let w = 0;
  let last = 0;
  for (const m of text.matchAll(EMBEDDED)) {
    w += textWidth(text.slice(last, m.index), fontSize) + chemLabelWidth(m[0], fontSize);
    last = m.index! + m[0].length;
  }
  return w + textWidth(text.slice(last), fontSize);
}
