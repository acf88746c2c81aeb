import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { OptionError, SolvscopeError, type AnalyzeConfig, type AnalyzeReport } from '@solvscope/core';
import { WorkerPool } from './pool-executor.js';
import { analyze, sha256File, type AnalyzeRunOptions } from './analyze.js';
import { cacheDir } from './index-cache.js';
import { expandGlob } from './glob.js';

/**
 * Batch screens: a manifest (JSON or YAML, parsed by the caller) lists trajectories with labels
 * and analysis settings:
 *
 *   defaults: { ion: "name MG", cutoff: auto, config: { species: { TFSI: { donors: "name O1 O2 O3 O4" } } } }
 *   entries:
 *     - traj: runs/0.5M-r1/prod.xtc
 *       top: runs/0.5M-r1/conf.gro
 *       labels: { salt: "Mg(TFSI)2", conc_M: 0.5, replica: 1 }
 *     - traj: "runs/*M-r*\/prod.xtc"      # glob: one entry per match
 *       top: "runs/$1M-r$2/conf.gro"      # $1, $2 … = what the wildcards matched
 *       labels: { conc_M: "$1", replica: "$2" }
 *     - traj: ["runs/long/prod.part*.xtc"]   # a list: ONE entry, its parts (each glob's
 *       top: runs/long/conf.gro               # matches sorted) read in order as one run
 *
 * Per-entry settings override the defaults. Paths are relative to the manifest. Every entry
 * gets a folder under the output directory; a combined tidy table has one row per entry ×
 * quantity with the labels as columns.
 */
export interface BatchSettings {
  ion?: string;
  anion?: string;
  cutoff?: number | 'auto';
  config?: AnalyzeConfig;
  frames?: { start?: number; stop?: number; step?: number };
  rMax?: number;
  binWidth?: number;
  top?: string;
  format?: string;
  topFormat?: string;
}

export interface ManifestEntry extends BatchSettings {
  /** A path or glob (one entry per match), or a list of paths/globs: one entry, a run in parts (each glob's matches in sorted order). */
  traj: string | string[];
  labels?: Record<string, string | number | boolean>;
  /** Folder name of the entry's results (default: from the labels, else the trajectory path). */
  id?: string;
}

export interface Manifest {
  defaults?: BatchSettings;
  entries: ManifestEntry[];
}

export interface ResolvedEntry {
  id: string;
  /** The trajectory, or the parts of a run written in several files, in order. */
  traj: string | string[];
  top?: string;
  labels: Record<string, string | number | boolean>;
  settings: BatchSettings;
}

const SETTING_KEYS = ['ion', 'anion', 'cutoff', 'config', 'frames', 'rMax', 'binWidth', 'top', 'format', 'topFormat'] as const;

function fail(msg: string): never {
  throw new OptionError('OPTION', `manifest: ${msg}`, { option: 'MANIFEST' });
}

/** Check the manifest's shape and name the offending entry and key. */
export function validateManifest(data: unknown): Manifest {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) fail('must be an object with "entries" (and optional "defaults")');
  const m = data as Record<string, unknown>;
  for (const k of Object.keys(m)) if (k !== 'defaults' && k !== 'entries') fail(`unknown key '${k}' (allowed: defaults, entries)`);
  if (!Array.isArray(m.entries) || m.entries.length === 0) fail('"entries" must be a non-empty list');
  const checkSettings = (s: Record<string, unknown>, where: string, extra: string[]) => {
    for (const k of Object.keys(s)) if (!(SETTING_KEYS as readonly string[]).includes(k) && !extra.includes(k)) fail(`${where}: unknown key '${k}' (allowed: ${[...SETTING_KEYS, ...extra].join(', ')})`);
    if (s.cutoff !== undefined && s.cutoff !== 'auto' && !(typeof s.cutoff === 'number' && s.cutoff > 0)) fail(`${where}: cutoff must be "auto" or a positive number of Å`);
    for (const k of ['ion', 'anion', 'top', 'format', 'topFormat'])
      if (s[k] !== undefined && typeof s[k] !== 'string') fail(`${where}: ${k} must be a string`);
  };
  if (m.defaults !== undefined) {
    if (typeof m.defaults !== 'object' || m.defaults === null) fail('"defaults" must be an object');
    checkSettings(m.defaults as Record<string, unknown>, 'defaults', []);
  }
  (m.entries as unknown[]).forEach((e, i) => {
    if (typeof e !== 'object' || e === null) fail(`entry ${i + 1} must be an object with "traj"`);
    const o = e as Record<string, unknown>;
    const isPaths = Array.isArray(o.traj) && o.traj.length > 0 && o.traj.every((t) => typeof t === 'string' && t !== '');
    if (!isPaths && (typeof o.traj !== 'string' || !o.traj)) fail(`entry ${i + 1}: "traj" (a path or glob, or a list of them for a run in parts) is required`);
    checkSettings(o, `entry ${i + 1}`, ['traj', 'labels', 'id']);
    if (o.labels !== undefined && (typeof o.labels !== 'object' || o.labels === null || Array.isArray(o.labels))) fail(`entry ${i + 1}: labels must be an object`);
  });
  return m as unknown as Manifest;
}

