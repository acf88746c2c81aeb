import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { SourceError } from '@solvscope/core';
import { defaultRegistry } from '@solvscope/formats';
import { MG_TFSI_DME } from '@solvscope/fixtures';
import { BlobByteSource } from './blob-source.js';

/** A Blob that records every slice it is asked for. */
function recordingBlob(bytes: Uint8Array<ArrayBuffer>) {
  const slices: [number, number][] = [];
  const blob = new Blob([bytes]);
  const wrapped = {
    size: blob.size,
    type: '',
    slice(a?: number, b?: number) {
      slices.push([a ?? 0, b ?? blob.size]);
      return blob.slice(a, b);
    },
    arrayBuffer: () => {
      throw new Error('the whole file was read');
    },
  } as unknown as Blob;
  return { blob: wrapped, slices };
}

describe('BlobByteSource', () => {
  const bytes = new Uint8Array(1000).map((_, i) => i & 255);

  it('reads the requested range and fewer bytes only past the end', async () => {
    const src = new BlobByteSource(new Blob([bytes]), 'x.bin');
    expect(src.size).toBe(1000);
    expect(Array.from(await src.read(10, 5))).toEqual([10, 11, 12, 13, 14]);
    expect((await src.read(995, 100)).length).toBe(5);
    expect((await src.read(2000, 10)).length).toBe(0);
  });

  it('slices the blob per read and never reads the whole file', async () => {
    const { blob, slices } = recordingBlob(bytes);
    const src = new BlobByteSource(blob, 'x.bin');
    await src.read(100, 50);
    await src.read(900, 500);
    expect(slices).toEqual([
      [100, 150],
      [900, 1000],
    ]);
  });

  it('takes the name of a File and rejects invalid reads with a SourceError naming it', async () => {
    const src = new BlobByteSource(new File([bytes], 'run3.xtc'));
    expect(src.name).toBe('run3.xtc');
    const err = await src.read(-1, 4).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.context).toMatchObject({ file: 'run3.xtc', byteOffset: -1 });
    await src.close();
    await expect(src.read(0, 4)).rejects.toThrow(/read after close/);
  });

  it('opens the bundled XTC through the format registry and reads the same frame as from memory', async () => {
    const data = readFileSync(MG_TFSI_DME.xtc);
    const src = new BlobByteSource(new Blob([data]), 'prod.xtc');
    const fmt = await defaultRegistry.detect(src);
    expect(fmt.name).toBe('xtc');
    const traj = await fmt.open!(src);
    expect(traj.frameCount).toBe(MG_TFSI_DME.frames);
    expect(traj.atomCount).toBe(MG_TFSI_DME.atoms);
    const f = await traj.readFrame(150);
    const { MemoryByteSource } = await import('@solvscope/core');
    const ref = await (await fmt.open!(new MemoryByteSource('prod.xtc', new Uint8Array(data)))).readFrame(150);
    expect(f.positions).toEqual(ref.positions);
    expect(f.time).toBe(ref.time);
  });
});
