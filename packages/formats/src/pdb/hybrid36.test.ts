import { describe, expect, it } from 'vitest';
import { decodeHybrid36, encodeHybrid36 } from './hybrid36.js';

const dec = (s: string) => decodeHybrid36(new TextEncoder().encode(s), 0, s.length);

describe('hybrid-36', () => {
  it('decodes the reference values of the hybrid-36 specification', () => {
    // Values from http://cci.lbl.gov/hybrid_36/ (width 5 and 4).
    expect(dec('99999')).toBe(99999);
    expect(dec('A0000')).toBe(100000);
    expect(dec('A0001')).toBe(100001);
    expect(dec('ZZZZZ')).toBe(100000 + 26 * 36 ** 4 - 1);
    expect(dec('a0000')).toBe(100000 + 26 * 36 ** 4);
    expect(dec('zzzzz')).toBe(100000 + 52 * 36 ** 4 - 1);
    expect(dec('9999')).toBe(9999);
    expect(dec('A000')).toBe(10000);
    expect(dec('a000')).toBe(10000 + 26 * 36 ** 3);
    expect(dec('  -12')).toBe(-12);
    expect(dec('   42')).toBe(42);
  });

  it('returns NaN for blank, mixed-case and non-digit fields', () => {
    expect(dec('     ')).toBeNaN();
    expect(dec('A00a0')).toBeNaN();
    expect(dec('*****')).toBeNaN();
    expect(dec(' A000')).toBeNaN();
    expect(dec('12 34')).toBeNaN();
  });

  it('encodes decimal below 10^w and hybrid-36 above, and round-trips', () => {
    expect(encodeHybrid36(1, 5)).toBe('    1');
    expect(encodeHybrid36(99999, 5)).toBe('99999');
    expect(encodeHybrid36(100000, 5)).toBe('A0000');
    expect(encodeHybrid36(100000 + 26 * 36 ** 4, 5)).toBe('a0000');
    expect(encodeHybrid36(10000, 4)).toBe('A000');
    expect(encodeHybrid36(100000 + 52 * 36 ** 4, 5)).toBeNull();
    for (const w of [4, 5]) {
      const max = 10 ** w + 52 * 36 ** (w - 1);
      for (let v = 0; v < max; v += 7919) expect(dec(encodeHybrid36(v, w)!)).toBe(v);
      expect(dec(encodeHybrid36(max - 1, w)!)).toBe(max - 1);
    }
  });
});
