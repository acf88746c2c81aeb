import { OptionError, type AnalyzeReport } from '@solvscope/core';
import { analyze } from '@solvscope/node';
import { EXIT, frameSlice, numberOption, parse, trajectoryArgs } from '../args.js';
import type { Command } from '../command.js';
import { readConfig } from '../config.js';
import { fmt, table, toJSON } from '../output.js';
import { progressBar } from '../progress.js';
import { writeReportFiles } from '../html.js';

function pct(x: number, e: number): string {
  return `${(100 * x).toFixed(1)}%${Number.isFinite(e) ? ` ± ${(100 * e).toFixed(1)}` : ''}`;
}

/** The short human-readable summary printed on stdout. */
export function summarize(rep: AnalyzeReport, outDir: string | null): string {
  const lines: string[] = [];
  lines.push(`${rep.ions.count} ions (${rep.ions.selection}) over ${rep.frames} frames, ${rep.blocks} blocks for error bars`);
  lines.push('');
  lines.push(
    table(
      rep.coordination.map((c) => [
        c.species,
        `${fmt(c.cutoff, 2)} (${rep.settings.cutoffs.find((x) => x.species === c.species)?.source ?? ''})`,
        `${fmt(c.atoms.mean, 3)} ± ${fmt(c.atoms.stderr, 3)}`,
        `${fmt(c.molecules.mean, 3)} ± ${fmt(c.molecules.stderr, 3)}`,
        Object.entries(c.denticity)
          .map(([k, v]) => `κ${k} ${(100 * v).toFixed(0)}%`)
          .join(' '),
      ]),
      ['partner', 'cutoff/Å', 'atom CN', 'molecule CN', 'denticity'],
    ),
  );
  lines.push('');
  lines.push(table(rep.speciation.slice(0, 8).map((s) => [s.label, pct(s.fraction, s.stderr)]), ['shell', 'fraction of ion-frames']));
  if (rep.speciation.length > 8) lines.push(`… ${rep.speciation.length - 8} more in speciation.csv`);
  lines.push('');
  const c = rep.pairing.cation;
  const a = rep.pairing.anion;
  if (rep.pairing.anions.length) {
    lines.push(`cations: SSIP ${pct(c.SSIP.fraction, c.SSIP.stderr)}, CIP ${pct(c.CIP.fraction, c.CIP.stderr)}, AGG ${pct(c.AGG.fraction, c.AGG.stderr)}`);
    lines.push(`anions (${rep.pairing.anions.join(', ')}): SSIP ${pct(a.SSIP.fraction, a.SSIP.stderr)}, CIP ${pct(a.CIP.fraction, a.CIP.stderr)}, AGG-I ${pct(a.AGG_I.fraction, a.AGG_I.stderr)}, AGG-II ${pct(a.AGG_II.fraction, a.AGG_II.stderr)}`);
  } else lines.push('no anion species among the partners: ion pairing not computed');
  const res = rep.residence.map((r) => `${r.species} ${r.continuous_ps === null ? 'n/a' : `${r.lowerBound ? '> ' : ''}${fmt(r.continuous_ps, 1)} ps`}`);
  if (res.length) lines.push(`residence (continuous, 1/e): ${res.join(', ')}`);
  for (const w of rep.warnings) lines.push(`warning: ${w}`);
  if (outDir) lines.push('', `wrote ${outDir}/report.json, report.html, *.csv, *.svg`);
  return lines.join('\n');
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'solvation shells of the ions: g(r), cutoffs, coordination, speciation, pairing, residence',
  usage: 'solvscope analyze --traj TRAJ [--traj PART2 …] [--top TOP] --ion SEL [--anion SEL] [--cutoff auto|Å] [--config FILE] [--out DIR]',
  help: `Given only the ion selection, finds every partner species (molecules with donor atoms),
computes g(r) from the ions to each partner's donor atoms with the running coordination number,
takes the first minimum of g(r) as the shell cutoff ('auto'), and reports per partner the atom
and molecule coordination numbers with distributions and denticity, the shell compositions
([Mg(TFSI)(DME)2]+ …), ion pairing from both sides (SSIP/CIP/AGG), cation–anion clusters and
residence times, all with block-averaged standard errors. Definitions: packages/report/README.md.

Writes DIR/report.json, report.html (plots, tables, definitions; opens offline), rdf.csv,
coordination.csv, speciation.csv, pairing.csv, residence.csv and one SVG per plot.

Options:
  --traj FILE        trajectory (or give it as the argument); repeat it, or give several
                     arguments, for a run written in parts: read in that order as one run
  --top FILE         topology (GRO, PDB, XYZ, LAMMPS data); default: TRAJ if it has one
  --ion SEL          the ions, e.g. "name MG" or "element Ca"   (required)
  --anion SEL        anion atoms for pairing; default: partner species with negative charge
  --cutoff X         'auto' (default) or Å, for partners without a cutoff in the config
  --config FILE      JSON or YAML: {species: {NAME: {name, donors, cutoff, charge, partner}}, anions: [...]}
  --out DIR          output folder (default solvscope-out)
  --frames A:B:S     frame slice, Python style
  --workers N        worker threads; 0 = this thread. Default: all cores, or this thread when
                     atoms × frames is under ~35 M on 2 cores (~18 M on 8), where starting
                     the workers costs more than they save
  --r-max Å          g(r) range (default 12, or less in a small box);  --bin-width Å (default 0.02)
  --json             print report.json on stdout instead of the summary
  --no-hash          skip sha256 of the inputs in the provenance

Examples:
  solvscope analyze --top fixtures/mg-tfsi-dme/final.gro --traj fixtures/mg-tfsi-dme/prod.xtc --ion "name MG"
  solvscope analyze --traj run.xtc --top conf.gro --ion "resname CA" --config electrolyte.yaml --out ca-run
  solvscope analyze prod.part0001.xtc prod.part0002.xtc prod.part0003.xtc --top conf.gro --ion "name MG"`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        traj: { type: 'string', multiple: true },
        top: { type: 'string' },
        format: { type: 'string' },
        'top-format': { type: 'string' },
        ion: { type: 'string' },
        anion: { type: 'string' },
        cutoff: { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        frames: { type: 'string' },
        workers: { type: 'string' },
        'r-max': { type: 'string' },
        'bin-width': { type: 'string' },
        json: { type: 'boolean' },
        'no-hash': { type: 'boolean' },
        'chunk-frames': { type: 'string' },
      },
      'analyze',
    );
    const traj = trajectoryArgs(values.traj, positionals, 'analyze');
    if (!values.ion) throw new OptionError('OPTION', `--ion SEL is required (e.g. --ion "name MG"); see 'solvscope analyze --help'`, { option: '--ion' });
    let cutoff: number | 'auto' | undefined;
    if (values.cutoff !== undefined) cutoff = values.cutoff === 'auto' ? 'auto' : numberOption(values.cutoff, '--cutoff', { exclusiveMin: 0 });
    const config = values.config ? await readConfig(values.config) : undefined;
    const out = values.out ?? 'solvscope-out';
    const bar = progressBar(io.isTTY, io.errRaw);
    const result = await analyze({
      traj,
      top: values.top,
      format: values.format,
      topFormat: values['top-format'],
      ion: values.ion,
      anion: values.anion,
      cutoff,
      config,
      rMax: numberOption(values['r-max'], '--r-max', { exclusiveMin: 0 }),
      binWidth: numberOption(values['bin-width'], '--bin-width', { exclusiveMin: 0 }),
      workers: numberOption(values.workers, '--workers', { min: 0, integer: true }),
      chunkFrames: numberOption(values['chunk-frames'], '--chunk-frames', { min: 1, integer: true }),
      ...frameSlice(values.frames),
      signal: io.signal,
      onProgress: (phase, p) => bar.update(phase === 'cutoffs' ? 'cutoffs' : 'analysis', p),
      onWarning: io.warn,
      hashInputs: !values['no-hash'],
    });
    bar.done();
    const rep = result.report;
    await writeReportFiles(rep, out);
    if (values.json) io.out(toJSON(rep));
    else io.out(summarize(rep, out));
    if (result.partial) {
      for (const e of result.errors) io.err(`error: ${e.message}`);
      io.err(`partial results: ${result.errors.length} chunk(s) failed; the report covers frames ${JSON.stringify(rep.provenance.framesCovered)}`);
      return EXIT.PARTIAL;
    }
    return EXIT.OK;
  },
};
