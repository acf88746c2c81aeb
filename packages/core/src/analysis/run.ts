import { AbortError, SolvscopeError, serializeError, type SerializedError } from '../errors.js';
import type { FrameSource } from '../frame-source.js';
import { createFrameScratch, resetFrameScratch, type FrameScratch, type AnalysisState, type AnyAnalysis, type SystemInfo } from './analysis.js';
import { chunkLength, type Chunk } from './plan.js';

/** One analysis of a run, as plain JSON (crosses threads). `key` names it in the report. */
export interface AnalysisRequest {
  id: string;
  key?: string;
  spec: unknown;
}

/** Analyses by id; workers rebuild analyses from their ids through this. */
export type AnalysisRegistry = Readonly<Record<string, AnyAnalysis>>;

/** A job prepared in one thread: open source, system, analyses with their contexts. */
export interface PreparedJob {
  source: FrameSource;
  system: SystemInfo;
  analyses: { request: AnalysisRequest; def: AnyAnalysis; ctx: unknown }[];
}

/** Set up every requested analysis against a system. @throws OptionError for unknown ids. */
export function setupAnalyses(registry: AnalysisRegistry, requests: AnalysisRequest[], system: SystemInfo): PreparedJob['analyses'] {
  return requests.map((request) => {
    const def = registry[request.id];
    if (!def) {
      throw new SolvscopeError('OPTION', `unknown analysis '${request.id}' (known: ${Object.keys(registry).sort().join(', ')})`, { option: 'analysis' });
    }
    return { request, def, ctx: def.setup(request.spec, system) };
  });
}

/**
 * Set up a job's analyses on a system already opened: reads frame 0 for the box kind, then
 * `setupAnalyses`. The source belongs to the result; it is closed if setting up fails. The same
 * code in process, in Node workers and in browser workers.
 */
export async function prepareJob(
  source: FrameSource,
  topology: SystemInfo['topology'],
  requests: AnalysisRequest[],
  frameCount: number,
  registry: AnalysisRegistry,
): Promise<PreparedJob> {
  try {
    const first = source.frameCount > 0 ? await source.readFrame(0) : null;
    const system = { topology, frameCount, periodic: !!first?.box };
    return { source, system, analyses: setupAnalyses(registry, requests, system) };
  } catch (e) {
    await source.close();
    throw e;
  }
}

export interface ChunkOutcome {
  chunk: Chunk;
  /** One state per analysis, in request order; absent when the chunk failed. */
  states?: AnalysisState[];
  /** Frames accumulated. */
  frames: number;
  error?: SerializedError;
}

export interface Progress {
  framesDone: number;
  framesTotal: number;
  chunksDone: number;
  chunksTotal: number;
  /** Frames per second since the run started. */
  framesPerSecond: number;
  /** Seconds left at the current rate (NaN until known). */
  etaSeconds: number;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /**
   * Receives each outcome as soon as its chunk is done (any order). When given, the executor
   * does not keep the states: the returned outcomes carry only chunk, frames and error.
   */
  onOutcome?: (o: ChunkOutcome) => void;
}

/** Runs chunks of a job somewhere (this thread, a worker pool) and returns outcomes in chunk order. */
export interface Executor {
  run(plan: Chunk[], options?: RunOptions): Promise<ChunkOutcome[]>;
  close?(): Promise<void>;
}

/** The frame scratch of each job in this thread (its `nearWanted` lasts from chunk to chunk). */
const scratches = new WeakMap<PreparedJob, FrameScratch>();

/**
 * Accumulate one chunk: read its frames once and feed every analysis. This is the only code
 * that turns frames into states, in process and in workers alike.
 * @throws AbortError when the signal fires (checked every frame); reader errors propagate with context.
 */
export async function accumulateChunk(job: PreparedJob, chunk: Chunk, signal?: AbortSignal, onFrame?: () => void): Promise<ChunkOutcome> {
  const states = job.analyses.map((a) => a.def.init(a.ctx) as AnalysisState);
  let scratch = scratches.get(job);
  if (!scratch) scratches.set(job, (scratch = createFrameScratch()));
  let frames = 0;
  for await (const frame of job.source.frames({ start: chunk.start, stop: chunk.stop, step: chunk.step, signal })) {
    if (signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file: job.source.name, frame: frame.index });
    resetFrameScratch(scratch);
    for (let k = 0; k < job.analyses.length; k++) {
      const a = job.analyses[k];
      a.def.accumulate(a.ctx, states[k], frame, scratch);
    }
    frames++;
    onFrame?.();
  }
  if (frames !== chunkLength(chunk)) {
    throw new SolvscopeError('INTERNAL', `chunk ${chunk.index} visited ${frames} frames, expected ${chunkLength(chunk)}`, { file: job.source.name, frame: chunk.start });
  }
  for (let k = 0; k < job.analyses.length; k++) job.analyses[k].def.endChunk?.(job.analyses[k].ctx, states[k]);
  return { chunk, states, frames };
}

/** The in-process executor: walks the same plan as the worker pools, one chunk at a time. */
export class InProcessExecutor implements Executor {
  constructor(private readonly job: PreparedJob) {}

