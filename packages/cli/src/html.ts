import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AnalyzeReport } from '@solvscope/core';
import { toJSON } from './output.js';
import { reportTables } from './tables.js';

/** Write report.html and the SVG plots into `dir` (filled in by @solvscope/report). */
export async function writeHtmlReport(_rep: AnalyzeReport, _dir: string): Promise<void> {}

/** Everything an analyze run leaves in its folder: report.json, the CSV tables, SVGs and report.html. */
export async function writeReportFiles(rep: AnalyzeReport, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'report.json'), toJSON(rep));
  for (const [name, text] of Object.entries(reportTables(rep))) await writeFile(join(dir, name), text);
  await writeHtmlReport(rep, dir);
}

/** batch.html: quantities against labels (filled in by @solvscope/report). */
export async function writeBatchHtml(_found: unknown[], _rows: unknown[], _dir: string): Promise<void> {}
