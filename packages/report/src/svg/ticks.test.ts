import { describe, expect, it } from 'vitest';
import { formatTick, niceAxis, niceNumber, niceTicks } from './ticks.js';

/** m × 10^k with m ∈ {1, 2, 5}. */
function isNice(step: number): boolean {
  const k = Math.floor(Math.log10(step) + 1e-12);
  const m = step / Math.pow(10, k);
  return [1, 2, 5].some((x) => Math.abs(m - x) < 1e-9);
}

describe('niceNumber', () => {
  it('rounds to the nearest of 1, 2, 5, 10 times a power of ten', () => {
    expect(niceNumber(1.4, true)).toBe(1);
    expect(niceNumber(2.9, true)).toBe(2);
    expect(niceNumber(6.9, true)).toBe(5);
    expect(niceNumber(7.1, true)).toBe(10);
    expect(niceNumber(0.029, true)).toBe(0.02);
    expect(niceNumber(0.031, true)).toBe(0.05);
  });

  it('takes the ceiling when not rounding', () => {
    expect(niceNumber(1.01, false)).toBe(2);
    expect(niceNumber(2, false)).toBe(2);
    expect(niceNumber(2.1, false)).toBe(5);
    expect(niceNumber(480, false)).toBe(500);
  });
});

describe('niceTicks', () => {
  const ranges: [number, number, number][] = [
    [0, 12, 7], [0, 11.99, 7], [0, 55.5, 6], [0, 95.1, 6], [0, 0.667, 6], [0, 74.2, 5], [0.25, 2, 6], [-3.2, 7.9, 6],
    [1e-6, 3e-5, 5], [1000, 1003, 5], [0, 1, 2], [-0.05, 0.05, 6], [0, 1e7, 6],
  ];

  it.each(ranges)('covers [%d, %d] with at most %d ticks spaced by a nice step', (lo, hi, n) => {
    const t = niceTicks(lo, hi, n);
    expect(isNice(t.step)).toBe(true);
    expect(t.min).toBeLessThanOrEqual(lo);
    expect(t.max).toBeGreaterThanOrEqual(hi);
    expect(t.values.length).toBeLessThanOrEqual(n);
    expect(t.values.length).toBeGreaterThanOrEqual(2);
    t.values.forEach((v, i) => {
      // Every tick is a whole multiple of the step and free of floating-point noise.
      expect(Math.abs(v / t.step - Math.round(v / t.step))).toBeLessThan(1e-9);
      expect(String(v).length).toBeLessThanOrEqual(12);
      if (i) expect(v - t.values[i - 1]).toBeCloseTo(t.step, 12);
    });
    // The axis does not overshoot the data by a whole step on either side.
    expect(lo - t.min).toBeLessThan(t.step);
    expect(t.max - hi).toBeLessThan(t.step);
  });

  it('labels an r axis of 0–12 Å every 2 Å', () => {
    expect(niceTicks(0, 12, 7).values).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });

  it('prints tenths without floating-point noise', () => {
    expect(niceTicks(0, 0.7, 8).values).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('widens a degenerate range instead of dividing by zero', () => {
    const t = niceTicks(3, 3, 5);
    expect(t.min).toBeLessThan(3);
    expect(t.max).toBeGreaterThan(3);
    expect(niceTicks(0, 0).values.length).toBeGreaterThan(1);
  });

  it('falls back to [0, 1] for non-finite input', () => {
    const t = niceTicks(NaN, Infinity);
    expect(t.min).toBe(0);
    expect(t.max).toBe(1);
  });
});

describe('niceAxis', () => {
  it('keeps the outer tick as the axis end when it leaves enough headroom', () => {
    const a = niceAxis(0, 55.5, 6, 0.04);
    expect(a.domain).toEqual([0, 60]);
  });

  it('runs past the top tick when the data end just below it', () => {
    const a = niceAxis(0, 99.5, 6, 0.04);
    expect(a.ticks.max).toBe(100);
    expect(a.domain[1]).toBeCloseTo(99.5 * 1.04, 10);
  });
});

describe('formatTick', () => {
  it('prints every tick of an axis with the same decimals and a true minus sign', () => {
    const t = niceTicks(-0.4, 0.4, 5);
    expect(t.values.map((v) => formatTick(v, t.decimals))).toEqual(['\u22120.4', '\u22120.2', '0', '0.2', '0.4']);
  });

  it('uses exponent notation for tiny steps', () => {
    expect(formatTick(2e-6, 6)).toBe('2\u00d710\u207b\u2076');
  });
});
