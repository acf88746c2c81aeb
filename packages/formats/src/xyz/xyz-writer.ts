import { SolvscopeError, type Frame } from '@solvscope/core';
import type { ByteSink, TrajectoryWriter, WriterOptions } from '../format.js';

/** Format a box/time number compactly but exactly enough (12 significant digits). */
function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/**
 * Write extended XYZ: per frame the atom count, a comment line
 * `Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3 Time=<ps> step=<n> pbc="T T T"`
 * (Lattice and pbc only when the frame has a box, Time only when finite, step only when ≥ 0),
 * then `species x y z` with positions in Å to 5 decimals. The species is the topology element,
 * else the atom name, else 'X'. Plain-XYZ readers still read the file (they ignore the comment).
 *
 * `writeFrame(frame, atoms)` writes `atoms` (indices into the frame, in order) or every atom;
 * `options.topology` describes exactly the written atoms.
 * @throws SolvscopeError 'MISMATCH' (as a rejection) when the topology's atom count differs
 *   from the number of atoms written.
 */
export function createXyzWriter(sink: ByteSink, options: WriterOptions): TrajectoryWriter {
  const topo = options.topology;
  const enc = new TextEncoder();
  let species: string[] | null = null;
  let frames = 0;
  return {
    async writeFrame(frame: Frame, atoms?: Int32Array): Promise<void> {
      const n = atoms ? atoms.length : frame.positions.length / 3;
      if (topo.atomCount !== n) {
        throw new SolvscopeError('MISMATCH', `the topology has ${topo.atomCount} atoms but ${n} atoms are written`, {
          file: sink.name,
          format: 'XYZ',
          frame: frames,
        });
      }
      if (!species) {
        species = new Array<string>(n);
        for (let k = 0; k < n; k++) species[k] = (topo.elements[k] || topo.names[k] || 'X').replace(/\s+/g, '_');
      }
      const parts: string[] = [];
      const box = frame.box;
      if (box) parts.push(`Lattice="${Array.from(box, num).join(' ')}"`);
      parts.push('Properties=species:S:1:pos:R:3');
      if (Number.isFinite(frame.time)) parts.push(`Time=${num(frame.time)}`);
      if (frame.step >= 0) parts.push(`step=${frame.step}`);
      if (box) parts.push('pbc="T T T"');
      const out: string[] = [String(n), parts.join(' ')];
      const p = frame.positions;
      for (let k = 0; k < n; k++) {
        const a = atoms ? atoms[k] : k;
        out.push(`${species[k]} ${p[3 * a].toFixed(5)} ${p[3 * a + 1].toFixed(5)} ${p[3 * a + 2].toFixed(5)}`);
      }
      out.push('');
      await sink.write(enc.encode(out.join('\n')));
      frames++;
    },
    async close(): Promise<void> {
      await sink.close();
    },
  };
}
