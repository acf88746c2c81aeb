/** A linear map from data values to pixels. */
export interface LinearScale {
  (v: number): number;
  readonly domain: readonly [number, number];
  readonly range: readonly [number, number];
  invert(px: number): number;
}

/**
 * Linear scale mapping domain [d0, d1] onto pixel range [r0, r1] (r0 > r1 for y axes, where
 * SVG y grows downwards). A zero-width domain maps everything to the middle of the range.
 */
export function linearScale(domain: readonly [number, number], range: readonly [number, number]): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  const mid = (r0 + r1) / 2;
  const f = ((v: number) => (k === 0 ? mid : r0 + (v - d0) * k)) as LinearScale;
  Object.defineProperty(f, 'domain', { value: [d0, d1] });
  Object.defineProperty(f, 'range', { value: [r0, r1] });
  Object.defineProperty(f, 'invert', { value: (px: number) => (k === 0 ? d0 : d0 + (px - r0) / k) });
  return f;
}

/** Equal bands for categories: band i spans [start + i·step + pad, … + bandwidth]. */
export interface BandScale {
  /** Left (or top) pixel of band i. */
  (i: number): number;
  readonly bandwidth: number;
  readonly step: number;
  /** Centre pixel of band i. */
  center(i: number): number;
}

/**
 * Band scale for `n` categories over [r0, r1]; `padding` is the fraction of each step left
 * empty (split evenly on both sides of the band).
 */
export function bandScale(n: number, range: readonly [number, number], padding = 0.3): BandScale {
  const [r0, r1] = range;
  const step = n > 0 ? (r1 - r0) / n : 0;
  const bw = step * (1 - padding);
  const off = (step - bw) / 2;
  const f = ((i: number) => r0 + i * step + off) as BandScale;
  Object.defineProperty(f, 'bandwidth', { value: bw });
  Object.defineProperty(f, 'step', { value: step });
  Object.defineProperty(f, 'center', { value: (i: number) => r0 + (i + 0.5) * step });
  return f;
}
