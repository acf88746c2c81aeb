import {
  ConcatFrameSource,
  FormatError,
  OptionError,
  anonymousTopology,
  buildTopology,
  type BuildTopologyOptions,
  type FrameIndex,
  type FrameSource,
  type SolvscopeError,
  type Topology,
} from '@solvscope/core';
import { defaultRegistry, type FormatDescriptor } from '@solvscope/formats';
import { FileByteSource } from './file-source.js';
import { loadCachedIndex, storeCachedIndex } from './index-cache.js';

export interface OpenTrajectoryOptions {
  /** Format name ('xtc', 'lammps-dump' …); default: from extension and magic number. */
  format?: string;
  /** Reuse/store the frame index in the user cache (default true). */
  cache?: boolean;
  /** A frame index already built (e.g. sent to a worker); skips scan and cache. */
  index?: FrameIndex;
  /** Atom count from the topology, for formats whose frames do not state it. */
  atomCount?: number;
  signal?: AbortSignal;
  onWarning?: (w: SolvscopeError) => void;
  onScanProgress?: (bytes: number, total: number) => void;
}

/**
 * Open a trajectory file as a streaming FrameSource. The frame index comes from `options.index`,
 * else the on-disk cache (valid while size and mtime are unchanged), else one scan (then cached).
 * @throws SourceError (missing file), FormatError (unknown/unsupported/corrupt format).
 */
export async function openTrajectory(path: string, options: OpenTrajectoryOptions = {}): Promise<FrameSource> {
  const src = await FileByteSource.open(path);
  try {
    const fmt = await defaultRegistry.detect(src, options.format);
    if (!fmt.open) {
      throw new FormatError('UNSUPPORTED', `${fmt.label} files hold a topology, not a trajectory`, { file: src.name, format: fmt.label });
    }
    const useCache = options.cache !== false && !options.index;
    let index = options.index ?? (useCache ? await loadCachedIndex(path, fmt.name, src.size, src.mtimeMs) : null);
    const fsrc = await fmt.open(src, { ...options, index: index ?? undefined });
    if (!index && useCache) await storeCachedIndex(path, fmt.name, src.size, src.mtimeMs, fsrc.index);
    index = fsrc.index;
    return fsrc;
  } catch (e) {
    await src.close();
    throw e;
  }
}

export interface LoadTopologyOptions extends BuildTopologyOptions {
  format?: string;
}

/**
 * Read a topology file (GRO, PDB, XYZ, LAMMPS data …) and complete it (elements, molecules,
 * species). @throws FormatError when the format carries no topology.
 */
export async function loadTopology(path: string, options: LoadTopologyOptions = {}): Promise<Topology> {
  const src = await FileByteSource.open(path);
  try {
    const fmt = await defaultRegistry.detect(src, options.format);
    if (!fmt.readTopology) {
      throw new FormatError(
        'UNSUPPORTED',
        `${fmt.label} files carry no atom names or residues; give a topology with --top (${topologyFormats().join(', ')})`,
        { file: src.name, format: fmt.label },
      );
    }
    const init = await fmt.readTopology(src);
    return buildTopology({ ...init, source: init.source ?? src.name }, options);
  } finally {
    await src.close();
  }
}

/** Names of formats that can serve as a topology. */
export function topologyFormats(): string[] {
  return defaultRegistry.formats.filter((f) => f.readTopology).map((f) => f.label);
}

export function formatOf(path: string, explicit?: string): Promise<FormatDescriptor> {
  return FileByteSource.open(path).then(async (src) => {
    try {
      return await defaultRegistry.detect(src, explicit);
    } finally {
      await src.close();
    }
  });
}

export interface OpenSystemOptions extends OpenTrajectoryOptions, BuildTopologyOptions {
  /** Topology file; default: the trajectory itself when its format carries a topology. */
  top?: string;
  topFormat?: string;
  /** A topology already read (from `top`, or the trajectory): used as is, not read again. */
  topology?: Topology;
}

export interface OpenedSystem {
  topology: Topology;
  /** The trajectory; for several files, a {@link ConcatFrameSource} reading them as one. */
  trajectory: FrameSource;
  /** Where the topology came from, or 'none' (anonymous atoms). */
  topologySource: string;
  /** The trajectory files in order, each with its format and byte index (one entry for one file). */
  parts: TrajectoryPart[];
}

/** The problems found at the end of a trajectory's files (truncated last frame …), every part's for a run in parts. */
export function tailErrorsOf(t: FrameSource): SolvscopeError[] {
  if (t instanceof ConcatFrameSource) return t.tailErrors;
  return t.tailError ? [t.tailError] : [];
}

