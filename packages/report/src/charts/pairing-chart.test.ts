// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { groupsOfClass, num, parseXml, textsWith } from '../testing/xml.js';
import { pairingChart } from './pairing-chart.js';

const pairing = {
  cation: { SSIP: { fraction: 0.1667, stderr: 0.01 }, CIP: { fraction: 0.6667, stderr: 0.02 }, AGG: { fraction: 0.1667, stderr: 0.012 } },
  anion: { SSIP: { fraction: 0.5, stderr: 0.03 }, CIP: { fraction: 0.4, stderr: 0.02 }, AGG_I: { fraction: 0.08, stderr: 0.01 }, AGG_II: { fraction: 0.02, stderr: null } },
};

describe('pairingChart', () => {
  it('shows both sides: three cation classes and four anion classes', () => {
    const doc = parseXml(pairingChart({ ...pairing, cationName: 'Mg', anionName: 'TFSI' }));
    expect(groupsOfClass(doc, 'bar')).toHaveLength(7);
    for (const c of ['CIP', 'AGG', 'AGG-I', 'AGG-II']) expect(textsWith(doc, c).length).toBeGreaterThan(0);
    expect(textsWith(doc, 'SSIP')).toHaveLength(2);
    expect(textsWith(doc, 'Mg cations: per cation-frame')).toHaveLength(1);
    expect(textsWith(doc, 'TFSI anions: per anion-frame')).toHaveLength(1);
  });

  it('draws error bars only where a standard error is known, with the right length', () => {
    const doc = parseXml(pairingChart(pairing));
    const bars = groupsOfClass(doc, 'error-bar');
    expect(bars).toHaveLength(6);
    const y = (s: string) => num(textsWith(doc, s).filter((t) => t.getAttribute('text-anchor') === 'end')[0], 'y');
    const k = (y('0') - y('1.0')) / 1;
    const first = bars[0].getElementsByTagName('line')[0];
    expect(Math.abs(num(first, 'y1') - num(first, 'y2'))).toBeCloseTo(2 * 0.01 * k, 1);
  });

  it('prints each value with its error', () => {
    const doc = parseXml(pairingChart(pairing));
    expect(textsWith(doc, '0.667').length).toBe(1);
    expect(textsWith(doc, '\u00b1 0.020').length).toBe(2);
  });

  it('names a missing class', () => {
    const bad = { ...pairing, anion: { ...pairing.anion, AGG_II: undefined } } as unknown as Parameters<typeof pairingChart>[0];
    expect(() => pairingChart(bad)).toThrow(/anion\.AGG_II is required/);
  });
});
