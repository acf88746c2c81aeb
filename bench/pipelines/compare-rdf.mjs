// Whole-pipeline comparison: Mg–OW g(r) + running coordination number on the same files in the
// same run, solvscope (main thread, 1 worker, all workers; bare rdf and full analyze) against
// MDAnalysis InterRDF, `gmx rdf` and MDTraj.
//
//   npx tsc -b tsconfig.json
//   node bench/pipelines/compare-rdf.mjs [--quick] [--reps 3] [--frames 200] [--tiles 3x3x4]
//        [--workers N] [--no-gmx] [--no-mda] [--no-mdtraj] [--mdtraj-large] [--no-small]
//        [--no-large] [--quiet-load L] [--json FILE]
//
// Files: the 3066-atom fixture (301 frames) and a tiled trajectory from
// bench/generate/make-large-xtc.mjs (default 3×3×4 tiles = 110,376 atoms, 200 frames),
// generated into bench/out/ when missing. Every tool runs as a fresh process under
// /usr/bin/time: wall s (incl. startup and imports), CPU s (user+sys), peak RSS; the tools that
// can (solvscope, MDAnalysis, MDTraj) also report their time without interpreter startup and
// module imports ("excl. startup", "loop" in the JSON): for solvscope the whole runAnalyses /
// analyze call (open, topology, worker pool start, all frames, merge), for MDAnalysis and
// MDTraj Universe/topology loading plus the analysis loop. Each
// repetition runs every tool once (interleaved, so drift in the load of the shared machine hits
// all of them), --reps times; the tables show medians. Ratios are tool / solvscope(all workers)
// wall: > 1 means solvscope is faster.
// Warm-up before timing: solvscope's frame index cache (bench/out/cache) and MDAnalysis' offsets
// file are built once; files are in the page cache (just generated/copied).
// Agreement: max |Δg| and n(r) at the first-shell cutoff of every tool against MDAnalysis.
// --quick: 1 repetition, 50 frames of the tiled file, no MDTraj. Before each repetition the script
// waits (at most 20 s) for the 1-minute load average to fall to --quiet-load (default 1.5 × cores).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CLI, OUT, PEERS, PY, SS_RUN, benchEnv, ensurePeers, fixtureDataset, fmtN, lastJson, load1, machine, mdTable, median, parseArgs,
  peerVersions, tiledDataset, timed, waitForQuiet,
  distGuard,
} from '../lib.mjs';

const args = parseArgs();
const quick = args.has('quick');
const reps = args.num('reps', quick ? 1 : 3);
const frames = args.num('frames', quick ? 50 : 200);
const tiles = args.get('tiles', '3x3x4');
const nWorkers = args.num('workers', machine().cores);
const quietLoad = args.num('quiet-load', quick ? Infinity : machine().cores * 1.5);
const REF = 'name MG';
const SEL = 'name OW';
const SEL_MDTRAJ = 'water and name O'; // MDTraj renames SOL/OW to HOH/O when it reads a GRO
const NBINS = 600;
const RMAX = 12;

mkdirSync(OUT, { recursive: true });
const m = machine();
console.log(`compare-rdf: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, node ${m.node}, load ${m.load.join(' ')}`);
const got = ensurePeers({ mda: !args.has('no-mda'), gmx: !args.has('no-gmx'), mdtraj: !args.has('no-mdtraj') });
const versions = peerVersions(got);
console.log(`peers: ${JSON.stringify(versions)}`);

const datasets = [];
if (!args.has('no-small')) datasets.push({ ...fixtureDataset(), mdtraj: got.mdtraj && !quick });
if (!args.has('no-large')) datasets.push({ ...(await tiledDataset(tiles, frames)), mdtraj: got.mdtraj && args.has('mdtraj-large') });

