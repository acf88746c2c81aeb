import { describe, expect, it } from 'vitest';
import { FormatError, OptionError, type Topology } from '@solvscope/core';
import { MG_TFSI_DME, MGCL2_WATER } from '@solvscope/fixtures';
import { loadTopology, openSystem } from './open.js';

describe('openSystem', () => {
  it('rejects a topology option that is not a Topology (a file name from JavaScript) and points to `top`', async () => {
    for (const bad of [MG_TFSI_DME.gro, 42, null]) {
      const p = openSystem(MG_TFSI_DME.xtc, { topology: bad as unknown as Topology });
      await expect(p).rejects.toBeInstanceOf(OptionError);
      await expect(openSystem(MG_TFSI_DME.xtc, { topology: bad as unknown as Topology })).rejects.toThrow(/topology must be a Topology object .*give a topology file as 'top'/);
    }
  });

  it('names both files when the topology and the trajectory disagree on the atom count', async () => {
    const other = await loadTopology(MGCL2_WATER.gro);
    const p = openSystem(MG_TFSI_DME.xtc, { topology: other, top: MGCL2_WATER.gro });
    await expect(p).rejects.toBeInstanceOf(FormatError);
    await expect(openSystem(MG_TFSI_DME.xtc, { top: MGCL2_WATER.gro })).rejects.toThrow(
      new RegExp(`topology .*${MGCL2_WATER.gro.split('/').pop()} has ${other.atomCount} atoms but the trajectory has \\d+`),
    );
  });

  it('uses a Topology object as given', async () => {
    const topo = await loadTopology(MG_TFSI_DME.gro);
    const sys = await openSystem(MG_TFSI_DME.xtc, { topology: topo });
    try {
      expect(sys.topology).toBe(topo);
      expect(sys.trajectory.atomCount).toBe(topo.atomCount);
    } finally {
      await sys.trajectory.close();
    }
  });
});
