export { FileByteSource } from './file-source.js';
export { FileByteSink } from './file-sink.js';
export { cacheDir, loadCachedIndex, storeCachedIndex } from './index-cache.js';
export {
  openTrajectory,
  loadTopology,
  openSystem,
  formatOf,
  topologyFormats,
  type OpenTrajectoryOptions,
  type LoadTopologyOptions,
  type OpenSystemOptions,
  type OpenedSystem,
} from './open.js';
export { prepareNodeJob, prepareOpenedJob, planNodeJob, shareIndex, type NodeJob } from './job.js';
export { PoolExecutor, WorkerPool, PoolChoice, withPoolChoice, pooledRunThreshold, defaultWorkerCount, type PoolExecutorOptions, type WorkerPoolOptions } from './pool-executor.js';
export { runAnalyses, type RunAnalysesOptions, type RunAnalysesResult } from './run-analyses.js';
export { analyze, sha256File, type AnalyzeRunOptions, type AnalyzeRunResult } from './analyze.js';
export {
  validateManifest,
  resolveManifest,
  shardEntries,
  parseShard,
  runBatch,
  collectResults,
  cachedFileHash,
  entryKey,
  type Manifest,
  type ManifestEntry,
  type BatchSettings,
  type ResolvedEntry,
  type EntryOutcome,
  type RunBatchOptions,
} from './batch.js';
export { expandGlob } from './glob.js';
export { startServer, safeRelativePath, isLoopback, type ServeOptions, type RunningServer } from './serve.js';