function tools(ds) {
  const d = ds.dir;
  const t = [
    { id: 'ss0', label: 'solvscope rdf, main thread', run: () => ssRdf(ds, 0, join(d, 'ss-0.json')) },
    { id: 'ss1', label: 'solvscope rdf, 1 worker', run: () => ssRdf(ds, 1, join(d, 'ss-1.json')) },
    { id: 'ssN', label: `solvscope rdf, ${nWorkers} workers`, run: () => ssRdf(ds, nWorkers, join(d, 'ss-N.json')) },
    { id: 'anaAuto', label: `solvscope analyze (auto cutoffs), ${nWorkers} workers`, run: () => ssAnalyze(ds, nWorkers, 'auto') },
    { id: 'anaFixed', label: `solvscope analyze (cutoff 2.5 Å), ${nWorkers} workers`, run: () => ssAnalyze(ds, nWorkers, '2.5') },
  ];
  if (got.mda) t.push({ id: 'mda', label: `MDAnalysis ${versions.MDAnalysis} InterRDF`, run: () => mdaRdf(ds) });
  if (got.gmx) t.push({ id: 'gmx', label: `gmx rdf ${versions.gromacs ?? ''}`.trim(), run: () => gmxRdf(ds) });
  if (ds.mdtraj) t.push({ id: 'mdtraj', label: `MDTraj ${versions.mdtraj} distances+histogram`, run: () => mdtrajRdf(ds) });
  return t;
}

function ssRdf(ds, w, out) {
  const r = timed('node', [SS_RUN, 'rdf', ds.xtc, ds.gro, String(w), REF, SEL, out]);
  const j = lastJson(r.stdout);
  return { ...r, loop: j.run_s, frames: j.frames, atoms: j.atoms, result: out };
}
function ssAnalyze(ds, w, cutoff) {
  const r = timed('node', [SS_RUN, 'analyze', ds.xtc, ds.gro, String(w), REF, cutoff]);
  const j = lastJson(r.stdout);
  return { ...r, loop: j.run_s, frames: j.frames };
}
function mdaRdf(ds) {
  const out = join(ds.dir, 'mda.json');
  const r = timed(PY, [PEERS, 'mda-rdf', ds.gro, ds.xtc, REF, SEL, String(NBINS), String(RMAX), out]);
  const j = lastJson(r.stdout);
  return { ...r, loop: j.load_s + j.run_s, frames: j.frames, atoms: j.atoms, result: out };
}
function mdtrajRdf(ds) {
  const out = join(ds.dir, 'mdtraj.json');
  const r = timed(PY, [PEERS, 'mdtraj-rdf', ds.gro, ds.xtc, REF, SEL_MDTRAJ, String(NBINS), String(RMAX), out]);
  const j = lastJson(r.stdout);
  return { ...r, loop: j.load_s + j.run_s, frames: j.frames, result: out };
}
function gmxRdf(ds) {
  const o = join(ds.dir, 'gmx-rdf.xvg');
  const cn = join(ds.dir, 'gmx-cn.xvg');
  const bin = (RMAX / NBINS / 10).toString();
  const r = timed('gmx', ['-quiet', 'rdf', '-f', ds.xtc, '-s', ds.gro, '-ref', REF, '-sel', SEL, '-bin', bin, '-rmax', String(RMAX / 10), '-o', o, '-cn', cn, '-xvg', 'none'], { cwd: ds.dir });
  return { ...r, loop: NaN, result: { o, cn } };
}

/** {r (Å), g, n} of a tool's output. */
function readCurve(id, result) {
  if (id === 'gmx') {
    const rows = (f) => readFileSync(f, 'utf8').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
    const g = rows(result.o);
    const n = rows(result.cn);
    return { r: g.map((x) => x[0] * 10 + RMAX / NBINS / 2), g: g.map((x) => x[1]), n: n.map((x) => x[1]) };
  }
  return JSON.parse(readFileSync(result, 'utf8'));
}

