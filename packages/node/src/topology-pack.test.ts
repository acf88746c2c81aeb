import { describe, expect, it } from 'vitest';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { packTopology, unpackTopology, type Topology } from '@solvscope/core';
import { MG_TFSI_DME, TRICLINIC } from '@solvscope/fixtures';
import { loadTopology, openTrajectory } from './open.js';
import { prepareNodeJob } from './job.js';

function plain(t: Topology) {
  // compare typed arrays by content whatever their buffer (shared or not)
  return JSON.parse(JSON.stringify(t, (_k, v) => (ArrayBuffer.isView(v) ? { typed: v.constructor.name, values: Array.from(v as Int32Array) } : v)));
}

describe('packed topology (what workers receive)', () => {
  it('unpacks to the topology it was made from, with renames and charges, shared or not', async () => {
    const t = await loadTopology(MG_TFSI_DME.gro, { rename: { C4H10O2: 'DME' }, charges: { MG: 2 } });
    for (const shared of [false, true]) {
      const p = packTopology(t, { shared });
      expect(p.codes.names.buffer instanceof SharedArrayBuffer).toBe(shared);
      expect(p.tables.names.length).toBeLessThan(40);
      expect(plain(unpackTopology(p))).toEqual(plain(t));
    }
  });

  it('crosses a message port as shared memory: no copy of the per-atom arrays', async () => {
    const t = await loadTopology(TRICLINIC.gro);
    const p = packTopology(t);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(p);
    const got = receiveMessageOnPort(port2)!.message as typeof p;
    port1.close();
    expect(plain(unpackTopology(got))).toEqual(plain(t));
    got.molecules[0] = 12345; // same memory on both sides
    expect(p.molecules[0]).toBe(12345);
  });

  it('lets a worker prepare its job from the packed topology without reading any topology file', async () => {
    const t = await loadTopology(MG_TFSI_DME.gro);
    const tr = await openTrajectory(MG_TFSI_DME.xtc);
    const index = tr.index;
    await tr.close();
    const job = await prepareNodeJob({
      traj: MG_TFSI_DME.xtc,
      top: '/nonexistent/topology.gro',
      topology: packTopology(t),
      index,
      requests: [{ id: 'rdf', spec: { ref: 'name MG', sel: 'name O1', rMax: 8 } }],
      frameCount: index.offsets.length - 1,
    });
    try {
      expect(job.system.topology.atomCount).toBe(t.atomCount);
      expect(job.system.topology.species.map((s) => s.name)).toEqual(t.species.map((s) => s.name));
    } finally {
      await job.source.close();
    }
  });
});
