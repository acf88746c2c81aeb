// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { groupsOfClass, num, parseXml, textsWith } from '../testing/xml.js';
import { seriesChart } from './series-chart.js';

const numeric = {
  x: [0.25, 0.5, 1, 2],
  xLabel: 'concentration (mol/kg)',
  series: [
    { name: 'Mg(TFSI)2', y: [0.1, 0.2, 0.35, 0.6], err: [0.02, 0.03, 0.02, 0.04] },
    { name: 'Ca(TFSI)2', y: [0.05, 0.12, null, 0.45], err: [0.01, 0.02, 0.03, 0.05] },
  ],
  yLabel: 'CIP fraction',
  title: 'CIP fraction vs concentration',
};

describe('seriesChart', () => {
  it('places numeric x on a linear axis', () => {
    const doc = parseXml(seriesChart(numeric));
    const pts = groupsOfClass(doc, 'point');
    expect(pts).toHaveLength(7);
    const xOf = (g: Element) => {
      const m = g.lastElementChild!;
      return m.nodeName === 'circle' ? num(m, 'cx') : NaN;
    };
    const mg = pts.slice(0, 4).map(xOf);
    // 0.25 → 0.5 is a quarter of 0.5 → 1.5 … equal data steps give equal pixel steps.
    expect((mg[1] - mg[0]) / (mg[2] - mg[1])).toBeCloseTo(0.5, 6);
    expect((mg[3] - mg[2]) / (mg[2] - mg[1])).toBeCloseTo(2, 6);
  });

  it('leaves a gap for a missing value and draws error bars of ± err', () => {
    const doc = parseXml(seriesChart(numeric));
    expect(groupsOfClass(doc, 'error-bar')).toHaveLength(7);
    const y = (s: string) => num(textsWith(doc, s).filter((t) => t.getAttribute('text-anchor') === 'end')[0], 'y');
    const k = (y('0') - y('0.2')) / 0.2;
    const first = groupsOfClass(doc, 'error-bar')[0].getElementsByTagName('line')[0];
    expect(Math.abs(num(first, 'y1') - num(first, 'y2'))).toBeCloseTo(2 * 0.02 * k, 1);
    const ca = doc.getElementsByTagName('path');
    const caLine = Array.from(ca).find((p) => p.getAttribute('stroke') === '#D55E00' && p.getAttribute('fill') === 'none')!;
    expect(caLine.getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('spaces string x values as categories, in the given order, with a legend', () => {
    const doc = parseXml(
      seriesChart({ x: ['Mg(TFSI)2', 'Ca(TFSI)2', '[Mg(DME)3]2+'], xLabel: 'salt', series: [{ name: '0.5 M', y: [1, 2, 3] }, { name: '1 M', y: [2, 3, 4] }], yLabel: 'y', title: 't' }),
    );
    const ticks = ['Mg(TFSI)2', 'Ca(TFSI)2'].map((s) => num(textsWith(doc, s)[0], 'x'));
    expect(ticks[0]).toBeLessThan(ticks[1]);
    expect(textsWith(doc, '0.5 M')).toHaveLength(1);
    expect(textsWith(doc, '[Mg(DME)3]2+')).toHaveLength(1);
  });

  it('rejects mixed x types and mismatched lengths, naming the option', () => {
    expect(() => seriesChart({ ...numeric, x: [1, 'a', 2, 3] })).toThrow(/x must be all numbers or all strings/);
    expect(() => seriesChart({ ...numeric, series: [{ name: 'a', y: [1, 2] }] })).toThrow(/series\[0\]\.y must have one value per x \(4\), got 2/);
    expect(() => seriesChart({ ...numeric, series: [] })).toThrow(/series must have at least one series/);
  });
});
