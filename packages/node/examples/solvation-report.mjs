// Runnable example of the Node API (executed by packages/node/src/example.test.ts).
// Usage: node packages/node/examples/solvation-report.mjs [TRAJ TOP]
// after `npm run setup` (which builds packages/*/dist).
import { fileURLToPath } from 'node:url';
import { analyze, openSystem, runAnalyses } from '@solvscope/node';
import { selectAtoms } from '@solvscope/core';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const traj = process.argv[2] ?? here('../../../fixtures/mg-tfsi-dme/prod.xtc');
const top = process.argv[3] ?? here('../../../fixtures/mg-tfsi-dme/final.gro');

// 1. Low level: open the system and look at atoms and frames.
const { topology, trajectory } = await openSystem(traj, { top });
const mg = selectAtoms(topology, 'name MG');
const frame = await trajectory.readFrame(0);
console.log(`${trajectory.frameCount} frames, ${mg.length} Mg; first Mg at`, Array.from(frame.positions.subarray(3 * mg[0], 3 * mg[0] + 3)).map((x) => x.toFixed(2)).join(' '), 'Å');
await trajectory.close();

// 2. One analysis: g(r) Mg–O(DME) with the running coordination number, on 2 workers.
const { results } = await runAnalyses({ traj, top, workers: 2, requests: [{ id: 'rdf', spec: { ref: 'name MG', sel: 'resname DME and name O1 O2', rMax: 8 } }] });
const rdf = results[0];
console.log(`g(r) first peak ${rdf.firstShell.rawPeakR.toFixed(2)} Å, first minimum ${rdf.firstShell.minR.toFixed(2)} Å, n = ${rdf.firstShell.nAtMin.toFixed(3)}`);

// 3. The whole solvation report, with progress and cancellation.
const controller = new AbortController();
const { report } = await analyze({
  traj,
  top,
  ion: 'name MG',
  config: { species: { TFSI: { donors: 'name O1 O2 O3 O4' } } },
  signal: controller.signal,
  onProgress: (phase, p) => process.stderr.write(`\r${phase} ${p.framesDone}/${p.framesTotal}`),
});
process.stderr.write('\n');
for (const s of report.speciation) console.log(`${s.label.padEnd(20)} ${(100 * s.fraction).toFixed(1)} % ± ${(100 * s.stderr).toFixed(1)}`);
console.log('cation CIP fraction', report.pairing.cation.CIP.fraction.toFixed(4));
