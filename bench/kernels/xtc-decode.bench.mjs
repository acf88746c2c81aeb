// XTC decode throughput (M atoms/s) on one thread, against MDAnalysis on the same files.
//
//   npx tsc -b tsconfig.json && node bench/kernels/xtc-decode.bench.mjs [--no-mdanalysis]
//
// Kernels (setup outside the timed function; one op = every frame of the file):
//   decode       decodeXtcFrame over the file's bytes already in memory (the codec alone)
//   frames       frames() over a file opened with its index (file reads + decode; what
//                MDAnalysis' loop does, its offsets being cached too)
//   open+frames  openXtc on a file ByteSource, then frames(): index scan, batched reads, decode
// Rates use the fastest op (tinybench latency.min), and MDAnalysis the fastest of 5 passes: on
// a shared 2-core machine the minimum is the stable number; the mean is printed beside it.
// MDAnalysis (Debian python3-mdanalysis, /usr/bin/python3): `for ts in u.trajectory` touching
// ts.positions, run on a copy of the file in a temp dir so no offsets cache
// lands in fixtures/. Ratios are from the same run (the machine is shared).
import { Bench } from 'tinybench';
import { open } from 'node:fs/promises';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { decodeXtcFrame, openXtc } from '../../packages/formats/dist/xtc/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = [
  { name: 'mgcl2-water', xtc: join(root, 'fixtures/mgcl2-water/prod.xtc'), top: join(root, 'fixtures/mgcl2-water/final.gro') },
  { name: 'mg-tfsi-dme', xtc: join(root, 'fixtures/mg-tfsi-dme/prod.xtc'), top: join(root, 'fixtures/mg-tfsi-dme/final.gro') },
];
const withMda = !process.argv.includes('--no-mdanalysis');

/** ByteSource over a Node file handle (positional reads). */
class FileSource {
  constructor(name, size, fh) {
    this.name = name;
    this.size = size;
    this.fh = fh;
  }
  static async open(path) {
    const fh = await open(path, 'r');
    const st = await fh.stat();
    return new FileSource(basename(path), st.size, fh);
  }
  async read(offset, length) {
    const len = Math.max(0, Math.min(length, this.size - offset));
    const buf = new Uint8Array(len);
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(buf, got, len - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === len ? buf : buf.subarray(0, got);
  }
  async close() {
    await this.fh.close().catch(() => {});
  }
}

/** ByteSource over bytes in memory. */
class MemorySource {
  constructor(name, bytes) {
    this.name = name;
    this.bytes = bytes;
    this.size = bytes.length;
  }
  async read(offset, length) {
    return this.bytes.subarray(offset, Math.min(this.size, offset + length));
  }
  async close() {}
}

function mdanalysisRate(xtc, top) {
  const dir = mkdtempSync(join(tmpdir(), 'solvscope-bench-'));
  try {
    const x = join(dir, basename(xtc));
    const t = join(dir, basename(top));
    copyFileSync(xtc, x);
    copyFileSync(top, t);
    const py = `
import time, warnings
warnings.filterwarnings('ignore')
import MDAnalysis as mda
u = mda.Universe(${JSON.stringify(t)}, ${JSON.stringify(x)})
best = 1e9
for rep in range(5):
    t0 = time.perf_counter()
    s = 0.0
    for ts in u.trajectory:
        s += float(ts.positions[0, 0])
    best = min(best, time.perf_counter() - t0)
print(len(u.trajectory), u.atoms.n_atoms, best)
`;
    const out = execFileSync('/usr/bin/python3', ['-c', py], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split(/\s+/);
    const [frames, atoms, seconds] = out.map(Number);
    return { frames, atoms, seconds, version: execFileSync('/usr/bin/python3', ['-c', 'import MDAnalysis; print(MDAnalysis.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const f of FILES) {
  const bytes = new Uint8Array(readFileSync(f.xtc));
  const mem = await openXtc(new MemorySource(basename(f.xtc), bytes));
  const offsets = mem.index.offsets;
  const frames = mem.frameCount;
  const atoms = mem.atomCount;
  const into = await mem.readFrame(0);
  const fileSrc = await openXtc(await FileSource.open(f.xtc));

  const bench = new Bench({ time: 2000, warmupTime: 500 });
  bench.add(`${f.name} decode`, () => {
    for (let i = 0; i < frames; i++) decodeXtcFrame(bytes.subarray(offsets[i], offsets[i + 1]), into, { atomCount: atoms });
  });
  bench.add(`${f.name} frames`, async () => {
    let s = 0;
    for await (const fr of fileSrc.frames()) s += fr.positions[0];
    if (Number.isNaN(s)) throw new Error('NaN');
  });
  bench.add(`${f.name} open+frames`, async () => {
    const src = await openXtc(await FileSource.open(f.xtc));
    let s = 0;
    for await (const fr of src.frames()) s += fr.positions[0];
    await src.close();
    if (Number.isNaN(s)) throw new Error('NaN');
  });
  await bench.run();
  await fileSrc.close();
  for (const t of bench.tasks) {
    const ms = t.result.latency.min;
    rows.push({
      kernel: t.name,
      frames,
      atoms,
      'ms/op': +ms.toFixed(2),
      'M atoms/s': +((frames * atoms) / (ms / 1000) / 1e6).toFixed(1),
      'frames/s': Math.round(frames / (ms / 1000)),
      'mean ms/op': +t.result.period.toFixed(2),
    });
  }
  if (withMda && existsSync('/usr/bin/python3')) {
    try {
      const m = mdanalysisRate(f.xtc, f.top);
      rows.push({
        kernel: `${f.name} MDAnalysis ${m.version}`,
        frames: m.frames,
        atoms: m.atoms,
        'ms/op': +(m.seconds * 1000).toFixed(2),
        'M atoms/s': +((m.frames * m.atoms) / m.seconds / 1e6).toFixed(1),
        'frames/s': Math.round(m.frames / m.seconds),
      });
    } catch (e) {
      console.log(`MDAnalysis skipped: ${e.message.split('\n')[0]}`);
    }
  }
}
console.log(`node ${process.version}, ${new Date().toISOString().slice(0, 10)}`);
console.table(rows);
for (const f of FILES) {
  const dec = rows.find((r) => r.kernel === `${f.name} decode`);
  const fr = rows.find((r) => r.kernel === `${f.name} frames`);
  const full = rows.find((r) => r.kernel === `${f.name} open+frames`);
  const mda = rows.find((r) => r.kernel.startsWith(`${f.name} MDAnalysis`));
  const ratio = (r) => (r['M atoms/s'] / mda['M atoms/s']).toFixed(2);
  if (mda) console.log(`${f.name}: solvscope / MDAnalysis = ${ratio(dec)} (decode), ${ratio(fr)} (frames), ${ratio(full)} (open+frames)`);
}
