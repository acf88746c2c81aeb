import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { Piscina } from 'piscina';
import {
  AbortError,
  OptionError,
  ProgressTracker,
  SolvscopeError,
  chunkLength,
  type Chunk,
  type ChunkOutcome,
  type Executor,
  type RunOptions,
} from '@solvscope/core';
import type { NodeJob } from './job.js';
import type { WorkerTask } from './worker.js';

/** The compiled worker entry: beside this file in dist/, or dist/ when running from src/. */
function workerFile(): string {
  for (const rel of ['./worker.js', '../dist/worker.js']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new SolvscopeError('INTERNAL', 'the worker entry dist/worker.js is missing: run the build (npm run setup) first');
}

export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--conditions' || a === '-C') {
      i++;
      continue;
    }
    if (a.startsWith('--conditions=') || a.startsWith('-C=')) continue;
    out.push(a);
  }
  return out;
}

/** Chunks handed to the pool per worker at a time (one running, one queued). */
const IN_FLIGHT_PER_WORKER = 2;

/** Default worker count: the cores Node may use. */
export function defaultWorkerCount(): number {
  return Math.max(1, availableParallelism());
}

export interface WorkerPoolOptions {
  /** Worker threads (default: available cores). */
  workers?: number;
  /** Node options for the workers (default: this process's, see {@link workerExecArgv}). */
  execArgv?: string[];
}

/**
 * Flags of `argv` that Node refuses for worker threads (per-process options such as
 * --max-old-space-size, --expose-gc, --stack-size): found by asking Node, since the list
 * depends on its version. V8 flags among them already apply to every isolate of the process.
 */
