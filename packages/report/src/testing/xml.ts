/**
 * Test helpers: parse SVG as XML with the DOMParser of a jsdom test environment (files using
 * them start with `// @vitest-environment jsdom`) and read positions back out of charts.
 */

/** Parse `text` as XML; throws with the parser's message when it is not well-formed. */
export function parseXml(text: string, type: DOMParserSupportedType = 'image/svg+xml'): Document {
  const doc = new DOMParser().parseFromString(text, type);
  const err = doc.getElementsByTagName('parsererror')[0];
  if (err) throw new Error(`not well-formed XML: ${err.textContent}`);
  return doc;
}

/** A number attribute (NaN when absent). */
export function num(el: Element, name: string): number {
  const v = el.getAttribute(name);
  return v === null ? NaN : Number(v);
}

/** Text elements whose own text content equals `content` (halo copies excluded). */
export function textsWith(doc: Document, content: string): Element[] {
  return Array.from(doc.getElementsByTagName('text')).filter((t) => t.textContent === content && t.getAttribute('aria-hidden') !== 'true');
}

/** The single text element with exactly this content. */
export function textWith(doc: Document, content: string): Element {
  const all = textsWith(doc, content);
  if (all.length !== 1) throw new Error(`expected one text "${content}", found ${all.length}`);
  return all[0];
}

/** The lines inside elements of class `cls` (error bars: three lines each, the first the bar). */
export function groupsOfClass(doc: Document, cls: string): Element[] {
  return Array.from(doc.getElementsByTagName('g')).filter((g) => (g.getAttribute('class') ?? '').split(/\s+/).includes(cls));
}

/** Every href and src attribute value of a document. */
export function links(doc: Document): string[] {
  const out: string[] = [];
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    for (const a of ['href', 'src', 'xlink:href']) {
      const v = el.getAttribute(a);
      if (v !== null) out.push(v);
    }
  }
  return out;
}
