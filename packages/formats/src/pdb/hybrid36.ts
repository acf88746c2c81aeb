/**
 * Hybrid-36 numbers (PDB serials in 5 columns, residue numbers in 4): plain decimal up to
 * 10^w − 1, then base 36 with upper-case digits starting at `A000…` (= 10^w), then base 36 with
 * lower-case digits starting at `a000…`. Used by VMD, cctbx, OpenMM and others to go past
 * 99999 atoms / 9999 residues without breaking the columns.
 * Reference: http://cci.lbl.gov/hybrid_36/
 */

const A_UP = 65;
const Z_UP = 90;
const A_LO = 97;
const Z_LO = 122;

function digit36(c: number, upper: boolean): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (upper && c >= A_UP && c <= Z_UP) return c - A_UP + 10;
  if (!upper && c >= A_LO && c <= Z_LO) return c - A_LO + 10;
  return -1;
}

/**
 * Decode the hybrid-36 field `b[start, end)` of width `end - start` (4 or 5). Decimal fields may
 * be right-justified with spaces and signed. Returns NaN for a blank or invalid field.
 */
export function decodeHybrid36(b: Uint8Array, start: number, end: number): number {
  const width = end - start;
  let s = start;
  while (s < end && b[s] === 32) s++;
  let e = end;
  while (e > s && b[e - 1] === 32) e--;
  if (s >= e) return NaN;
  const c0 = b[s];
  const upper = c0 >= A_UP && c0 <= Z_UP;
  const lower = c0 >= A_LO && c0 <= Z_LO;
  if (!upper && !lower) {
    let i = s;
    let neg = false;
    if (b[i] === 45) {
      neg = true;
      i++;
    }
    if (i >= e) return NaN;
    let v = 0;
    for (; i < e; i++) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return NaN;
      v = v * 10 + d;
    }
    return neg ? -v : v;
  }
  // Encoded values always fill the whole field.
  if (s !== start || e !== end) return NaN;
  let v = 0;
  for (let i = s; i < e; i++) {
    const d = digit36(b[i], upper);
    if (d < 0) return NaN;
    v = v * 36 + d;
  }
  const p = 36 ** (width - 1);
  return upper ? v - 10 * p + 10 ** width : v + 16 * p + 10 ** width;
}

const UP = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LO = '0123456789abcdefghijklmnopqrstuvwxyz';

function pure(n: number, digits: string, width: number): string {
  let s = '';
  for (let k = 0; k < width; k++) {
    s = digits[n % 36] + s;
    n = Math.floor(n / 36);
  }
  return s;
}

/**
 * Encode a non-negative integer in `width` columns: decimal (right-justified) below 10^width,
 * hybrid-36 above. Returns null when the value does not fit even in hybrid-36
 * (≥ 10^w + 52·36^(w−1): 87 440 031 for width 5, 2 436 111 for width 4) or is negative beyond
 * what decimal can hold.
 */
export function encodeHybrid36(n: number, width: number): string | null {
  if (!Number.isInteger(n)) return null;
  const dec = 10 ** width;
  if (n < dec) {
    const s = String(n);
    return s.length > width ? null : s.padStart(width);
  }
  const p = 36 ** (width - 1);
  let m = n - dec;
  if (m < 26 * p) return pure(m + 10 * p, UP, width);
  m -= 26 * p;
  if (m < 26 * p) return pure(m + 10 * p, LO, width);
  return null;
}
