import type { AnalyzeReport } from '@solvscope/core';

/** Write report.html and the SVG plots into `dir` (filled in by @solvscope/report). */
export async function writeHtmlReport(_rep: AnalyzeReport, _dir: string): Promise<void> {}
