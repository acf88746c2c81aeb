import { escapeXml } from '../svg/escape.js';

/** Escape text for HTML content and attribute values. */
export const escapeHtml = escapeXml;

/**
 * Style sheet inlined into every page: system fonts, readable measure, tables with numeric
 * columns aligned, figures that never split across printed pages. No external resources.
 */
export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #555; --rule: #d9d9d9; --band: #f5f6f8; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; line-height: 1.25; }
h2 { font-size: 1.25rem; margin: 2.2em 0 0.6em; padding-bottom: 4px; border-bottom: 2px solid var(--rule); break-after: avoid; }
h3 { font-size: 1.05rem; margin: 1.6em 0 0.4em; break-after: avoid; }
p, li { max-width: 72ch; }
.lede { color: var(--muted); margin: 0 0 1em; }
nav.toc { font-size: 0.92rem; margin: 12px 0 8px; display: flex; flex-wrap: wrap; gap: 2px 16px; }
nav.toc a { color: var(--accent); text-decoration: none; white-space: nowrap; }
nav.toc a:hover { text-decoration: underline; }
code, .mono { font-family: ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 0.88em; }
.hash { word-break: break-all; }
figure { margin: 18px 0 26px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; max-width: 720px; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.88rem; color: var(--muted); max-width: 720px; margin-top: 6px; }
table { border-collapse: collapse; margin: 8px 0 18px; font-size: 0.9rem; break-inside: auto; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #999; background: var(--band); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0 16px; }
dl.kv dt { font-weight: 600; color: var(--muted); }
dl.kv dd { margin: 0; }
.summary li { margin: 3px 0; }
.warn { background: #fff6e0; border-left: 4px solid #E69F00; padding: 8px 12px; margin: 12px 0; }
.warn ul { margin: 4px 0; }
.status-failed { color: #b00020; font-weight: 600; }
.status-ok { color: #00734f; }
.scroll { overflow-x: auto; max-width: 100%; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 0 24px; }
.grid2 figure svg { max-width: 100%; }
.nowrap { white-space: nowrap; }
.def { break-inside: avoid; margin-bottom: 14px; }
.def pre { background: var(--band); padding: 8px 12px; margin: 6px 0; overflow-x: auto; white-space: pre-wrap; font-size: 0.86rem; line-height: 1.45; }
.def p { margin: 4px 0; }
footer { margin-top: 48px; color: var(--muted); font-size: 0.85rem; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  nav.toc { display: none; }
  figure svg { max-width: 16cm; border: none; }
  h2 { break-before: auto; }
  a { color: inherit; text-decoration: none; }
}
@page { margin: 18mm 16mm; }
`;

/** A table cell: plain text (escaped here), or `{html}` for markup, optionally numeric (right-aligned). */
export type Cell = string | number | { html: string; num?: boolean; nowrap?: boolean } | { text: string; num?: boolean; nowrap?: boolean };

function cellHtml(c: Cell, tag: 'td' | 'th'): string {
  if (typeof c === 'number') return `<${tag} class="num">${escapeHtml(String(c))}</${tag}>`;
  if (typeof c === 'string') return `<${tag}>${escapeHtml(c)}</${tag}>`;
  const classes = [c.num ? 'num' : '', c.nowrap ? 'nowrap' : ''].filter(Boolean).join(' ');
  const cls = classes ? ` class="${classes}"` : '';
  return 'html' in c ? `<${tag}${cls}>${c.html}</${tag}>` : `<${tag}${cls}>${escapeHtml(c.text)}</${tag}>`;
}

/** An HTML table in a horizontally scrolling box; numeric cells say so themselves (`{text, num: true}`). */
export function htmlTable(headers: readonly Cell[], rows: readonly (readonly Cell[])[], caption?: string): string {
  return (
    '<div class="scroll"><table>' +
    (caption ? `<caption>${escapeHtml(caption)}</caption>` : '') +
    '<thead><tr>' +
    headers.map((h) => cellHtml(h, 'th')).join('') +
    '</tr></thead><tbody>' +
    rows.map((r) => '<tr>' + r.map((c) => cellHtml(c, 'td')).join('') + '</tr>').join('') +
    '</tbody></table></div>'
  );
}

/** A figure with an inline SVG and a caption. */
export function figure(svg: string, caption: string, id?: string): string {
  return `<figure${id ? ` id="${escapeHtml(id)}"` : ''}>${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

/** A complete page: doctype, charset, viewport, title, the inline CSS and the body. */
export function htmlPage(title: string, body: string, lang = 'en'): string {
  return (
    `<!DOCTYPE html>\n<html lang="${escapeHtml(lang)}">\n<head>\n<meta charset="utf-8">\n` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">\n` +
    `<title>${escapeHtml(title)}</title>\n<style>${REPORT_CSS}</style>\n</head>\n<body>\n<main>\n${body}\n</main>\n</body>\n</html>\n`
  );
}

/** Render any JSON-like value readably: objects as key–value lists, arrays of scalars joined. */
export function valueHtml(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return '<span class="muted">—</span>';
  if (typeof v === 'number') return escapeHtml(Number.isFinite(v) ? String(v) : '—');
  if (typeof v === 'string') return escapeHtml(v);
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) {
    if (v.every((x) => x === null || typeof x !== 'object')) return v.map((x) => valueHtml(x, depth + 1)).join(', ');
    return '<ol>' + v.map((x) => `<li>${valueHtml(x, depth + 1)}</li>`).join('') + '</ol>';
  }
  if (typeof v === 'object') {
    if (depth > 4) return `<code>${escapeHtml(JSON.stringify(v))}</code>`;
    const entries = Object.entries(v as Record<string, unknown>);
    if (!entries.length) return '—';
    if (entries.length <= 6 && entries.every(([, x]) => x === null || typeof x !== 'object')) {
      return entries.map(([k, x]) => `${escapeHtml(k)} = ${valueHtml(x, depth + 1)}`).join(' · ');
    }
    return '<dl class="kv">' + entries.map(([k, x]) => `<dt>${escapeHtml(k)}</dt><dd>${valueHtml(x, depth + 1)}</dd>`).join('') + '</dl>';
  }
  return escapeHtml(String(v));
}

/** True for a relative link (no scheme such as http: or file:, not protocol-relative). */
export function isLocalHref(h: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(h) && !h.startsWith('//');
}

/** The figures of a rendered page as standalone SVG documents, by figure id (for `*.svg` files). */
export function extractFigures(html: string): { id: string; svg: string }[] {
  const out: { id: string; svg: string }[] = [];
  const re = /<figure id="([^"]+)">(<svg[\s\S]*?<\/svg>)<figcaption>/g;
  for (let m = re.exec(html); m; m = re.exec(html)) out.push({ id: m[1].replace(/&amp;/g, '&').replace(/[^A-Za-z0-9._+-]+/g, '_'), svg: m[2] });
  return out;
}
