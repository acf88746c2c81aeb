/**
 * Fast ASCII number parsing straight from bytes (no string allocation), used in the hot loops
 * of the text readers. Both return NaN on anything that is not a number, so callers can report
 * the field with its line.
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/**
 * Parse a decimal float in b[start, end), ignoring leading/trailing spaces and tabs.
 * Accepts sign, digits, '.', and an e/E/d/D exponent. Values with more than 15 significant
 * digits or large exponents fall back to Number() for exact rounding.
 */
export function parseFloatAscii(b: Uint8Array, start: number, end: number): number {
  while (start < end && (b[start] === 32 || b[start] === 9)) start++;
  while (end > start && (b[end - 1] === 32 || b[end - 1] === 9)) end--;
  if (start >= end) return NaN;
  let i = start;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (i < end) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) break;
    mant = mant * 10 + c;
    if (mant !== 0) digits++;
    any = true;
    i++;
  }
  if (i < end && b[i] === 46) {
    i++;
    while (i < end) {
      const c = b[i] - 48;
      if (c < 0 || c > 9) break;
      mant = mant * 10 + c;
      if (mant !== 0) digits++;
      scale--;
      any = true;
      i++;
    }
  }
  if (!any) return slow(b, start, end);
  if (i < end) {
    const c = b[i] | 32;
    if (c !== 101 && c !== 100) return slow(b, start, end);
    i++;
    let eneg = false;
    if (b[i] === 45) {
      eneg = true;
      i++;
    } else if (b[i] === 43) i++;
    let e = 0;
    let edig = 0;
    while (i < end) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) return NaN;
      e = e * 10 + d;
      edig++;
      i++;
    }
    if (edig === 0) return NaN;
    scale += eneg ? -e : e;
  }
  if (digits > 15 || scale < -22 || scale > 22) return slow(b, start, end);
  const v = scale < 0 ? mant / POW10[-scale] : mant * POW10[scale];
  return neg ? -v : v;
}

function slow(b: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i]);
  s = s.replace(/[dD]/, 'e');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) && !/^[+-]?(inf|nan)/i.test(s)) return NaN;
  return Number(s);
}

/** Parse an integer in b[start, end) (spaces trimmed); NaN if not an integer. */
export function parseIntAscii(b: Uint8Array, start: number, end: number): number {
  while (start < end && (b[start] === 32 || b[start] === 9)) start++;
  while (end > start && (b[end - 1] === 32 || b[end - 1] === 9)) end--;
  if (start >= end) return NaN;
  let i = start;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  if (i >= end) return NaN;
  let v = 0;
  for (; i < end; i++) {
    const c = b[i] - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/**
 * Split whitespace-separated fields of b[start, end) into `out` as [s0, e0, s1, e1, …].
 * Returns the number of fields.
 */
export function splitFields(b: Uint8Array, start: number, end: number, out: number[]): number {
  out.length = 0;
  let i = start;
  while (i < end) {
    while (i < end && (b[i] === 32 || b[i] === 9)) i++;
    if (i >= end) break;
    const s = i;
    while (i < end && b[i] !== 32 && b[i] !== 9) i++;
    out.push(s, i);
  }
  return out.length >> 1;
}
