import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type * as Comlink from 'comlink';
import {
  AbortError,
  FormatError,
  InProcessExecutor,
  SolvscopeError,
  defaultAnalyses,
  errorFromJSON,
  finalizeRun,
  planChunks,
  setupAnalyses,
  type AnalysisRequest,
  type ChunkOutcome,
  type FrameIndex,
} from '@solvscope/core';
import { MG_TFSI_DME } from '@solvscope/fixtures';
import { ComlinkExecutor } from './comlink-executor.js';
import { openBrowserSystem, type SystemRequest } from './open.js';
import { exposeViewerWorker, wrapViewerWorker, type BrowserJob, type ViewerWorkerApi } from './worker-api.js';

const xtcBytes = readFileSync(MG_TFSI_DME.xtc);
const groBlob = new Blob([readFileSync(MG_TFSI_DME.gro)]);
const system = (xtc: Uint8Array = xtcBytes): SystemRequest => ({
  topology: { name: 'final.gro', blob: groBlob },
  trajectory: { name: 'prod.xtc', blob: new Blob([xtc as BlobPart]) },
});

/** Requests every registered analysis can serve on this system (solvation when core registers it). */
function requests(): AnalysisRequest[] {
  const r: AnalysisRequest[] = [{ id: 'summary', spec: {} }];
  if ('solvation' in defaultAnalyses) {
    r.push({ id: 'solvation', spec: { ions: 'name MG', species: { DME: { cutoff: 2.8 }, TFSI: { donors: 'name O1 O2 O3 O4', cutoff: 2.8 } } } });
  }
  return r;
}

const ports: MessagePort[] = [];
function workers(n: number): Comlink.Remote<ViewerWorkerApi>[] {
  return Array.from({ length: n }, () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    exposeViewerWorker(port1 as never);
    return wrapViewerWorker(port2 as never);
  });
}
afterAll(() => ports.forEach((p) => p.close()));

let index: FrameIndex;
beforeAll(async () => {
  const sys = await openBrowserSystem(system());
  index = sys.trajectory.index;
  await sys.trajectory.close();
});

/** The same requests run in this thread by core's InProcessExecutor over the same chunk plan. */
async function inProcess(chunkFrames?: number): Promise<unknown[]> {
  const sys = await openBrowserSystem({ ...system(), index });
  const info = { topology: sys.topology, frameCount: sys.trajectory.frameCount, periodic: true };
  const job = { source: sys.trajectory, system: info, analyses: setupAnalyses(defaultAnalyses, requests(), info) };
  const outcomes = await new InProcessExecutor(job).run(planChunks(sys.trajectory.frameCount, { chunkFrames }));
  await sys.trajectory.close();
  return finalizeRun(job, outcomes).results;
}

const jobOf = (req = system()): BrowserJob => ({ system: { ...req, index }, requests: requests(), frameCount: MG_TFSI_DME.frames });

