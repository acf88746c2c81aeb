// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { groupsOfClass, num, parseXml, textsWith } from '../testing/xml.js';
import { histogramChart } from './histogram-chart.js';

const distribution = { '2': 0.0833, '4': 0.6667, '5': 0.0833, '6': 0.1667 };

function xTick(doc: Document, label: string): number {
  return num(textsWith(doc, label).filter((t) => t.getAttribute('text-anchor') === 'middle')[0], 'x');
}

describe('histogramChart', () => {
  it('draws every k from the smallest to the largest, missing ones as empty', () => {
    const doc = parseXml(histogramChart({ distribution, title: 'CN', xLabel: 'O(DME) atoms' }));
    for (const k of ['2', '3', '4', '5', '6']) expect(Number.isFinite(xTick(doc, k))).toBe(true);
    expect(groupsOfClass(doc, 'bar')).toHaveLength(5);
  });

  it('puts the mean line between the bars of the neighbouring integers', () => {
    const doc = parseXml(histogramChart({ distribution, mean: 4.25, title: 'CN', xLabel: 'O(DME) atoms' }));
    const x4 = xTick(doc, '4');
    const x5 = xTick(doc, '5');
    const line = Array.from(doc.getElementsByTagName('line')).find((l) => l.getAttribute('class') === 'mean')!;
    expect(num(line, 'x1')).toBeCloseTo(x4 + 0.25 * (x5 - x4), 1);
    expect(textsWith(doc, 'mean 4.25')).toHaveLength(1);
  });

  it('rejects keys that are not integers', () => {
    expect(() => histogramChart({ distribution: { '1.5': 1 }, title: 't', xLabel: 'x' })).toThrow(/keys must be integers/);
    expect(() => histogramChart({ distribution: {}, title: 't', xLabel: 'x' })).toThrow(/at least one entry/);
  });
});
