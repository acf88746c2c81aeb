import { describe, expectTypeOf, it } from 'vitest';
import type * as Comlink from 'comlink';
import type { Chunk, ChunkOutcome, FinalizedRun, Frame } from '@solvscope/core';
import type { SystemRequest } from './open.js';
import type { BrowserJob, OpenProgress, SystemInfo, ViewerWorkerApi } from './worker-api.js';

type Remote = Comlink.Remote<ViewerWorkerApi>;

describe('the worker RPC surface seen through comlink', () => {
  it('returns promises of plain data for every call', () => {
    expectTypeOf<Remote['open']>().returns.toEqualTypeOf<Promise<SystemInfo>>();
    expectTypeOf<Remote['readFrame']>().parameters.toEqualTypeOf<[number]>();
    expectTypeOf<Remote['readFrame']>().returns.toEqualTypeOf<Promise<Frame>>();
    expectTypeOf<Remote['runChunk']>().returns.toEqualTypeOf<Promise<ChunkOutcome>>();
    expectTypeOf<Remote['finalize']>().returns.toEqualTypeOf<Promise<FinalizedRun>>();
    expectTypeOf<Remote['mergeFinish']>().returns.toEqualTypeOf<Promise<FinalizedRun>>();
    expectTypeOf<Remote['cancel']>().returns.toEqualTypeOf<Promise<void>>();
  });

  it('takes plain-data requests and proxied callbacks', () => {
    expectTypeOf<Parameters<Remote['open']>[0]>().toEqualTypeOf<SystemRequest>();
    expectTypeOf<Parameters<Remote['prepare']>[1]>().toEqualTypeOf<BrowserJob>();
    expectTypeOf<Parameters<Remote['runChunk']>[1]>().toEqualTypeOf<Chunk>();
    expectTypeOf<OpenProgress>().toEqualTypeOf<{ bytesScanned: number; totalBytes: number }>();
  });

  it('sends Blobs and frame indexes, never functions or classes, in a job', () => {
    expectTypeOf<BrowserJob['system']['trajectory']['blob']>().toEqualTypeOf<Blob | undefined>();
    expectTypeOf<BrowserJob['requests'][number]['spec']>().toBeUnknown();
  });
});
