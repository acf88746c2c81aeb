import { OptionError } from '@solvscope/core';
import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, toCsv } from './csv.js';

describe('toCsv', () => {
  it('quotes fields with commas, quotes, line breaks and edge spaces as RFC 4180 asks', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"');
    expect(csvCell(' padded')).toBe('" padded"');
  });

  it('round-trips awkward text through parseCsv', () => {
    const rows = [
      { label: '[Mg(TFSI)(DME)2]+', note: 'a, b' },
      { label: 'quote "inside"', note: 'line\nbreak' },
      { label: '', note: '\r\n' },
      { label: 'ünïcødé Å', note: ' lead' },
    ];
    const text = toCsv(rows, ['label', 'note']);
    const parsed = parseCsv(text);
    expect(parsed[0]).toEqual(['label', 'note']);
    expect(parsed.slice(1)).toEqual(rows.map((r) => [r.label, r.note]));
  });

  it('writes numbers with full precision so they read back as the same doubles', () => {
    const values = [0.1 + 0.2, 1 / 3, 1e-300, -2.5e21, 4.25, 0, -0];
    const text = toCsv(values.map((v) => ({ v })), ['v']);
    const back = parseCsv(text).slice(1).map((r) => Number(r[0]));
    back.forEach((b, i) => expect(b).toBe(values[i] === 0 ? 0 : values[i]));
  });

  it('leaves NaN, null and undefined empty and writes infinities as inf', () => {
    const text = toCsv([{ a: NaN, b: null, c: undefined, d: Infinity, e: -Infinity, f: true }], ['a', 'b', 'c', 'd', 'e', 'f']);
    expect(text).toBe('a,b,c,d,e,f\n,,,inf,-inf,true\n');
  });

  it('computes columns from getters and can end lines with CRLF', () => {
    const text = toCsv([{ x: 2 }], ['x', { header: 'x squared', value: (r) => r.x * r.x }], { eol: '\r\n' });
    expect(text).toBe('x,x squared\r\n2,4\r\n');
    expect(parseCsv(text)).toEqual([['x', 'x squared'], ['2', '4']]);
  });

  it('refuses duplicate or missing columns', () => {
    expect(() => toCsv([{ a: 1 }], ['a', 'a'])).toThrow(OptionError);
    expect(() => toCsv([{ a: 1 }], [])).toThrow(/at least one column/);
  });
});

describe('parseCsv', () => {
  it('reads the last line without a line ending', () => {
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,,\n')).toEqual([['a', '', '']]);
  });

  it('reports an unterminated quote and text after a closing quote', () => {
    expect(() => parseCsv('a\n"open')).toThrow(/unterminated quoted field in row 2/);
    expect(() => parseCsv('"x"y')).toThrow(/text after a closing quote/);
  });
});