function invalidForWorkers(e: unknown): string[] | null {
  const err = e as { code?: string; message?: string };
  if (err?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || !err.message) return null;
  const list = err.message.split(':').slice(1).join(':');
  return list
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/**
 * A piscina pool of solvscope workers that outlives one run: `analyze` uses one pool for its
 * auto-cutoff pass and its full pass, so threads start (and load the code) once.
 */
export class WorkerPool {
  readonly piscina!: Piscina;
  readonly workers: number;

  constructor(options: WorkerPoolOptions = {}) {
    const n = options.workers ?? defaultWorkerCount();
    if (!Number.isInteger(n) || n < 1) throw new OptionError('OPTION', `--workers must be a positive integer (got ${n})`, { option: '--workers' });
    this.workers = n;
    // Workers always run the compiled dist/ code: drop export-condition flags (e.g. the
    // 'source' condition a test runner adds) that would point them at TypeScript sources.
    let execArgv = workerExecArgv(options.execArgv ?? process.execArgv);
    for (let attempt = 0; ; attempt++) {
      try {
        this.piscina = new Piscina({ filename: workerFile(), minThreads: n, maxThreads: n, idleTimeout: 60_000, concurrentTasksPerWorker: 1, execArgv });
        break;
      } catch (e) {
        // `node --max-old-space-size=… solvscope …`: keep the flags workers accept
        const bad = invalidForWorkers(e);
        if (!bad || attempt > 0) throw e;
        execArgv = execArgv.filter((a) => !bad.includes(a));
      }
    }
    this.execArgv = execArgv;
  }

  /** The Node options the workers run with. */
  readonly execArgv: string[];

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}

/**
 * Atoms × frames below which a run with the default worker count goes in this thread: there
 * starting the workers (each boots, loads the code, prepares the job and runs its first frames
 * unoptimised) costs more wall time than splitting the frames saves. Measured on 2 cores
 * (bench/README.md, "Short runs", bench/pipelines/short-runs.mjs), 2 workers ÷ this thread in
 * wall time: 1.06 (rdf) and 1.20 (analyze) at 110k atoms × 200 frames (22 M), 0.96 and 0.95 at
 * 400 frames (44 M), 0.70 and 0.79 at 1000 frames; the bundled examples (< 1 M) 1.6–1.8. The
 * break-even W satisfies W·(1 − c/n) = O (O: the pool's fixed cost, c ≈ 1.1: a worker's frame
 * costs a little more than this thread's), so it falls with the core count n: 35 M on 2 cores,
 * 22 M on 4, 18 M on 8. With one core a worker never pays.
 */
export function pooledRunThreshold(cores: number): number {
  if (cores < 2) return Infinity;
  return (35e6 * (1 - 1.1 / 2)) / (1 - 1.1 / cores);
}

/**
 * Where a run goes: the caller's pool (`options.pool`, left open), a pool of its own (closed
 * by {@link close}), or this thread (`workers: 0`). With `workers` given, the pool is created
 * at once, so its threads start and load their code while the caller reads the topology; with
 * `workers` left to the default, {@link forRun} decides once the size of the run is known
 * (see {@link pooledRunThreshold}) and then creates a pool of one worker per core.
 */
export class PoolChoice {
  private own: WorkerPool | undefined;
  private decided: WorkerPool | undefined | null = null;

  constructor(private readonly options: { workers?: number; pool?: WorkerPool }) {
    if (options.workers === 0) this.decided = undefined;
    else if (options.pool) this.decided = options.pool;
    else if (options.workers !== undefined) this.decided = this.own = new WorkerPool({ workers: options.workers });
  }

  /** The pool for a run over `atomFrames` atoms × frames (the first call decides), or undefined for this thread. */
  forRun(atomFrames: number): WorkerPool | undefined {
    if (this.decided !== null) return this.decided;
    const cores = defaultWorkerCount();
    this.decided = atomFrames < pooledRunThreshold(cores) ? undefined : (this.own = new WorkerPool({ workers: cores }));
    return this.decided;
  }

  async close(): Promise<void> {
    await this.own?.close();
  }
}

/** Run `fn` with a {@link PoolChoice} for `options`, closing a pool it created afterwards. */
export async function withPoolChoice<T>(options: { workers?: number; pool?: WorkerPool }, fn: (choice: PoolChoice) => Promise<T>): Promise<T> {
  const choice = new PoolChoice(options);
  try {
    return await fn(choice);
  } finally {
    await choice.close();
  }
}

export interface PoolExecutorOptions extends WorkerPoolOptions {
  /** Run on this pool (not closed by {@link PoolExecutor.close}); default: a pool of its own. */
  pool?: WorkerPool;
  /** Test hook, forwarded to the worker. */
  failChunk?: WorkerTask['failChunk'];
}

/**
 * Runs chunks of a job on a piscina pool. Each worker opens the trajectory itself (with the
 * main thread's frame index and topology, sent once through shared memory) and returns the
 * merged state of its chunk as transferable buffers; outcomes come back in chunk order, so the
 * merge is the same as in process, whatever the number of workers. A chunk whose worker throws
 * or dies becomes a failed outcome naming the file and frame range; the others are kept.
 * Aborting terminates the workers promptly.
 */
export class PoolExecutor implements Executor {
  private readonly pool: WorkerPool;
  private readonly ownsPool: boolean;
  private readonly jobId = randomUUID();
  readonly workers: number;

  constructor(
    private readonly job: NodeJob,
    private readonly options: PoolExecutorOptions = {},
  ) {
    this.ownsPool = !options.pool;
    this.pool = options.pool ?? new WorkerPool(options);
    this.workers = this.pool.workers;
  }

  async run(plan: Chunk[], options: RunOptions = {}): Promise<ChunkOutcome[]> {
    const total = plan.reduce((s, c) => s + chunkLength(c), 0);
    const progress = new ProgressTracker(total, plan.length, options.onProgress);
    const signal = options.signal;
    if (signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file: this.job.traj });
    // a signal of this run's own, linked to the caller's, that may carry one listener per queued task
    const inner = signal ? AbortSignal.any([signal]) : new AbortController().signal;
    setMaxListeners(0, inner);
    const runOne = async (chunk: Chunk): Promise<ChunkOutcome> => {
      const task: WorkerTask = { jobId: this.jobId, job: this.job, chunk, failChunk: this.options.failChunk };
      try {
        const out = (await this.pool.piscina.run(task, { signal: inner })) as ChunkOutcome;
        progress.frame(out.frames);
        progress.chunk();
        if (!options.onOutcome) return out;
        options.onOutcome(out);
        return { chunk: out.chunk, frames: out.frames, error: out.error };
      } catch (e) {
        if (inner.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file: this.job.traj });
        const msg = e instanceof Error ? e.message : String(e);
        const at = this.partOf(chunk.start);
        const range = `frames ${chunk.start}..${chunk.stop - 1}${this.job.parts ? ` of the run (from this file's frame ${at.frame})` : ''}`;
        const err = new SolvscopeError('INTERNAL', `worker died while reading ${range}: ${msg}`, at);
        const failed: ChunkOutcome = { chunk, frames: 0, error: err.toJSON() };
        options.onOutcome?.(failed);
        return failed;
      }
    };
    // Hand chunks to the pool in plan order through a sliding window of W = 2 × workers
    // chunks. Queuing the whole plan at once let the pool start chunks far out of order, and
    // every chunk finished ahead of a late one waited, whole, in the in-order merge: memory
    // grew with the trajectory length (analyze at 110k atoms: +17 MB per 1000 frames).
    const W = Math.max(1, IN_FLIGHT_PER_WORKER * this.workers);
    const results: ChunkOutcome[] = [];
    // finished[k] resolves when chunk k is done (or the run is aborted)
    const release: (() => void)[] = [];
    const finished = plan.map((_c, k) => new Promise<void>((r) => (release[k] = r)));
    // upTo[k] resolves when chunks 0..k have all finished
    const upTo: Promise<unknown>[] = [];
    finished.forEach((f, k) => (upTo[k] = k === 0 ? f : Promise.all([upTo[k - 1], f])));
    inner.addEventListener('abort', () => release.forEach((r) => r()), { once: true });
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < plan.length && !inner.aborted) {
        const k = next++;
        // chunk k starts only once chunks 0..k − W have all finished, so the unfinished
        // chunks always lie within W consecutive ones and at most W − 1 finished chunks wait
        // for an earlier one in the in-order merge
        if (k >= W) await upTo[k - W];
        if (inner.aborted) break;
        try {
          results[k] = await runOne(plan[k]); // throws only when aborted
        } finally {
          release[k]();
        }
      }
    };
    const lanes = Array.from({ length: W }, lane);
    const settled = await Promise.allSettled(lanes);
    const aborted = settled.find((x) => x.status === 'rejected');
    if (aborted) throw (aborted as PromiseRejectedResult).reason;
    if (inner.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file: this.job.traj });
    return results;
  }

  /** The file holding frame `frame` of the run, and the frame's number in it. */
  private partOf(frame: number): { file: string; frame: number } {
    let first = 0;
    for (const p of this.job.parts ?? []) {
      const n = p.index.offsets.length - 1;
      if (frame < first + n) return { file: p.traj, frame: frame - first };
      first += n;
    }
    return { file: this.job.traj, frame };
  }

  /** Close the pool if this executor made it. */
  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.close();
  }
}

