import { OptionError } from '../errors.js';

/** A fixed run of frames processed as one unit (one worker task, one error-bar block). */
export interface Chunk {
  /** 0-based chunk number; states are merged in this order. */
  index: number;
  /** First frame (file frame number). */
  start: number;
  /** End (exclusive). */
  stop: number;
  step: number;
}

export interface PlanOptions {
  start?: number;
  stop?: number;
  step?: number;
  /** Frames per chunk; default chooses so that there are ~20 chunks, between 1 and 256 frames each. */
  chunkFrames?: number;
}

/** Default number of chunks aimed for: enough blocks for block-averaged error bars. */
export const TARGET_CHUNKS = 20;
export const MAX_CHUNK_FRAMES = 256;

/**
 * Split the visited frames into chunks. The plan depends only on the trajectory length and
 * the options — never on the number of threads — so every executor merges the same chunk
 * states in the same order and results are identical however many workers run.
 */
export function planChunks(frameCount: number, options: PlanOptions = {}): Chunk[] {
  const step = options.step ?? 1;
  if (!Number.isInteger(step) || step < 1) throw new OptionError('OPTION', `step must be a positive integer (got ${step})`, { option: 'step' });
  const start = Math.max(0, Math.min(frameCount, options.start ?? 0));
  const stop = Math.max(start, Math.min(frameCount, options.stop ?? frameCount));
  const visited = Math.ceil((stop - start) / step);
  if (visited <= 0) return [];
  let per = options.chunkFrames;
  if (per === undefined) per = Math.min(MAX_CHUNK_FRAMES, Math.max(1, Math.ceil(visited / TARGET_CHUNKS)));
  if (!Number.isInteger(per) || per < 1) throw new OptionError('OPTION', `chunkFrames must be a positive integer (got ${per})`, { option: 'chunkFrames' });
  const chunks: Chunk[] = [];
  for (let k = 0; k * per < visited; k++) {
    const a = start + k * per * step;
    const b = Math.min(stop, start + (k + 1) * per * step);
    chunks.push({ index: k, start: a, stop: b, step });
  }
  return chunks;
}

/** Number of frames a chunk visits. */
export function chunkLength(c: Chunk): number {
  return Math.max(0, Math.ceil((c.stop - c.start) / c.step));
}
