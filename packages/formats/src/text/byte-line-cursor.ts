import { latin1 } from './line-reader.js';

const NL = 10;
const CR = 13;
const SP = 32;
const TAB = 9;

/**
 * Walks the lines of one in-memory byte block (a frame's bytes, as the indexed frame source
 * hands them to `decodeFrame`) without allocating: after {@link next} returns true, the current
 * line is `bytes[start, end)` (line ending excluded) and `line` is its 1-based number in the
 * file. Used by the text readers' hot loops; {@link LineReader} is the streaming counterpart
 * used by index scans.
 */
export class ByteLineCursor {
  /** Start of the current line in `bytes`. */
  start = 0;
  /** End of the current line in `bytes` (excludes `\r\n` / `\n`). */
  end = 0;
  /** 1-based file line number of the current line (firstLine - 1 before the first next()). */
  line: number;
  /** Whether the current line ended with a newline (false only for a final unterminated line). */
  terminated = false;
  private pos = 0;

  /**
   * @param bytes the block to walk
   * @param firstLine 1-based file line number of the block's first line
   */
  constructor(
    readonly bytes: Uint8Array,
    firstLine = 1,
  ) {
    this.line = firstLine - 1;
  }

  /** Advance to the next line; false at the end of the block. */
  next(): boolean {
    const b = this.bytes;
    const s = this.pos;
    if (s >= b.length) return false;
    const nl = b.indexOf(NL, s);
    let e: number;
    if (nl < 0) {
      e = b.length;
      this.pos = b.length;
      this.terminated = false;
    } else {
      e = nl;
      this.pos = nl + 1;
      this.terminated = true;
    }
    if (e > s && b[e - 1] === CR) e--;
    this.start = s;
    this.end = e;
    this.line++;
    return true;
  }

  /** The current line as a string (Latin-1), for messages and header parsing. */
  text(): string {
    return latin1(this.bytes, this.start, this.end);
  }

  /** True if the current line holds only spaces and tabs. */
  isBlank(): boolean {
    return isBlankBytes(this.bytes, this.start, this.end);
  }
}

/** True if b[start, end) holds only spaces, tabs and carriage returns. */
export function isBlankBytes(b: Uint8Array, start = 0, end = b.length): boolean {
  for (let i = start; i < end; i++) {
    const c = b[i];
    if (c !== SP && c !== TAB && c !== CR) return false;
  }
  return true;
}

/**
 * Locate the whitespace-separated fields of b[start, end) without allocating: field k spans
 * `[bounds[2k], bounds[2k+1])` for k below `min(count, bounds.length / 2)`. Returns the total
 * number of fields on the line (it keeps counting past the capacity of `bounds`), so callers
 * can check a line has exactly the expected number of columns.
 */
export function fieldBounds(b: Uint8Array, start: number, end: number, bounds: Int32Array): number {
  const cap = bounds.length >> 1;
  let n = 0;
  let i = start;
  while (i < end) {
    while (i < end && (b[i] === SP || b[i] === TAB)) i++;
    if (i >= end) break;
    const s = i;
    while (i < end && b[i] !== SP && b[i] !== TAB) i++;
    if (n < cap) {
      bounds[2 * n] = s;
      bounds[2 * n + 1] = i;
    }
    n++;
  }
  return n;
}
