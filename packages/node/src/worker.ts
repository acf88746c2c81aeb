/**
 * Piscina worker entry: rebuild the job from plain JSON (once per job per worker), accumulate
 * one chunk, and return the states with their buffers transferred. Errors are returned as
 * serialized SolvscopeErrors so the main thread rebuilds the right class with its context.
 */
import { Piscina } from 'piscina';
import { accumulateChunk, serializeError, stateTransferables, type Chunk, type PreparedJob } from '@solvscope/core';
import { prepareNodeJob, type NodeJob } from './job.js';

export interface WorkerTask {
  jobId: string;
  job: NodeJob;
  chunk: Chunk;
  /** Test hook: make this chunk fail ('throw') or kill the worker thread ('exit'). */
  failChunk?: { index: number; how: 'throw' | 'exit' };
}

const jobs = new Map<string, Promise<PreparedJob>>();

export default async function runChunk(task: WorkerTask) {
  if (task.failChunk && task.failChunk.index === task.chunk.index) {
    if (task.failChunk.how === 'exit') process.exit(3);
    throw new Error(`deliberate failure in chunk ${task.chunk.index}`);
  }
  try {
    let p = jobs.get(task.jobId);
    if (!p) {
      for (const [id, old] of jobs) {
        jobs.delete(id);
        old.then((j) => j.source.close()).catch(() => {});
      }
      p = prepareNodeJob(task.job);
      jobs.set(task.jobId, p);
    }
    const job = await p;
    const outcome = await accumulateChunk(job, task.chunk);
    const transfer = stateTransferables(outcome.states);
    if (transfer.length === 0) return outcome;
    return Piscina.move({
      get [Piscina.transferableSymbol]() {
        return transfer;
      },
      get [Piscina.valueSymbol]() {
        return outcome;
      },
    } as never) as unknown;
  } catch (e) {
    return { chunk: task.chunk, frames: 0, error: serializeError(e) };
  }
}
