import { describe, expect, it } from 'vitest';
import { classifyFiles } from './files';

const file = (name: string, size = 10) => new File([new Uint8Array(size)], name);

describe('classifyFiles', () => {
  it('takes the file whose format has no atom names as the trajectory, in either order', () => {
    for (const files of [[file('topol.gro'), file('traj.xtc')], [file('traj.xtc'), file('topol.gro')]]) {
      const r = classifyFiles(files);
      expect([r.topology?.name, r.trajectory.name]).toEqual(['topol.gro', 'traj.xtc']);
    }
    const r = classifyFiles([file('dump.lammpstrj'), file('system.data')]);
    expect([r.topology?.name, r.trajectory.name]).toEqual(['system.data', 'dump.lammpstrj']);
  });

  it('uses a single file as both topology and trajectory', () => {
    const r = classifyFiles([file('models.pdb')]);
    expect(r.topology).toBeUndefined();
    expect(r.trajectory.name).toBe('models.pdb');
  });

  it('takes the smaller of two topology-bearing files as the topology', () => {
    const r = classifyFiles([file('traj.gro', 5000), file('first.pdb', 100)]);
    expect([r.topology?.name, r.trajectory.name]).toEqual(['first.pdb', 'traj.gro']);
  });

  it('asks for one topology and one trajectory when given none or too many', () => {
    expect(() => classifyFiles([])).toThrow(/^no file given/);
    expect(() => classifyFiles([file('a.gro'), file('b.xtc'), file('c.xtc')])).toThrow('drop one topology and one trajectory (got 3 files: a.gro, b.xtc, c.xtc)');
  });
});
