import { describe, expect, it } from 'vitest';
import { FormatError } from '@solvscope/core';
import { XdrReader, XdrWriter, readXdrInt32, readXdrInt64, readXdrUint32, xdrPadded } from './xdr.js';

describe('xdr', () => {
  it('reads big-endian signed and unsigned 32-bit integers', () => {
    const b = Uint8Array.of(0x00, 0x00, 0x07, 0xcb, 0xff, 0xff, 0xff, 0xbd);
    expect(readXdrInt32(b, 0)).toBe(1995);
    expect(readXdrInt32(b, 4)).toBe(-67);
    expect(readXdrUint32(b, 4)).toBe(4294967229);
  });

  it('reads a 64-bit integer high word first and refuses values beyond 2^53', () => {
    const b = Uint8Array.of(0, 0, 0, 1, 0, 0, 0, 2, 0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0);
    expect(readXdrInt64(b, 0)).toBe(4294967298);
    expect(readXdrInt64(b, 8)).toBeNaN();
  });

  it('pads opaque data to four-byte units', () => {
    expect([0, 1, 2, 3, 4, 5, 8, 9].map(xdrPadded)).toEqual([0, 4, 4, 4, 4, 8, 8, 12]);
  });

  it('round-trips every type through the writer and reader', () => {
    const w = new XdrWriter(8);
    w.int32(-5).uint32(3e9).int64(2 ** 40 + 7).float32(1.5).float64(Math.PI).string('GMX_trn_file').opaque(Uint8Array.of(1, 2, 3));
    const bytes = w.toBytes();
    expect(bytes.length).toBe(4 + 4 + 8 + 4 + 8 + 4 + 12 + 4);
    const r = new XdrReader(bytes);
    expect(r.int32()).toBe(-5);
    expect(r.uint32()).toBe(3e9);
    expect(r.int64()).toBe(2 ** 40 + 7);
    expect(r.float32()).toBe(1.5);
    expect(r.float64()).toBe(Math.PI);
    expect(r.string(64)).toBe('GMX_trn_file');
    expect(Array.from(r.opaque(3))).toEqual([1, 2, 3]);
    expect(r.remaining).toBe(0);
  });

  it('reports a read past the end as TRUNCATED at the file offset of the field', () => {
    const r = new XdrReader(Uint8Array.of(0, 0, 0, 1, 0, 0), 1000, { file: 'a.trr', format: 'TRR' });
    r.int32();
    let err: unknown;
    try {
      r.float32('time');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).code).toBe('TRUNCATED');
    expect((err as FormatError).context.byteOffset).toBe(1004);
    expect((err as FormatError).message).toBe('a.trr: TRR (byte 1004): time needs 4 bytes, file ends after 2');
  });

  it('rejects a string longer than the caller allows as CORRUPT', () => {
    const w = new XdrWriter();
    w.string('x'.repeat(40));
    expect(() => new XdrReader(w.toBytes()).string(10)).toThrow(/claims 40 bytes/);
  });
});