/** One trajectory file of a run, as a worker reopens it. */
export interface TrajectoryPart {
  traj: string;
  format: string;
  index: FrameIndex;
}

/**
 * Open a trajectory with its topology and check they describe the same atoms. Several files
 * (a run written in parts, in order) are read as one trajectory; the topology then comes from
 * `top`, or from the first file, and `index` is ignored (each part's index comes from the cache
 * or a scan).
 * @throws FormatError code MISMATCH naming both files when the atom counts differ.
 * @throws OptionError for an empty list of files.
 */
export async function openSystem(traj: string | readonly string[], options: OpenSystemOptions = {}): Promise<OpenedSystem> {
  const paths = typeof traj === 'string' ? [traj] : [...traj];
  if (paths.length === 0 || paths.some((p) => typeof p !== 'string' || p === '')) {
    throw new OptionError('OPTION', `trajectory must be a file name or a list of file names (got ${JSON.stringify(traj)})`, { option: '--traj' });
  }
  const first = await openOneSystem(paths[0], paths.length > 1 ? { ...options, index: undefined } : options);
  if (paths.length === 1) return { ...first, parts: [{ traj: paths[0], format: first.trajectory.format, index: first.trajectory.index }] };
  const opened: FrameSource[] = [first.trajectory];
  try {
    for (const p of paths.slice(1)) {
      opened.push(await openTrajectory(p, { ...options, index: undefined, atomCount: first.topology.atomCount }));
    }
    const trajectory = new ConcatFrameSource(opened);
    if (options.onWarning) for (const w of await partOverlaps(opened)) options.onWarning(w);
    const parts = opened.map((t, k) => ({ traj: paths[k], format: t.format, index: t.index }));
    return { topology: first.topology, topologySource: first.topologySource, trajectory, parts };
  } catch (e) {
    await Promise.allSettled(opened.map((t) => t.close()));
    throw e;
  }
}

/**
 * Parts whose first frame is not later than the previous part's last (a restart that wrote the
 * checkpoint frame again, or parts given out of order): those frames would count twice.
 */
async function partOverlaps(parts: readonly FrameSource[]): Promise<FormatError[]> {
  const out: FormatError[] = [];
  let prev: { name: string; time: number } | null = null;
  for (const p of parts) {
    if (p.frameCount === 0) continue;
    const first = (await p.readFrame(0)).time;
    if (prev && Number.isFinite(first) && Number.isFinite(prev.time) && first <= prev.time) {
      out.push(
        new FormatError(
          'FORMAT',
          `this part starts at t = ${first} ps, not after the end of ${prev.name} (t = ${prev.time} ps): overlapping frames are analysed twice; leave out the repeated frames, or check the order of the parts`,
          { file: p.name, format: p.format.toUpperCase(), frame: 0 },
        ),
      );
    }
    prev = { name: p.name, time: (await p.readFrame(p.frameCount - 1)).time };
  }
  return out;
}

async function openOneSystem(traj: string, options: OpenSystemOptions): Promise<Omit<OpenedSystem, 'parts'>> {
  const given: unknown = options.topology;
  if (given !== undefined && (typeof given !== 'object' || given === null || typeof (given as Topology).atomCount !== 'number')) {
    // e.g. a file name passed from JavaScript: without this, the atom-count check below reported "topology undefined has undefined atoms"
    throw new OptionError('OPTION', `topology must be a Topology object (from loadTopology); give a topology file as 'top' (got ${JSON.stringify(given)})`, { option: 'topology' });
  }
  let topology: Topology | null = options.topology ?? null;
  let topologySource = topology ? (options.top ?? topology.source) : 'none';
  if (!topology && options.top) {
    topology = await loadTopology(options.top, { format: options.topFormat, rename: options.rename, charges: options.charges });
    topologySource = options.top;
  }
  const trajectory = await openTrajectory(traj, { ...options, atomCount: options.atomCount ?? topology?.atomCount });
  try {
    if (!topology) {
      const fmt = await formatOf(traj, options.format);
      if (fmt.readTopology) {
        topology = await loadTopology(traj, { format: fmt.name, rename: options.rename, charges: options.charges });
        topologySource = traj;
      } else {
        topology = anonymousTopology(trajectory.atomCount);
      }
    }
    if (topology.atomCount !== trajectory.atomCount) {
      throw new FormatError(
        'MISMATCH',
        `topology ${topologySource} has ${topology.atomCount} atoms but the trajectory has ${trajectory.atomCount}`,
        { file: trajectory.name, format: trajectory.format.toUpperCase(), frame: 0 },
      );
    }
    return { topology, trajectory, topologySource };
  } catch (e) {
    await trajectory.close();
    throw e;
  }
}
