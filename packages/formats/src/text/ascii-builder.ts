/**
 * A growable ASCII byte buffer with printf-like fixed-width fields, used by the text writers
 * (GRO, PDB) to build a whole frame as bytes before one `sink.write`. Characters are written
 * as Latin-1 (`charCode & 0xff`); callers pass ASCII.
 */
export class AsciiBuilder {
  private buf: Uint8Array;
  /** Bytes written so far. */
  length = 0;

  constructor(initialCapacity = 1 << 16) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
  }

  /** Append `s` as is. */
  text(s: string): this {
    this.ensure(s.length);
    const b = this.buf;
    let p = this.length;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i) & 0xff;
    this.length = p;
    return this;
  }

  /** Append `count` copies of the byte `c` (default space). */
  fill(count: number, c = 32): this {
    if (count <= 0) return this;
    this.ensure(count);
    this.buf.fill(c, this.length, this.length + count);
    this.length += count;
    return this;
  }

  /** `s` right-justified in `width` columns (C `%{width}s`); longer strings are truncated to `width`. */
  right(s: string, width: number): this {
    if (s.length > width) s = s.slice(0, width);
    return this.fill(width - s.length).text(s);
  }

  /** `s` left-justified in `width` columns (C `%-{width}s`); longer strings are truncated to `width`. */
  left(s: string, width: number): this {
    if (s.length > width) s = s.slice(0, width);
    return this.text(s).fill(width - s.length);
  }

  /**
   * `v` with `decimals` digits after the point, right-justified in `width` columns (C
   * `%{width}.{decimals}f`, rounding the exact binary value half away from zero). Returns false
   * and writes nothing when the number is not finite or needs more than `width` columns, so the
   * caller can raise an error instead of writing a column-shifted line.
   */
  fixed(v: number, width: number, decimals: number): boolean {
    if (!Number.isFinite(v) || Math.abs(v) >= 1e21) return false;
    // toFixed drops the sign of -0; C prints it ("-0.000"), and so do GROMACS and PDB writers.
    const s = Object.is(v, -0) ? '-' + (0).toFixed(decimals) : v.toFixed(decimals);
    if (s.length > width) return false;
    this.fill(width - s.length).text(s);
    return true;
  }

  /** Append a newline. */
  newline(): this {
    this.ensure(1);
    this.buf[this.length++] = 10;
    return this;
  }

  /** A copy of the bytes written so far; the builder is emptied (its capacity is kept). */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.length);
    this.length = 0;
    return out;
  }
}
