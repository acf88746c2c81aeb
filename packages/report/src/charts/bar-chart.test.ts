// @vitest-environment jsdom
import { OptionError } from '@solvscope/core';
import { describe, expect, it } from 'vitest';
import { groupsOfClass, num, parseXml, textsWith } from '../testing/xml.js';
import { chemLabelWidth } from '../svg/chem-label.js';
import { barChart } from './bar-chart.js';

const labels = ['[Mg(TFSI)2(DME)2]', '[Mg(DME)3]2+', '[Mg(TFSI)4(DME)]2-', '[Mg(TFSI)(DME)3]+'];
const values = [0.667, 0.167, 0.083, 0.083];
const errors = [0.021, 0.015, 0.009, 0.004];

/** Pixel per unit along an axis from two tick labels (same anchor offset cancels). */
function scale(doc: Document, anchor: 'end' | 'middle', a: string, b: string, attr: 'x' | 'y'): { at: (v: number) => number } {
  const pick = (s: string) => textsWith(doc, s).filter((t) => t.getAttribute('text-anchor') === anchor)[0];
  const pa = num(pick(a), attr);
  const pb = num(pick(b), attr);
  const k = (pb - pa) / (Number(b) - Number(a));
  return { at: (v: number) => pa + (v - Number(a)) * k };
}

describe('barChart', () => {
  it('is well-formed XML with the title and one bar per category', () => {
    const doc = parseXml(barChart({ categories: labels, values, errors, title: 'Speciation', yLabel: 'fraction', horizontal: false }));
    expect(doc.documentElement.firstElementChild?.textContent).toBe('Speciation');
    expect(groupsOfClass(doc, 'bar')).toHaveLength(4);
  });

  it('draws vertical error bars of ± stderr on the value axis scale', () => {
    const doc = parseXml(barChart({ categories: labels, values, errors, title: 'Speciation', yLabel: 'fraction', horizontal: false }));
    // Tick labels sit a constant offset below their ticks, so their spacing gives px per unit.
    const y = scale(doc, 'end', '0', '0.2', 'y');
    const k = y.at(0) - y.at(1);
    const rects = groupsOfClass(doc, 'bar').map((g) => g.getElementsByTagName('rect')[0]);
    const bars = groupsOfClass(doc, 'error-bar');
    expect(bars).toHaveLength(4);
    bars.forEach((g, i) => {
      const l = g.getElementsByTagName('line')[0];
      const base = num(rects[i], 'y') + num(rects[i], 'height');
      expect(num(rects[i], 'height')).toBeCloseTo(values[i] * k, 1);
      expect(base - Math.min(num(l, 'y1'), num(l, 'y2'))).toBeCloseTo((values[i] + errors[i]) * k, 1);
      expect(base - Math.max(num(l, 'y1'), num(l, 'y2'))).toBeCloseTo((values[i] - errors[i]) * k, 1);
      expect(num(l, 'x1')).toBeCloseTo(num(rects[i], 'x') + num(rects[i], 'width') / 2, 6);
    });
  });

  it('draws horizontal error bars of ± stderr when the bars lie down', () => {
    const doc = parseXml(barChart({ categories: labels, values, errors, title: 'Speciation', yLabel: 'fraction', horizontal: true }));
    const x = scale(doc, 'middle', '0', '0.2', 'x');
    const bars = groupsOfClass(doc, 'error-bar');
    bars.forEach((g, i) => {
      const l = g.getElementsByTagName('line')[0];
      expect(num(l, 'x1')).toBeCloseTo(x.at(values[i] - errors[i]), 1);
      expect(num(l, 'x2')).toBeCloseTo(x.at(values[i] + errors[i]), 1);
      expect(num(l, 'y1')).toBe(num(l, 'y2'));
    });
  });

  it('lays long labels out horizontally by itself and keeps them within the chart', () => {
    const long = [...labels, '[Mg(TFSI)(DME)(H2O)2(PF6)3]3-', '[Mg]2+'];
    const svg = barChart({ categories: long, values: [0.6, 0.2, 0.1, 0.05, 0.03, 0.02], title: 't', yLabel: 'fraction' });
    const doc = parseXml(svg);
    const text = '[Mg(TFSI)(DME)(H2O)2(PF6)3]3\u2212';
    const label = Array.from(doc.getElementsByTagName('text')).find((t) => t.textContent === text)!;
    expect(label.getAttribute('text-anchor')).toBe('end');
    // Right-aligned at x: the label fits when x exceeds its width (estimated, 12.5 px font).
    expect(num(label, 'x') - chemLabelWidth('[Mg(TFSI)(DME)(H2O)2(PF6)3]3-', 12.5)).toBeGreaterThan(0);
  });

  it('escapes < and & in labels and titles', () => {
    const svg = barChart({ categories: ['<b>bold</b>', 'A & B'], values: [1, 2], title: 'x < y & z', yLabel: 'n <1>' });
    expect(svg).not.toContain('<b>');
    const doc = parseXml(svg);
    expect(doc.documentElement.getAttribute('aria-label')).toBe('x < y & z');
    expect(textsWith(doc, '<b>bold</b>').length + textsWith(doc, 'A & B').length).toBe(2);
  });

  it('draws no bar and no error bar for missing values', () => {
    const doc = parseXml(barChart({ categories: ['a', 'b', 'c'], values: [0.5, NaN, 0.2], errors: [0.1, 0.1, null], title: 't', yLabel: 'y' }));
    expect(groupsOfClass(doc, 'bar')).toHaveLength(2);
    expect(groupsOfClass(doc, 'error-bar')).toHaveLength(1);
  });

  it('includes negative values in the axis', () => {
    const doc = parseXml(barChart({ categories: ['a', 'b'], values: [-1.5, 2], title: 't', yLabel: 'ΔG (kJ/mol)', horizontal: false }));
    expect(textsWith(doc, '\u22122').length).toBe(1);
  });

  it('rejects values that do not match the categories, naming the option', () => {
    expect(() => barChart({ categories: ['a'], values: [1, 2], title: 't', yLabel: 'y' })).toThrow(OptionError);
    expect(() => barChart({ categories: ['a', 'b'], values: [1, 2], errors: [1], title: 't', yLabel: 'y' })).toThrow(/barChart: errors must have one value per category \(2\), got 1/);
    expect(() => barChart({ categories: [], values: [], title: 't', yLabel: 'y' })).toThrow(/categories/);
    expect(() => barChart({ categories: ['a'], values: [1], title: 't', yLabel: 'y', width: 50 })).toThrow(/width/);
  });
});
