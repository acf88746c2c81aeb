// Large realistic test trajectories by tiling a real box.
//
//   npx tsc -b tsconfig.json
//   node bench/generate/make-large-xtc.mjs [--tiles 3x3x4|N] [--frames 200] [--out DIR]
//                                          [--sigma 0.05] [--seed 1] [--name NAME] [--quiet]
//
// Source: fixtures/mgcl2-water (prod.xtc, 301 frames, final.gro: 3066 atoms = 16 MG, 32 CL,
// 1006 TIP3P waters in a ~31.5 Å cubic cell). Each output frame k takes source frame k mod 301
// and its box, copies it nx×ny×nz times along the box vectors, and adds an independent Gaussian
// perturbation (σ = --sigma Å, per coordinate, per tile, per frame; deterministic seeded RNG,
// so the same options give byte-identical files) so the tiles are not identical copies. All
// tiles of a frame come from the same source frame, so nothing overlaps across tile faces and
// g(r) is the source g(r) slightly broadened by the noise. Output:
//   DIR/NAME.xtc  XTC precision 1000 (0.001 nm) written with solvscope's XTC writer
//   DIR/NAME.gro  matching topology: atom/residue names tiled, residue and atom numbers
//                 continued tile after tile (wrapping at 100000 as GROMACS does), coordinates
//                 of frame 0
// Default tiles 3x3x4 = 110,376 atoms (box ≈ 94 × 94 × 126 Å), the "~100k atoms" system of the
// benchmarks; --tiles 3 gives 82,782 atoms, --tiles 4 196,224. NAME defaults to
// tiled-<tiles>-<frames>f. Files under bench/out/ are gitignored.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FileByteSink, FileByteSource } from '../../packages/node/dist/index.js';
import { createXtcWriter, openXtc } from '../../packages/formats/dist/index.js';
import { mulberry32 as rng } from '../../packages/core/dist/random.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const SOURCE_XTC = join(root, 'fixtures/mgcl2-water/prod.xtc');
export const SOURCE_GRO = join(root, 'fixtures/mgcl2-water/final.gro');
export const DEFAULT_OUT = join(root, 'bench/out');

/** "3x3x4" or "3" → [3, 3, 4] / [3, 3, 3]. */
export function parseTiles(s) {
  const parts = String(s).toLowerCase().split('x').map(Number);
  const t = parts.length === 1 ? [parts[0], parts[0], parts[0]] : parts;
  if (t.length !== 3 || !t.every((v) => Number.isInteger(v) && v >= 1 && v <= 20)) {
    throw new Error(`--tiles wants N or AxBxC with integers 1..20 (got ${s})`);
  }
  return t;
}


