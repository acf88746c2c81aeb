import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { InProcessExecutor, defaultAnalyses, finalizeRun, planChunks, setupAnalyses, type Frame, type FrameSource, type Topology } from '@solvscope/core';
import { openBrowserSystem } from '@solvscope/browser';
import { MG_TFSI_DME } from '@solvscope/fixtures';
import { buildViewerPlan, solvationRequest, type ViewerPlan } from './plan';
import type { Solvation } from './results';
import { centredCloud, computeShell } from './shell';
import { codeAt, ordinalOfFrame } from './timeline';

let topo: Topology;
let traj: FrameSource;
let plan: ViewerPlan;
const cutoffs = [2.8, 2.8];
let solvation: Solvation;

beforeAll(async () => {
  const sys = await openBrowserSystem({
    topology: { name: 'final.gro', blob: new Blob([readFileSync(MG_TFSI_DME.gro)]) },
    trajectory: { name: 'prod.xtc', blob: new Blob([readFileSync(MG_TFSI_DME.xtc)]) },
  });
  topo = sys.topology;
  traj = sys.trajectory;
  plan = buildViewerPlan(topo, (await traj.readFrame(0)).box);
  const system = { topology: topo, frameCount: traj.frameCount, periodic: true };
  const job = { source: traj, system, analyses: setupAnalyses(defaultAnalyses, [solvationRequest(plan, cutoffs)], system) };
  solvation = finalizeRun(job, await new InProcessExecutor(job).run(planChunks(traj.frameCount, { stop: 301, step: 50 }))).results[0] as Solvation;
});

describe('computeShell', () => {
  it("labels every ion's shell exactly as the solvation analysis does, frame by frame", async () => {
    const tl = solvation.perIonTimeline!;
    expect(tl.frameIndices).toEqual([0, 50, 100, 150, 200, 250, 300]);
    let compared = 0;
    for (const fi of tl.frameIndices) {
      const frame = await traj.readFrame(fi);
      plan.ionAtoms.forEach((atom, k) => {
        const shell = computeShell(topo, plan, cutoffs, frame, atom);
        expect(shell.label).toBe(tl.labels[codeAt(tl, k, ordinalOfFrame(tl, fi))]);
        compared++;
      });
    }
    expect(compared).toBe(7 * 12);
  });

  it('finds the same donor contacts as a brute-force distance check', async () => {
    const frame = await traj.readFrame(120);
    const L = frame.box![0];
    const ion = plan.ionAtoms[3];
    const shell = computeShell(topo, plan, cutoffs, frame, ion);
    const got = shell.molecules.flatMap((m) => m.contacts.map((k) => m.atoms[k])).sort((a, b) => a - b);
    const want: number[] = [];
    for (const p of plan.partners) {
      for (const a of p.donorAtoms) {
        let d2 = 0;
        for (let c = 0; c < 3; c++) {
          let d = frame.positions[3 * a + c] - frame.positions[3 * ion + c];
          d -= L * Math.round(d / L);
          d2 += d * d;
        }
        if (d2 < 2.8 * 2.8) want.push(a);
      }
    }
    expect(got).toEqual(want.sort((a, b) => a - b));
    expect(got.length).toBeGreaterThan(0);
  });

  it('draws shell molecules whole and next to the ion even when they cross the box edge', async () => {
    let crossing = 0;
    for (const fi of [0, 100, 300]) {
      const frame: Frame = await traj.readFrame(fi);
      const L = frame.box![0];
      for (const atom of plan.ionAtoms) {
        const shell = computeShell(topo, plan, cutoffs, frame, atom);
        for (const m of shell.molecules) {
          let span = 0;
          for (let k = 0; k < m.atoms.length; k++) {
            for (let c = 0; c < 3; c++) {
              const raw = frame.positions[3 * m.atoms[k] + c] - frame.positions[3 * m.atoms[0] + c];
              if (Math.abs(raw) > L / 2) crossing++;
              span = Math.max(span, Math.abs(m.positions[3 * k + c] - shell.center[c]));
            }
          }
          // a DME or TFSI bound at < 2.8 Å reaches at most ~9 Å from the ion
          expect(span).toBeLessThan(10);
        }
      }
    }
    expect(crossing).toBeGreaterThan(0);
  });

  it('places every atom of the system within half a box of the ion for the faint cloud', async () => {
    const frame = await traj.readFrame(0);
    const L = frame.box![0];
    const out = centredCloud(frame, [1, 2, 3], new Float32Array(frame.positions.length));
    let max = 0;
    for (const v of out) max = Math.max(max, Math.abs(v));
    expect(max).toBeLessThanOrEqual(L / 2 + 1e-3);
  });
});
