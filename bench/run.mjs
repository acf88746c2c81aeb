// solvscope benchmarks, all of them or some: `npm run bench -- [options]` from the repo root.
//
//   node bench/run.mjs [--quick] [--only kernels,decode,rdf,scaling,memory] [--skip …] [--build]
//                      [--reps N] [--frames N] [--update-baseline]
//
// Steps (each a child process; their own options are documented in each file):
//   kernels  bench/kernels/xtc-decode.bench.mjs   XTC decode M atoms/s vs MDAnalysis (fixtures)
//            bench/kernels/geometry.bench.mjs     cell list / pair histogram vs a C kernel
//            bench/kernels/shell.bench.mjs        shell assignment (solvation accumulate) vs g(r)
//   decode   bench/pipelines/compare-decode.mjs   one-thread decode vs MDAnalysis and MDTraj
//   rdf      bench/pipelines/compare-rdf.mjs      g(r)+n(r): solvscope 1/all workers, analyze,
//                                                 MDAnalysis InterRDF, gmx rdf, MDTraj
//   scaling  bench/pipelines/scaling.mjs          1 vs all workers on 1000 frames of 110k atoms
//   memory   bench/pipelines/memory.mjs           peak RSS at 100 and 1000 frames, 1.26 GB XTC
// A full run takes ~20 min on 2 cores (kernels 2.5, decode 2, rdf 7, scaling 2, memory 5); to
// stay under 10 min per command run it in parts: --only kernels,decode / --only rdf /
// --only scaling,memory (each part merges its numbers into the baseline with --update-baseline).
// --quick runs kernels, decode and rdf in their quick modes (1 repetition, 50 frames of the
// 110k-atom file; ~4 min) and skips scaling and memory unless --only names them.
// The code under test is packages/*/dist (built by `npx tsc -b tsconfig.json`; --build forces
// it, and it runs by itself when dist is missing). Results: bench/out/*.json and *.md; at the
// end the headline ratios are printed against the issue-4 targets and bench/baseline.json;
// --update-baseline rewrites bench/baseline.json from this run.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OUT, ROOT, fmtN, machine, parseArgs } from './lib.mjs';

const args = parseArgs();
const quick = args.has('quick');
const all = ['kernels', 'decode', 'rdf', 'scaling', 'memory'];
let steps = args.has('only') ? String(args.get('only')).split(',') : quick ? ['kernels', 'decode', 'rdf'] : all;
if (args.has('skip')) steps = steps.filter((s) => !String(args.get('skip')).split(',').includes(s));
const unknown = steps.filter((s) => !all.includes(s));
if (unknown.length) {
  console.error(`unknown step(s) ${unknown.join(', ')}; steps: ${all.join(', ')}`);
  process.exit(2);
}

