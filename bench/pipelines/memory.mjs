// Peak memory (RSS) of solvscope on a ~100k-atom trajectory at several lengths, and while
// streaming a > 1 GB XTC (issue 4 item 4, issue 2 item 8).
//
//   npx tsc -b tsconfig.json
//   node bench/pipelines/memory.mjs [--lengths 100,1000] [--tiles 3x3x4] [--workers N]
//        [--no-big] [--big-copies 3] [--no-big-analyze] [--keep]
//
// Files (bench/out/, generated when missing): tiled 3×3×4 = 110,376 atoms at each length
// (1000 frames ≈ 420 MB), and big.xtc = the longest one concatenated --big-copies times
// (XTC frames are self-contained, so the concatenation is a valid XTC; ≈ 1.26 GB, 3000 frames;
// deleted at the end unless --keep).
// Commands, each a fresh process under /usr/bin/time (%M = peak RSS of the process; Node's
// worker threads live in the same process, so the pool is included):
//   solvscope rdf     --ref 'name MG' --sel 'name OW' --workers N
//   solvscope analyze --ion 'name MG' --no-hash --workers N --out DIR   (auto cutoffs)
//   solvscope info    big.xtc          (frame index scan)
//   frames() loop     over big.xtc     (bench/pipelines/solvscope-run.mjs stream)
//   solvscope rdf / analyze on big.xtc
// Target (issue 4): peak RSS < 500 MB for a 100k-atom trajectory of any length, independent
// of the length.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, OUT, SS_RUN, load1, ensurePeers, fmtN, machine, mdTable, parseArgs, tiledDataset, timed, distGuard } from '../lib.mjs';

const args = parseArgs();
const lengths = String(args.get('lengths', '100,1000')).split(',').map(Number);
const tiles = args.get('tiles', '3x3x4');
const workers = args.num('workers', machine().cores);
const copies = args.num('big-copies', 3);
const m = machine();
console.log(`memory: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, node ${m.node}, load ${m.load.join(' ')}`);
ensurePeers({ mda: false, gmx: false, mdtraj: false });

const REF = 'name MG';
const SEL = 'name OW';
const rows = [];
const results = { machine: m, workers, runs: [] };
const endGuard = distGuard();
function record(label, file, frames, r, extra = {}) {
  const size = statSync(file).size;
  const row = { label, file, frames, bytes: size, wall: r.wall, cpu: r.cpu, rssMB: r.rssMB, load: load1(), ...extra };
  results.runs.push(row);
  rows.push([label, frames, fmtN(size / 1e6, 0), fmtN(r.wall, 1), fmtN(r.rssMB, 0)]);
  console.log(`  ${label}: ${frames} frames, ${(size / 1e6).toFixed(0)} MB, ${r.wall.toFixed(1)} s, peak RSS ${r.rssMB.toFixed(0)} MB`);
}

const sets = [];
for (const L of lengths) sets.push({ L, ds: await tiledDataset(tiles, L) });
for (const { L, ds } of sets) {
  const rdf = timed('node', [CLI, 'rdf', '--traj', ds.xtc, '--top', ds.gro, '--ref', REF, '--sel', SEL, '--workers', String(workers)]);
  record(`solvscope rdf, ${workers} workers`, ds.xtc, L, rdf, { kind: 'rdf' });
  const out = join(ds.dir, 'analyze-out');
  const ana = timed('node', [CLI, 'analyze', '--traj', ds.xtc, '--top', ds.gro, '--ion', REF, '--no-hash', '--workers', String(workers), '--out', out]);
  record(`solvscope analyze, ${workers} workers`, ds.xtc, L, ana, { kind: 'analyze' });
}

if (!args.has('no-big')) {
  const longest = sets[sets.length - 1];
  const big = join(OUT, 'big.xtc');
  if (!existsSync(big) || statSync(big).size !== copies * statSync(longest.ds.xtc).size) {
    console.log(`writing ${big} (${copies} × ${longest.ds.xtc}) …`);
    execFileSync('sh', ['-c', `cat ${Array(copies).fill(JSON.stringify(longest.ds.xtc)).join(' ')} > ${JSON.stringify(big)}`]);
  }
  const frames = copies * longest.L;
  record('solvscope info (index scan)', big, frames, timed('node', [CLI, 'info', big, '--top', longest.ds.gro]), { kind: 'info' });
  record('frames() loop (stream + decode)', big, frames, timed('node', [SS_RUN, 'stream', big]), { kind: 'stream' });
  record(`solvscope rdf, ${workers} workers`, big, frames, timed('node', [CLI, 'rdf', '--traj', big, '--top', longest.ds.gro, '--ref', REF, '--sel', SEL, '--workers', String(workers)]), { kind: 'rdf' });
  if (!args.has('no-big-analyze')) {
    const out = join(OUT, 'big-analyze-out');
    record(`solvscope analyze, ${workers} workers`, big, frames, timed('node', [CLI, 'analyze', '--traj', big, '--top', longest.ds.gro, '--ion', REF, '--no-hash', '--workers', String(workers), '--out', out]), { kind: 'analyze' });
  }
  if (!args.has('keep')) rmSync(big, { force: true });
}

// growth per 1000 frames of each command, segment by segment (shortest → next → longest): a
// V8 heap grows lazily, so one segment alone says little; a state that grows with the length
// shows up in every segment, a bounded one flattens out.
const growth = {};
for (const kind of ['rdf', 'analyze']) {
  const rs = results.runs.filter((r) => r.kind === kind).sort((a, b) => a.frames - b.frames);
  if (rs.length < 2) continue;
  const segments = [];
  for (let i = 1; i < rs.length; i++) {
    const a = rs[i - 1];
    const b = rs[i];
    segments.push({ fromFrames: a.frames, toFrames: b.frames, fromMB: a.rssMB, toMB: b.rssMB, mbPer1000Frames: ((b.rssMB - a.rssMB) / (b.frames - a.frames)) * 1000 });
  }
  const last = segments[segments.length - 1];
  growth[kind] = {
    segments,
    mbPer1000Frames: last.mbPer1000Frames,
    // frames at which the peak would reach 500 MB if it kept growing at the last segment's rate
    framesAt500MB: last.mbPer1000Frames > 0 ? Math.round(last.toFrames + ((500 - last.toMB) / last.mbPer1000Frames) * 1000) : null,
  };
}
results.growth = growth;
const table = mdTable(['command (110,376 atoms)', 'frames', 'XTC MB', 'wall s', 'peak RSS MB'], rows);
console.log(`\n${table}`);
const growthLines = Object.entries(growth).map(
  ([k, g]) =>
    `- ${k}: ${g.segments.map((x) => `${fmtN(x.fromMB, 0)} MB @ ${x.fromFrames} → ${fmtN(x.toMB, 0)} MB @ ${x.toFrames} frames (${fmtN(x.mbPer1000Frames, 1)} MB/1000 frames)`).join('; ')}${g.framesAt500MB ? `; at the last rate 500 MB would be reached at ~${g.framesAt500MB} frames` : ''}`,
);
for (const l of growthLines) console.log(l);
results.dist = endGuard();
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'memory.json'), JSON.stringify(results, null, 1));
writeFileSync(join(OUT, 'memory.md'), `${table}\n\n${growthLines.join('\n')}\n`);
console.log(`wrote ${join(OUT, 'memory.json')}`);
