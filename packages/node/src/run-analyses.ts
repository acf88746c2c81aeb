import {
  InProcessExecutor,
  RunMerger,
  errorFromJSON,
  type ChunkOutcome,
  type AnalysisRequest,
  type FinalizedRun,
  type PlanOptions,
  type Progress,
  type SolvscopeError,
} from '@solvscope/core';
import { openSystem } from './open.js';
import { planNodeJob, prepareNodeJob, type NodeJob } from './job.js';
import { PoolExecutor, type PoolExecutorOptions } from './pool-executor.js';

export interface RunAnalysesOptions extends PlanOptions {
  traj: string;
  top?: string;
  format?: string;
  topFormat?: string;
  rename?: Record<string, string>;
  charges?: Record<string, number>;
  requests: AnalysisRequest[];
  /** 0 = in this thread; default: a worker pool with one worker per core. */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  onWarning?: (w: SolvscopeError) => void;
  /** Test hook. */
  failChunk?: PoolExecutorOptions['failChunk'];
}

export interface RunAnalysesResult extends FinalizedRun {
  /** Errors of failed chunks, rebuilt with their class and context. */
  errors: SolvscopeError[];
  /** Problem at the end of the trajectory file (truncated last frame …), if any. */
  tailError: SolvscopeError | null;
  framesInFile: number;
  atomCount: number;
  workers: number;
  chunks: number;
}

/**
 * Read a trajectory once and run every requested analysis on it, in this thread
 * (`workers: 0`) or on a worker pool. Results are identical for any worker count: the chunk
 * plan depends only on the trajectory and range, and states are merged in chunk order.
 */
export async function runAnalyses(options: RunAnalysesOptions): Promise<RunAnalysesResult> {
  const { trajectory } = await openSystem(options.traj, options);
  const index = trajectory.index;
  const tailError = trajectory.tailError;
  const framesInFile = trajectory.frameCount;
  const atomCount = trajectory.atomCount;
  await trajectory.close();
  if (tailError) options.onWarning?.(tailError);
  const { plan, frames } = planNodeJob(framesInFile, options);
  const job: NodeJob = {
    traj: options.traj,
    format: options.format,
    top: options.top,
    topFormat: options.topFormat,
    rename: options.rename,
    charges: options.charges,
    index,
    requests: options.requests,
    frameCount: frames,
  };
  const workers = options.workers ?? undefined;
  const prepared = await prepareNodeJob(job);
  let run: FinalizedRun;
  let usedWorkers = 0;
  try {
    // Chunk states are merged in chunk order as they arrive; only block summaries are kept.
    const merger = new RunMerger(prepared, plan);
    const runOptions = { signal: options.signal, onProgress: options.onProgress, onOutcome: (o: ChunkOutcome) => merger.add(o) };
    if (workers === 0) {
      await new InProcessExecutor(prepared).run(plan, runOptions);
    } else {
      const pool = new PoolExecutor(job, { workers, failChunk: options.failChunk });
      usedWorkers = pool.workers;
      try {
        await pool.run(plan, runOptions);
      } finally {
        await pool.close();
      }
    }
    run = merger.finish();
  } finally {
    await prepared.source.close();
  }
  return {
    ...run,
    errors: run.failures.map((f) => errorFromJSON(f.error)),
    tailError,
    framesInFile,
    atomCount,
    workers: usedWorkers,
    chunks: plan.length,
  };
}
