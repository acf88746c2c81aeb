/**
 * Okabe–Ito colour-blind-safe palette (M. Okabe & K. Ito, "Color Universal Design", 2002),
 * in the order charts use it. Black is kept for reference lines. Each series also gets its
 * own marker shape or dash pattern, so charts stay readable in greyscale print.
 */
export const OKABE_ITO = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  bluishGreen: '#009E73',
  reddishPurple: '#CC79A7',
  orange: '#E69F00',
  skyBlue: '#56B4E9',
  yellow: '#F0E442',
  black: '#000000',
} as const;

/** Series colours in order (yellow last: it is hard to see on white). */
export const SERIES_COLORS: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
  OKABE_ITO.yellow,
];

/** Colour of series i (cycles). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}

/** Neutral greys for axes, grid and text. */
export const INK = { text: '#1a1a1a', muted: '#555555', axis: '#333333', grid: '#e3e3e3', refLine: '#777777' } as const;

/** Dash patterns for series after the first (solid). */
export const DASHES: readonly (string | null)[] = [null, '7 3', '2 3', '7 3 2 3', '12 4'];