const subst = (s: string, caps: string[]) => s.replace(/\$(\d+)/g, (_, d) => caps[Number(d) - 1] ?? '');

function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._+-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 120) || 'entry';
}

/**
 * Expand globs and defaults into concrete entries with unique ids, sorted by id (so shards are
 * deterministic). @throws OptionError when a glob matches nothing or ids collide.
 */
export async function resolveManifest(manifest: Manifest, baseDir: string): Promise<ResolvedEntry[]> {
  const out: ResolvedEntry[] = [];
  for (const [i, e] of manifest.entries.entries()) {
    let matches: { path: string | string[]; captures: string[] }[];
    if (Array.isArray(e.traj)) {
      // one entry: the parts of one run, each glob's matches in sorted order
      const parts: string[] = [];
      for (const t of e.traj) {
        const found = await expandGlob(resolve(baseDir, t));
        if (found.length === 0) fail(`entry ${i + 1}: '${t}' matches no file`);
        parts.push(...found.map((f) => f.path));
      }
      matches = [{ path: parts.length === 1 ? parts[0] : parts, captures: [] }];
    } else {
      matches = await expandGlob(resolve(baseDir, e.traj));
      if (matches.length === 0) fail(`entry ${i + 1}: '${e.traj}' matches no file`);
    }
    for (const m of matches) {
      const settings: BatchSettings = { ...(manifest.defaults ?? {}) };
      for (const k of SETTING_KEYS) if (e[k] !== undefined) (settings as Record<string, unknown>)[k] = e[k];
      if (manifest.defaults?.config && e.config) settings.config = { ...manifest.defaults.config, ...e.config, species: { ...manifest.defaults.config.species, ...e.config.species } };
      const labels: Record<string, string | number | boolean> = {};
      for (const [k, v] of Object.entries(e.labels ?? {})) {
        if (typeof v !== 'string') labels[k] = v;
        else {
          const t = subst(v, m.captures);
          labels[k] = t !== '' && Number.isFinite(Number(t)) && v.includes('$') ? Number(t) : t;
        }
      }
      const top = settings.top ? resolve(baseDir, subst(settings.top, m.captures)) : undefined;
      const first = typeof m.path === 'string' ? m.path : m.path[0];
      const id = slug(e.id ? subst(e.id, m.captures) : Object.keys(labels).length ? Object.entries(labels).map(([k, v]) => `${k}-${v}`).join('_') : first.replace(/^\//, ''));
      out.push({ id, traj: m.path, top, labels, settings: { ...settings, top } });
    }
  }
  out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let k = 1; k < out.length; k++) if (out[k].id === out[k - 1].id) fail(`two entries share the id '${out[k].id}' (${out[k - 1].traj}, ${out[k].traj}); give them distinct labels or "id"`);
  return out;
}

/** `i/n` (1-based) → the entries of that shard: every n-th entry, starting at the i-th. */
export function shardEntries<T>(entries: readonly T[], shard: { index: number; count: number } | undefined): T[] {
  if (!shard) return [...entries];
  return entries.filter((_, k) => k % shard.count === shard.index - 1);
}

export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const i = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || i < 1 || i > n) throw new OptionError('OPTION', `--shard must be I/N with 1 ≤ I ≤ N, e.g. 2/8 (got "${text}")`, { option: '--shard' });
  return { index: i, count: n };
}

/** sha256 of a file, memoised in the user cache by (path, size, mtime) so resumes do not re-read GBs. */
export async function cachedFileHash(path: string): Promise<string> {
  const st = await stat(path);
  const key = createHash('sha256').update(`${resolve(path)}\0${st.size}\0${st.mtimeMs}`).digest('hex').slice(0, 32);
  const file = join(cacheDir(), 'hash', `${key}.txt`);
  try {
    const h = (await readFile(file, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(h)) return h;
  } catch {
    // not cached
  }
  const h = await sha256File(path);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, h);
  } catch {
    // cache is optional
  }
  return h;
}

/** The resume key of an entry: content hashes of its inputs and its settings. */
export async function entryKey(e: ResolvedEntry): Promise<string> {
  const traj = typeof e.traj === 'string' ? await cachedFileHash(e.traj) : await Promise.all(e.traj.map((p) => cachedFileHash(p)));
  const top = e.top ? await cachedFileHash(e.top) : null;
  const { top: _t, ...settings } = e.settings;
  return createHash('sha256').update(JSON.stringify({ v: 1, traj, top, settings, labels: e.labels })).digest('hex');
}