/** Fill `out` with N(0, sigma²) samples (Box–Muller, both outputs used). */
function gaussians(next, out, sigma) {
  const n = out.length;
  for (let i = 0; i < n; i += 2) {
    const u = 1 - next();
    const v = next();
    const r = sigma * Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
}

/** GRO atom lines of the source: [resid, resname, name] per atom. */
function readGroAtoms(path) {
  const lines = readFileSync(path, 'latin1').split(/\r?\n/);
  const n = parseInt(lines[1], 10);
  const atoms = [];
  for (let i = 0; i < n; i++) {
    const l = lines[2 + i];
    atoms.push({ resid: parseInt(l.slice(0, 5), 10), resname: l.slice(5, 10).trim(), name: l.slice(10, 15).trim() });
  }
  return atoms;
}

const fmt = (x) => (x / 10).toFixed(3).padStart(8);

/**
 * Write DIR/NAME.xtc and DIR/NAME.gro. Returns {xtc, gro, atoms, frames, bytes, seconds, box}.
 * @param {{tiles?: number[]|string, frames?: number, out?: string, name?: string, sigma?: number, seed?: number, quiet?: boolean}} o
 */
export async function makeLargeXtc(o = {}) {
  const tiles = Array.isArray(o.tiles) ? o.tiles : parseTiles(o.tiles ?? '3x3x4');
  const [nx, ny, nz] = tiles;
  const nFrames = o.frames ?? 200;
  const sigma = o.sigma ?? 0.05;
  const out = o.out ?? DEFAULT_OUT;
  const name = o.name ?? `tiled-${nx}x${ny}x${nz}-${nFrames}f`;
  const t0 = performance.now();
  mkdirSync(out, { recursive: true });

  // Source frames in memory (301 × 3066 × 3 floats ≈ 11 MB).
  const src = await openXtc(await FileByteSource.open(SOURCE_XTC));
  const srcFrames = [];
  for await (const f of src.frames()) {
    srcFrames.push({ time: f.time, positions: f.positions.slice(), box: Float64Array.from(f.box) });
  }
  await src.close();
  const n0 = srcFrames[0].positions.length / 3;
  const groAtoms = readGroAtoms(SOURCE_GRO);
  if (groAtoms.length !== n0) throw new Error(`${SOURCE_GRO} has ${groAtoms.length} atoms, ${SOURCE_XTC} ${n0}`);
  const dt = srcFrames.length > 1 ? srcFrames[1].time - srcFrames[0].time : 1;
  const nTiles = nx * ny * nz;
  const n = n0 * nTiles;

  const positions = new Float32Array(3 * n);
  const noise = new Float64Array(3 * n);
  const box = new Float64Array(9);
  const frame = { index: 0, time: 0, step: 0, positions, box, velocities: null, forces: null };
  const next = rng(o.seed ?? 1);
  const xtcPath = join(out, `${name}.xtc`);
  const sink = await FileByteSink.create(xtcPath);
  const writer = createXtcWriter(sink, { topology: { atomCount: n }, precision: 1000 });
  let frame0 = null;
  for (let k = 0; k < nFrames; k++) {
    const s = srcFrames[k % srcFrames.length];
    const b = s.box;
    for (let r = 0; r < 3; r++) {
      const scale = tiles[r];
      for (let c = 0; c < 3; c++) box[3 * r + c] = b[3 * r + c] * scale;
    }
    gaussians(next, noise, sigma);
    let o3 = 0;
    for (let a = 0; a < nx; a++)
      for (let bb = 0; bb < ny; bb++)
        for (let c = 0; c < nz; c++) {
          const sx = a * b[0] + bb * b[3] + c * b[6];
          const sy = a * b[1] + bb * b[4] + c * b[7];
          const sz = a * b[2] + bb * b[5] + c * b[8];
          const p = s.positions;
          for (let i = 0; i < 3 * n0; i += 3, o3 += 3) {
            positions[o3] = p[i] + sx + noise[o3];
            positions[o3 + 1] = p[i + 1] + sy + noise[o3 + 1];
            positions[o3 + 2] = p[i + 2] + sz + noise[o3 + 2];
          }
        }
    frame.index = k;
    frame.step = k;
    frame.time = srcFrames[0].time + k * dt;
    if (k === 0) frame0 = { positions: positions.slice(), box: box.slice() };
    await writer.writeFrame(frame);
    if (!o.quiet && (k + 1) % 50 === 0) process.stderr.write(`\r${name}: ${k + 1}/${nFrames} frames`);
  }
  await writer.close();
  if (!o.quiet && nFrames >= 50) process.stderr.write('\n');

  // GRO of frame 0 with the tiled names (rectangular or triclinic box line).
  const lines = [`solvscope bench: fixtures/mgcl2-water tiled ${nx}x${ny}x${nz}, sigma ${sigma} A`, String(n)];
  const resPerTile = groAtoms[groAtoms.length - 1].resid;
  for (let t = 0, i = 0; t < nTiles; t++) {
    for (let j = 0; j < n0; j++, i++) {
      const g = groAtoms[j];
      const resid = (t * resPerTile + g.resid) % 100000;
      const p = frame0.positions;
      lines.push(
        String(resid).padStart(5) + g.resname.padEnd(5) + g.name.padStart(5) + String((i + 1) % 100000).padStart(5) +
          fmt(p[3 * i]) + fmt(p[3 * i + 1]) + fmt(p[3 * i + 2]),
      );
    }
  }
  const B = frame0.box;
  const boxLine = [B[0], B[4], B[8]];
  if (B[1] || B[2] || B[5] || B[3] || B[6] || B[7]) boxLine.push(B[1], B[2], B[3], B[5], B[6], B[7]);
  lines.push(boxLine.map((v) => (v / 10).toFixed(5).padStart(10)).join(''));
  const groPath = join(out, `${name}.gro`);
  writeFileSync(groPath, lines.join('\n') + '\n');
  return {
    xtc: xtcPath,
    gro: groPath,
    atoms: n,
    frames: nFrames,
    bytes: statSync(xtcPath).size,
    seconds: (performance.now() - t0) / 1000,
    box: [box[0], box[4], box[8]],
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const opt = (k, d) => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : d;
  };
  if (args.includes('--help')) {
    console.log('node bench/generate/make-large-xtc.mjs [--tiles 3x3x4|N] [--frames 200] [--out DIR] [--sigma 0.05] [--seed 1] [--name NAME]');
    process.exit(0);
  }
  const r = await makeLargeXtc({
    tiles: opt('--tiles', '3x3x4'),
    frames: Number(opt('--frames', 200)),
    out: opt('--out', DEFAULT_OUT),
    name: opt('--name', undefined),
    sigma: Number(opt('--sigma', 0.05)),
    seed: Number(opt('--seed', 1)),
    quiet: args.includes('--quiet'),
  });
  console.log(
    `${r.xtc}: ${r.atoms} atoms, ${r.frames} frames, ${(r.bytes / 1e6).toFixed(1)} MB, box ${r.box.map((v) => v.toFixed(1)).join(' × ')} Å, ${r.seconds.toFixed(1)} s\n${r.gro}`,
  );
}
