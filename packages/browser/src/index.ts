export { BlobByteSource } from './blob-source.js';
export { HttpRangeByteSource, type HttpRangeOptions, type FetchLike } from './http-source.js';
export { registerErrorTransfer } from './error-transfer.js';
export { openBrowserSystem, openFileRef, type FileRef, type SystemRequest, type OpenedBrowserSystem } from './open.js';
export {
  createViewerWorkerApi,
  exposeViewerWorker,
  wrapViewerWorker,
  type ViewerWorkerApi,
  type BrowserJob,
  type SystemInfo,
  type OpenProgress,
} from './worker-api.js';
export { ComlinkExecutor, newJobId } from './comlink-executor.js';
export { BrowserSession, type BrowserSessionOptions, type AnalyzeOptions, type BrowserRunResult, type WorkerEndpoint } from './session.js';
