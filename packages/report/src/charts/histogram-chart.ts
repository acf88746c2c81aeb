import { formatNumber } from '../format.js';
import { INK } from '../svg/palette.js';
import { line } from '../svg/svg.js';
import { renderBars } from './bar-chart.js';
import { check } from './common.js';

const MEAN_DASH = '5 4';

export interface HistogramChartOptions {
  /** Fraction (or count) for each integer k, keyed by k as in report.json `distribution`. */
  distribution: Readonly<Record<string, number>>;
  /** ± error per k (optional, same keys). */
  errors?: Readonly<Record<string, number | null>> | null;
  title: string;
  subtitle?: string;
  /** Label of the k axis, e.g. `DME molecules in the first shell`. */
  xLabel: string;
  /** Label of the value axis (default `fraction of ion-frames`). */
  yLabel?: string;
  /** Mean of k: a dashed vertical line at its position, labelled. */
  mean?: number | null;
  width?: number;
  height?: number;
}

/**
 * Histogram of an integer-valued distribution such as a coordination number: one bar per
 * k from the smallest to the largest key (missing k drawn as 0), with the mean marked.
 *
 * @returns a standalone SVG document (string).
 * @throws OptionError when a key is not an integer or the distribution is empty.
 */
export function histogramChart(o: HistogramChartOptions): string {
  const keys = Object.keys(o.distribution);
  check(keys.length > 0, 'histogramChart', 'distribution', 'must have at least one entry');
  const ks = keys.map((k) => Number(k));
  for (let i = 0; i < keys.length; i++) check(Number.isInteger(ks[i]), 'histogramChart', 'distribution', `keys must be integers (got "${keys[i]}")`);
  const kMin = Math.min(...ks);
  const kMax = Math.max(...ks);
  check(kMax - kMin <= 500, 'histogramChart', 'distribution', `spans ${kMax - kMin + 1} values; at most 501 can be drawn`);
  const categories: string[] = [];
  const values: number[] = [];
  const errors: (number | null)[] = [];
  for (let k = kMin; k <= kMax; k++) {
    categories.push(String(k));
    values.push(o.distribution[String(k)] ?? 0);
    errors.push(o.errors?.[String(k)] ?? null);
  }
  const mean = o.mean ?? NaN;
  const hasMean = Number.isFinite(mean);
  return renderBars(
    {
      categories,
      values,
      errors: o.errors ? errors : null,
      title: o.title,
      subtitle: o.subtitle,
      xLabel: o.xLabel,
      yLabel: o.yLabel ?? 'fraction of ion-frames',
      horizontal: false,
      width: o.width,
      height: o.height,
    },
    'histogramChart',
    hasMean
      ? ({ plot, band }) => {
          const x = band.center(0) + (mean - kMin) * band.step;
          if (x < plot.x || x > plot.x + plot.w) return '';
          return line(x, plot.y, x, plot.y + plot.h, { stroke: INK.axis, 'stroke-width': 1.3, 'stroke-dasharray': MEAN_DASH, class: 'mean' });
        }
      : undefined,
    hasMean ? [{ label: `mean ${formatNumber(mean, 3)}`, color: INK.axis, kind: 'line', dash: MEAN_DASH, strokeWidth: 1.3 }] : undefined,
  );
}
