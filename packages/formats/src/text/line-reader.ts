import type { ByteSource } from '@solvscope/core';

const NL = 10;
const CR = 13;

/**
 * Streams lines from a ByteSource in blocks (1 MiB by default), tracking the byte offset and
 * 1-based line number of each line, so text readers can index and report positions without
 * holding the file. Lines are decoded as Latin-1 (every byte is one character), which is exact
 * for the ASCII formats solvscope reads and never throws on stray bytes.
 */
export class LineReader {
  private buf: Uint8Array = new Uint8Array(0);
  private bufStart = 0; // file offset of buf[0]
  private pos = 0; // index in buf of the next line
  private eof = false;
  /** 1-based number of the next line. */
  line: number;
  /** Byte offset of the start of the line returned by the last next()/nextBytes(). */
  lastOffset = 0;

  constructor(
    readonly source: ByteSource,
    start = 0,
    firstLine = 1,
    readonly blockSize = 1 << 20,
  ) {
    this.bufStart = start;
    this.line = firstLine;
  }

  /** File offset of the next line. */
  get offset(): number {
    return this.bufStart + this.pos;
  }

  private async fill(): Promise<boolean> {
    if (this.eof) return false;
    const keep = this.buf.subarray(this.pos);
    const off = this.bufStart + this.buf.length;
    const want = Math.max(this.blockSize, keep.length);
    const more = await this.source.read(off, want);
    if (more.length === 0) {
      this.eof = true;
      return false;
    }
    const nb = new Uint8Array(keep.length + more.length);
    nb.set(keep, 0);
    nb.set(more, keep.length);
    this.bufStart += this.pos;
    this.buf = nb;
    this.pos = 0;
    if (more.length < want) this.eof = off + more.length >= this.source.size;
    return true;
  }

  /**
   * The next line's bytes (without the line ending) as a view valid until the next call, or
   * null at end of file. A final line without a newline is returned too.
   */
  async nextBytes(): Promise<Uint8Array | null> {
    for (;;) {
      const nl = this.buf.indexOf(NL, this.pos);
      if (nl >= 0) {
        const s = this.pos;
        this.lastOffset = this.bufStart + s;
        this.pos = nl + 1;
        this.line++;
        const e = nl > s && this.buf[nl - 1] === CR ? nl - 1 : nl;
        return this.buf.subarray(s, e);
      }
      if (!(await this.fill())) {
        if (this.pos < this.buf.length) {
          const s = this.pos;
          this.lastOffset = this.bufStart + s;
          this.pos = this.buf.length;
          this.line++;
          const e = this.buf[this.buf.length - 1] === CR ? this.buf.length - 1 : this.buf.length;
          return this.buf.subarray(s, e);
        }
        return null;
      }
    }
  }

  /** The next line as a string, or null at end of file. */
  async next(): Promise<string | null> {
    const b = await this.nextBytes();
    return b === null ? null : latin1(b);
  }

  /**
   * Skip up to `n` lines without decoding them. Returns how many were skipped (fewer at end of
   * file; a final unterminated line counts as a line).
   */
  async skip(n: number): Promise<number> {
    let done = 0;
    while (done < n) {
      const nl = this.buf.indexOf(NL, this.pos);
      if (nl >= 0) {
        this.lastOffset = this.bufStart + this.pos;
        this.pos = nl + 1;
        this.line++;
        done++;
        continue;
      }
      if (!(await this.fill())) {
        if (this.pos < this.buf.length) {
          this.lastOffset = this.bufStart + this.pos;
          this.pos = this.buf.length;
          this.line++;
          done++;
        }
        break;
      }
    }
    return done;
  }
}

/** Decode bytes as Latin-1 (ASCII-compatible, never throws). */
export function latin1(b: Uint8Array, start = 0, end = b.length): string {
  let s = '';
  const CH = 8192;
  for (let i = start; i < end; i += CH) {
    s += String.fromCharCode.apply(null, b.subarray(i, Math.min(end, i + CH)) as unknown as number[]);
  }
  return s;
}

/** Split a byte range into lines: returns [start, end) pairs (end excludes \r\n). */
export function splitLines(b: Uint8Array): number[] {
  const out: number[] = [];
  let s = 0;
  for (;;) {
    const nl = b.indexOf(NL, s);
    if (nl < 0) {
      if (s < b.length) out.push(s, b[b.length - 1] === CR ? b.length - 1 : b.length);
      return out;
    }
    out.push(s, nl > s && b[nl - 1] === CR ? nl - 1 : nl);
    s = nl + 1;
  }
}
