import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FormatError, type FrameIndex } from '@solvscope/core';
import { MG_TFSI_DME } from '@solvscope/fixtures';
import { BrowserSession } from './session.js';
import { exposeViewerWorker, wrapViewerWorker } from './worker-api.js';
import type { SystemRequest } from './open.js';

/** A "worker" in this thread: the API exposed on one end of a MessageChannel. */
function channelWorker() {
  const { port1, port2 } = new MessageChannel();
  exposeViewerWorker(port1 as never);
  return Object.assign(port2, { terminate: () => (port1.close(), port2.close()) });
}

const example = (): SystemRequest => ({
  topology: { name: 'final.gro', blob: new Blob([readFileSync(MG_TFSI_DME.gro)]) },
  trajectory: { name: 'prod.xtc', blob: new Blob([readFileSync(MG_TFSI_DME.xtc)]) },
});

const open: BrowserSession[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

describe('viewer worker API over comlink', () => {
  it('opens topology and trajectory in the worker and returns topology, index and frame 0', async () => {
    const progress: number[] = [];
    const s = await BrowserSession.open(example(), { createWorker: channelWorker, workers: 1, onOpenProgress: (p) => progress.push(p.bytesScanned) });
    open.push(s);
    expect(s.info.atomCount).toBe(MG_TFSI_DME.atoms);
    expect(s.info.frameCount).toBe(MG_TFSI_DME.frames);
    expect(s.info.format).toBe('xtc');
    expect(s.info.topologySource).toBe('final.gro');
    expect(s.info.topology.species.map((sp) => sp.name).sort()).toEqual(['DME', 'MG', 'TFSI']);
    expect((s.info.index as FrameIndex).offsets.length).toBe(MG_TFSI_DME.frames + 1);
    expect(s.info.firstFrame!.positions.length).toBe(3 * MG_TFSI_DME.atoms);
    expect(s.info.tailError).toBeNull();
    expect(progress.length).toBeGreaterThan(0);
  });

  it('reads frames on demand with the same coordinates as the coordinate reference', async () => {
    const s = await BrowserSession.open(example(), { createWorker: channelWorker, workers: 1 });
    open.push(s);
    const ref = JSON.parse(readFileSync(MG_TFSI_DME.coordsRef, 'utf8')) as { atoms: number[]; frames: { frame: number; time_ps: number; positions: number[][] }[] };
    for (const rf of [...ref.frames].reverse()) {
      const f = await s.readFrame(rf.frame);
      expect(f.index).toBe(rf.frame);
      expect(f.time).toBeCloseTo(rf.time_ps, 6);
      ref.atoms.forEach((a, k) => {
        for (let c = 0; c < 3; c++) expect(Math.abs(f.positions[3 * a + c] - rf.positions[k][c])).toBeLessThan(1e-3);
      });
    }
  });

  it('rethrows reader errors on the calling side with their class, code and context', async () => {
    const bad: SystemRequest = {
      trajectory: { name: 'broken.xtc', blob: new Blob([readFileSync(MG_TFSI_DME.xtc).subarray(0, 40)]) },
      topology: example().topology,
    };
    const err = await BrowserSession.open(bad, { createWorker: channelWorker }).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.context.file).toBe('broken.xtc');
    expect(err.message).toMatch(/^broken\.xtc: XTC/);
  });

  it('names both files when topology and trajectory disagree on the atom count', async () => {
    const req: SystemRequest = {
      trajectory: example().trajectory,
      topology: { name: 'water.gro', blob: new Blob([readFileSync(MG_TFSI_DME.gro, 'utf8').replace(/^(.*\n)\s*3572\n/, '$1 3\n').split('\n').slice(0, 5).concat(['   1.0 1.0 1.0', '']).join('\n')]) },
    };
    const err = await BrowserSession.open(req, { createWorker: channelWorker }).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.code).toBe('MISMATCH');
    expect(err.message).toContain('topology water.gro has 3 atoms but the trajectory has 3572');
  });

  it('says which formats are supported for a file it cannot recognise', async () => {
    const req: SystemRequest = { trajectory: { name: 'notes.txt', blob: new Blob(['hello world\n']) } };
    const err = await BrowserSession.open(req, { createWorker: channelWorker }).catch((e) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.message).toMatch(/^notes\.txt: cannot tell the format/);
  });

  it('refuses to use a prepared job it never saw', async () => {
    const ep = channelWorker();
    const api = wrapViewerWorker(ep);
    await expect(api.runChunk('nope', { index: 0, start: 0, stop: 1, step: 1 })).rejects.toThrow(/job nope was not prepared/);
    ep.terminate();
  });
});
