import * as Comlink from 'comlink';
import {
  AbortError,
  OptionError,
  ProgressTracker,
  SolvscopeError,
  chunkLength,
  serializeError,
  stateTransferables,
  type Chunk,
  type ChunkOutcome,
  type Executor,
  type RunOptions,
} from '@solvscope/core';
import type { BrowserJob, ViewerWorkerApi } from './worker-api.js';

let nextJob = 0;

/** A fresh job id, unique within this page. */
export function newJobId(): string {
  return `job-${Date.now().toString(36)}-${(nextJob++).toString(36)}`;
}

/**
 * Runs the chunks of a job on a set of comlink workers (module Workers in the browser, any
 * comlink endpoint in tests). Each worker opens the job's Blobs itself (with the frame index
 * built once by the main open), so trajectory bytes never travel between threads; workers pull
 * chunks from one queue, and outcomes come back sorted by chunk index, so merging them gives
 * exactly the in-process result whatever the number of workers.
 *
 * A chunk whose reader fails becomes an outcome with `error` (the others are kept). A worker
 * whose call fails outright (it died) is retired and its chunk goes to another worker once; with
 * no worker left, the remaining chunks become failed outcomes. Aborting the signal cancels every worker's
 * chunk and rejects with AbortError.
 */
export class ComlinkExecutor implements Executor {
  readonly jobId: string;
  private prepared: Promise<void>[] | null = null;

  /**
   * @param workers remotes of workers running `exposeViewerWorker()`; at least one.
   * @throws OptionError when `workers` is empty.
   */
  constructor(
    private readonly job: BrowserJob,
    private readonly workers: readonly Comlink.Remote<ViewerWorkerApi>[],
    jobId: string = newJobId(),
  ) {
    if (workers.length < 1) throw new OptionError('OPTION', 'ComlinkExecutor needs at least one worker', { option: 'workers' });
    this.jobId = jobId;
  }

  /** Open the files and set up the analyses in every worker (done by `run` when not called before). */
  prepare(): Promise<void[]> {
    this.prepared ??= this.workers.map((w) => w.prepare(this.jobId, this.job));
    return Promise.all(this.prepared);
  }

  async run(plan: Chunk[], options: RunOptions = {}): Promise<ChunkOutcome[]> {
    const { signal } = options;
    const file = this.job.system.trajectory.name;
    if (signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file });
    const total = plan.reduce((s, c) => s + chunkLength(c), 0);
    const progress = new ProgressTracker(total, plan.length, options.onProgress);
    // Frames are reported by the workers while a chunk runs (throttled, possibly late); the
    // count is settled exactly when the chunk's outcome arrives.
    const partial = new Map<number, number>();
    const onFrames = Comlink.proxy((chunkIndex: number, n: number) => {
      if (!partial.has(chunkIndex)) return;
      partial.set(chunkIndex, partial.get(chunkIndex)! + n);
      progress.frame(n);
    });
    const settle = (o: ChunkOutcome) => {
      const reported = partial.get(o.chunk.index) ?? 0;
      partial.delete(o.chunk.index);
      if (o.frames > reported) progress.frame(o.frames - reported);
      progress.chunk();
      if (options.onOutcome) {
        // the caller takes the states (e.g. merges them at once): keep only the summary
        options.onOutcome(o);
        out.push({ chunk: o.chunk, frames: o.frames, error: o.error });
      } else out.push(o);
    };
    const queue = [...plan];
    const tries = new Map<number, number>();
    const out: ChunkOutcome[] = [];
    let aborted = false;
    let alive = this.workers.length;
    const onAbort = () => {
      aborted = true;
      for (const w of this.workers) void w.cancel(this.jobId);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await this.prepare();
      let inflight = 0;
      let wake: () => void = () => {};
      let changed = new Promise<void>((r) => (wake = r));
      const notify = () => {
        const w = wake;
        changed = new Promise<void>((r) => (wake = r));
        w();
      };
      const lanes = this.workers.map(async (w) => {
        while (!aborted) {
          const chunk = queue.shift();
          if (!chunk) {
            // another lane's chunk may still come back to the queue if its worker dies
            if (inflight === 0) return;
            await changed;
            continue;
          }
          partial.set(chunk.index, 0);
          inflight++;
          try {
            settle(await w.runChunk(this.jobId, chunk, onFrames));
          } catch (e) {
            if (aborted || e instanceof AbortError) {
              aborted = true;
              return;
            }
            // The worker itself failed (it died, or could not answer). Retire it and give the
            // chunk to another worker once; a chunk that fails twice is reported as failed.
            const n = (tries.get(chunk.index) ?? 0) + 1;
            tries.set(chunk.index, n);
            alive--;
            partial.delete(chunk.index);
            if (n < 2 && alive > 0) {
              queue.push(chunk);
            } else {
              const why = e instanceof Error ? e.message : String(e);
              const err = new SolvscopeError('INTERNAL', `worker failed while reading frames ${chunk.start}..${chunk.stop - 1}: ${why}`, { file, frame: chunk.start });
              settle({ chunk, frames: 0, error: serializeError(err) });
            }
            if (alive === 0) {
              for (let c = queue.shift(); c; c = queue.shift()) {
                const err = new SolvscopeError('INTERNAL', `no worker left to read frames ${c.start}..${c.stop - 1}`, { file, frame: c.start });
                settle({ chunk: c, frames: 0, error: serializeError(err) });
              }
            }
            return;
          } finally {
            inflight--;
            notify();
          }
        }
      });
      await Promise.all(lanes);
      if (aborted || signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file });
      return out.sort((a, b) => a.chunk.index - b.chunk.index);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Merge and finalize the outcomes in the first worker (which has the analyses set up). */
  finalize(outcomes: ChunkOutcome[]) {
    return this.workers[0].finalize(this.jobId, outcomes);
  }

  /**
   * Run and finalize with bounded memory: each chunk's state goes on (transferred) to the first
   * worker as soon as it arrives and is merged there in chunk order, keeping only block
   * summaries; this thread never holds more than the states in transit. Same result as
   * `finalize(await run(plan))`.
   */
  async runMerged(plan: Chunk[], options: RunOptions = {}) {
    const merger = this.workers[0];
    await this.prepare();
    await merger.mergeBegin(this.jobId, plan);
    let chain: Promise<void> = Promise.resolve();
    let mergeError: unknown = null;
    await this.run(plan, {
      ...options,
      onOutcome: (o) => {
        const send = o.states ? Comlink.transfer(o, stateTransferables(o.states)) : o;
        chain = chain.then(() => merger.mergeAdd(this.jobId, send)).catch((e) => void (mergeError ??= e));
      },
    });
    await chain;
    if (mergeError) throw mergeError;
    return merger.mergeFinish(this.jobId);
  }

  /** Close the job's files in every worker (the workers themselves stay up). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.release(this.jobId).catch(() => undefined)));
  }
}