const dists = ['core', 'formats', 'node', 'cli'].map((p) => join(ROOT, 'packages', p, 'dist/index.js'));
if (args.has('build') || dists.some((d) => !existsSync(d))) {
  console.log('building: npx tsc -b tsconfig.json');
  execFileSync('npx', ['tsc', '-b', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
}
mkdirSync(OUT, { recursive: true });

/** Run a step, echoing its output live; resolves with its stdout text. */
function run(file, argv) {
  return new Promise((resolve, reject) => {
    console.log(`\n$ node ${file} ${argv.join(' ')}`.trimEnd());
    const child = spawn(process.execPath, [join(ROOT, file), ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => {
      text += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      const s = String(d);
      if (!/xdrlib|DeprecationWarning/.test(s)) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`${file} exited ${code}`))));
  });
}

/** Rows of a console.table printout. */
function parseConsoleTable(text) {
  const lines = text.split('\n').filter((l) => l.startsWith('│'));
  if (!lines.length) return [];
  const cells = (l) => l.split('│').slice(2, -1).map((c) => c.trim().replace(/^'(.*)'$/, '$1'));
  const head = cells(lines[0]);
  return lines.slice(1).map((l) => Object.fromEntries(cells(l).map((c, i) => [head[i], c === '' || Number.isNaN(Number(c)) ? c : Number(c)])));
}

const pass = [];
if (quick) pass.push('--quick');
for (const k of ['reps', 'frames']) if (args.has(k)) pass.push(`--${k}`, String(args.get(k)));
const t0 = Date.now();
const kernelText = {};
for (const step of steps) {
  if (step === 'kernels') {
    kernelText.decode = await run('bench/kernels/xtc-decode.bench.mjs', []);
    kernelText.geometry = await run('bench/kernels/geometry.bench.mjs', quick ? ['--quick'] : []);
    kernelText.shell = await run('bench/kernels/shell.bench.mjs', quick ? ['--quick'] : []);
    writeFileSync(
      join(OUT, 'kernels.json'),
      JSON.stringify({ decode: parseConsoleTable(kernelText.decode), geometry: parseConsoleTable(kernelText.geometry), shell: parseConsoleTable(kernelText.shell) }, null, 1),
    );
  }
  if (step === 'decode') await run('bench/pipelines/compare-decode.mjs', pass);
  if (step === 'rdf') await run('bench/pipelines/compare-rdf.mjs', pass);
  if (step === 'scaling') await run('bench/pipelines/scaling.mjs', args.has('reps') ? ['--reps', String(args.get('reps'))] : []);
  if (step === 'memory') await run('bench/pipelines/memory.mjs', args.has('big-copies') ? ['--big-copies', String(args.get('big-copies'))] : []);
}

// headline numbers against the targets and the committed baseline
const read = (f) => (existsSync(join(OUT, f)) ? JSON.parse(readFileSync(join(OUT, f), 'utf8')) : null);
const rdf = steps.includes('rdf') ? read('compare-rdf.json') : null;
const dec = steps.includes('decode') ? read('compare-decode.json') : null;
const mem = steps.includes('memory') ? read('memory.json') : null;
const ker = steps.includes('kernels') ? read('kernels.json') : null;
const sca = steps.includes('scaling') ? read('scaling.json') : null;
const large = (xs) => xs?.reduce((a, b) => ((b.atoms ?? 0) > (a.atoms ?? 0) ? b : a));
const L = large(rdf?.datasets);
const D = large(dec?.datasets);
const head = {
  decodeMatomsPerS: D?.Matoms_s.frames,
  decodeOverMdanalysis: D ? D.Matoms_s.frames / D.Matoms_s.mda : undefined,
  decodeOverMdtraj: D?.Matoms_s.mdtraj ? D.Matoms_s.frames / D.Matoms_s.mdtraj : undefined,
  mdanalysisOverSolvscope: L?.derived.mdaOverSs,
  gmxOverSolvscope: L?.derived.gmxOverSs,
  speedup1toN: sca?.speedup,
  speedup1toN_200frames: L?.derived.speedupWall,
  mdanalysisCpuOverSolvscopeCpu: L?.derived.mdaCpuOverMainThreadCpu,
  gmxCpuOverSolvscopeCpu: L?.derived.gmxCpuOverMainThreadCpu,
  analyzeOverRdf: L?.derived.analyzeAutoVsRdf,
  peakRssMB: mem ? Math.max(...mem.runs.map((r) => r.rssMB)) : undefined,
  analyzeRssGrowthMBper1000Frames: mem?.growth.analyze?.mbPer1000Frames,
  rdfRssGrowthMBper1000Frames: mem?.growth.rdf?.mbPer1000Frames,
};
const targets = {
  decodeMatomsPerS: ['≥', 25],
  mdanalysisOverSolvscope: ['≥', 5],
  gmxOverSolvscope: ['≥', 15],
  speedup1toN: ['≥', 1.7],
  analyzeOverRdf: ['≤', 1.5],
  peakRssMB: ['<', 500],
};
const baselinePath = join(ROOT, 'bench/baseline.json');
const baseline = existsSync(baselinePath) ? JSON.parse(readFileSync(baselinePath, 'utf8')) : null;
console.log(`\n## summary (${quick ? 'quick, ' : ''}${((Date.now() - t0) / 60000).toFixed(1)} min; large file: ${L?.name ?? D?.name ?? '—'})`);
if (quick) console.log('  (quick mode: 1 repetition, 50 frames of the large file; fixed costs weigh 4× more than in the baseline\'s 200 frames, so the ratios are not comparable to it)');
for (const [k, v] of Object.entries(head)) {
  if (v === undefined || v === null) continue;
  const t = targets[k];
  const ok = t ? (t[0] === '≥' ? v >= t[1] : t[0] === '≤' ? v <= t[1] : v < t[1]) : null;
  const b = baseline?.headline?.[k];
  console.log(`  ${k.padEnd(34)} ${fmtN(v).padStart(8)}  ${t ? `target ${t[0]} ${t[1]} ${ok ? 'met' : 'MISSED'}` : ''}${b !== undefined ? `  (baseline ${fmtN(b)})` : ''}`);
}
if (args.has('update-baseline')) {
  const prev = baseline ?? {};
  const next = {
    ...prev,
    machine: machine(),
    commit: (() => {
      try {
        return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
      } catch {
        return null;
      }
    })(),
    command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
    headline: { ...(prev.headline ?? {}), ...Object.fromEntries(Object.entries(head).filter(([, v]) => v !== undefined && v !== null)) },
  };
  if (rdf) next.rdf = rdf.datasets.map((d) => ({ name: d.name, frames: d.frames, atoms: d.atoms, loads: d.loads, derived: d.derived, wall_s: Object.fromEntries(Object.entries(d.tools).map(([k, t]) => [k, +t.wall.toFixed(3)])), agreement: d.agreement }));
  if (dec) next.decode = dec.datasets.map((d) => ({ name: d.name, frames: d.frames, atoms: d.atoms, Matoms_s: d.Matoms_s }));
  if (mem) next.memory = { runs: mem.runs.map(({ label, frames, bytes, wall, rssMB }) => ({ label, frames, bytes, wall, rssMB })), growth: mem.growth };
  if (ker) next.kernels = ker;
  if (sca) next.scaling = { dataset: sca.dataset, frames: sca.frames, loads: sca.loads, speedup: sca.speedup, efficiency: sca.efficiency, mainThreadOverPool: sca.mainThreadOverPool, wall_s: Object.fromEntries(Object.entries(sca.runs).map(([w, rs]) => [w, rs.map((r) => +r.wall.toFixed(2))])) };
  writeFileSync(baselinePath, `${JSON.stringify(next, null, 1)}\n`);
  console.log(`wrote ${baselinePath}`);
}
