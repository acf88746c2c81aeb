import { describe, expect, it } from 'vitest';
import {
  accumulateChunk,
  defaultAnalyses,
  finalizeRun,
  planAnalyze,
  planChunks,
  rdfRequests,
  resolveCutoffs,
  setupAnalyses,
  solvationRequest,
  type PreparedJob,
  type RdfSpec,
} from '@solvscope/core';
import { MGCL2_WATER, MG_TFSI_DME } from '@solvscope/fixtures';
import { openSystem } from './open.js';

/** Run the requests in process over the first `frames` frames; returns results and the contexts. */
async function run(traj: string, top: string, requests: ReturnType<typeof rdfRequests>, frames: number) {
  const { topology, trajectory } = await openSystem(traj, { top });
  try {
    const system = { topology, frameCount: frames, periodic: true };
    const job: PreparedJob = { source: trajectory, system, analyses: setupAnalyses(defaultAnalyses, requests, system) };
    const outcomes = [];
    for (const c of planChunks(trajectory.frameCount, { stop: frames, chunkFrames: 7 })) outcomes.push(await accumulateChunk(job, c));
    return { run: finalizeRun(job, outcomes), ctx: job.analyses.map((a) => a.ctx as { sharedFrames?: number; nearFrames?: number }) };
  } finally {
    await trajectory.close();
  }
}

describe('shell assignment on the grids and near-hit lists of the g(r)s (FrameScratch)', () => {
  for (const [label, fx, ion, cutoff] of [
    ['Mg(TFSI)2 in DME, two partners with several donor elements', MG_TFSI_DME, 'name MG', 2.8],
    ['MgCl2 in water', MGCL2_WATER, 'name MG', 2.5],
  ] as const) {
    it(`gives the same solvation result as its own grid (${label})`, async () => {
      const { topology, trajectory } = await openSystem(fx.xtc, { top: fx.gro });
      await trajectory.close();
      const plan = planAnalyze(topology, { ion, cutoff }, 12.5);
      const solv = solvationRequest(plan, resolveCutoffs(plan, plan.partners.map(() => null)));
      const together = await run(fx.xtc, fx.gro, [...rdfRequests(plan), solv], 40);
      const alone = await run(fx.xtc, fx.gro, [solv], 40);
      const k = plan.partners.length;
      expect(together.ctx[k].sharedFrames).toBe(40); // every frame used the g(r)s' grids
      // and from the second frame on, the hits they recorded near each ion instead of queries
      expect(together.ctx[k].nearFrames).toBe(39);
      expect(alone.ctx[0].sharedFrames).toBe(0);
      expect(together.run.results[k]).toEqual(alone.run.results[0]);
    });
  }

  it('queries the shared grids itself when the g(r)s are taken from other points than its ions', async () => {
    const fx = MGCL2_WATER;
    const { topology, trajectory } = await openSystem(fx.xtc, { top: fx.gro });
    await trajectory.close();
    const plan = planAnalyze(topology, { ion: 'name MG', cutoff: 2.5 }, 12.5);
    const solv = solvationRequest(plan, resolveCutoffs(plan, plan.partners.map(() => null)));
    // the same grids (over the donors), but queried from the chloride ions: no near-hit lists for Mg
    const fromCl = rdfRequests(plan).map((r) => ({ ...r, spec: { ...(r.spec as RdfSpec), ref: 'name CL' } }));
    const together = await run(fx.xtc, fx.gro, [...fromCl, solv], 20);
    const alone = await run(fx.xtc, fx.gro, [solv], 20);
    const k = plan.partners.length;
    expect(together.ctx[k].sharedFrames).toBe(20);
    expect(together.ctx[k].nearFrames).toBe(0);
    expect(together.run.results[k]).toEqual(alone.run.results[0]);
  });
});