const results = { machine: m, versions, reps, workers: nWorkers, datasets: [] };
const endGuard = distGuard();
const md = [];
for (const ds of datasets) {
  console.log(`\n## ${ds.name}: ${ds.xtc}`);
  // warm-up (untimed): solvscope index cache, MDAnalysis offsets
  timed('node', [CLI, 'info', ds.xtc, '--top', ds.gro]);
  if (got.mda) timed(PY, [PEERS, 'mda-read', ds.gro, ds.xtc, '0']);
  const list = tools(ds);
  const runs = Object.fromEntries(list.map((t) => [t.id, []]));
  const loads = [];
  for (let rep = 0; rep < reps; rep++) {
    const l = await waitForQuiet(quietLoad, 20);
    loads.push(l);
    process.stdout.write(`rep ${rep + 1}/${reps} (load ${l}):`);
    for (const t of list) {
      const r = t.run();
      runs[t.id].push(r);
      process.stdout.write(` ${t.id} ${r.wall.toFixed(2)}s`);
    }
    process.stdout.write('\n');
  }
  const med = {};
  for (const t of list) {
    const rs = runs[t.id];
    med[t.id] = {
      label: t.label,
      wall: median(rs.map((r) => r.wall)),
      cpu: median(rs.map((r) => r.cpu)),
      loop: median(rs.map((r) => r.loop)),
      rssMB: Math.max(...rs.map((r) => r.rssMB)),
      walls: rs.map((r) => +r.wall.toFixed(3)),
      cpus: rs.map((r) => +r.cpu.toFixed(3)),
      frames: rs[0].frames,
    };
  }
  const nFrames = med.ss1.frames;
  // agreement with MDAnalysis
  const curves = {};
  for (const t of list) {
    if (!runs[t.id][0].result) continue;
    try {
      curves[t.id] = readCurve(t.id, runs[t.id].at(-1).result);
    } catch (e) {
      console.log(`cannot read the curve of ${t.id}: ${e.message.slice(0, 200)}`);
    }
  }
  const base = curves.mda ?? curves.ss1;
  const kCut = Math.round(2.5 / (RMAX / NBINS)) - 1; // n at r = 2.50 Å (upper edge of bin k)
  const peak = Math.max(...base.g);
  const agree = {};
  for (const [id, c] of Object.entries(curves)) {
    let maxD = 0;
    let maxN = 0;
    for (let k = 0; k < Math.min(c.g.length, base.g.length); k++) {
      if (c.g[k] != null && base.g[k] != null) maxD = Math.max(maxD, Math.abs(c.g[k] - base.g[k]));
      if (c.n[k] != null && base.n[k] != null) maxN = Math.max(maxN, Math.abs(c.n[k] - base.n[k]));
    }
    agree[id] = { maxAbsDg: maxD, relToPeak: maxD / peak, maxAbsDn: maxN, nAtCutoff: c.n[kCut], bins: c.g.length };
  }
  // Ratios come from the same repetition (tools interleaved), then the median over repetitions:
  // the load of the shared machine changes between repetitions more than within one.
  const perRep = (a, b, key = 'wall') => median(runs[a].map((r, i) => r[key] / runs[b][i][key]));
  const best = (id, key = 'wall') => Math.min(...runs[id].map((r) => r[key]));
  const rows = list.map((t) => {
    const x = med[t.id];
    const a = agree[t.id];
    const ws = runs[t.id].map((r) => r.wall);
    return [
      x.label, `${fmtN(x.wall)} (${fmtN(Math.min(...ws))}–${fmtN(Math.max(...ws))})`, fmtN(x.cpu), fmtN(nFrames / best(t.id), 0),
      Number.isFinite(x.loop) ? fmtN(nFrames / best(t.id, 'loop'), 0) : '—', fmtN(perRep(t.id, 'ssN')), fmtN(x.rssMB, 0),
      a ? `${a.maxAbsDg.toExponential(1)} / ${a.maxAbsDn.toExponential(1)} / ${fmtN(a.nAtCutoff, 3)}` : '—',
    ];
  });
  const head = ['tool', 'wall s median (min–max)', 'CPU s', 'frames/s (best wall)', 'frames/s excl. startup (best)', 'wall ÷ ssN wall', 'peak RSS MB', `vs ${curves.mda ? 'MDA' : 'ss1'}: max|Δg| / max|Δn| / n(2.5 Å)`];
  const table = mdTable(head, rows);
  const derived = {
    speedupWall: perRep('ss1', 'ssN'),
    speedupWallBest: best('ss1') / best('ssN'),
    speedupLoop: perRep('ss1', 'ssN', 'loop'),
    mainThreadOverPool: perRep('ss0', 'ssN'),
    analyzeAutoVsRdf: perRep('anaAuto', 'ssN'),
    analyzeFixedVsRdf: perRep('anaFixed', 'ssN'),
    analyzeAutoVsRdfCpu: med.anaAuto.cpu / med.ssN.cpu,
    analyzeFixedVsRdfCpu: med.anaFixed.cpu / med.ssN.cpu,
    mdaOverSs: med.mda ? perRep('mda', 'ssN') : null,
    mdaOverSsBest: med.mda ? best('mda') / best('ssN') : null,
    mdaOverSsLoop: med.mda ? perRep('mda', 'ssN', 'loop') : null,
    mdaOverSs1: med.mda ? perRep('mda', 'ss1') : null,
    gmxOverSs: med.gmx ? perRep('gmx', 'ssN') : null,
    gmxOverSsBest: med.gmx ? best('gmx') / best('ssN') : null,
    mdtrajOverSs: med.mdtraj ? perRep('mdtraj', 'ssN') : null,
    // single-core work, insensitive to how many cores the other users leave free
    mdaCpuOverMainThreadCpu: med.mda ? med.mda.cpu / med.ss0.cpu : null,
    gmxCpuOverMainThreadCpu: med.gmx ? med.gmx.cpu / med.ss0.cpu : null,
  };
  derived.efficiencyWall = derived.speedupWall / nWorkers;
  derived.efficiencyLoop = derived.speedupLoop / nWorkers;
  const notes = [
    `frames ${nFrames}, ${reps} repetition(s); ratios = median over repetitions of the ratio within a repetition; load average before each repetition: ${loads.join(', ')}`,
    `speed-up 1 → ${nWorkers} workers: ${fmtN(derived.speedupWall)}× wall (efficiency ${fmtN(100 * derived.efficiencyWall, 0)} %; best-of-${reps} walls ${fmtN(derived.speedupWallBest)}×), ${fmtN(derived.speedupLoop)}× excl. startup; main thread (no pool) ÷ ${nWorkers} workers wall ${fmtN(derived.mainThreadOverPool)}`,
    `analyze ÷ rdf (${nWorkers} workers): auto cutoffs ${fmtN(derived.analyzeAutoVsRdf)}× wall (${fmtN(derived.analyzeAutoVsRdfCpu)}× CPU), fixed cutoff ${fmtN(derived.analyzeFixedVsRdf)}× wall (${fmtN(derived.analyzeFixedVsRdfCpu)}× CPU)`,
  ];
  if (med.mda) notes.push(`MDAnalysis ÷ solvscope(${nWorkers}w): ${fmtN(derived.mdaOverSs)}× wall (best-of-${reps}: ${fmtN(derived.mdaOverSsBest)}×), ${fmtN(derived.mdaOverSsLoop)}× excl. startup; ÷ solvscope(1w): ${fmtN(derived.mdaOverSs1)}×`);
  if (med.gmx) notes.push(`gmx rdf ÷ solvscope(${nWorkers}w): ${fmtN(derived.gmxOverSs)}× wall (best-of-${reps}: ${fmtN(derived.gmxOverSsBest)}×); gmx's g(r) bins are centred on multiples of the bin width (half a bin from the others' [k·w, (k+1)·w)), so its Δg is large on the steep first peak while its counts (n(r)) agree`);
  if (med.mda || med.gmx) notes.push(`CPU time (one core's work) ÷ solvscope main thread CPU: MDAnalysis ${fmtN(derived.mdaCpuOverMainThreadCpu)}×, gmx rdf ${fmtN(derived.gmxCpuOverMainThreadCpu)}×`);
  if (med.mdtraj) notes.push(`MDTraj ÷ solvscope(${nWorkers}w): ${fmtN(derived.mdtrajOverSs)}× wall`);
  console.log(table);
  for (const n of notes) console.log(`- ${n}`);
  md.push(`### ${ds.name}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`);
  results.datasets.push({ name: ds.name, xtc: ds.xtc, frames: nFrames, atoms: runs.ss1[0].atoms, loads, tools: med, agreement: agree, derived });
}
results.dist = endGuard();
const jsonOut = args.get('json', join(OUT, 'compare-rdf.json'));
writeFileSync(jsonOut, JSON.stringify(results, null, 1));
writeFileSync(join(OUT, 'compare-rdf.md'), md.join('\n'));
console.log(`\nwrote ${jsonOut} and ${join(OUT, 'compare-rdf.md')}; load now ${load1()}`);
