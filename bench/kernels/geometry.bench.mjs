// Periodic geometry kernels: NeighborGrid build and the rdf pair histogram, over a grid of
// sizes, against a C cell-list kernel on the same frames.
//
//   npx tsc -b tsconfig.json && node bench/kernels/geometry.bench.mjs [--quick] [--no-c]
//
// Systems: random "water-like" frames at 0.1 atoms/Å³ (names O H H …), 3 000 atoms in a cubic
// cell (31.07 Å) tiled 2×2×2 (24 000 atoms) and 4×4×2 (96 000 atoms); rMax 6 and 12 Å;
// 0.02 Å bins. ref = sel = the O atoms (a third of the atoms, 0.033 Å⁻³, like water oxygens).
//
// Kernels (one op = one frame; setup outside the timed function):
//   grid build   NeighborGrid.build on the sel atoms (wrap, bin, counting sort)
//   grid+hist    build + one query per ref atom + ⌊d/width⌋ histogram: the same work as the C
//                kernel (bench/kernels/c/cell-rdf.c, gcc -O3 -march=native)
//   rdf          rdfAnalysis.accumulate: grid + exclusions + numpy-exact binning + MDAnalysis
//                float32 tie-breaking near bin edges; what a real run pays per frame
// Times are tinybench latency.min (the stable number on a shared 2-core machine); the C time
// is the best of 20 repeats of the same frame. JS/C ratios are measured in the same run.
import { Bench } from 'tinybench';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NeighborGrid } from '../../packages/core/dist/geometry/index.js';
import { rdfAnalysis } from '../../packages/core/dist/analysis/rdf/index.js';
import { buildTopology } from '../../packages/core/dist/topology.js';
import { mulberry32 as rng } from '../../packages/core/dist/random.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const withC = !process.argv.includes('--no-c');
const DENSITY = 0.1;
const BASE_ATOMS = 3000;
const TILES = { 3000: [1, 1, 1], 24000: [2, 2, 2], 96000: [4, 4, 2] };
const R_MAX = [6, 12];
const BIN = 0.02;


/** A random block of BASE_ATOMS atoms tiled [nx, ny, nz] times. */
function makeSystem(atoms) {
  const [nx, ny, nz] = TILES[atoms];
  const l0 = Math.cbrt(BASE_ATOMS / DENSITY);
  const r = rng(42);
  const block = new Float32Array(3 * BASE_ATOMS);
  for (let i = 0; i < block.length; i++) block[i] = r() * l0;
  const positions = new Float32Array(3 * atoms);
  let k = 0;
  for (let a = 0; a < nx; a++)
    for (let b = 0; b < ny; b++)
      for (let c = 0; c < nz; c++)
        for (let i = 0; i < BASE_ATOMS; i++) {
          positions[k++] = block[3 * i] + a * l0;
          positions[k++] = block[3 * i + 1] + b * l0;
          positions[k++] = block[3 * i + 2] + c * l0;
        }
  const box = new Float64Array([nx * l0, 0, 0, 0, ny * l0, 0, 0, 0, nz * l0]);
  const names = Array.from({ length: atoms }, (_, i) => (i % 3 === 0 ? 'O' : 'H'));
  const topology = buildTopology({ atomCount: atoms, names });
  const oxygens = Int32Array.from({ length: atoms / 3 }, (_, i) => 3 * i);
  return { positions, box, topology, oxygens };
}

/** The C kernel on the same frame: [ms/frame, pairs, checksum]. */
function runC(sys, rMax, dir) {
  const bins = Math.round(rMax / BIN);
  const n = sys.positions.length / 3;
  const head = Buffer.alloc(16 + 32);
  head.writeInt32LE(n, 0);
  head.writeInt32LE(sys.oxygens.length, 4);
  head.writeInt32LE(sys.oxygens.length, 8);
  head.writeInt32LE(bins, 12);
  head.writeDoubleLE(rMax, 16);
  head.writeDoubleLE(sys.box[0], 24);
  head.writeDoubleLE(sys.box[4], 32);
  head.writeDoubleLE(sys.box[8], 40);
  const file = join(dir, `frame-${n}-${rMax}.bin`);
  const idx = Buffer.from(sys.oxygens.buffer, sys.oxygens.byteOffset, sys.oxygens.byteLength);
  writeFileSync(file, Buffer.concat([head, Buffer.from(sys.positions.buffer), idx, idx]));
  const out = execFileSync(join(dir, 'cell-rdf'), [file, quick ? '5' : '20'], { encoding: 'utf8' }).trim().split(/\s+/).map(Number);
  return { ms: out[0], pairs: out[1], checksum: out[2] };
}

