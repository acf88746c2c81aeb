import {
  defaultAnalyses,
  planChunks,
  rangeLength,
  resolveRange,
  setupAnalyses,
  type AnalysisRegistry,
  type AnalysisRequest,
  type Chunk,
  type FrameIndex,
  type PlanOptions,
  type PreparedJob,
} from '@solvscope/core';
import { openSystem } from './open.js';

/**
 * Everything a thread needs to process chunks of a run, as plain JSON: file paths (each
 * worker opens the files itself, so bytes never travel between threads), the frame index
 * built once by the main thread, and the analysis requests.
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
  requests: AnalysisRequest[];
  /** Frames the whole run visits (for SystemInfo.frameCount). */
  frameCount: number;
}

/** Open the system and set up the analyses; the same code in process and in workers. */
export async function prepareNodeJob(job: NodeJob, registry: AnalysisRegistry = defaultAnalyses): Promise<PreparedJob> {
  const { topology, trajectory } = await openSystem(job.traj, {
    format: job.format,
    top: job.top,
    topFormat: job.topFormat,
    rename: job.rename,
    charges: job.charges,
    index: job.index,
    cache: false,
  });
  try {
    const first = trajectory.frameCount > 0 ? await trajectory.readFrame(0) : null;
    const system = { topology, frameCount: job.frameCount, periodic: !!first?.box };
    return { source: trajectory, system, analyses: setupAnalyses(registry, job.requests, system) };
  } catch (e) {
    await trajectory.close();
    throw e;
  }
}

/** The chunk plan of a run (depends on the trajectory and range only, never on threads). */
export function planNodeJob(frameCount: number, options: PlanOptions = {}): { plan: Chunk[]; frames: number } {
  const r = resolveRange(options, frameCount);
  return { plan: planChunks(frameCount, { ...options, ...r }), frames: rangeLength(r) };
}