  async run(plan: Chunk[], options: RunOptions = {}): Promise<ChunkOutcome[]> {
    const total = plan.reduce((s, c) => s + chunkLength(c), 0);
    const progress = new ProgressTracker(total, plan.length, options.onProgress);
    const out: ChunkOutcome[] = [];
    for (const chunk of plan) {
      if (options.signal?.aborted) throw new AbortError('ABORTED', 'the operation was aborted', { file: this.job.source.name });
      try {
        const o = await accumulateChunk(this.job, chunk, options.signal, () => progress.frame());
        if (options.onOutcome) {
          options.onOutcome(o);
          out.push({ chunk, frames: o.frames });
        } else out.push(o);
        progress.chunk();
      } catch (e) {
        if (e instanceof AbortError) throw e;
        const o: ChunkOutcome = { chunk, frames: 0, error: serializeError(e) };
        options.onOutcome?.(o);
        out.push(o);
        // A reader error poisons the rest of the file only if it is at/after this chunk;
        // later chunks are still attempted (each reads its own byte range).
      }
    }
    return out;
  }
}

/** Throttled progress reporting (at most every 100 ms, plus the final call). */
export class ProgressTracker {
  private framesDone = 0;
  private chunksDone = 0;
  private readonly t0 = Date.now();
  private last = 0;
  constructor(
    private readonly framesTotal: number,
    private readonly chunksTotal: number,
    private readonly cb?: (p: Progress) => void,
  ) {}
  frame(n = 1): void {
    this.framesDone += n;
    this.emit(false);
  }
  chunk(): void {
    this.chunksDone++;
    this.emit(this.chunksDone === this.chunksTotal);
  }
  private emit(force: boolean): void {
    if (!this.cb) return;
    const now = Date.now();
    if (!force && now - this.last < 100) return;
    this.last = now;
    const dt = (now - this.t0) / 1000;
    const fps = dt > 0 ? this.framesDone / dt : 0;
    this.cb({
      framesDone: this.framesDone,
      framesTotal: this.framesTotal,
      chunksDone: this.chunksDone,
      chunksTotal: this.chunksTotal,
      framesPerSecond: fps,
      etaSeconds: fps > 0 ? (this.framesTotal - this.framesDone) / fps : NaN,
    });
  }
}

/** Result of one analysis after merging and finalizing. */
export interface FinalizedRun {
  /** Results in request order. */
  results: unknown[];
  /** Frames that contributed. */
  frames: number;
  /** Chunks that failed, with their errors; results cover the other chunks. */
  failures: { chunk: Chunk; error: SerializedError }[];
  /** [start, stop) frame ranges covered by successful chunks. */
  covered: [number, number][];
}

/**
 * Merges chunk outcomes in chunk order as they arrive (out-of-order ones wait until their
 * predecessors are in), keeping per chunk only each analysis' {@link Analysis.blockState}, so a
 * run holds one merged state plus small block summaries instead of every chunk state.
 */
export class RunMerger {
  private readonly merged: AnalysisState[];
  private readonly blocks: AnalysisState[][];
  private readonly pending = new Map<number, ChunkOutcome>();
  private readonly order: number[];
  private next = 0;
  private frames = 0;
  private readonly failures: { chunk: Chunk; error: SerializedError }[] = [];
  private readonly covered: [number, number][] = [];

  constructor(
    private readonly job: Pick<PreparedJob, 'analyses'>,
    plan: readonly Chunk[],
  ) {
    this.merged = job.analyses.map((a) => a.def.init(a.ctx) as AnalysisState);
    this.blocks = job.analyses.map(() => []);
    this.order = plan.map((c) => c.index).sort((x, y) => x - y);
  }

  add(o: ChunkOutcome): void {
    this.pending.set(o.chunk.index, o);
    while (this.next < this.order.length && this.pending.has(this.order[this.next])) {
      const out = this.pending.get(this.order[this.next])!;
      this.pending.delete(this.order[this.next]);
      this.next++;
      this.consume(out);
    }
  }

  private consume(out: ChunkOutcome): void {
    if (!out.states) {
      this.failures.push({ chunk: out.chunk, error: out.error! });
      return;
    }
    this.job.analyses.forEach((a, k) => {
      a.def.merge(a.ctx, this.merged[k], out.states![k]);
      this.blocks[k].push(a.def.blockState ? (a.def.blockState(a.ctx, out.states![k]) as AnalysisState) : out.states![k]);
    });
    this.frames += out.frames;
    const last = this.covered[this.covered.length - 1];
    if (last && last[1] === out.chunk.start) last[1] = out.chunk.stop;
    else this.covered.push([out.chunk.start, out.chunk.stop]);
  }

  /** Finalize every analysis (outcomes whose predecessors never arrived are merged in order). */
  finish(): FinalizedRun {
    for (const o of [...this.pending.values()].sort((a, b) => a.chunk.index - b.chunk.index)) this.consume(o);
    this.pending.clear();
    const results = this.job.analyses.map((a, k) => a.def.finalize(a.ctx, this.merged[k], this.blocks[k]));
    return { results, frames: this.frames, failures: this.failures, covered: this.covered };
  }
}

/**
 * Merge chunk states in chunk order and finalize each analysis. Failed chunks are skipped and
 * listed; results describe the frames that were read.
 */
export function finalizeRun(job: Pick<PreparedJob, 'analyses'>, outcomes: ChunkOutcome[]): FinalizedRun {
  const sorted = [...outcomes].sort((a, b) => a.chunk.index - b.chunk.index);
  const merger = new RunMerger(job, sorted.map((o) => o.chunk));
  for (const o of sorted) merger.add(o);
  return merger.finish();
}
