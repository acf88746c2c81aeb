import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalyzeReport } from '@solvscope/core';
import { extractFigures, fromAnalyzeReport, renderBatchHtml, renderReportHtml, reportCsvFiles, type BatchEntry, type LabelledTidyRow } from '@solvscope/report';
import { toJSON } from './output.js';

/**
 * Everything an analyze run leaves in its folder: report.json (the schema of
 * packages/report/README.md), the CSV tables, report.html (self-contained: inline CSS and
 * SVG, no scripts, opens offline) and every plot as its own SVG file.
 */
export async function writeReportFiles(rep: AnalyzeReport, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), toJSON(rep));
  const view = fromAnalyzeReport(rep);
  const csv = reportCsvFiles(view);
  for (const [name, text] of Object.entries(csv)) await writeFile(join(dir, name), text);
  const html = renderReportHtml(view, { csvFiles: Object.fromEntries(Object.keys(csv).map((n) => [n, n])) });
  await writeFile(join(dir, 'report.html'), html);
  for (const f of extractFigures(html)) await writeFile(join(dir, `${f.id}.svg`), `<?xml version="1.0" encoding="UTF-8"?>\n${f.svg}\n`);
}

/** batch.html: chosen quantities against the labels, with links to every entry's report. */
export async function writeBatchHtml(entries: BatchEntry[], rows: LabelledTidyRow[], dir: string): Promise<void> {
  await writeFile(join(dir, 'batch.html'), renderBatchHtml(entries, rows));
}
