// Shell assignment: the per-frame accumulate of the 'solvation' analysis, set up exactly as
// `solvscope analyze --cutoff X` sets it up, against the g(r) ('rdf') accumulate on the same frames.
//
//   npx tsc -b tsconfig.json && node bench/kernels/shell.bench.mjs [--quick] [--frames 10]
//        [--only 3k,24k,96k,dme] [--kernels solvation,bare,rdf,grs] [--time 2000]
// --quick: 5 frames, 3k/24k/dme only, 300 ms per kernel (~5 s); the full run takes ~45 s.
// --kernels runs only some kernels (ids below; e.g. for a CPU profile of one of them:
// node --cpu-prof --cpu-prof-dir bench/out/prof bench/kernels/shell.bench.mjs --only 96k --kernels solvation).
//
// Systems (real frames: the first --frames frames of each file, held in memory):
//   mgcl2-water 3k    fixtures/mgcl2-water as is (3066 atoms, 16 Mg, 1006 waters, 32 Cl)
//   mgcl2-water 24k   the same box tiled 2×2×2 (24,528 atoms, 128 Mg), 96k: 4×4×2 (98,112 atoms,
//                     512 Mg), by bench/generate/make-large-xtc.mjs (lib.mjs tiledDataset: σ =
//                     0.05 Å noise per tile, files in bench/out/tiled-*-<frames>f, made once)
//   mg-tfsi-dme       fixtures/mg-tfsi-dme as is (3572 atoms, 12 Mg, 24 TFSI, 200 DME)
// Set-up = analyze's (packages/node/src/analyze.ts): openSystem → planAnalyze(topology,
// {ion: 'name MG', cutoff}, 0.97 × inscribed radius of frame 0) → resolveCutoffs (given
// cutoffs, no auto pass) → solvationRequest / rdfRequests → setupAnalyses(defaultAnalyses, …)
// with SystemInfo.frameCount = 1000. Cutoffs: mgcl2-water 2.5 Å for every partner (SOL and CL;
// the `--cutoff 2.5` of pipelines/compare-rdf.mjs; first minimum of g(Mg–OW) at 2.49–2.50 Å in
// fixtures/mgcl2-water/ref.json); mg-tfsi-dme 2.8 Å for DME and TFSI (ref.json coordination
// and pairing cutoff_A), donors = heteroatoms (analyze's default: TFSI O, N, S, F).
//
// Kernels ([id] for --kernels; one op = one accumulate of one frame; frames are taken in turn
// with increasing frame numbers and times 1 ps apart, and the state is re-initialised every 50
// frames, the chunk length planChunks gives a 1000-frame run, so init and the residence windows
// cost what they cost in a real run):
//   solvation        [solvation] solvationAnalysis.accumulate as analyze runs it (residence
//                    times and timeline on)
//   solvation, bare  [bare] the same with residence: false, timeline: false (shell assignment
//                    and the CN / denticity / speciation / pairing / cluster counts only)
//   rdf @ cutoff     [rdf] rdfAnalysis.accumulate, ref = the ions, sel = every partner's donors,
//                    rMax = the largest cutoff (0.02 Å bins): the same grid atoms, query radius
//                    and pairs as the shell search
//   analyze g(r)s    [grs] the rdf accumulates analyze runs beside solvation on every frame (one
//                    per partner, ion → donors, 0–12 Å), summed in one op
// Times are tinybench latency.mean (ms/frame; the min beside it); M atoms/s = atoms / mean;
// ÷ rdf@cut = this kernel's mean ÷ rdf @ cutoff's mean (and the same for the minima, the
// steadier number on a shared machine).
// The sanity check after the timings runs each analysis once over the timed frames (a fresh
// state, real frame numbers and times), finalizes it and prints the mean CN per partner, the
// leading speciation labels and the pairing fractions; rdf @ cutoff's n(rc) must equal the
// summed atom CN. For mgcl2-water Mg–OW CN must be 6.00 ± 0.1 (else exit code 1).
import { Bench } from 'tinybench';
import { join } from 'node:path';
import { ROOT, parseArgs, tiledDataset, distGuard, load1 } from '../lib.mjs';
import { openSystem } from '../../packages/node/dist/index.js';
import { boxInscribedRadius } from '../../packages/core/dist/box.js';
import { planAnalyze, rdfRequests, resolveCutoffs, solvationRequest } from '../../packages/core/dist/analysis/analyze/index.js';
import { defaultAnalyses } from '../../packages/core/dist/analysis/registry.js';
import { setupAnalyses } from '../../packages/core/dist/analysis/run.js';

