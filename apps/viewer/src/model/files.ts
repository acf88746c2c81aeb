import type { SystemRequest } from '@solvscope/browser';
import { defaultRegistry } from '@solvscope/formats';

/**
 * Decide which of the dropped files is the trajectory and which the topology: a file whose
 * format has frames but no atom names (XTC, TRR, DCD, LAMMPS dump) is the trajectory; the
 * other one the topology. With one file, it is both (a multi-model PDB or GRO). Unknown
 * extensions are passed on and the reader reports them.
 * @throws Error for zero or more than two files.
 */
export function classifyFiles(files: readonly File[]): SystemRequest {
  if (files.length === 0) throw new Error('no file given: drop a topology (GRO, PDB, LAMMPS data) and a trajectory (XTC, TRR, DCD, LAMMPS dump)');
  if (files.length > 2) throw new Error(`drop one topology and one trajectory (got ${files.length} files: ${files.map((f) => f.name).join(', ')})`);
  const ref = (f: File) => ({ name: f.name, blob: f });
  if (files.length === 1) return { trajectory: ref(files[0]) };
  const carriesTopology = (f: File) => defaultRegistry.byFileName(f.name).some((d) => !!d.readTopology);
  const [a, b] = files;
  const ta = carriesTopology(a);
  const tb = carriesTopology(b);
  if (ta && !tb) return { topology: ref(a), trajectory: ref(b) };
  if (tb && !ta) return { topology: ref(b), trajectory: ref(a) };
  // both or neither carry names: the smaller file is the topology
  return a.size <= b.size ? { topology: ref(a), trajectory: ref(b) } : { topology: ref(b), trajectory: ref(a) };
}