export type EntryStatus = 'done' | 'skipped' | 'failed';

export interface EntryOutcome {
  entry: ResolvedEntry;
  status: EntryStatus;
  error?: SolvscopeError | Error;
  report?: AnalyzeReport;
  partial?: boolean;
}

export interface RunBatchOptions {
  outDir: string;
  shard?: { index: number; count: number };
  workers?: number;
  /** Re-run even when inputs and settings are unchanged. */
  force?: boolean;
  signal?: AbortSignal;
  onEntry?: (o: EntryOutcome, k: number, total: number) => void;
  /** Writes an entry's report files (report.json, tables, html) into its folder. */
  writeEntry: (report: AnalyzeReport, dir: string) => Promise<void>;
  onProgress?: AnalyzeRunOptions['onProgress'];
}

/**
 * Run (a shard of) a resolved manifest. Entries whose key (input hashes + settings) equals the
 * stored one are skipped; a failing entry is recorded and the others go on.
 */
export async function runBatch(entries: readonly ResolvedEntry[], options: RunBatchOptions): Promise<EntryOutcome[]> {
  const mine = shardEntries(entries, options.shard);
  // one worker pool for every entry that runs: threads start and load their code once per batch
  const lazy: { pool?: WorkerPool } = {};
  const pool = () => (options.workers === 0 ? undefined : (lazy.pool ??= new WorkerPool({ workers: options.workers })));
  try {
    return await runEntries(mine, options, pool);
  } finally {
    await lazy.pool?.close();
  }
}

async function runEntries(mine: readonly ResolvedEntry[], options: RunBatchOptions, pool: () => WorkerPool | undefined): Promise<EntryOutcome[]> {
  const outcomes: EntryOutcome[] = [];
  for (const [k, e] of mine.entries()) {
    const dir = join(options.outDir, e.id);
    let outcome: EntryOutcome;
    try {
      if (options.signal?.aborted) throw new SolvscopeError('ABORTED', 'interrupted');
      const key = await entryKey(e);
      let prev: string | null = null;
      try {
        prev = JSON.parse(await readFile(join(dir, 'entry.json'), 'utf8')).key;
      } catch {
        prev = null;
      }
      if (!options.force && prev === key) {
        const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as AnalyzeReport;
        outcome = { entry: e, status: 'skipped', report };
      } else {
        const s = e.settings;
        if (!s.ion) throw new OptionError('OPTION', `entry ${e.id}: no "ion" selection (set it in defaults or the entry)`, { option: 'ion' });
        const { report, partial, errors } = await analyze({
          traj: e.traj,
          top: e.top,
          format: s.format,
          topFormat: s.topFormat,
          ion: s.ion,
          anion: s.anion,
          cutoff: s.cutoff,
          config: s.config,
          rMax: s.rMax,
          binWidth: s.binWidth,
          ...s.frames,
          workers: options.workers,
          pool: pool(),
          signal: options.signal,
          onProgress: options.onProgress,
        });
        await mkdir(dir, { recursive: true });
        await options.writeEntry(report, dir);
        // entry.json last: a crash before it means the entry is redone next time.
        const tmp = join(dir, `entry.json.${process.pid}`);
        await writeFile(tmp, JSON.stringify({ key: partial ? null : key, id: e.id, traj: e.traj, top: e.top ?? null, labels: e.labels, settings: e.settings, partial, errors: errors.map((x) => x.message) }, null, 2));
        await rename(tmp, join(dir, 'entry.json'));
        outcome = { entry: e, status: partial ? 'failed' : 'done', report, partial, error: partial ? errors[0] : undefined };
      }
    } catch (err) {
      if (options.signal?.aborted) throw err;
      outcome = { entry: e, status: 'failed', error: err as Error };
    }
    outcomes.push(outcome);
    options.onEntry?.(outcome, k, mine.length);
  }
  return outcomes;
}

/** Read every entry's results from the output folder (for --merge after sharded runs). */
export async function collectResults(entries: readonly ResolvedEntry[], outDir: string): Promise<{ found: { entry: ResolvedEntry; report: AnalyzeReport }[]; missing: ResolvedEntry[] }> {
  const found: { entry: ResolvedEntry; report: AnalyzeReport }[] = [];
  const missing: ResolvedEntry[] = [];
  for (const e of entries) {
    try {
      const meta = JSON.parse(await readFile(join(outDir, e.id, 'entry.json'), 'utf8'));
      if (!meta.key) throw new Error('partial');
      found.push({ entry: e, report: JSON.parse(await readFile(join(outDir, e.id, 'report.json'), 'utf8')) });
    } catch {
      missing.push(e);
    }
  }
  return { found, missing };
}