const args = parseArgs();
const quick = args.has('quick');
const N_FRAMES = args.num('frames', quick ? 5 : 10);
const RUN_FRAMES = 1000; // SystemInfo.frameCount: residence maxLag = 999, as for a 1000-frame run
const CHUNK = 50; // frames per state: planChunks(1000) → 20 chunks of 50
const BIN = 0.02;
const ION = 'name MG';

const SYSTEMS = [
  { key: '3k', name: 'mgcl2-water', tiles: null, xtc: join(ROOT, 'fixtures/mgcl2-water/prod.xtc'), gro: join(ROOT, 'fixtures/mgcl2-water/final.gro'), cutoff: 2.5, water: true },
  { key: '24k', name: 'mgcl2-water 2×2×2', tiles: '2x2x2', cutoff: 2.5, water: true },
  { key: '96k', name: 'mgcl2-water 4×4×2', tiles: '4x4x2', cutoff: 2.5, water: true },
  { key: 'dme', name: 'mg-tfsi-dme', tiles: null, xtc: join(ROOT, 'fixtures/mg-tfsi-dme/prod.xtc'), gro: join(ROOT, 'fixtures/mg-tfsi-dme/final.gro'), cutoff: 2.8, water: false },
];
const only = args.has('only') ? String(args.get('only')).split(',') : quick ? ['3k', '24k', 'dme'] : SYSTEMS.map((s) => s.key);
const kernels = args.has('kernels') ? String(args.get('kernels')).split(',') : null;
const TIME = args.num('time', quick ? 300 : 2000);
const guard = distGuard();

/** Open a system as analyze does and keep its first n frames (copies) in memory. */
async function loadSystem(s) {
  let { xtc, gro } = s;
  if (s.tiles) ({ xtc, gro } = await tiledDataset(s.tiles, N_FRAMES));
  const { topology, trajectory } = await openSystem(xtc, { top: gro, cache: false });
  const frames = [];
  try {
    for await (const f of trajectory.frames({ start: 0, stop: Math.min(N_FRAMES, trajectory.frameCount), step: 1 })) {
      frames.push({ index: f.index, time: f.time, step: f.step, positions: f.positions.slice(), box: f.box ? Float64Array.from(f.box) : null, velocities: null, forces: null });
    }
  } finally {
    await trajectory.close();
  }
  return { topology, frames };
}

/** The requests analyze would run with the given cutoff (no auto pass). */
function analyzeRequests(topology, frame0, cutoff, extra = {}) {
  const maxRMax = frame0.box ? 0.97 * boxInscribedRadius(frame0.box) : Infinity;
  const plan = planAnalyze(topology, { ion: ION, cutoff, ...extra }, maxRMax);
  const cutoffs = resolveCutoffs(plan, plan.partners.map(() => null));
  return { plan, cutoffs, rdf: rdfRequests(plan), solvation: solvationRequest(plan, cutoffs) };
}

/**
 * One op = one accumulate of the next frame (frames in turn, index and time increasing); a fresh
 * state every CHUNK frames, as accumulateChunk starts one per chunk.
 */
function stepper(prepared, frames) {
  const dt = frames.length > 1 ? frames[1].time - frames[0].time || 1 : 1;
  let k = 0;
  let states = null;
  const cur = frames.map((f) => ({ ...f }));
  return () => {
    if (k % CHUNK === 0) states = prepared.map((a) => a.def.init(a.ctx));
    const f = cur[k % cur.length];
    f.index = k;
    f.step = k;
    f.time = k * dt;
    for (let j = 0; j < prepared.length; j++) prepared[j].def.accumulate(prepared[j].ctx, states[j], f);
    k++;
  };
}

/** Accumulate the frames once into fresh states (real numbers and times) and finalize. */
function finalizeOver(prepared, frames) {
  const states = prepared.map((a) => a.def.init(a.ctx));
  for (const f of frames) for (let j = 0; j < prepared.length; j++) prepared[j].def.accumulate(prepared[j].ctx, states[j], f);
  return prepared.map((a, j) => a.def.finalize(a.ctx, states[j], [states[j]]));
}

