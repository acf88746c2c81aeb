import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  SOLVSCOPE_VERSION,
  assembleReport,
  autoCutoffSampleStep,
  boxInscribedRadius,
  planAnalyze,
  rdfRequests,
  resolveCutoffs,
  resolveRange,
  solvationRequest,
  topologyOptionsFromConfig,
  type AnalyzeOptions,
  type AnalyzeReport,
  type Progress,
  type RdfResult,
  type SolvationResult,
  type SolvscopeError,
} from '@solvscope/core';
import { openSystem, tailErrorsOf } from './open.js';
import { runAnalyses } from './run-analyses.js';
import { withPoolChoice, type PoolChoice, type WorkerPool } from './pool-executor.js';

export interface AnalyzeRunOptions extends AnalyzeOptions {
  /** Trajectory file, or a run written in several files (read in this order as one trajectory). */
  traj: string | string[];
  /** Topology file (default: the trajectory, if its format has one). */
  top?: string;
  format?: string;
  topFormat?: string;
  /** Frame range (Python slice semantics). */
  start?: number;
  stop?: number;
  step?: number;
  chunkFrames?: number;
  /** 0 = this thread; default: one worker per core, or this thread for a run too short for a pool to pay (see pooledRunThreshold). */
  workers?: number;
  /** Run on this worker pool (kept open; e.g. one pool for every entry of a batch). */
  pool?: WorkerPool;
  signal?: AbortSignal;
  /** Progress of each pass ('cutoffs' = the short auto-cutoff pass, 'analysis' = the full pass). */
  onProgress?: (phase: 'cutoffs' | 'analysis', p: Progress) => void;
  onWarning?: (w: SolvscopeError) => void;
  /** Compute sha256 of the inputs for the provenance (default true). */
  hashInputs?: boolean;
}

export interface AnalyzeRunResult {
  report: AnalyzeReport;
  /** Chunks that failed; the report covers the others. */
  errors: SolvscopeError[];
  partial: boolean;
}

/** sha256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function fileFacts(path: string, hash: boolean) {
  const st = await stat(path);
  return { path, name: basename(path), bytes: st.size, mtime: st.mtime.toISOString(), sha256: hash ? await sha256File(path) : null };
}

/**
 * Solvation analysis of one trajectory: g(r) from the ions to every partner species, first-shell
 * cutoffs (automatic or given), coordination, denticity, speciation, ion pairing, clusters and
 * residence times, with block standard errors, as report.json's object.
 *
 *  Reads the trajectory once; with 'auto' cutoffs, a preliminary pass over an evenly
 * spaced frames (about a tenth, 25–200) computes the g(r) the cutoffs come from.
 * @throws SelectionError / OptionError naming the option, FormatError/SourceError naming the file.
 */
export async function analyze(options: AnalyzeRunOptions): Promise<AnalyzeRunResult> {
  // With a worker count given, the threads start (and load their code) while this thread reads
  // the topology; by default the size of the run decides (PoolChoice). Both passes run on the
  // one pool, or both in this thread.
  return withPoolChoice(options, (choice) => analyzeOn(options, choice));
}

async function analyzeOn(options: AnalyzeRunOptions, choice: PoolChoice): Promise<AnalyzeRunResult> {
  const topoOpts = topologyOptionsFromConfig(options.config);
  // the inputs are opened (and their problems said) once, here; both passes reopen these files
  const sys = await openSystem(options.traj, { top: options.top, format: options.format, topFormat: options.topFormat, ...topoOpts, onWarning: options.onWarning });
  const tails = tailErrorsOf(sys.trajectory);
  for (const e of tails) options.onWarning?.(e);
  let maxRMax = Infinity;
  const framesInFile = sys.trajectory.frameCount;
  try {
    if (framesInFile > 0) {
      const f0 = await sys.trajectory.readFrame(0);
      if (f0.box) maxRMax = 0.97 * boxInscribedRadius(f0.box);
    }
  } finally {
    await sys.trajectory.close();
  }
  const plan = planAnalyze(sys.topology, options, maxRMax);
  const range = resolveRange(options, framesInFile);
  const visited = Math.max(0, Math.ceil((range.stop - range.start) / range.step));
  const pool = choice.forRun(visited * sys.topology.atomCount);
  // Both passes share the topology read above, the frame index and the worker pool.
  const common = {
    traj: options.traj,
    top: options.top,
    topology: sys.topology,
    parts: sys.parts,
    workers: pool ? undefined : 0,
    pool,
    signal: options.signal,
    onWarning: options.onWarning,
  };
  let sampleFrames = 0;
  let preliminary: (RdfResult | null)[] = plan.partners.map(() => null);
  const warnings: string[] = [];
  if (plan.needsAutoCutoff) {
    const sampleStep = range.step * autoCutoffSampleStep(visited);
    const pre = await runAnalyses({ ...common, start: range.start, stop: range.stop, step: sampleStep, requests: rdfRequests(plan), onProgress: (p) => options.onProgress?.('cutoffs', p) });
    sampleFrames = pre.frames;
    preliminary = pre.results as RdfResult[];
    for (const e of pre.errors) warnings.push(`auto-cutoff pass: ${e.message}`);
  }
  const cutoffs = resolveCutoffs(plan, preliminary);
  const full = await runAnalyses({
    ...common,
    ...range,
    chunkFrames: options.chunkFrames,
    requests: [...rdfRequests(plan), solvationRequest(plan, cutoffs)],
    onProgress: (p) => options.onProgress?.('analysis', p),
  });
  const rdfs = full.results.slice(0, plan.partners.length) as RdfResult[];
  const solvation = full.results[plan.partners.length] as SolvationResult;
  for (const e of tails) warnings.push(e.message);
  for (const e of full.errors) warnings.push(e.message);
  const hash = options.hashInputs !== false;
  const provenance = {
    solvscope: SOLVSCOPE_VERSION,
    node: process.version,
    createdAt: new Date().toISOString(),
    // one file: its facts; several: the facts of each part, in order
    trajectory: sys.parts.length === 1 ? await fileFacts(sys.parts[0].traj, hash) : await Promise.all(sys.parts.map((p) => fileFacts(p.traj, hash))),
    topology: options.top ? await fileFacts(options.top, hash) : null,
    format: sys.trajectory.format,
    atoms: sys.topology.atomCount,
    framesInFile,
    frameRange: { start: range.start, stop: range.stop, step: range.step },
    framesCovered: full.covered,
    chunks: full.chunks,
    workers: full.workers,
    config: options.config ?? null,
  };
  const report = assembleReport(sys.topology, plan, cutoffs, rdfs, solvation, { sampleFrames, provenance, warnings });
  return { report, errors: full.errors, partial: full.errors.length > 0 };
}
