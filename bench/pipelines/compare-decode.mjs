// XTC decode throughput on one thread, side by side with MDAnalysis and MDTraj on the same files
// in the same run (issue 2 item 8).
//
//   npx tsc -b tsconfig.json
//   node bench/pipelines/compare-decode.mjs [--quick] [--reps 3] [--passes 5] [--frames 200]
//        [--tiles 3x3x4] [--json FILE]
//
// Each tool runs in a fresh process and reports the best of --passes passes over the file
// (the minimum is the stable number on a shared machine); the whole thing is repeated --reps
// times, interleaved, and the median of those bests is shown.
//   solvscope frames  frames() over the file: positional batched reads + decode, index cached
//   solvscope codec   decodeXtcFrame over the bytes already in memory (the codec alone)
//   MDAnalysis        for ts in u.trajectory: ts.positions (offsets cached; C xdrfile reader)
//   MDTraj            XTCTrajectoryFile.read(n_frames=20) until the end (C xdrfile reader)
// Files: the 3066-atom fixture and the tiled 110,376-atom trajectory of compare-rdf.mjs.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OUT, PEERS, PY, SS_RUN, ensurePeers, fixtureDataset, fmtN, lastJson, machine, mdTable, median, parseArgs, peerVersions, tiledDataset, timed,
  distGuard,
} from '../lib.mjs';

const args = parseArgs();
const quick = args.has('quick');
const reps = args.num('reps', quick ? 1 : 3);
const passes = args.num('passes', quick ? 3 : 5);
const frames = args.num('frames', quick ? 50 : 200);
const tiles = args.get('tiles', '3x3x4');
const m = machine();
console.log(`compare-decode: ${m.cpu}, ${m.cores} cores, node ${m.node}, load ${m.load.join(' ')}`);
const got = ensurePeers({ gmx: false });
const versions = peerVersions(got);

const datasets = [fixtureDataset(), await tiledDataset(tiles, frames)];
const results = { machine: m, versions, reps, passes, datasets: [] };
const endGuard = distGuard();
const md = [];
for (const ds of datasets) {
  if (got.mda) timed(PY, [PEERS, 'mda-read', ds.gro, ds.xtc, '0']); // offsets, untimed
  const runs = { frames: [], codec: [], mda: [], mdtraj: [] };
  let nf = 0;
  let na = 0;
  for (let rep = 0; rep < reps; rep++) {
    const s = lastJson(timed('node', [SS_RUN, 'decode', ds.xtc, String(passes)]).stdout);
    nf = s.frames;
    na = s.atoms;
    runs.frames.push(s.frames_s);
    runs.codec.push(s.codec_s);
    if (got.mda) runs.mda.push(lastJson(timed(PY, [PEERS, 'mda-read', ds.gro, ds.xtc, String(passes)]).stdout).best_s);
    if (got.mdtraj) runs.mdtraj.push(lastJson(timed(PY, [PEERS, 'mdtraj-read', ds.xtc, String(passes)]).stdout).best_s);
  }
  const rate = (s) => (nf * na) / s / 1e6;
  const med = Object.fromEntries(Object.entries(runs).filter(([, v]) => v.length).map(([k, v]) => [k, median(v)]));
  const labels = {
    frames: 'solvscope frames() (read + decode)',
    codec: 'solvscope decodeXtcFrame (bytes in memory)',
    mda: `MDAnalysis ${versions.MDAnalysis} trajectory loop`,
    mdtraj: `MDTraj ${versions.mdtraj} XTCTrajectoryFile.read`,
  };
  const rows = Object.entries(med).map(([k, s]) => [labels[k], fmtN(s * 1000, 1), fmtN((s * 1000) / nf, 2), fmtN(rate(s), 1), fmtN(med.frames / s, 2)]);
  const table = mdTable(['reader', 'ms / pass', 'ms / frame', 'M atoms/s', 'speed vs solvscope frames()'], rows);
  const name = `${ds.name}, ${nf} frames`;
  console.log(`\n### ${name}\n${table}`);
  md.push(`### ${name}\n\n${table}\n`);
  results.datasets.push({
    name: ds.name, frames: nf, atoms: na, seconds: med, Matoms_s: Object.fromEntries(Object.entries(med).map(([k, s]) => [k, rate(s)])),
    ratios: { framesOverMda: med.mda ? med.mda / med.frames : null, framesOverMdtraj: med.mdtraj ? med.mdtraj / med.frames : null },
  });
}
results.dist = endGuard();
const jsonOut = args.get('json', join(OUT, 'compare-decode.json'));
writeFileSync(jsonOut, JSON.stringify(results, null, 1));
writeFileSync(join(OUT, 'compare-decode.md'), md.join('\n'));
console.log(`\nwrote ${jsonOut}`);
