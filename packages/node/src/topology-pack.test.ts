import { describe, expect, it } from 'vitest';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { packTopology, unpackTopology, type Topology } from '@solvscope/core';
import { MG_TFSI_DME, TRICLINIC } from '@solvscope/fixtures';
import { loadTopology } from './open.js';

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
});
