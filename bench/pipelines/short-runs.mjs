// Short runs: where a worker pool stops paying. For each file, `rdf` (Mg–OW, 0–12 Å) and
// `analyze` (auto cutoffs) in this thread (--workers 0), on a pool of one worker per core
// (--workers N) and with the default (no --workers: PoolChoice picks one of the two from atoms ×
// frames, see pooledRunThreshold in packages/node/src/pool-executor.ts). Every run is a fresh
// process timed by /usr/bin/time; the three are interleaved within a repetition and the pool ÷
// thread ratio is taken within a repetition, then the median.
//
//   npx tsc -b tsconfig.json && node bench/pipelines/short-runs.mjs [--reps 3] [--frames 100,200,400,1000]
//     [--tiles 3x3x4] [--no-fixtures] [--json bench/out/short-runs.json]
//
// Files: the bundled fixtures (mgcl2-water: 3066 atoms × 301 frames; mg-tfsi-dme, the README
// example, analyze only) and tiled trajectories from bench/generate (generated when missing).
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ROOT, OUT, SS_RUN, distGuard, fixtureDataset, fmtN, lastJson, load1, machine, mdTable, median, parseArgs, tiledDataset, timed } from '../lib.mjs';

const args = parseArgs();
const reps = args.num('reps', 3);
const frameList = String(args.get('frames', '100,200,400,1000')).split(',').map(Number);
const tiles = args.get('tiles', '3x3x4');
const cores = availableParallelism();
const guard = distGuard();

const datasets = [];
if (!args.has('no-fixtures')) {
  const fx = fixtureDataset();
  datasets.push({ ...fx, cmds: ['rdf', 'analyze'] });
  datasets.push({
    name: 'mg-tfsi-dme (README example)',
    xtc: join(ROOT, 'fixtures/mg-tfsi-dme/prod.xtc'),
    gro: join(ROOT, 'fixtures/mg-tfsi-dme/final.gro'),
    cmds: ['analyze'],
  });
}
for (const f of frameList) datasets.push({ ...(await tiledDataset(tiles, f)), cmds: ['rdf', 'analyze'] });

const argsFor = (cmd, d, w) => (cmd === 'rdf' ? ['rdf', d.xtc, d.gro, String(w), 'name MG', 'name OW'] : ['analyze', d.xtc, d.gro, String(w), 'name MG', 'auto']);

const rows = [];
const loads = [];
for (const d of datasets) {
  for (const cmd of d.cmds) {
    const per = { thread: [], pool: [], auto: [], ratio: [], autoWorkers: null, atoms: null, frames: null };
    for (let r = 0; r < reps; r++) {
      loads.push(load1());
      const t = timed('node', [SS_RUN, ...argsFor(cmd, d, 0)]);
      const p = timed('node', [SS_RUN, ...argsFor(cmd, d, cores)]);
      const a = timed('node', [SS_RUN, ...argsFor(cmd, d, 'auto')]);
      const j = lastJson(a.stdout);
      per.thread.push(t.wall);
      per.pool.push(p.wall);
      per.auto.push(a.wall);
      per.ratio.push(p.wall / t.wall);
      per.autoWorkers = j.workers;
      per.atoms = j.atoms;
      per.frames = j.frames;
    }
    const row = {
      file: d.name,
      cmd,
      atoms: per.atoms,
      frames: per.frames,
      atomFrames: per.atoms * per.frames,
      thread_s: median(per.thread),
      pool_s: median(per.pool),
      default_s: median(per.auto),
      pool_over_thread: median(per.ratio),
      default_workers: per.autoWorkers,
      runs: per,
    };
    rows.push(row);
    console.log(
      `${d.name} ${cmd}: thread ${fmtN(row.thread_s)} s, ${cores} workers ${fmtN(row.pool_s)} s (× ${fmtN(row.pool_over_thread)}), default ${fmtN(row.default_s)} s on ${row.default_workers} workers`,
    );
  }
}

const table = mdTable(
  ['file', 'run', 'atoms × frames', 'this thread, wall s', `${cores} workers, wall s`, 'workers ÷ thread', 'default picks', 'default, wall s'],
  rows.map((r) => [
    r.file,
    r.cmd,
    `${(r.atomFrames / 1e6).toFixed(1)} M`,
    fmtN(r.thread_s),
    fmtN(r.pool_s),
    fmtN(r.pool_over_thread),
    r.default_workers === 0 ? 'this thread' : `${r.default_workers} workers`,
    fmtN(r.default_s),
  ]),
);
console.log(`\n${table}\n\nreps ${reps}, load ${Math.min(...loads)}–${Math.max(...loads)}`);
const dist = guard();
const out = args.get('json', join(OUT, 'short-runs.json'));
writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), machine: machine(), cores, reps, loads, dist, rows }, null, 2));
writeFileSync(out.replace(/\.json$/, '.md'), `${table}\n`);
console.log(`wrote ${out}`);
