// @vitest-environment jsdom
import { readJson } from '@solvscope/fixtures';
import { OptionError } from '@solvscope/core';
import { describe, expect, it } from 'vitest';
import { num, parseXml, textWith, textsWith } from '../testing/xml.js';
import { rdfChart } from './rdf-chart.js';

const ref = readJson<any>('mg-tfsi-dme', 'ref.json');
const mda = ref.rdf['MG-ODME'].MDAnalysis;
const base = { r: mda.bins as number[], g: mda.rdf as number[], n: mda.n_r_from_counts as number[], title: 'Mg–O(DME)', pairLabel: 'Mg–O(DME)' };

/** x pixel of an x-axis tick label (the x axis is the only one with centred tick labels). */
function xTick(doc: Document, label: string): number {
  const t = textsWith(doc, label).filter((e) => e.getAttribute('text-anchor') === 'middle');
  expect(t).toHaveLength(1);
  return num(t[0], 'x');
}

/** Every y coordinate of a path's M/L commands. */
function pathYs(d: string): number[] {
  return [...d.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => Number(m[2]));
}

describe('rdfChart', () => {
  it('is a well-formed, titled, accessible SVG document', () => {
    const doc = parseXml(rdfChart({ ...base, cutoff: 2.41 }));
    const svg = doc.documentElement;
    expect(svg.nodeName).toBe('svg');
    expect(svg.getAttribute('viewBox')).toBe('0 0 640 400');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.firstElementChild?.nodeName).toBe('title');
    expect(svg.firstElementChild?.textContent).toBe('Mg–O(DME)');
    expect(doc.getElementsByTagName('desc')[0].textContent).toContain('2.41 Å');
  });

  it('gives the same bytes for the same input', () => {
    expect(rdfChart({ ...base, cutoff: 2.41 })).toBe(rdfChart({ ...base, cutoff: 2.41 }));
  });

  it('draws the cutoff line at the pixel the r axis assigns to 2.41 Å and labels it with n at the cutoff', () => {
    const doc = parseXml(rdfChart({ ...base, cutoff: 2.41 }));
    const x0 = xTick(doc, '0');
    const x12 = xTick(doc, '12');
    const line = Array.from(doc.getElementsByTagName('line')).filter((l) => l.getAttribute('class') === 'cutoff');
    expect(line).toHaveLength(1);
    const expected = x0 + (2.41 / 12) * (x12 - x0);
    expect(num(line[0], 'x1')).toBeCloseTo(expected, 1);
    expect(num(line[0], 'x2')).toBeCloseTo(expected, 1);
    textWith(doc, 'cutoff 2.41 Å');
    // ref.json: n from counts at the first minimum's upper edge is 4.25 (plateau from 2.2 to 2.75 Å).
    textWith(doc, `n(cutoff) = ${ref.rdf['MG-ODME'].MDAnalysis.first_min.n_from_counts_at_upper_edge}`);
  });

  it('labels the r axis every 2 Å from 0 to 12 with the unit in the axis title', () => {
    const doc = parseXml(rdfChart(base));
    for (const v of ['0', '2', '4', '6', '8', '10', '12']) xTick(doc, v);
    textWith(doc, 'r (Å)');
    const rotated = (label: string) => textsWith(doc, label).filter((t) => /rotate\(/.test(t.getAttribute('transform') ?? ''));
    expect(rotated('g(r)')).toHaveLength(1);
    expect(rotated('n(r), running coordination number')).toHaveLength(1);
  });

  it('leaves headroom above a first peak of g > 50 instead of clipping it', () => {
    const doc = parseXml(rdfChart(base));
    const clip = doc.getElementsByTagName('clipPath')[0].firstElementChild!;
    const plotTop = num(clip, 'y');
    const plotBottom = plotTop + num(clip, 'height');
    const gPath = Array.from(doc.getElementsByTagName('path')).find((p) => p.getAttribute('stroke') === '#0072B2' && !p.getAttribute('stroke-dasharray'))!;
    const ys = pathYs(gPath.getAttribute('d')!);
    expect(ys).toHaveLength(mda.rdf.length);
    const top = Math.min(...ys);
    expect(top).toBeGreaterThan(plotTop + 0.02 * (plotBottom - plotTop));
    expect(Math.max(...ys)).toBeLessThanOrEqual(plotBottom + 0.01);
  });

  it('shows the raw minimum as its own line only when it is visibly apart from the cutoff', () => {
    const apart = parseXml(rdfChart({ ...base, cutoff: 2.41, cutoffRaw: 2.75 }));
    textWith(apart, 'raw-histogram minimum');
    const close = parseXml(rdfChart({ ...base, cutoff: 2.42, cutoffRaw: 2.41 }));
    expect(textsWith(close, 'raw-histogram minimum')).toHaveLength(0);
    textWith(close, 'raw minimum 2.41 Å');
  });

  it('escapes markup in the title and pair label', () => {
    const doc = parseXml(rdfChart({ ...base, title: 'A<B & "C"', pairLabel: 'x<y' }));
    expect(doc.documentElement.getAttribute('aria-label')).toBe('A<B & "C"');
    expect(doc.getElementsByTagName('desc')[0].textContent).toContain('x<y');
  });

  it('draws g alone without a right axis when n is not given', () => {
    const doc = parseXml(rdfChart({ r: base.r, g: base.g, title: 't', pairLabel: 'p' }));
    expect(textsWith(doc, 'n(r), running coordination number')).toHaveLength(0);
  });

  it('rejects g and r of different lengths, naming the option', () => {
    expect(() => rdfChart({ ...base, g: base.g.slice(1) })).toThrow(OptionError);
    expect(() => rdfChart({ ...base, g: base.g.slice(1) })).toThrow(/rdfChart: g must have one value per r \(600\), got 599/);
    expect(() => rdfChart({ ...base, r: [1, 0.5], g: [1, 1], n: null })).toThrow(/r must be increasing/);
  });
});