const rows = [];
const checks = [];
let bad = false;
const t0 = performance.now();
const loads = [load1()];
for (const s of SYSTEMS.filter((x) => only.includes(x.key))) {
  const { topology, frames } = await loadSystem(s);
  const atoms = topology.atomCount;
  const req = analyzeRequests(topology, frames[0], s.cutoff);
  const bareReq = analyzeRequests(topology, frames[0], s.cutoff, { residence: false }).solvation;
  bareReq.spec = { ...bareReq.spec, timeline: false };
  const maxCut = Math.max(...req.cutoffs.map((c) => c.cutoff));
  const unionSel = req.plan.partners.map((p) => `(${p.donorSelection})`).join(' or ');
  const rdfCutReq = { id: 'rdf', key: 'rdf@cutoff', spec: { ref: ION, sel: unionSel, rMax: maxCut, binWidth: BIN, norm: 'rdf' } };
  const system = { topology, frameCount: RUN_FRAMES, periodic: !!frames[0].box };
  const setup = (requests) => setupAnalyses(defaultAnalyses, requests, system);
  const solv = setup([req.solvation]);
  const bare = setup([bareReq]);
  const rdfCut = setup([rdfCutReq]);
  const rdfAll = setup(req.rdf);
  const donors = solv[0].ctx.donorAtoms.length;
  const nIons = req.plan.ionCount;

  const bench = new Bench({ time: TIME, warmupTime: Math.min(250, TIME / 3), iterations: quick ? 10 : 20, warmupIterations: 5 });
  const add = (id, name, prepared) => {
    if (!kernels || kernels.includes(id)) bench.add(name, stepper(prepared, frames));
  };
  add('solvation', 'solvation', solv);
  add('bare', 'solvation, bare', bare);
  add('rdf', 'rdf @ cutoff', rdfCut);
  add('grs', `analyze g(r)s (${req.rdf.length} × ${req.plan.rMax} Å)`, rdfAll);
  await bench.run();
  loads.push(load1());
  const refL = bench.tasks.find((t) => t.name === 'rdf @ cutoff')?.result.latency;
  for (const t of bench.tasks) {
    const L = t.result.latency;
    rows.push({
      system: s.name,
      atoms,
      'ions/donors': `${nIons}/${donors}`,
      'cutoff Å': req.cutoffs.map((c) => c.cutoff).join('/'),
      kernel: t.name,
      'ms/frame': +L.mean.toFixed(3),
      'min ms': +L.min.toFixed(3),
      'M atoms/s': +(atoms / L.mean / 1000).toFixed(1),
      '÷ rdf@cut': refL ? +(L.mean / refL.mean).toFixed(2) : '',
      '÷ (min)': refL ? +(L.min / refL.min).toFixed(2) : '',
      samples: L.samplesCount,
    });
  }

  // sanity: the states over the timed frames must be non-trivial
  const [res] = finalizeOver(solv, frames);
  const [rc] = finalizeOver(rdfCut, frames);
  const cn = res.coordination.map((c) => `${c.species} ${c.atoms.mean.toFixed(3)} atoms / ${c.molecules.mean.toFixed(3)} molecules`).join(', ');
  const atomSum = res.coordination.reduce((a, c) => a + c.atoms.mean, 0);
  const nRc = rc.n[rc.n.length - 1];
  const spec = res.speciation.slice(0, 3).map((x) => `${x.label} ${x.fraction.toFixed(3)}`).join(', ');
  const pair = res.pairing.cation;
  checks.push(
    `${s.name} (${atoms} atoms, ${res.frames} frames, ${res.ions.count} ions): mean CN ${cn}; Σ atom CN ${atomSum.toFixed(4)} vs rdf n(${maxCut} Å) ${nRc.toFixed(4)}; ` +
      `speciation ${spec}; pairing SSIP/CIP/AGG ${pair.SSIP.fraction.toFixed(3)}/${pair.CIP.fraction.toFixed(3)}/${pair.AGG.fraction.toFixed(3)}; residence pairs ${res.residence.map((r) => `${r.species} ${r.pairs}`).join(', ')}`,
  );
  if (Math.abs(atomSum - nRc) > 1e-9) {
    checks.push(`  WARNING: solvation Σ atom CN and rdf n(rc) differ`);
    bad = true;
  }
  if (s.water) {
    const w = res.coordination.find((c) => c.species === 'SOL' || c.key === 'SOL');
    if (!w || Math.abs(w.atoms.mean - 6) > 0.1) {
      checks.push(`  WARNING: Mg–OW CN ${w?.atoms.mean} is not ≈ 6`);
      bad = true;
    }
  }
}
guard();
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}, load ${loads.join(' → ')}, ${((performance.now() - t0) / 1000).toFixed(0)} s; ${N_FRAMES} frames per system, state re-initialised every ${CHUNK} frames, frameCount ${RUN_FRAMES}`);
for (const c of checks) console.log(c);
console.table(rows);
if (bad) process.exitCode = 1;
