import type { ByteSource } from '@solvscope/core';
import { fieldBounds } from './byte-line-cursor.js';
import { latin1 } from './line-reader.js';

/** Verdict on a file's last line when it has no terminating newline. */
export interface FinalLineVerdict {
  /** False when the line is probably cut short by a truncation. */
  complete: boolean;
  /** Number of whitespace-separated fields on the line. */
  fields: number;
  /** The line, for messages. */
  text: string;
}

/**
 * A file that does not end with a newline may have been cut inside its last line, and a cut
 * inside the last number still parses ('13.6' from '13.63'): a silent wrong coordinate. Text
 * readers call this for a final unterminated data line. The line counts as complete when it has
 * exactly `expectedFields` fields (at least, when `atLeast`) and, if the previous line has the
 * same number of fields, every numeric field has as many decimals and exponent characters as the
 * previous line's: fixed-format writers (%.4f, %.5f) always do.
 *
 * @param lineStart byte offset of the last line (it runs to the end of the source)
 */
export async function checkFinalLine(source: ByteSource, lineStart: number, expectedFields: number, atLeast = false): Promise<FinalLineVerdict> {
  const back = Math.min(lineStart, 4096);
  const bytes = await source.read(lineStart - back, source.size - (lineStart - back));
  const lastStart = back;
  const lastEnd = bytes.length;
  const cap = Math.max(expectedFields, 1) * 2 + 2;
  const lastB = new Int32Array(cap);
  const fields = fieldBounds(bytes, lastStart, lastEnd, lastB);
  const text = latin1(bytes, lastStart, lastEnd);
  const okCount = atLeast ? fields >= expectedFields : fields === expectedFields;
  if (!okCount) return { complete: false, fields, text };
  // previous line: bytes[prevStart, lastStart - 1) (without its \n, and \r)
  if (lastStart === 0) return { complete: true, fields, text };
  let prevEnd = lastStart - 1;
  if (prevEnd > 0 && bytes[prevEnd - 1] === 13) prevEnd--;
  const nl = bytes.lastIndexOf(10, prevEnd - 1);
  if (nl < 0 && lineStart - back > 0) return { complete: true, fields, text }; // previous line longer than the look-back
  const prevStart = nl + 1;
  const prevB = new Int32Array(cap);
  const prevFields = fieldBounds(bytes, prevStart, prevEnd, prevB);
  if (prevFields !== fields) return { complete: true, fields, text };
  const n = Math.min(fields, cap >> 1);
  for (let k = 0; k < n; k++) {
    const a = shape(bytes, prevB[2 * k], prevB[2 * k + 1]);
    const b = shape(bytes, lastB[2 * k], lastB[2 * k + 1]);
    if (a.numeric && b.numeric && (a.decimals !== b.decimals || a.exponent !== b.exponent)) return { complete: false, fields, text };
  }
  return { complete: true, fields, text };
}

/** Digits after the point (-1: no point) and characters after the exponent letter (-1: none). */
function shape(b: Uint8Array, s: number, e: number): { numeric: boolean; decimals: number; exponent: number } {
  let i = s;
  if (b[i] === 43 || b[i] === 45) i++;
  let digits = 0;
  while (i < e && b[i] >= 48 && b[i] <= 57) {
    i++;
    digits++;
  }
  let decimals = -1;
  if (i < e && b[i] === 46) {
    i++;
    decimals = 0;
    while (i < e && b[i] >= 48 && b[i] <= 57) {
      i++;
      decimals++;
    }
  }
  let exponent = -1;
  if (i < e && ((b[i] | 32) === 101 || (b[i] | 32) === 100)) {
    exponent = e - i - 1;
    i = e;
  }
  return { numeric: i === e && (digits > 0 || decimals > 0), decimals, exponent };
}
