import {
  ConcatFrameSource,
  defaultAnalyses,
  planChunks,
  rangeLength,
  resolveRange,
  prepareJob,
  unpackTopology,
  type AnalysisRegistry,
  type AnalysisRequest,
  type Chunk,
  type FrameIndex,
  type FrameSource,
  type PackedTopology,
  type PlanOptions,
  type PreparedJob,
  type Topology,
} from '@solvscope/core';
import { openSystem, openTrajectory, type TrajectoryPart } from './open.js';

/**
 * Everything a thread needs to process chunks of a run, as plain data: file paths (each
 * worker opens the trajectory itself, so frame bytes never travel between threads), the
 * frame index built once by the main thread, the topology the main thread read (packed, in
 * shared memory: workers never re-read or re-parse the topology file), and the requests.
 */
export interface NodeJob {
  traj: string;
  format?: string;
  top?: string;
  topFormat?: string;
  rename?: Record<string, string>;
  charges?: Record<string, number>;
  /** Frame index from the main thread's open (workers never rescan). */
  index: FrameIndex;
  /** A run in several files: every part with its index (`traj`/`index` are then the first's). */
  parts?: TrajectoryPart[];
  /** The main thread's topology; without it the worker reads `top` (or `traj`) itself. */
  topology?: PackedTopology;
  requests: AnalysisRequest[];
  /** Frames the whole run visits (for SystemInfo.frameCount). */
  frameCount: number;
}

/** Set up the analyses of a job on a system already opened (the source is owned by the result). */
export async function prepareOpenedJob(
  job: Pick<NodeJob, 'requests' | 'frameCount'>,
  topology: Topology,
  trajectory: FrameSource,
  registry: AnalysisRegistry = defaultAnalyses,
): Promise<PreparedJob> {
  return prepareJob(trajectory, topology, job.requests, job.frameCount, registry);
}

/** Open the system and set up the analyses; the same code in process and in workers. */
export async function prepareNodeJob(job: NodeJob, registry: AnalysisRegistry = defaultAnalyses): Promise<PreparedJob> {
  if (job.topology) {
    const topology = unpackTopology(job.topology);
    const trajectory = await openParts(job.parts ?? [{ traj: job.traj, format: job.format ?? '', index: job.index }], topology.atomCount);
    return prepareOpenedJob(job, topology, trajectory, registry);
  }
  if (job.parts && job.parts.length > 1) {
    // the topology from `top` or the first part, then every part with its index
    const first = await openSystem(job.traj, { format: job.format, top: job.top, topFormat: job.topFormat, rename: job.rename, charges: job.charges, index: job.index, cache: false });
    await first.trajectory.close();
    return prepareOpenedJob(job, first.topology, await openParts(job.parts, first.topology.atomCount), registry);
  }
  const { topology, trajectory } = await openSystem(job.traj, {
    format: job.format,
    top: job.top,
    topFormat: job.topFormat,
    rename: job.rename,
    charges: job.charges,
    index: job.index,
    cache: false,
  });
  return prepareOpenedJob(job, topology, trajectory, registry);
}

/** Open a run's files with their indexes (no scan): one source, or one reading them in order. */
export async function openParts(parts: TrajectoryPart[], atomCount: number): Promise<FrameSource> {
  const opened: FrameSource[] = [];
  try {
    for (const p of parts) opened.push(await openTrajectory(p.traj, { format: p.format || undefined, index: p.index, atomCount, cache: false }));
    return opened.length === 1 ? opened[0] : new ConcatFrameSource(opened);
  } catch (e) {
    await Promise.allSettled(opened.map((t) => t.close()));
    throw e;
  }
}

/** The frame index with its offsets in shared memory (sent with every task at no cost). */
export function shareIndex(index: FrameIndex): FrameIndex {
  if (typeof SharedArrayBuffer === 'undefined') return index;
  const share = (a: Float64Array) => {
    const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
    s.set(a);
    return s;
  };
  return { ...index, offsets: share(index.offsets), ...(index.lines ? { lines: share(index.lines) } : {}) };
}

/** The chunk plan of a run (depends on the trajectory and range only, never on threads). */
export function planNodeJob(frameCount: number, options: PlanOptions = {}): { plan: Chunk[]; frames: number } {
  const r = resolveRange(options, frameCount);
  return { plan: planChunks(frameCount, { ...options, ...r }), frames: rangeLength(r) };
}
