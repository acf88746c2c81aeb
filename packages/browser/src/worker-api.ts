import * as Comlink from 'comlink';
import {
  AbortError,
  SolvscopeError,
  accumulateChunk,
  defaultAnalyses,
  finalizeRun,
  RunMerger,
  serializeError,
  prepareJob,
  stateTransferables,
  type AnalysisRegistry,
  type AnalysisRequest,
  type Chunk,
  type ChunkOutcome,
  type FinalizedRun,
  type Frame,
  type FrameIndex,
  type FrameSource,
  type PreparedJob,
  type SerializedError,
  type Topology,
} from '@solvscope/core';
import { registerErrorTransfer } from './error-transfer.js';
import { openBrowserSystem, type SystemRequest } from './open.js';

/** Index-scan progress of {@link ViewerWorkerApi.open}. */
export interface OpenProgress {
  bytesScanned: number;
  totalBytes: number;
}

/** What {@link ViewerWorkerApi.open} returns: plain data, cloned to the main thread. */
export interface SystemInfo {
  topology: Topology;
  topologySource: string;
  /** Registry name of the trajectory format, e.g. 'xtc'. */
  format: string;
  trajectoryName: string;
  atomCount: number;
  frameCount: number;
  /** The frame index, to hand to analysis workers so they never rescan. */
  index: FrameIndex;
  /** Truncated or corrupt tail of the trajectory (the frames before it are usable), or null. */
  tailError: SerializedError | null;
  /** Frame 0 (positions Å, box Å, time ps), or null for an empty trajectory. */
  firstFrame: Frame | null;
  /** ps of the last frame (NaN when unknown). */
  lastTimePs: number;
  /** Warnings the readers reported while opening (serialized errors with context). */
  warnings: SerializedError[];
}

/** Everything a worker needs to process chunks of one analysis run, as plain data. */
export interface BrowserJob {
  /** Must carry the frame index from the main open. */
  system: SystemRequest & { index: FrameIndex };
  requests: AnalysisRequest[];
  /** Frames the whole run visits (SystemInfo.frameCount of the analyses). */
  frameCount: number;
}

/**
 * The RPC surface of a solvscope browser worker (comlink). One worker can hold the system opened
 * for viewing (`open`, `readFrame`) and any number of prepared analysis jobs (`prepare`,
 * `runChunk`, `finalize`). Errors are rethrown on the calling side with their class and context.
 */
export interface ViewerWorkerApi {
  /**
   * Open topology + trajectory (building the frame index here, off the main thread) for
   * `readFrame`. Replaces a previously opened system. Cancel with `cancel('open')`.
   */
  open(req: SystemRequest, onProgress?: (p: OpenProgress) => void): Promise<SystemInfo>;
  /** Frame i of the opened system; its buffers are transferred, not copied. */
  readFrame(i: number): Promise<Frame>;
  /** Open the job's files (with the given index, no scan) and set up its analyses. */
  prepare(jobId: string, job: BrowserJob): Promise<void>;
  /**
   * Accumulate one chunk of a prepared job. Never rejects for reader errors: a failed chunk is an
   * outcome with `error`. Rejects with AbortError after `cancel(jobId)`.
   * @param onFrames called with the chunk index and the frames done since the last call
   *   (throttled to ~10 calls per second; calls may arrive after the outcome).
   */
  runChunk(jobId: string, chunk: Chunk, onFrames?: (chunkIndex: number, frames: number) => void): Promise<ChunkOutcome>;
  /** Merge outcomes in chunk order and finalize (the same code as `finalizeRun` in process). */
  finalize(jobId: string, outcomes: ChunkOutcome[]): Promise<FinalizedRun>;
  /**
   * Incremental merge for long runs: `mergeBegin` with the plan, `mergeAdd` each outcome as it
   * arrives (any order; merged in chunk order, only block summaries kept), `mergeFinish` to
   * finalize. Memory stays bounded however many chunks the run has.
   */
  mergeBegin(jobId: string, plan: Chunk[]): Promise<void>;
  mergeAdd(jobId: string, outcome: ChunkOutcome): Promise<void>;
  mergeFinish(jobId: string): Promise<FinalizedRun>;
  /** Abort `open` ('open') or a job's running chunks. */
  cancel(id: string): void;
  /** Close a job's files. */
  release(jobId: string): Promise<void>;
  /** Close everything this worker holds. */
  close(): Promise<void>;
}

interface JobEntry {
  prepared: Promise<PreparedJob>;
  abort: AbortController;
  merger?: Promise<RunMerger>;
}

/**
 * Build the worker API object (exposed by {@link exposeViewerWorker}; tests expose it on a
 * MessageChannel port).
 * @param registry analyses by id (default: core's `defaultAnalyses`).
 */
