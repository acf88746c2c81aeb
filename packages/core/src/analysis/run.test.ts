import { describe, expect, it } from 'vitest';
import { stateTransferables, type Analysis } from './analysis.js';
import { RunMerger, finalizeRun, type ChunkOutcome } from './run.js';

// A toy analysis: the state is the list of frames seen plus a big payload that finalize only
// needs from the merged state; blockState drops the payload from chunk states.
interface S extends Record<string, unknown> {
  frames: number[];
  payload: number[];
}
const toy: Analysis<null, null, S, { order: number[]; blocks: number[][]; blockPayloads: number[] }> = {
  id: 'toy',
  setup: () => null,
  init: () => ({ frames: [], payload: [] }),
  accumulate: () => {},
  merge: (_c, a, b) => {
    a.frames.push(...b.frames);
    a.payload.push(...b.payload);
  },
  finalize: (_c, m, chunks) => ({ order: m.frames, blocks: chunks.map((c) => c.frames), blockPayloads: chunks.map((c) => c.payload.length) }),
  blockState: (_c, s) => ({ frames: s.frames, payload: [] }),
};
const job = { analyses: [{ request: { id: 'toy', spec: null }, def: toy, ctx: null }] };
const chunk = (i: number) => ({ index: i, start: 2 * i, stop: 2 * i + 2, step: 1 });
const outcome = (i: number): ChunkOutcome => ({ chunk: chunk(i), frames: 2, states: [{ frames: [2 * i, 2 * i + 1], payload: new Array(1000).fill(i) }] });

describe('RunMerger', () => {
  it('merges outcomes in chunk order whatever order they arrive in, keeping only block summaries', () => {
    const plan = [0, 1, 2, 3].map(chunk);
    const m = new RunMerger(job, plan);
    for (const i of [2, 0, 3, 1]) m.add(outcome(i));
    const r = m.finish();
    expect(r.results[0]).toEqual({ order: [0, 1, 2, 3, 4, 5, 6, 7], blocks: [[0, 1], [2, 3], [4, 5], [6, 7]], blockPayloads: [0, 0, 0, 0] });
    expect(r.covered).toEqual([[0, 8]]);
    expect(finalizeRun(job, [3, 1, 0, 2].map(outcome)).results).toEqual(r.results);
  });
  it('lists failed chunks and covers the rest', () => {
    const m = new RunMerger(job, [0, 1, 2].map(chunk));
    m.add(outcome(0));
    m.add({ chunk: chunk(1), frames: 0, error: { __solvscopeError: true, kind: 'FormatError', code: 'CORRUPT', message: 'x', detail: 'x', context: {} } });
    m.add(outcome(2));
    const r = m.finish();
    expect(r.failures.map((f) => f.chunk.index)).toEqual([1]);
    expect(r.covered).toEqual([[0, 2], [4, 6]]);
    expect(r.frames).toBe(4);
  });
});

describe('stateTransferables', () => {
  it('lists each non-empty buffer once, through nested objects and long number arrays', () => {
    const a = new Float64Array(4);
    const b = new Int32Array(8);
    const view = new Uint8Array(b.buffer, 4, 4); // same buffer as b
    const state = {
      counts: a,
      windows: { pairs: [{ k: 1, iv: Array.from({ length: 1000 }, (_, i) => i) }, { k: 2, iv: [], hd: [b, view] }] },
      empty: new Float64Array(0),
      names: ['x', 'y'],
      none: null,
    };
    const out = stateTransferables(state);
    expect(out).toHaveLength(2);
    expect(out).toContain(a.buffer);
    expect(out).toContain(b.buffer);
  });
});