let cdir = null;
if (withC) {
  try {
    cdir = mkdtempSync(join(tmpdir(), 'solvscope-geom-'));
    execFileSync('gcc', ['-O3', '-march=native', '-o', join(cdir, 'cell-rdf'), join(here, 'c', 'cell-rdf.c'), '-lm']);
  } catch (e) {
    console.log(`C kernel skipped: ${e.message.split('\n')[0]}`);
    cdir = null;
  }
}

const rows = [];
for (const atoms of quick ? [3000, 24000] : [3000, 24000, 96000]) {
  const sys = makeSystem(atoms);
  for (const rMax of R_MAX) {
    const bins = Math.round(rMax / BIN);
    const grid = new NeighborGrid();
    const hist = new Float64Array(bins);
    const inv = 1 / BIN;
    let pairs = 0;
    const gridHist = () => {
      grid.build(sys.positions, sys.oxygens, sys.box, rMax);
      hist.fill(0);
      pairs = 0;
      const o = sys.oxygens;
      const p = sys.positions;
      for (let q = 0; q < o.length; q++) {
        const i = o[q];
        const n = grid.query(p[3 * i], p[3 * i + 1], p[3 * i + 2]);
        const a = grid.hitAtoms;
        const d2 = grid.hitD2;
        for (let k = 0; k < n; k++) {
          if (a[k] === i) continue;
          let b = Math.floor(Math.sqrt(d2[k]) * inv);
          if (b >= bins) b = bins - 1;
          hist[b]++;
          pairs++;
        }
      }
    };
    const system = { topology: sys.topology, frameCount: 1, periodic: true };
    const ctx = rdfAnalysis.setup({ ref: 'name O', sel: 'name O', rMax, binWidth: BIN }, system);
    const frame = { index: 0, time: 0, step: 0, positions: sys.positions, box: sys.box, velocities: null, forces: null };
    const bench = new Bench({ time: quick ? 500 : 2000, warmupTime: 300 });
    bench.add('grid build', () => grid.build(sys.positions, sys.oxygens, sys.box, rMax));
    bench.add('grid+hist', gridHist);
    bench.add('rdf', () => rdfAnalysis.accumulate(ctx, rdfAnalysis.init(ctx), frame));
    await bench.run();
    gridHist();
    let checksum = 0;
    for (let k = 0; k < bins; k++) checksum += k * hist[k];
    const c = cdir ? runC(sys, rMax, cdir) : null;
    if (c && (c.pairs !== pairs || c.checksum !== checksum)) console.log(`warning: C and JS histograms differ (${c.pairs} vs ${pairs} pairs)`);
    for (const t of bench.tasks) {
      const ms = t.result.latency.min;
      const row = {
        kernel: t.name,
        atoms,
        'rMax Å': rMax,
        'pairs/frame': t.name === 'grid build' ? '' : pairs,
        'ms/frame': +ms.toFixed(3),
        'frames/s': +(1000 / ms).toFixed(1),
        'ns/pair': t.name === 'grid build' ? '' : +((ms * 1e6) / pairs).toFixed(1),
        'JS/C': c && t.name !== 'grid build' ? +(ms / c.ms).toFixed(2) : '',
      };
      rows.push(row);
    }
    if (c) rows.push({ kernel: 'C cell list', atoms, 'rMax Å': rMax, 'pairs/frame': c.pairs, 'ms/frame': +c.ms.toFixed(3), 'frames/s': +(1000 / c.ms).toFixed(1), 'ns/pair': +((c.ms * 1e6) / c.pairs).toFixed(1), 'JS/C': 1 });
  }
}
if (cdir) rmSync(cdir, { recursive: true, force: true });
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}${existsSync('/proc/cpuinfo') ? '' : ''}`);
console.table(rows);