export function createViewerWorkerApi(registry: AnalysisRegistry = defaultAnalyses): ViewerWorkerApi {
  let viewed: FrameSource | null = null;
  let openAbort: AbortController | null = null;
  const jobs = new Map<string, JobEntry>();

  const jobOf = (jobId: string): JobEntry => {
    const j = jobs.get(jobId);
    if (!j) throw new SolvscopeError('INTERNAL', `job ${jobId} was not prepared in this worker`);
    return j;
  };

  return {
    async open(req, onProgress) {
      openAbort?.abort();
      const abort = new AbortController();
      openAbort = abort;
      if (viewed) {
        await viewed.close();
        viewed = null;
      }
      let last = 0;
      const warnings: SerializedError[] = [];
      const sys = await openBrowserSystem(req, {
        signal: abort.signal,
        onWarning: (w) => warnings.push(serializeError(w)),
        onScanProgress: (bytesScanned, totalBytes) => {
          if (abort.signal.aborted) throw new AbortError('ABORTED', 'opening was cancelled', { file: req.trajectory.name });
          const now = Date.now();
          if (onProgress && now - last > 100) {
            last = now;
            void onProgress({ bytesScanned, totalBytes });
          }
        },
      });
      if (abort.signal.aborted) {
        await sys.trajectory.close();
        throw new AbortError('ABORTED', 'opening was cancelled', { file: req.trajectory.name });
      }
      viewed = sys.trajectory;
      const t = sys.trajectory;
      // the final report is awaited, so it reaches the caller before the result does
      if (onProgress) await onProgress({ bytesScanned: t.index.fileSize, totalBytes: t.index.fileSize });
      const firstFrame = t.frameCount > 0 ? await t.readFrame(0) : null;
      const lastTimePs = t.frameCount > 1 ? (await t.readFrame(t.frameCount - 1)).time : (firstFrame?.time ?? NaN);
      const info: SystemInfo = {
        topology: sys.topology,
        topologySource: sys.topologySource,
        format: t.format,
        trajectoryName: t.name,
        atomCount: t.atomCount,
        frameCount: t.frameCount,
        index: t.index,
        tailError: t.tailError ? serializeError(t.tailError) : null,
        firstFrame,
        lastTimePs,
        warnings,
      };
      return info;
    },

    async readFrame(i) {
      if (!viewed) throw new SolvscopeError('INTERNAL', 'readFrame before open');
      const f = await viewed.readFrame(i);
      const transfer: ArrayBuffer[] = [f.positions.buffer as ArrayBuffer];
      if (f.velocities) transfer.push(f.velocities.buffer as ArrayBuffer);
      if (f.forces) transfer.push(f.forces.buffer as ArrayBuffer);
      return Comlink.transfer(f, transfer);
    },

    async prepare(jobId, job) {
      if (jobs.has(jobId)) {
        await jobs.get(jobId)!.prepared;
        return;
      }
      const abort = new AbortController();
      const prepared = (async (): Promise<PreparedJob> => {
        const { topology, trajectory } = await openBrowserSystem(job.system, { signal: abort.signal });
        return prepareJob(trajectory, topology, job.requests, job.frameCount, registry);
      })();
      jobs.set(jobId, { prepared, abort });
      try {
        await prepared;
      } catch (e) {
        jobs.delete(jobId);
        throw e;
      }
    },

    async runChunk(jobId, chunk, onFrames) {
      const entry = jobOf(jobId);
      const job = await entry.prepared;
      let pending = 0;
      let last = Date.now();
      const flush = () => {
        if (pending && onFrames) void onFrames(chunk.index, pending);
        pending = 0;
      };
      try {
        const outcome = await accumulateChunk(job, chunk, entry.abort.signal, () => {
          pending++;
          const now = Date.now();
          if (now - last > 100) {
            last = now;
            flush();
          }
        });
        flush();
        return Comlink.transfer(outcome, stateTransferables(outcome.states));
      } catch (e) {
        if (e instanceof AbortError || entry.abort.signal.aborted) throw e instanceof AbortError ? e : new AbortError('ABORTED', 'the analysis was cancelled', { file: job.source.name });
        const outcome: ChunkOutcome = { chunk, frames: 0, error: serializeError(e) };
        return outcome;
      }
    },

    async finalize(jobId, outcomes) {
      const job = await jobOf(jobId).prepared;
      return finalizeRun(job, outcomes);
    },

    async mergeBegin(jobId, plan) {
      const entry = jobOf(jobId);
      entry.merger = entry.prepared.then((job) => new RunMerger(job, plan));
      await entry.merger;
    },

    async mergeAdd(jobId, outcome) {
      const merger = jobOf(jobId).merger;
      if (!merger) throw new SolvscopeError('INTERNAL', `mergeAdd before mergeBegin for job ${jobId}`);
      (await merger).add(outcome);
    },

    async mergeFinish(jobId) {
      const entry = jobOf(jobId);
      if (!entry.merger) throw new SolvscopeError('INTERNAL', `mergeFinish before mergeBegin for job ${jobId}`);
      const run = (await entry.merger).finish();
      entry.merger = undefined;
      return run;
    },

    cancel(id) {
      if (id === 'open') openAbort?.abort();
      else jobs.get(id)?.abort.abort();
    },

    async release(jobId) {
      const entry = jobs.get(jobId);
      if (!entry) return;
      jobs.delete(jobId);
      entry.abort.abort();
      try {
        await (await entry.prepared).source.close();
      } catch {
        // a job that failed to prepare holds no files
      }
    },

    async close() {
      openAbort?.abort();
      if (viewed) await viewed.close();
      viewed = null;
      for (const id of [...jobs.keys()]) await this.release(id);
    },
  };
}

/**
 * Worker entry: expose the viewer worker API on `endpoint` (default: the worker's global scope).
 * A module worker needs only:
 *
 *     import { exposeViewerWorker } from '@solvscope/browser';
 *     exposeViewerWorker();
 */
export function exposeViewerWorker(endpoint?: Comlink.Endpoint, registry?: AnalysisRegistry): ViewerWorkerApi {
  registerErrorTransfer();
  const api = createViewerWorkerApi(registry);
  Comlink.expose(api, endpoint ?? (globalThis as unknown as Comlink.Endpoint));
  return api;
}

/** Wrap a worker (or any comlink endpoint) running {@link exposeViewerWorker}. */
export function wrapViewerWorker(endpoint: Comlink.Endpoint): Comlink.Remote<ViewerWorkerApi> {
  registerErrorTransfer();
  return Comlink.wrap<ViewerWorkerApi>(endpoint);
}
