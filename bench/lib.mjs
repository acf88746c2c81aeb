// Helpers shared by the pipeline benchmarks: timed subprocesses (wall, CPU, peak RSS through
// /usr/bin/time), medians, machine description, peer tools, the benchmark datasets.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT = join(ROOT, 'bench/out');
export const PY = '/usr/bin/python3';
export const PEERS = join(ROOT, 'bench/pipelines/peers.py');
export const SS_RUN = join(ROOT, 'bench/pipelines/solvscope-run.mjs');
export const CLI = join(ROOT, 'packages/cli/dist/bin.js');
export const TIME = '/usr/bin/time';

/** Environment of every timed child: solvscope's index cache inside bench/out, quiet Python. */
export function benchEnv(extra = {}) {
  return { ...process.env, SOLVSCOPE_CACHE_DIR: join(OUT, 'cache'), PYTHONWARNINGS: 'ignore', GMX_MAXBACKUP: '-1', ...extra };
}

export function parseArgs(argv = process.argv.slice(2)) {
  const flags = new Set();
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) opts[a.slice(2, eq)] = a.slice(eq + 1);
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) opts[a.slice(2)] = argv[++i];
    else flags.add(a.slice(2));
  }
  return { has: (k) => flags.has(k) || k in opts, get: (k, d) => (k in opts ? opts[k] : d), num: (k, d) => (k in opts ? Number(opts[k]) : d) };
}

export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Run a command under /usr/bin/time: wall s, user+sys CPU s, peak RSS (MB, the largest single
 * process of the tree as /usr/bin/time reports it: for Node that includes its worker threads),
 * and stdout. Throws with stderr on a non-zero exit.
 */
