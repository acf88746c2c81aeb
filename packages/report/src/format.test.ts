import { describe, expect, it } from 'vitest';
import { estimateParts, formatBytes, formatEstimate, formatNumber, formatPercent, sharedDecimals } from './format.js';

describe('formatEstimate', () => {
  it('rounds the mean to the precision of its error (two digits for errors starting with 1 or 2)', () => {
    expect(formatEstimate(0.66666, 0.0213)).toBe('0.667 \u00b1 0.021');
    expect(formatEstimate(0.66666, 0.0577)).toBe('0.67 \u00b1 0.06');
    expect(formatEstimate(4.25, 0.104)).toBe('4.25 \u00b1 0.10');
    expect(formatEstimate(123.4, 12)).toBe('123 \u00b1 12');
    expect(formatEstimate(-0.5, 0.25)).toBe('\u22120.50 \u00b1 0.25');
  });

  it('prints the mean alone without an error, and ± 0 for a zero error', () => {
    expect(formatEstimate(1 / 3, null)).toBe('0.3333');
    expect(formatEstimate(1 / 3, NaN)).toBe('0.3333');
    expect(formatEstimate(4.25, 0)).toBe('4.25 \u00b1 0');
    expect(formatEstimate(NaN, 0.1)).toBe('\u2014');
    expect(estimateParts(0.125, 0.004)).toEqual(['0.125', '\u00b1 0.004']);
  });
});

describe('formatNumber', () => {
  it('keeps significant digits, drops trailing zeros and uses exponents only for extreme magnitudes', () => {
    expect(formatNumber(2.5)).toBe('2.5');
    expect(formatNumber(0.083333)).toBe('0.08333');
    expect(formatNumber(300)).toBe('300');
    expect(formatNumber(12345.678)).toBe('12350');
    expect(formatNumber(2.5e-6)).toBe('2.5e-6');
    expect(formatNumber(-1.5)).toBe('\u22121.5');
    expect(formatNumber(null)).toBe('\u2014');
  });

  it('shares decimals across bar labels', () => {
    expect(sharedDecimals([0.667, 0.083])).toBe(3);
    expect(sharedDecimals([55.5, 1])).toBe(1);
    expect(sharedDecimals([0, 0])).toBe(0);
  });

  it('formats percentages and byte counts', () => {
    expect(formatPercent(0.6667)).toBe('66.7\u00a0%');
    expect(formatBytes(4128576)).toBe('3.9 MiB');
    expect(formatBytes(512)).toBe('512 B');
  });
});
