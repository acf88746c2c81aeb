import { describe, expect, it } from 'vitest';
import { AbortError, SolvscopeError } from '@solvscope/core';
import { FORMATS, MG_TFSI_DME, TRICLINIC } from '@solvscope/fixtures';
import { runAnalyses } from './run-analyses.js';
import { PoolChoice, PoolExecutor, WorkerPool, defaultWorkerCount, pooledRunThreshold } from './pool-executor.js';
import { analyze } from './analyze.js';
import { openTrajectory } from './open.js';
import { planChunks, type ChunkOutcome } from '@solvscope/core';

const requests = [{ id: 'summary', spec: {} }];

describe('worker pool executor', () => {
  it('gives results identical to the in-process executor for 1, 2 and 3 workers and two chunk sizes', async () => {
    for (const chunkFrames of [7, 50]) {
      const serial = await runAnalyses({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, requests, workers: 0, chunkFrames });
      expect(serial.frames).toBe(301);
      expect(serial.failures).toEqual([]);
      for (const workers of [1, 2, 3]) {
        const pooled = await runAnalyses({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, requests, workers, chunkFrames });
        expect(pooled.workers).toBe(workers);
        expect(pooled.results).toEqual(serial.results);
        expect(Object.is((pooled.results[0] as { checksum: number }).checksum, (serial.results[0] as { checksum: number }).checksum)).toBe(true);
      }
    }
  });

  it('by default runs a short run in this thread and a long one on one worker per core; a given count is kept', async () => {
    expect(pooledRunThreshold(1)).toBe(Infinity); // one worker never beats this thread
    expect(pooledRunThreshold(2)).toBe(35e6);
    expect(pooledRunThreshold(4)).toBeLessThan(pooledRunThreshold(2));
    expect(pooledRunThreshold(64)).toBeGreaterThan(pooledRunThreshold(2) * 0.45);
    // 12 ions' shells, 301 frames of 2.6k atoms: 0.8 M atoms × frames, far below the threshold
    const short = await runAnalyses({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, requests });
    expect(short.workers).toBe(0);
    const rep = await analyze({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, ion: 'name MG', hashInputs: false });
    expect(rep.report.provenance.workers).toBe(0);
    expect((await runAnalyses({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, requests, workers: 1 })).workers).toBe(1);
    const long = new PoolChoice({});
    try {
      const pool = long.forRun(pooledRunThreshold(defaultWorkerCount()));
      if (defaultWorkerCount() < 2) expect(pool).toBeUndefined();
      else expect(pool?.workers).toBe(defaultWorkerCount());
      expect(long.forRun(0)).toBe(pool); // decided once, for both passes of analyze
    } finally {
      await long.close();
    }
    const none = new PoolChoice({ workers: 0 });
    expect(none.forRun(1e12)).toBeUndefined();
  });

  it('plans chunks from the trajectory only, so results do not depend on the worker count', async () => {
    const a = await runAnalyses({ traj: TRICLINIC.xtc, requests, workers: 2, start: 5, stop: 40, step: 3 });
    const b = await runAnalyses({ traj: TRICLINIC.xtc, requests, workers: 0, start: 5, stop: 40, step: 3 });
    expect(a.results).toEqual(b.results);
    expect((a.results[0] as { frames: number }).frames).toBe(12);
    expect((a.results[0] as { firstFrame: number }).firstFrame).toBe(5);
    expect((a.results[0] as { lastFrame: number }).lastFrame).toBe(38);
  });

  it('stops promptly when aborted and leaves nothing running', async () => {
    const ac = new AbortController();
    const t0 = Date.now();
    const p = runAnalyses({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, requests, workers: 2, chunkFrames: 1, signal: ac.signal, onProgress: (pr) => pr.framesDone >= 1 && ac.abort() });
    await expect(p).rejects.toBeInstanceOf(AbortError);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('keeps finished chunks and names file and frames when a worker throws or dies', async () => {
    for (const how of ['throw', 'exit'] as const) {
      const r = await runAnalyses({ traj: FORMATS.xtc, requests, workers: 2, chunkFrames: 2, failChunk: { index: 1, how } });
      expect(r.failures.map((f) => f.chunk.index)).toEqual([1]);
      expect(r.errors[0]).toBeInstanceOf(SolvscopeError);
      expect(r.errors[0].message).toContain('formats.xtc');
      expect(r.errors[0].message).toContain('frames 2..3');
      expect(r.frames).toBe(8);
      expect(r.covered).toEqual([
        [0, 2],
        [4, 10],
      ]);
    }
  });

  it('starts when this process runs with Node options workers refuse (e.g. --max-old-space-size) and drops only those', async () => {
    const pool = new WorkerPool({ workers: 1, execArgv: ['--max-old-space-size=3000', '--no-warnings', '--expose-gc'] });
    try {
      expect(pool.execArgv).toEqual(['--no-warnings']);
      const r = await runAnalyses({ traj: FORMATS.xtc, requests, pool });
      expect(r.errors).toEqual([]);
      expect(r.frames).toBe(10);
    } finally {
      await pool.close();
    }
  });

  it('hands chunks out in plan order with a bounded window, so few finished chunks ever wait for the in-order merge', async () => {
    const tr = await openTrajectory(TRICLINIC.xtc);
    const plan = planChunks(tr.frameCount, { chunkFrames: 2 });
    const job = { traj: TRICLINIC.xtc, index: tr.index, requests, frameCount: tr.frameCount };
    await tr.close();
    const ex = new PoolExecutor(job, { workers: 2 });
    const arrived = new Set<number>();
    let maxWaiting = 0;
    try {
      await ex.run(plan, {
        onOutcome: (o: ChunkOutcome) => {
          arrived.add(o.chunk.index);
          let next = 0;
          while (arrived.has(next)) next++;
          maxWaiting = Math.max(maxWaiting, [...arrived].filter((k) => k > next).length);
        },
      });
    } finally {
      await ex.close();
    }
    expect(plan.length).toBeGreaterThan(20);
    expect(arrived.size).toBe(plan.length);
    // 2 workers × 2 in flight: at most 3 later chunks can finish before an earlier one
    expect(maxWaiting).toBeLessThanOrEqual(3);
  });
});