export function timed(cmd, args, { cwd = ROOT, env = benchEnv(), allowFail = false } = {}) {
  const tf = join(OUT, `.time-${process.pid}`);
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-o', tf, '-f', '%e %U %S %M', cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallOuter = (performance.now() - t0) / 1000;
  let wall = wallOuter;
  let user = NaN;
  let sys = NaN;
  let rssKB = NaN;
  if (existsSync(tf)) {
    const last = readFileSync(tf, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
    [wall, user, sys, rssKB] = last;
    rmSync(tf, { force: true });
  }
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}:\n${(r.stderr || '').slice(-2000)}`);
  }
  return { wall: wallOuter, wallTime: wall, cpu: user + sys, user, sys, rssMB: rssKB / 1024, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Last JSON line of a child's stdout. */
export function lastJson(stdout) {
  const lines = stdout.trim().split('\n').filter((l) => l.startsWith('{'));
  return lines.length ? JSON.parse(lines[lines.length - 1]) : {};
}

export function machine() {
  let cpu = cpus()[0]?.model ?? '?';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/);
    if (m) cpu = m[1];
  } catch {}
  return {
    date: new Date().toISOString(),
    node: process.version,
    cores: availableParallelism(),
    memGiB: +(totalmem() / 2 ** 30).toFixed(1),
    cpu,
    load: loadavg().map((x) => +x.toFixed(2)),
  };
}

export const load1 = () => +loadavg()[0].toFixed(2);

/**
 * Wait (at most maxS seconds) until the 1-minute load average is at most `limit`; returns the
 * load seen. The machine is shared: this makes runs comparable, it does not make them quiet.
 */
export async function waitForQuiet(limit, maxS) {
  const t0 = Date.now();
  while (loadavg()[0] > limit && Date.now() - t0 < maxS * 1000) await new Promise((r) => setTimeout(r, 2000));
  return load1();
}

function has(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', env: benchEnv() });
    return true;
  } catch {
    return false;
  }
}

let aptUpdated = false;
function aptInstall(pkg) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.log(`  missing: run  sudo apt-get install -y ${pkg}`);
    return false;
  }
  console.log(`  installing ${pkg} (apt-get) …`);
  try {
    if (!aptUpdated) execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    aptUpdated = true;
    execFileSync('apt-get', ['install', '-y', '-qq', pkg], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    return true;
  } catch (e) {
    console.log(`  apt-get install ${pkg} failed: ${e.message.split('\n')[0]}`);
    return false;
  }
}

/** Which peer tools are there (installing Debian's packages when run as root). */
export function ensurePeers({ mda = true, gmx = true, mdtraj = true } = {}) {
  const got = { time: existsSync(TIME) || aptInstall('time'), mda: false, gmx: false, mdtraj: false };
  if (mda) got.mda = has(PY, ['-c', 'import MDAnalysis']) || (aptInstall('python3-mdanalysis') && has(PY, ['-c', 'import MDAnalysis']));
  if (mdtraj) got.mdtraj = has(PY, ['-c', 'import mdtraj']) || (aptInstall('python3-mdtraj') && has(PY, ['-c', 'import mdtraj']));
  if (gmx) got.gmx = has('gmx', ['-quiet', '--version']) || (aptInstall('gromacs') && has('gmx', ['-quiet', '--version']));
  if (!got.time) throw new Error('/usr/bin/time is needed (apt-get install -y time)');
  return got;
}

export function peerVersions(got) {
  const v = {};
  if (got.mda || got.mdtraj) {
    try {
      Object.assign(v, JSON.parse(execFileSync(PY, [PEERS, 'versions'], { encoding: 'utf8', env: benchEnv() })));
    } catch {}
  }
  if (got.gmx) {
    try {
      const s = execFileSync('gmx', ['-quiet', '--version'], { encoding: 'utf8', env: benchEnv(), stdio: ['ignore', 'pipe', 'ignore'] });
      v.gromacs = (s.match(/GROMACS version:\s*(.*)/) || [])[1]?.trim();
    } catch {}
  }
  v.OPENBLAS_CORETYPE = process.env.OPENBLAS_CORETYPE ?? null;
  return v;
}

/** The 3066-atom fixture, copied into bench/out so MDAnalysis' offsets file lands there. */
export function fixtureDataset() {
  const dir = join(OUT, 'mgcl2-water-3k');
  mkdirSync(dir, { recursive: true });
  const xtc = join(dir, 'prod.xtc');
  const gro = join(dir, 'final.gro');
  for (const [src, dst] of [
    [join(ROOT, 'fixtures/mgcl2-water/prod.xtc'), xtc],
    [join(ROOT, 'fixtures/mgcl2-water/final.gro'), gro],
  ]) {
    if (!existsSync(dst) || statSync(dst).size !== statSync(src).size) copyFileSync(src, dst);
  }
  return { name: 'mgcl2-water 3k', xtc, gro, dir };
}

/** A tiled trajectory from bench/generate (generated when missing; deterministic). */
export async function tiledDataset(tiles, frames) {
  const { makeLargeXtc, parseTiles } = await import('./generate/make-large-xtc.mjs');
  const t = parseTiles(tiles);
  const name = `tiled-${t.join('x')}-${frames}f`;
  const dir = join(OUT, name);
  const xtc = join(dir, `${name}.xtc`);
  const gro = join(dir, `${name}.gro`);
  if (!existsSync(xtc) || !existsSync(gro)) {
    console.log(`generating ${xtc} …`);
    const r = await makeLargeXtc({ tiles: t, frames, out: dir, name, quiet: true });
    console.log(`  ${r.atoms} atoms, ${r.frames} frames, ${(r.bytes / 1e6).toFixed(0)} MB in ${r.seconds.toFixed(1)} s`);
  }
  return { name: `tiled ${t.join('×')} (${(3066 * t[0] * t[1] * t[2]).toLocaleString('en')} atoms)`, xtc, gro, dir };
}

export const fmtN = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '—');

/** Markdown table from rows of arrays. */
export function mdTable(head, rows) {
  const out = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  return out.join('\n');
}

/**
 * Newest modification time of the code under test (packages/{core,formats,node,cli}/dist), as
 * an ISO string: other people rebuild dist on a shared machine, so every script records it at
 * its start and end and warns when it changed in between.
 */
export function distStamp() {
  let newest = 0;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const pkg of ['core', 'formats', 'node', 'cli']) {
    const d = join(ROOT, 'packages', pkg, 'dist');
    if (existsSync(d)) walk(d);
  }
  return new Date(newest).toISOString();
}

/** {start, end, changed} of distStamp around a run; prints a warning when it changed. */
export function distGuard() {
  const start = distStamp();
  return () => {
    const end = distStamp();
    if (end !== start) console.log(`WARNING: packages/*/dist was rebuilt during this run (${start} → ${end}); numbers may mix two builds`);
    return { start, end, changed: end !== start };
  };
}
