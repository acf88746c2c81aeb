// Worker-pool scaling on a long trajectory, where the fixed costs (process start, topology,
// worker start-up) weigh less than on the 200-frame file of compare-rdf.mjs.
//
//   npx tsc -b tsconfig.json
//   node bench/pipelines/scaling.mjs [--frames 1000] [--tiles 3x3x4] [--reps 3] [--workers 1,2]
//
// solvscope rdf (Mg–OW, 12 Å, 0.02 Å bins) in the main thread (0) and with each worker count,
// each a fresh process (bench/pipelines/solvscope-run.mjs) under /usr/bin/time, interleaved,
// --reps times. Speed-up = wall(1 worker) ÷ wall(N workers) within a repetition, median over
// repetitions; efficiency = speed-up ÷ N. Target (issue 4): ≥ 85 % (≥ 1.7× on 2 cores).
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OUT, SS_RUN, distGuard, fmtN, lastJson, load1, machine, mdTable, median, parseArgs, tiledDataset, timed } from '../lib.mjs';

const args = parseArgs();
const frames = args.num('frames', 1000);
const reps = args.num('reps', 3);
const m = machine();
const counts = [0, ...String(args.get('workers', `1,${m.cores}`)).split(',').map(Number)].filter((v, i, a) => a.indexOf(v) === i);
console.log(`scaling: ${m.cpu}, ${m.cores} cores, node ${m.node}, load ${m.load.join(' ')}`);
const ds = await tiledDataset(args.get('tiles', '3x3x4'), frames);
timed('node', [SS_RUN, 'stream', ds.xtc]); // index cache + page cache, untimed

const endGuard = distGuard();
const runs = Object.fromEntries(counts.map((w) => [w, []]));
const N = counts[counts.length - 1];
// the same machine's ceiling for N threads, measured in every repetition (thread-ceiling.mjs)
const CEILING = join(dirname(fileURLToPath(import.meta.url)), 'thread-ceiling.mjs');
const ceilings = [];
const loads = [];
for (let rep = 0; rep < reps; rep++) {
  loads.push(load1());
  process.stdout.write(`rep ${rep + 1}/${reps} (load ${loads.at(-1)}):`);
  for (const w of counts) {
    const r = timed('node', [SS_RUN, 'rdf', ds.xtc, ds.gro, String(w), 'name MG', 'name OW']);
    const j = lastJson(r.stdout);
    runs[w].push({ wall: r.wall, cpu: r.cpu, loop: j.run_s, rssMB: r.rssMB });
    process.stdout.write(` ${w}w ${r.wall.toFixed(1)}s`);
  }
  const c = timed('node', [CEILING, ds.xtc, String(N)]);
  ceilings.push(lastJson(c.stdout));
  process.stdout.write(` ceiling: decode ${ceilings.at(-1).decodeSpeedup.toFixed(2)}× codec ${ceilings.at(-1).codecSpeedup.toFixed(2)}× arithmetic ${ceilings.at(-1).arithmeticSpeedup.toFixed(2)}×`);
  process.stdout.write('\n');
}
const perRep = (a, b, key = 'wall') => median(runs[a].map((r, i) => r[key] / runs[b][i][key]));
const rows = counts.map((w) => {
  const rs = runs[w];
  const sp = w >= 1 ? perRep(1, w) : NaN;
  return [
    w === 0 ? 'main thread' : `${w} worker${w > 1 ? 's' : ''}`, fmtN(median(rs.map((r) => r.wall))), fmtN(median(rs.map((r) => r.cpu))),
    fmtN(frames / Math.min(...rs.map((r) => r.wall)), 0), w >= 1 ? fmtN(sp) : '—', w >= 1 ? `${fmtN((100 * sp) / w, 0)} %` : '—',
    w >= 1 ? fmtN(perRep(1, w, 'loop')) : '—', fmtN(Math.max(...rs.map((r) => r.rssMB)), 0),
  ];
});
const table = mdTable(['solvscope rdf', 'wall s (median)', 'CPU s', 'frames/s (best)', 'speed-up vs 1 worker', 'efficiency', 'speed-up excl. startup', 'peak RSS MB'], rows);
const ceil = (k) => fmtN(median(ceilings.map((c) => c[k])));
const ceilingText = `Same repetitions, ${N} threads of one process (thread-ceiling.mjs): XTC frames() alone ${ceil('decodeSpeedup')}×, XTC codec on bytes in memory ${ceil('codecSpeedup')}×, arithmetic loop ${ceil('arithmeticSpeedup')}× (medians; per repetition ${ceilings.map((c) => `${c.decodeSpeedup.toFixed(2)}/${c.codecSpeedup.toFixed(2)}/${c.arithmeticSpeedup.toFixed(2)}`).join(', ')}).`;
console.log(`\n### ${ds.name}, ${frames} frames (load ${loads.join(', ')})\n${table}\n\n${ceilingText}`);
const result = {
  machine: m, dataset: ds.name, frames, reps, loads,
  dist: endGuard(),
  runs, ceilings, speedup: perRep(1, N), efficiency: perRep(1, N) / N, speedupLoop: perRep(1, N, 'loop'), mainThreadOverPool: perRep(0, N), workers: N,
};
writeFileSync(join(OUT, 'scaling.json'), JSON.stringify(result, null, 1));
writeFileSync(join(OUT, 'scaling.md'), `### ${ds.name}, ${frames} frames\n\n${table}\n\n${ceilingText}\n`);
console.log(`speed-up 1 → ${N} workers: ${fmtN(result.speedup)}× (efficiency ${fmtN(100 * result.efficiency, 0)} %); main thread ÷ ${N} workers ${fmtN(result.mainThreadOverPool)}\nwrote ${join(OUT, 'scaling.json')}`);
