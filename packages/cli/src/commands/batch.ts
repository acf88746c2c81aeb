import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { OptionError, SourceError } from '@solvscope/core';
import { collectResults, parseShard, resolveManifest, runBatch, validateManifest, type EntryOutcome, type Manifest, type ResolvedEntry } from '@solvscope/node';
import { fromAnalyzeReport, labelledTidyRows, tidyCsv, type BatchEntry } from '@solvscope/report';
import type { AnalyzeReport } from '@solvscope/core';
import { EXIT, numberOption, parse } from '../args.js';
import type { Command } from '../command.js';
import { writeReportFiles, writeBatchHtml } from '../html.js';
import { progressBar } from '../progress.js';

async function readManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SourceError('SOURCE', `cannot read manifest: ${(e as Error).message}`, { file: path });
  }
  let data: unknown;
  try {
    data = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new OptionError('OPTION', `${path}: not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(e as Error).message}`, { option: 'MANIFEST' });
  }
  return validateManifest(data);
}

function batchEntry(e: ResolvedEntry, status: BatchEntry['status'], report?: AnalyzeReport, error?: string): BatchEntry {
  return { name: e.id, labels: e.labels, status, error, reportHref: report ? `${e.id}/report.html` : undefined, frames: report?.frames };
}

function outcomeEntry(o: EntryOutcome): BatchEntry {
  const status = o.status === 'done' ? 'ok' : o.status === 'skipped' ? 'cached' : o.partial ? 'partial' : 'failed';
  return batchEntry(o.entry, status, o.status === 'failed' ? undefined : o.report, o.error?.message);
}

