/**
 * @solvscope/report: charts (hand-written SVG), CSV tables and self-contained HTML reports.
 * Environment-agnostic: pure functions from data to strings; writing files is the caller's job.
 */
export * from './charts/index.js';
export { niceNumber, niceTicks, niceAxis, formatTick, type Ticks, type Axis } from './svg/ticks.js';
export { escapeXml } from './svg/escape.js';
export { OKABE_ITO, SERIES_COLORS } from './svg/palette.js';
export { splitChemLabel, chemLabelHtml, chemLabelSvg, type LabelPiece } from './svg/chem-label.js';
export { formatNumber, formatEstimate, formatPercent, formatBytes } from './format.js';
export { toCsv, parseCsv, csvCell, type CsvColumn, type CsvOptions } from './tables/csv.js';
export {
  rdfCsv,
  coordinationCsv,
  coordinationDistributionCsv,
  denticityCsv,
  speciationCsv,
  pairingCsv,
  clustersCsv,
  residenceCsv,
  reportCsvFiles,
  type RdfArrays,
} from './tables/report-tables.js';
export {
  tidyRows,
  labelledTidyRows,
  tidyCsv,
  tidyReportCsv,
  matchesQuantity,
  quantityAxisLabel,
  quantityTitle,
  type TidyRow,
  type LabelledTidyRow,
  type EntryLabels,
  type QuantityRef,
} from './tables/tidy.js';
export { DEFINITIONS, definitionsText, type Definition } from './definitions.js';
export { renderReportHtml, REPORT_SECTIONS, type ReportHtmlOptions } from './html/report-html.js';
export { renderBatchHtml, type BatchEntry, type BatchHtmlOptions } from './html/batch-html.js';
export { REPORT_CSS, extractFigures } from './html/html.js';
export * from './report-types.js';
export { fromAnalyzeReport } from './from-analyze.js';