describe('ComlinkExecutor', () => {
  it.each([
    [1, undefined],
    [2, undefined],
    [3, 7],
  ])('gives results identical to the in-process run with %i worker(s) (chunk frames %s)', async (n, chunkFrames) => {
    const ex = new ComlinkExecutor(jobOf(), workers(n));
    const plan = planChunks(MG_TFSI_DME.frames, { chunkFrames });
    const seen: number[] = [];
    const outcomes = await ex.run(plan, { onProgress: (p) => seen.push(p.framesDone) });
    expect(outcomes.map((o) => o.chunk.index)).toEqual(plan.map((c) => c.index));
    expect(outcomes.every((o) => !o.error)).toBe(true);
    const run = await ex.finalize(outcomes);
    await ex.close();
    expect(run.frames).toBe(MG_TFSI_DME.frames);
    expect(run.results).toEqual(await inProcess(chunkFrames));
    expect(seen[seen.length - 1]).toBe(MG_TFSI_DME.frames);
  });

  it('merges chunk states in the first worker as they arrive (runMerged) with the same result', async () => {
    const ex = new ComlinkExecutor(jobOf(), workers(2));
    const plan = planChunks(MG_TFSI_DME.frames, { chunkFrames: 7 });
    const kept: ChunkOutcome[] = [];
    const run = await ex.runMerged(plan, { onProgress: () => {} });
    // the plain run with onOutcome hands the states over and keeps only summaries
    const again = new ComlinkExecutor(jobOf(), workers(1));
    const slim = await again.run(plan, { onOutcome: (o) => kept.push(o) });
    await ex.close();
    await again.close();
    expect(run.frames).toBe(MG_TFSI_DME.frames);
    expect(run.results).toEqual(await inProcess(7));
    expect(kept.every((o) => o.states)).toBe(true);
    expect(slim.every((o) => o.states === undefined)).toBe(true);
  });

  it('keeps the chunks that worked when one chunk hits a corrupt frame, and names file and frame', async () => {
    const bad = new Uint8Array(xtcBytes);
    const f = 150;
    bad.fill(0xff, index.offsets[f], index.offsets[f] + 12);
    const ex = new ComlinkExecutor(jobOf(system(bad)), workers(2));
    const plan = planChunks(MG_TFSI_DME.frames);
    const outcomes = await ex.run(plan);
    const failed = outcomes.filter((o) => o.error);
    expect(failed.map((o) => o.chunk.start <= f && f < o.chunk.stop)).toEqual([true]);
    const err = errorFromJSON(failed[0].error!);
    expect(err).toBeInstanceOf(FormatError);
    expect(err.context).toMatchObject({ file: 'prod.xtc', frame: f });
    const run = await ex.finalize(outcomes);
    expect(run.failures.length).toBe(1);
    expect(run.frames).toBe(MG_TFSI_DME.frames - (failed[0].chunk.stop - failed[0].chunk.start));
    await ex.close();
  });

  it('stops every worker and rejects with AbortError when the signal fires', async () => {
    const ws = workers(2);
    const ex = new ComlinkExecutor(jobOf(), ws);
    const ac = new AbortController();
    const p = ex.run(planChunks(MG_TFSI_DME.frames, { chunkFrames: 5 }), {
      signal: ac.signal,
      onProgress: (pr) => {
        if (pr.framesDone > 0) ac.abort();
      },
    });
    await expect(p).rejects.toBeInstanceOf(AbortError);
    await ex.close();
    const again = new ComlinkExecutor(jobOf(), ws);
    const outcomes = await again.run(planChunks(MG_TFSI_DME.frames));
    expect(outcomes.every((o) => !o.error)).toBe(true);
    await again.close();
  });

  it('gives the chunk of a worker that dies to another worker and still covers every frame', async () => {
    const [good] = workers(1);
    const dead = {
      prepare: () => Promise.resolve(),
      runChunk: () => Promise.reject(new Error('worker terminated')),
      cancel: () => Promise.resolve(),
      release: () => Promise.resolve(),
    } as unknown as Comlink.Remote<ViewerWorkerApi>;
    const ex = new ComlinkExecutor(jobOf(), [good, dead]);
    const outcomes = await ex.run(planChunks(MG_TFSI_DME.frames, { chunkFrames: 50 }));
    expect(outcomes.filter((o) => o.error)).toEqual([]);
    expect(outcomes.map((o) => o.chunk.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    await ex.close();
  });

  it('reports the chunks as failed, naming their frames, when every worker dies', async () => {
    const dead = {
      prepare: () => Promise.resolve(),
      runChunk: () => Promise.reject(new Error('worker terminated')),
      cancel: () => Promise.resolve(),
      release: () => Promise.resolve(),
    } as unknown as Comlink.Remote<ViewerWorkerApi>;
    const outcomes = await new ComlinkExecutor(jobOf(), [dead]).run(planChunks(MG_TFSI_DME.frames, { chunkFrames: 100 }));
    expect(outcomes.map((o) => errorFromJSON(o.error!).message)).toEqual([
      'prod.xtc: frame 0: worker failed while reading frames 0..99: worker terminated',
      'prod.xtc: frame 100: no worker left to read frames 100..199',
      'prod.xtc: frame 200: no worker left to read frames 200..299',
      'prod.xtc: frame 300: no worker left to read frames 300..300',
    ]);
  });

  it('refuses to run without workers', () => {
    expect(() => new ComlinkExecutor(jobOf(), [])).toThrow(SolvscopeError);
  });
});
