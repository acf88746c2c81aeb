/**
 * Approximate text widths for layout without a DOM. Charts name Arial/Helvetica (and their
 * metric-compatible Liberation Sans / Nimbus Sans) first, so the Helvetica advance widths
 * below (AFM, 1/1000 em) predict the rendered width to a few per cent; characters outside
 * ASCII count as 0.6 em. Used to size margins and to decide when labels must move.
 */
const WIDTHS: number[] = [
  // 32..63:  space ! " # $ % & ' ( ) * + , - . / 0-9 : ; < = > ?
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
  // 64..95:  @ A-Z [ \ ] ^ _
  1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
  667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
  // 96..126: ` a-z { | } ~
  333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
  556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** Font stack used by every chart; metric-compatible with the width table above. */
export const FONT_FAMILY = 'Arial, Helvetica, Liberation Sans, Nimbus Sans, sans-serif';

/**
 * Estimated advance width of `text` in px at `fontSize` px. Bold text is counted 7 % wider.
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += c >= 32 && c <= 126 ? WIDTHS[c - 32] : c === 0x2212 || c === 0xb1 ? 584 : 600;
  }
  return (w / 1000) * fontSize * (bold ? 1.07 : 1);
}

/**
 * Shorten `text` with a trailing ellipsis so that it fits `maxWidth` px at `fontSize`.
 * Returns the text unchanged when it fits.
 */
export function truncateText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && textWidth(chars.join('') + '…', fontSize) > maxWidth) chars.pop();
  return chars.join('') + '…';
}
