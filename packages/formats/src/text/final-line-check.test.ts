import { describe, expect, it } from 'vitest';
import { MemoryByteSource } from '@solvscope/core';
import { checkFinalLine } from './final-line-check.js';

const verdict = async (text: string, fields: number, atLeast = false) => {
  const start = text.lastIndexOf('\n') + 1;
  return checkFinalLine(new MemoryByteSource('t', text), start, fields, atLeast);
};

describe('checkFinalLine', () => {
  it('accepts a last line formatted like the line before it', async () => {
    expect((await verdict('1 1 8.6800 24.1100 17.8900\n2 2 8.2200 24.5600 17.1700', 5)).complete).toBe(true);
  });

  it('flags a last number with fewer decimals than the line before as cut short', async () => {
    const v = await verdict('1 1 8.6800 24.1100 17.8900\n2 2 8.2200 24.5600 17.17', 5);
    expect(v.complete).toBe(false);
    expect(v.text).toBe('2 2 8.2200 24.5600 17.17');
  });

  it('flags a shortened exponent and a missing column', async () => {
    expect((await verdict('O 1.0e+01 2.0e+01 3.0e+01\nH 1.0e+01 2.0e+01 3.0e+0', 4)).complete).toBe(false);
    expect((await verdict('O 1.0 2.0 3.0\nH 1.0 2.0', 4)).complete).toBe(false);
  });

  it('accepts a line after a header line with a different column count', async () => {
    expect((await verdict('ITEM: ATOMS id x y z\n1 1.5 2 3', 4)).complete).toBe(true);
    expect((await verdict('comment\nO 1 2 3 extra', 4, true)).complete).toBe(true);
  });
});
