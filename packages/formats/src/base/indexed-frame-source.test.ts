import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MemoryByteSource, type ByteSource } from '@solvscope/core';
import { FORMATS } from '@solvscope/fixtures';
import { openXtc } from '../xtc/index.js';
import { openGro } from '../gro/gro-reader.js';

/** A ByteSource with readInto over memory, counting how many buffers it was handed. */
function intoSource(name: string, bytes: Uint8Array): ByteSource & { buffers: Set<ArrayBufferLike> } {
  const mem = new MemoryByteSource(name, bytes);
  const buffers = new Set<ArrayBufferLike>();
  return {
    name,
    size: bytes.length,
    buffers,
    read: (o, l) => mem.read(o, l),
    async readInto(o, l, into) {
      buffers.add(into.buffer);
      const src = await mem.read(o, Math.min(l, into.length));
      into.set(src);
      return into.subarray(0, src.length);
    },
    close: () => mem.close(),
  };
}

describe('IndexedFrameSource streaming through readInto', () => {
  for (const [label, path, open] of [
    ['XTC', FORMATS.xtc, openXtc],
    ['multi-frame GRO', FORMATS.gro, openGro],
  ] as const) {
    it(`gives the same frames as read() and reuses one batch buffer (${label})`, async () => {
      const bytes = new Uint8Array(readFileSync(path));
      const plain = await open(new MemoryByteSource('f', bytes));
      const into = intoSource('f', bytes);
      const reused = await open(into, { index: plain.index });
      const a: number[][] = [];
      for await (const f of plain.frames({ reuse: false })) a.push(Array.from(f.positions));
      let k = 0;
      for await (const f of reused.frames()) expect(Array.from(f.positions)).toEqual(a[k++]);
      expect(k).toBe(a.length);
      expect(into.buffers.size).toBe(1);
    });
  }

  it('names file, frame and byte offset when the file is shorter than its index says', async () => {
    const bytes = new Uint8Array(readFileSync(FORMATS.xtc));
    const full = await openXtc(new MemoryByteSource('prod.xtc', bytes));
    const cut = full.index.offsets[6] + 100;
    const src = await openXtc(intoSource('prod.xtc', bytes.slice(0, cut)), { index: full.index });
    const seen: number[] = [];
    const err = await (async () => {
      for await (const f of src.frames()) seen.push(f.index);
    })().catch((e) => e);
    expect(err.code).toBe('TRUNCATED');
    expect(err.context).toMatchObject({ file: 'prod.xtc', frame: 0 });
    expect(err.message).toMatch(/file ends after/);
  });
});
