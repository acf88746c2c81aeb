import { OptionError, SolvscopeError, buildTopology, selectNonEmpty, type Topology } from '@solvscope/core';
import { defaultRegistry } from '@solvscope/formats';
import { FileByteSink, openSystem } from '@solvscope/node';
import { frameSlice, parse } from '../args.js';
import type { Command } from '../command.js';

/** The topology restricted to `atoms` (for writers). */
function subsetTopology(t: Topology, atoms: Int32Array | null): Topology {
  if (!atoms) return t;
  const pick = <T>(arr: ArrayLike<T>) => Array.from(atoms, (i) => arr[i]);
  return buildTopology({
    atomCount: atoms.length,
    names: pick(t.names),
    types: pick(t.types),
    elements: pick(t.elements),
    resnames: pick(t.resnames),
    resids: pick(t.resids),
    chains: pick(t.chains),
    masses: pick(t.masses),
    charges: t.charges ? pick(t.charges) : undefined,
    moleculeIds: pick(t.molecules),
  });
}

export const convertCommand: Command = {
  name: 'convert',
  summary: 'rewrite a trajectory in another format, optionally a frame range and an atom selection',
  usage: 'solvscope convert IN OUT [--top TOP] [--frames a:b:step] [--select SEL] [--out-format NAME]',
  help: `Reads IN frame by frame (streaming) and writes OUT in the format given by its extension
(or --out-format). Writers: ${'${WRITERS}'}. Coordinates are written in each format's native
units (nm for GRO/XTC, Å for PDB/XYZ).

Options:
  --top FILE         topology for names/residues (needed for GRO/PDB output from XTC/TRR/DCD)
  --format NAME      input format;  --out-format NAME  output format
  --frames A:B:S     frame slice, Python style: 0:100, ::10, -1 (last frame only)
  --select SEL       keep only these atoms, e.g. "not resname SOL" or "within 5 of name MG" is NOT allowed (static selections only)
  --precision N      XTC precision in 1/nm (default 1000)

Examples:
  solvscope convert prod.xtc first10.pdb --top final.gro --frames 0:10
  solvscope convert prod.xtc shells.gro --top final.gro --select "resname MG DME TFSI" --frames ::50`,
  async run(argv, io) {
    const { values, positionals } = parse(
      argv,
      {
        top: { type: 'string' },
        format: { type: 'string' },
        'top-format': { type: 'string' },
        'out-format': { type: 'string' },
        frames: { type: 'string' },
        select: { type: 'string' },
        precision: { type: 'string' },
        rename: { type: 'string' },
      },
      'convert',
    );
    const input = io.requirePositional(positionals, 0, 'IN', 'convert');
    const output = io.requirePositional(positionals, 1, 'OUT', 'convert');
    io.noMorePositionals(positionals, 2, 'convert');
    const outFmt = values['out-format'] ? defaultRegistry.get(values['out-format']) : defaultRegistry.byFileName(output).find((f) => f.createWriter);
    if (!outFmt || !outFmt.createWriter) {
      const writers = defaultRegistry.formats.filter((f) => f.createWriter).map((f) => `.${f.extensions[0]}`);
      throw new OptionError('OPTION', `cannot write '${output}': choose an extension with a writer (${writers.join(', ')}) or --out-format`, { option: 'OUT' });
    }
    const precision = values.precision !== undefined ? Number(values.precision) : undefined;
    if (precision !== undefined && !(precision > 0)) throw new OptionError('OPTION', `--precision must be a positive number (got "${values.precision}")`, { option: '--precision' });
    const sys = await openSystem(input, { top: values.top, format: values.format, topFormat: values['top-format'], rename: io.rename(values.rename), onWarning: io.warn });
    const src = sys.trajectory;
    let atoms: Int32Array | null = null;
    if (values.select) atoms = selectNonEmpty(sys.topology, values.select, '--select');
    const sink = await FileByteSink.create(output);
    let written = 0;
    try {
      const writer = outFmt.createWriter(sink, { topology: subsetTopology(sys.topology, atoms), precision });
      for await (const f of src.frames({ ...frameSlice(values.frames), signal: io.signal })) {
        await writer.writeFrame(f, atoms ?? undefined);
        written++;
      }
      await writer.close();
      await sink.close();
    } catch (e) {
      await sink.abort();
      if (e instanceof SolvscopeError && written > 0) io.err(`convert: ${written} frames had been converted; ${output} was not written`);
      throw e;
    } finally {
      await src.close();
    }
    io.err(`wrote ${written} frames of ${atoms ? atoms.length : src.atomCount} atoms to ${output} (${outFmt.label})`);
    return 0;
  },
};
