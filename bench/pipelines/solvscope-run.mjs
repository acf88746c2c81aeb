// One solvscope run in a fresh process, for the pipeline benchmarks (the parent times the whole
// process for the wall time; this prints the time of the run itself as JSON on stdout).
//
//   node bench/pipelines/solvscope-run.mjs rdf     TRAJ TOP WORKERS REF SEL [OUT.json]
//   node bench/pipelines/solvscope-run.mjs analyze TRAJ TOP WORKERS ION [CUTOFF|auto] [no-residence]
//
// rdf     = the same runAnalyses call as `solvscope rdf --ref REF --sel SEL --workers N`
//           (r-max 12 Å, 0.02 Å bins); OUT.json gets {r, g, n} for the agreement check.
// analyze = the same analyze() call as `solvscope analyze --ion ION --workers N --no-hash`
//           without writing the report files.
//   node bench/pipelines/solvscope-run.mjs decode  TRAJ REPS
// decode  = one thread, best of REPS passes: `frames` = frames() over the file (index cached,
//           batched positional reads + decode; what MDAnalysis' `for ts in u.trajectory` does)
//           and `codec` = decodeXtcFrame over the file's bytes already in memory.
//   node bench/pipelines/solvscope-run.mjs stream  TRAJ
// stream  = one frames() pass over the file and nothing else (peak RSS of plain streaming).
// WORKERS 0 = in this thread, N ≥ 1 = a piscina pool of N workers, auto = the default (a pool of
// one worker per core, or this thread for a short run: pooledRunThreshold).
const t0 = performance.now();
const { runAnalyses, analyze } = await import('../../packages/node/dist/index.js');
const { writeFileSync } = await import('node:fs');
const tImport = performance.now();
const [cmd, traj, top, workersArg, a, b, out] = process.argv.slice(2);
const workers = workersArg === 'auto' ? undefined : Number(workersArg);
let frames;
let atoms;
let extra = {};
if (cmd === 'stream') {
  const { openTrajectory } = await import('../../packages/node/dist/index.js');
  const src = await openTrajectory(traj);
  const t = performance.now();
  let s = 0;
  let n = 0;
  for await (const f of src.frames()) {
    s += f.positions[0];
    n++;
  }
  if (Number.isNaN(s)) throw new Error('NaN');
  console.log(JSON.stringify({ cmd, frames: n, atoms: src.atomCount, import_s: (tImport - t0) / 1000, run_s: (performance.now() - t) / 1000 }));
  await src.close();
  process.exit(0);
}
if (cmd === 'decode') {
  const { FileByteSource } = await import('../../packages/node/dist/index.js');
  const { openXtc, decodeXtcFrame } = await import('../../packages/formats/dist/index.js');
  const { readFileSync } = await import('node:fs');
  const reps = Number(top);
  const src = await openXtc(await FileByteSource.open(traj));
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    let s = 0;
    for await (const f of src.frames()) s += f.positions[0];
    if (Number.isNaN(s)) throw new Error('NaN');
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  const bytes = new Uint8Array(readFileSync(traj));
  const offsets = src.index.offsets;
  const into = await src.readFrame(0);
  let bestCodec = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    for (let i = 0; i < src.frameCount; i++) decodeXtcFrame(bytes.subarray(offsets[i], offsets[i + 1]), into, { atomCount: src.atomCount });
    bestCodec = Math.min(bestCodec, (performance.now() - t) / 1000);
  }
  console.log(JSON.stringify({ cmd, frames: src.frameCount, atoms: src.atomCount, frames_s: best, codec_s: bestCodec }));
  await src.close();
  process.exit(0);
}
if (cmd === 'rdf') {
  const run = await runAnalyses({ traj, top, workers, requests: [{ id: 'rdf', spec: { ref: a, sel: b, rMax: 12, binWidth: 0.02 } }] });
  if (run.errors.length) throw run.errors[0];
  const r = run.results[0];
  frames = r.frames;
  atoms = run.atomCount;
  extra = { chunks: run.chunks, workers: run.workers };
  if (out) writeFileSync(out, JSON.stringify({ r: Array.from(r.r), g: Array.from(r.g), n: Array.from(r.n), frames: r.frames, nRef: r.nRef, nSel: r.nSel }));
} else if (cmd === 'analyze') {
  const cutoff = b === undefined || b === 'auto' ? 'auto' : Number(b);
  const res = await analyze({ traj, top, workers, ion: a, cutoff, hashInputs: false, ...(out === 'no-residence' ? { residence: false } : {}) });
  if (res.errors.length) throw res.errors[0];
  frames = res.report.frames;
  atoms = res.report.provenance?.atoms;
  extra = { partners: (res.report.coordination ?? []).map((c) => c.partner ?? c.species ?? c.name), workers: res.report.provenance?.workers };
} else {
  throw new Error(`unknown command ${cmd}`);
}
const tEnd = performance.now();
console.log(JSON.stringify({ cmd, workers: workers ?? 'auto', frames, atoms, import_s: (tImport - t0) / 1000, run_s: (tEnd - tImport) / 1000, ...extra }));