export const batchCommand: Command = {
  name: 'batch',
  summary: 'analyze every trajectory of a manifest; resumable, shardable over a cluster job array',
  usage: 'solvscope batch MANIFEST [--out DIR] [--shard I/N] [--merge] [--workers N] [--force]',
  help: `Runs 'analyze' on every entry of MANIFEST (JSON or YAML) and writes DIR/<entry>/ (report.json,
report.html, tables) plus DIR/results.csv, a tidy table with one row per entry × quantity and one
column per label, and DIR/batch.html.

Manifest:
  defaults: { ion: "name MG", cutoff: auto, config: { species: { TFSI: { donors: "name O1 O2 O3 O4" } } } }
  entries:
    - traj: runs/0.5M-r1/prod.xtc
      top: runs/0.5M-r1/conf.gro
      labels: { salt: "Mg(TFSI)2", conc_M: 0.5, replica: 1 }
    - traj: "runs/*M-r*/prod.xtc"        # a glob: one entry per match
      top: "runs/$1M-r$2/conf.gro"       # $1, $2 = what the wildcards matched
      labels: { conc_M: "$1", replica: "$2" }
    - traj: ["runs/long/prod.part*.xtc"]  # a list: ONE entry, a run written in parts, read in
      top: runs/long/conf.gro             # order as one run (each glob's matches sorted)
      labels: { conc_M: 1.0, replica: "long" }
Entry settings (ion, anion, cutoff, config, frames {start, stop, step}, rMax, binWidth, top,
format, topFormat) override the defaults. Paths are relative to the manifest.

Resuming: an entry whose inputs (sha256) and settings are unchanged since its last complete run
is skipped; changing a setting reruns only the entries it affects. A failing entry is reported
and the others go on; the exit code is then 3.

Cluster job arrays: --shard I/N runs every N-th entry starting at the I-th (deterministic
order by entry id); after all shards, 'solvscope batch MANIFEST --merge' writes results.csv and
batch.html from every entry's folder. Slurm example:

  #!/bin/bash
  #SBATCH --array=1-16 --cpus-per-task=8 --mem=4G --time=04:00:00
  node /path/to/solvscope/packages/cli/dist/bin.js batch screen.yaml --out results \\
       --shard \${SLURM_ARRAY_TASK_ID}/16 --workers \${SLURM_CPUS_PER_TASK}
  # then, once:  solvscope batch screen.yaml --out results --merge

Options:
  --out DIR      output folder (default: batch-out next to the current directory)
  --shard I/N    run only shard I of N
  --merge        do not analyze; combine the entries' results into results.csv and batch.html
  --workers N    worker threads per entry (default: all cores)
  --force        rerun entries even when unchanged
  --json         print the outcome per entry as JSON`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      { out: { type: 'string' }, shard: { type: 'string' }, merge: { type: 'boolean' }, workers: { type: 'string' }, force: { type: 'boolean' }, json: { type: 'boolean' } },
      'batch',
    );
    const manifestPath = io.requirePositional(positionals, 0, 'MANIFEST', 'batch');
    io.noMorePositionals(positionals, 1, 'batch');
    const manifest = await readManifest(manifestPath);
    const entries = await resolveManifest(manifest, dirname(manifestPath));
    const out = values.out ?? 'batch-out';
    await mkdir(out, { recursive: true });
    if (values.merge) {
      if (values.shard) throw new OptionError('OPTION', '--merge combines all shards; do not give --shard with it', { option: '--merge' });
      const { found, missing } = await collectResults(entries, out);
      const rows = found.flatMap((f) => labelledTidyRows(f.entry.id, f.entry.labels, fromAnalyzeReport(f.report)));
      await writeFile(join(out, 'results.csv'), tidyCsv(rows));
      await writeBatchHtml([...found.map((f) => batchEntry(f.entry, 'ok', f.report)), ...missing.map((m) => batchEntry(m, 'failed', undefined, 'no complete result'))], rows, out);
      io.out(`merged ${found.length} of ${entries.length} entries into ${join(out, 'results.csv')}`);
      for (const m of missing) io.err(`missing: ${m.id} (${m.traj}) has no complete result in ${join(out, m.id)}`);
      return missing.length ? EXIT.PARTIAL : EXIT.OK;
    }
    const shard = values.shard ? parseShard(values.shard) : undefined;
    const bar = progressBar(io.isTTY, io.errRaw);
    const outcomes = await runBatch(entries, {
      outDir: out,
      shard,
      workers: numberOption(values.workers, '--workers', { min: 0, integer: true }),
      force: values.force,
      signal: io.signal,
      writeEntry: writeReportFiles,
      onProgress: (_phase, p) => bar.update('entry', p),
      onEntry: (o, k, total) => {
        bar.done();
        const what = o.status === 'failed' ? `FAILED: ${o.error?.message}` : o.status === 'skipped' ? 'unchanged, skipped' : 'done';
        io.err(`[${k + 1}/${total}] ${o.entry.id}: ${what}`);
      },
    });
    const good = outcomes.filter((o) => o.report && o.status !== 'failed');
    const rows = good.flatMap((o) => labelledTidyRows(o.entry.id, o.entry.labels, fromAnalyzeReport(o.report!)));
    const table = shard ? `results.shard-${shard.index}-of-${shard.count}.csv` : 'results.csv';
    await writeFile(join(out, table), tidyCsv(rows));
    if (!shard) await writeBatchHtml(outcomes.map(outcomeEntry), rows, out);
    const failed = outcomes.filter((o) => o.status === 'failed');
    if (values.json) io.out(JSON.stringify(outcomes.map((o) => ({ id: o.entry.id, traj: o.entry.traj, labels: o.entry.labels, status: o.status, error: o.error?.message ?? null })), null, 2));
    else io.out(`${outcomes.length} entries: ${outcomes.filter((o) => o.status === 'done').length} analysed, ${outcomes.filter((o) => o.status === 'skipped').length} unchanged, ${failed.length} failed; table ${join(out, table)}`);
    for (const f of failed) io.err(`failed: ${f.entry.id} (${f.entry.traj}): ${f.error?.message}`);
    return failed.length ? EXIT.PARTIAL : EXIT.OK;
  },
};
