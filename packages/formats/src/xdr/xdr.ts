/**
 * XDR (RFC 4506) primitives over bytes: everything is big-endian and padded to 4-byte units.
 * Shared by the GROMACS XTC and TRR codecs.
 *
 * - int / unsigned int: 4 bytes, two's complement, big-endian
 * - hyper (GROMACS `xdr_int64`): 8 bytes, high word first
 * - float / double: IEEE 754 binary32 / binary64, big-endian
 * - opaque<n>: n bytes followed by 0–3 zero bytes up to a multiple of 4
 * - string: uint length, then the bytes as opaque
 *
 * Spec: https://www.rfc-editor.org/rfc/rfc4506
 */
import { FormatError, type ErrorContext } from '@solvscope/core';

/** Size of one XDR unit in bytes. */
export const XDR_UNIT = 4;

/** `n` rounded up to a multiple of 4 (the padded size of an opaque of n bytes). */
export function xdrPadded(n: number): number {
  return (n + 3) & ~3;
}

/** A big-endian DataView over exactly the bytes of `bytes`. */
export function xdrView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Signed 32-bit integer at `offset` (no bounds check beyond the typed array's own). */
export function readXdrInt32(b: Uint8Array, offset: number): number {
  return (b[offset] << 24) | (b[offset + 1] << 16) | (b[offset + 2] << 8) | b[offset + 3];
}

/** Unsigned 32-bit integer at `offset`. */
export function readXdrUint32(b: Uint8Array, offset: number): number {
  return readXdrInt32(b, offset) >>> 0;
}

/**
 * Signed 64-bit integer (high word first) as a number. Exact up to 2^53; larger magnitudes
 * return NaN, so a corrupt count can never be mistaken for a huge valid one.
 */
export function readXdrInt64(b: Uint8Array, offset: number): number {
  const hi = readXdrInt32(b, offset);
  const lo = readXdrUint32(b, offset + 4);
  if (hi > 0x1fffff || hi < -0x200000) return NaN;
  return hi * 4294967296 + lo;
}

/**
 * Sequential XDR decoding with a cursor. Reading past the end throws a FormatError
 * ('TRUNCATED') whose byteOffset is `base + position`, so header parsers get located errors
 * for free.
 */
export class XdrReader {
  /** Cursor, relative to the start of `bytes`. */
  pos: number;
  private readonly view: DataView;

  /**
   * @param bytes  the bytes to decode
   * @param base   file offset of bytes[0], for error messages
   * @param context  file / format / frame for error messages
   */
  constructor(
    readonly bytes: Uint8Array,
    readonly base = 0,
    readonly context: ErrorContext = {},
    offset = 0,
  ) {
    this.pos = offset;
    this.view = xdrView(bytes);
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  /**
   * Check that `n` more bytes exist.
   * @throws FormatError 'TRUNCATED' naming `what` when they do not.
   */
  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.length) {
      throw new FormatError('TRUNCATED', `${what} needs ${n} bytes, file ends after ${Math.max(0, this.bytes.length - this.pos)}`, {
        ...this.context,
        byteOffset: this.base + this.pos,
      });
    }
  }

  int32(what = 'int'): number {
    this.need(4, what);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  uint32(what = 'unsigned int'): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  /** 64-bit integer, high word first; NaN beyond ±2^53 (see {@link readXdrInt64}). */
  int64(what = 'hyper'): number {
    this.need(8, what);
    const v = readXdrInt64(this.bytes, this.pos);
    this.pos += 8;
    return v;
  }

  float32(what = 'float'): number {
    this.need(4, what);
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  float64(what = 'double'): number {
    this.need(8, what);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** `n` bytes (a view, not a copy); the cursor moves past the padding. */
  opaque(n: number, what = 'opaque data'): Uint8Array {
    const padded = xdrPadded(n);
    this.need(padded, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += padded;
    return v;
  }

  /** An XDR string (uint length + padded bytes) decoded as Latin-1; `maxLength` guards garbage. */
  string(maxLength: number, what = 'string'): string {
    const at = this.pos;
    const n = this.uint32(`${what} length`);
    if (n > maxLength) {
      throw new FormatError('CORRUPT', `${what} claims ${n} bytes (at most ${maxLength} expected)`, { ...this.context, byteOffset: this.base + at });
    }
    const b = this.opaque(n, what);
    let s = '';
    for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
    return s;
  }

  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.pos += n;
  }
}

/** Growable big-endian XDR encoder. */
export class XdrWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initialCapacity = 1024) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.length + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  int32(v: number): this {
    this.reserve(4);
    this.view.setInt32(this.length, v);
    this.length += 4;
    return this;
  }

  uint32(v: number): this {
    this.reserve(4);
    this.view.setUint32(this.length, v);
    this.length += 4;
    return this;
  }

  /** 64-bit integer, high word first (|v| ≤ 2^53). */
  int64(v: number): this {
    const hi = Math.floor(v / 4294967296);
    this.int32(hi);
    return this.uint32(v - hi * 4294967296);
  }

  float32(v: number): this {
    this.reserve(4);
    this.view.setFloat32(this.length, v);
    this.length += 4;
    return this;
  }

  float64(v: number): this {
    this.reserve(8);
    this.view.setFloat64(this.length, v);
    this.length += 8;
    return this;
  }

  /** Raw bytes plus zero padding to a multiple of 4 (no length prefix). */
  opaque(bytes: Uint8Array): this {
    const padded = xdrPadded(bytes.length);
    this.reserve(padded);
    this.buf.set(bytes, this.length);
    this.buf.fill(0, this.length + bytes.length, this.length + padded);
    this.length += padded;
    return this;
  }

  /** uint length + Latin-1 bytes + padding. */
  string(s: string): this {
    const b = new Uint8Array(s.length);
    for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i) & 0xff;
    this.uint32(b.length);
    return this.opaque(b);
  }

  /** A copy of the bytes written so far. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** Forget the contents (keeps the capacity). */
  reset(): void {
    this.length = 0;
  }
}
