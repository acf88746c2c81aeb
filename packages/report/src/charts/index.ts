export { rdfChart, type RdfChartOptions } from './rdf-chart.js';
export { barChart, type BarChartOptions } from './bar-chart.js';
export { histogramChart, type HistogramChartOptions } from './histogram-chart.js';
export { pairingChart, PAIRING_COLORS, type PairingChartOptions, type FractionWithError } from './pairing-chart.js';
export { seriesChart, type SeriesChartOptions, type Series } from './series-chart.js';
export { DEFAULT_WIDTH, DEFAULT_HEIGHT, type NumberArray } from './common.js';
