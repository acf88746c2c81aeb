import * as Comlink from 'comlink';
import {
  errorFromJSON,
  planChunks,
  rangeLength,
  resolveRange,
  type AnalysisRequest,
  type FinalizedRun,
  type Frame,
  type PlanOptions,
  type Progress,
  type SolvscopeError,
} from '@solvscope/core';
import { ComlinkExecutor } from './comlink-executor.js';
import type { SystemRequest } from './open.js';
import { wrapViewerWorker, type OpenProgress, type SystemInfo, type ViewerWorkerApi } from './worker-api.js';

/** Something comlink can talk to that can be shut down: a `Worker`, or a `MessagePort` in tests. */
export type WorkerEndpoint = Comlink.Endpoint & { terminate?(): void; close?(): void };

export interface BrowserSessionOptions {
  /**
   * Start one worker running `exposeViewerWorker()`. In a Vite app:
   * `() => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`.
   */
  createWorker: () => WorkerEndpoint;
  /** Analysis workers (default: `navigator.hardwareConcurrency`, at least 1). */
  workers?: number;
  onOpenProgress?: (p: OpenProgress) => void;
}

export interface AnalyzeOptions extends PlanOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
}

export interface BrowserRunResult extends FinalizedRun {
  /** Errors of failed chunks, rebuilt with their class and context. */
  errors: SolvscopeError[];
  chunks: number;
  workers: number;
}

function defaultWorkers(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return Math.max(1, Math.min(16, n ?? 2));
}

/**
 * The main-thread side of the browser runtime: one worker opens the system (frame index scan
 * off the main thread) and serves frames on demand; a pool of analysis workers (created on the
 * first `analyze`) runs the core analyses chunk by chunk through {@link ComlinkExecutor}.
 */
export class BrowserSession {
  private pool: { ep: WorkerEndpoint; api: Comlink.Remote<ViewerWorkerApi> }[] | null = null;

  private constructor(
    readonly request: SystemRequest,
    readonly info: SystemInfo,
    private readonly viewer: { ep: WorkerEndpoint; api: Comlink.Remote<ViewerWorkerApi> },
    private readonly options: BrowserSessionOptions,
  ) {}

  /**
   * Open topology + trajectory in a new worker.
   * @throws FormatError / SourceError from the readers, with file, format, frame and byte context.
   */
  static async open(request: SystemRequest, options: BrowserSessionOptions): Promise<BrowserSession> {
    const ep = options.createWorker();
    const api = wrapViewerWorker(ep);
    try {
      const info = await api.open(request, options.onOpenProgress ? Comlink.proxy(options.onOpenProgress) : undefined);
      return new BrowserSession(request, info, { ep, api }, options);
    } catch (e) {
      shutdown(ep);
      throw e;
    }
  }

  /** Frame i (0-based): positions Å, box Å, time ps; read on demand through the index. */
  readFrame(i: number): Promise<Frame> {
    return this.viewer.api.readFrame(i);
  }

  /** Number of analysis workers (they start on the first analyze). */
  get workerCount(): number {
    return this.options.workers ?? defaultWorkers();
  }

  private workers() {
    this.pool ??= Array.from({ length: this.workerCount }, () => {
      const ep = this.options.createWorker();
      return { ep, api: wrapViewerWorker(ep) };
    });
    return this.pool.map((w) => w.api);
  }

  /**
   * Run analyses over the trajectory in the worker pool and finalize them. The chunk plan
   * depends only on the trajectory and `options` (never on the worker count), so results are
   * identical to an in-process run of the same requests.
   * @throws AbortError when `options.signal` fires; OptionError for bad specs.
   */
  async analyze(requests: AnalysisRequest[], options: AnalyzeOptions = {}): Promise<BrowserRunResult> {
    const r = resolveRange(options, this.info.frameCount);
    const plan = planChunks(this.info.frameCount, { ...options, ...r });
    const job = { system: { ...this.request, index: this.info.index }, requests, frameCount: rangeLength(r) };
    const workers = this.workers();
    const ex = new ComlinkExecutor(job, workers);
    try {
      // states are merged in a worker as they arrive: memory does not grow with the run
      const run = await ex.runMerged(plan, { signal: options.signal, onProgress: options.onProgress });
      return { ...run, errors: run.failures.map((f) => errorFromJSON(f.error)), chunks: plan.length, workers: workers.length };
    } finally {
      await ex.close();
    }
  }

  /** Stop every worker of this session. */
  async close(): Promise<void> {
    const all = [this.viewer, ...(this.pool ?? [])];
    await Promise.all(all.map((w) => w.api.close().catch(() => undefined)));
    for (const w of all) {
      w.api[Comlink.releaseProxy]();
      shutdown(w.ep);
    }
    this.pool = null;
  }
}

function shutdown(ep: WorkerEndpoint): void {
  if (typeof ep.terminate === 'function') ep.terminate();
  else if (typeof ep.close === 'function') ep.close();
}
