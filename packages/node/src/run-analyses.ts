import {
  InProcessExecutor,
  RunMerger,
  errorFromJSON,
  type ChunkOutcome,
  type AnalysisRequest,
  type FinalizedRun,
  type PlanOptions,
  type Progress,
  type FrameIndex,
  type FrameSource,
  type SolvscopeError,
  type Topology,
  type PackedTopology,
  packTopology,
} from '@solvscope/core';
import { openSystem, tailErrorsOf, type TrajectoryPart } from './open.js';
import { openParts, planNodeJob, prepareOpenedJob, shareIndex, type NodeJob } from './job.js';
import { PoolExecutor, withPoolChoice, type PoolChoice, type PoolExecutorOptions, type WorkerPool } from './pool-executor.js';

export interface RunAnalysesOptions extends PlanOptions {
  /** The trajectory, or a run written in several files (read in this order as one trajectory). */
  traj: string | string[];
  top?: string;
  format?: string;
  topFormat?: string;
  rename?: Record<string, string>;
  charges?: Record<string, number>;
  requests: AnalysisRequest[];
  /**
   * Worker threads; 0 = in this thread. Default: one worker per core, or this thread when the
   * run is too short for a pool to pay (atoms × frames below {@link pooledRunThreshold}).
   */
  workers?: number;
  /** Run on this worker pool (kept open afterwards); `workers` is then ignored unless 0. */
  pool?: WorkerPool;
  /** The topology, when the caller has read it already (it is not read again). */
  topology?: Topology;
  /**
   * The trajectory's files as the caller opened them (`openSystem(…).parts`), given with
   * `topology`: they are reopened with their indexes (no cache lookup, no scan), and what was
   * found when they were opened (truncated tails, overlapping parts) is not reported again.
   */
  parts?: TrajectoryPart[];
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

const packed = new WeakMap<Topology, PackedTopology>();
/** The topology packed for workers, once per topology object (analyze's two passes share it). */
function packedFor(t: Topology): PackedTopology {
  let p = packed.get(t);
  if (!p) {
    p = packTopology(t);
    packed.set(t, p);
  }
  return p;
}

/**
 * Read a trajectory once and run every requested analysis on it, in this thread
 * (`workers: 0`) or on a worker pool. Results are identical for any worker count: the chunk
 * plan depends only on the trajectory and range, and states are merged in chunk order.
 */
export async function runAnalyses(options: RunAnalysesOptions): Promise<RunAnalysesResult> {
  // One open for the whole run: the topology is read once (or given), the trajectory stays open
  // for an in-process run, and workers get the topology and index through shared memory.
  return withPoolChoice(options, (choice) => runOn(options, choice));
}

/** The run's system: the caller's opened files (`parts` + `topology`), or opened here, reporting every part's tail problem. */
async function openRun(options: RunAnalysesOptions): Promise<{ topology: Topology; trajectory: FrameSource; parts: TrajectoryPart[] }> {
  if (options.parts && options.topology) {
    return { topology: options.topology, trajectory: await openParts(options.parts, options.topology.atomCount), parts: options.parts };
  }
  const sys = await openSystem(options.traj, options);
  // a truncated middle part loses its last frames
  for (const e of tailErrorsOf(sys.trajectory)) options.onWarning?.(e);
  return sys;
}

async function runOn(options: RunAnalysesOptions, choice: PoolChoice): Promise<RunAnalysesResult> {
  const { topology, trajectory, parts } = await openRun(options);
  const tailError = trajectory.tailError;
  const framesInFile = trajectory.frameCount;
  const atomCount = trajectory.atomCount;
  const { plan, frames } = planNodeJob(framesInFile, options);
  const pool = choice.forRun(frames * atomCount);
  const pooled = pool !== undefined;
  const jobParts: TrajectoryPart[] = parts.map((p) => ({ ...p, index: pooled ? shareIndex(p.index) : p.index }));
  const job: NodeJob = {
    traj: jobParts[0].traj,
    format: jobParts[0].format,
    index: jobParts[0].index,
    ...(jobParts.length > 1 ? { parts: jobParts } : {}),
    topology: pooled ? packedFor(topology) : undefined,
    requests: options.requests,
    frameCount: frames,
  };
  let run: FinalizedRun;
  let usedWorkers = 0;
  if (!pooled) {
    const prepared = await prepareOpenedJob(job, topology, trajectory);
    try {
      // Chunk states are merged in chunk order as they arrive; only block summaries are kept.
      const merger = new RunMerger(prepared, plan);
      await new InProcessExecutor(prepared).run(plan, { signal: options.signal, onProgress: options.onProgress, onOutcome: (o) => merger.add(o) });
      run = merger.finish();
    } finally {
      await prepared.source.close();
    }
  } else {
    // The workers get their chunks first; this thread sets up its own copy of the analyses
    // (for merging) while they start, and merges the outcomes that arrived meanwhile.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const executor = new PoolExecutor(job, { pool, failChunk: options.failChunk });
    usedWorkers = executor.workers;
    let merger: RunMerger | null = null;
    const early: ChunkOutcome[] = [];
    const running = executor.run(plan, { signal, onProgress: options.onProgress, onOutcome: (o) => (merger ? merger.add(o) : early.push(o)) });
    try {
      const prepared = await prepareOpenedJob(job, topology, trajectory).catch((e: unknown) => {
        stop.abort(); // a bad selection: the workers fail the same way, do not wait for them
        throw e;
      });
      await prepared.source.close(); // the workers read the frames
      merger = new RunMerger(prepared, plan);
      for (const o of early.splice(0)) merger.add(o);
      await running;
      run = merger.finish();
    } finally {
      await running.catch(() => {});
    }
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
