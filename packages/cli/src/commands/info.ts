import { boxKind, boxToLengthsAngles, type Frame } from '@solvscope/core';
import { openSystem } from '@solvscope/node';
import { parse } from '../args.js';
import { fmt, table, toJSON } from '../output.js';
import type { Command } from '../command.js';

export const infoCommand: Command = {
  name: 'info',
  summary: 'what a trajectory holds: format, atoms, frames, time, box, species',
  usage: 'solvscope info TRAJ [--top TOP] [--format NAME] [--rename A=B,...] [--json]',
  help: `Prints the format, atom and frame counts (exact, from the frame index), time range (ps),
box kind of the first frame (none / orthorhombic / triclinic) with lengths (Å) and angles (°),
and the molecule species with their counts. Species are molecules with the same atom
sequence, named by residue name or Hill formula (rename with --rename C4H10O2=DME).

Options:
  --top FILE        topology (GRO, PDB, XYZ, LAMMPS data); default: TRAJ itself if it has one
  --format NAME     trajectory format when the extension is ambiguous
  --top-format NAME topology format
  --rename LIST     rename species, e.g. C4H10O2=DME,SOL=water
  --no-cache        do not read or write the frame-index cache
  --json            machine-readable output

Examples:
  solvscope info fixtures/mg-tfsi-dme/prod.xtc --top fixtures/mg-tfsi-dme/final.gro
  solvscope info run.lammpstrj --top system.data --json`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        top: { type: 'string' },
        format: { type: 'string' },
        'top-format': { type: 'string' },
        rename: { type: 'string' },
        'no-cache': { type: 'boolean' },
        json: { type: 'boolean' },
      },
      'info',
    );
    const traj = io.requirePositional(positionals, 0, 'TRAJ', 'info');
    io.noMorePositionals(positionals, 1, 'info');
    const sys = await openSystem(traj, {
      top: values.top,
      format: values.format,
      topFormat: values['top-format'],
      rename: io.rename(values.rename),
      cache: !values['no-cache'],
      onWarning: io.warn,
    });
    const t = sys.trajectory;
    try {
      let first: Frame | null = null;
      let last: Frame | null = null;
      if (t.frameCount > 0) {
        first = await t.readFrame(0);
        last = t.frameCount > 1 ? await t.readFrame(t.frameCount - 1) : first;
      }
      const kind = boxKind(first?.box ?? null);
      const dims = first?.box ? boxToLengthsAngles(first.box) : null;
      const dt = t.frameCount > 1 && first && last ? (last.time - first.time) / (t.frameCount - 1) : NaN;
      const species = sys.topology.species.map((s) => ({
        name: s.name,
        formula: s.formula,
        count: s.count,
        atomsPerMolecule: s.atomsPerMolecule,
        charge: s.charge,
        chargeSource: s.chargeSource,
      }));
      const info = {
        file: traj,
        format: t.format,
        topology: sys.topologySource,
        atoms: t.atomCount,
        frames: t.frameCount,
        timeFirstPs: first ? first.time : null,
        timeLastPs: last ? last.time : null,
        dtPs: dt,
        box: kind,
        boxLengthsA: dims ? dims.slice(0, 3) : null,
        boxAnglesDeg: dims ? dims.slice(3) : null,
        molecules: sys.topology.moleculeCount,
        moleculeSource: sys.topology.moleculeSource,
        species,
        warnings: t.tailError ? [t.tailError.message] : [],
      };
      if (values.json) {
        io.out(toJSON(info));
        return 0;
      }
      const lines = [
        `file       ${traj}`,
        `format     ${t.format}`,
        `topology   ${sys.topologySource}`,
        `atoms      ${t.atomCount}`,
        `frames     ${t.frameCount}`,
        `time       ${first ? `${fmt(first.time, 3)} .. ${fmt(last!.time, 3)} ps` : 'n/a'}${Number.isFinite(dt) ? ` (every ${fmt(dt, 3)} ps)` : ''}`,
        `box        ${kind}${dims ? `: ${dims.slice(0, 3).map((x) => fmt(x, 3)).join(' x ')} Å, ${dims.slice(3).map((x) => fmt(x, 2)).join(' / ')}°` : ''}`,
        `molecules  ${sys.topology.moleculeCount} (from ${sys.topology.moleculeSource})`,
        '',
        table(
          species.map((s) => [s.name, s.formula, s.count, s.atomsPerMolecule, `${s.charge > 0 ? '+' : ''}${s.charge}${s.chargeSource === 'assumed-neutral' ? ' (assumed)' : ''}`]),
          ['species', 'formula', 'count', 'atoms', 'charge/e'],
        ),
      ];
      io.out(lines.join('\n'));
      return 0;
    } finally {
      await t.close();
    }
  },
};
