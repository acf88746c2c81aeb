// Test-only ByteSource over a Node file (the real one lives in @solvscope/node, which formats may not import).
import { open, type FileHandle } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MemoryByteSource, type ByteSource } from '@solvscope/core';

export class TestFileSource implements ByteSource {
  private constructor(readonly name: string, readonly size: number, private fh: FileHandle) {}
  static async open(path: string): Promise<TestFileSource> {
    const fh = await open(path, 'r');
    const st = await fh.stat();
    return new TestFileSource(basename(path), st.size, fh);
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    return this.readInto(offset, length, new Uint8Array(Math.max(0, Math.min(length, this.size - offset))));
  }
  /** Like FileByteSource.readInto, so the conformance suite streams through reused buffers as the CLI does. */
  async readInto(offset: number, length: number, buf: Uint8Array): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - offset, buf.length));
    let got = 0;
    while (got < len) {
      const { bytesRead } = await this.fh.read(buf, got, len - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  }
  async close(): Promise<void> {
    await this.fh.close().catch(() => {});
  }
}

export const fileSource = (path: string): Promise<ByteSource> => TestFileSource.open(path);

/** The whole file in memory under its base name (for truncation/corruption tests). */
export function memorySource(path: string, mutate?: (b: Uint8Array) => Uint8Array): MemoryByteSource {
  let bytes: Uint8Array = new Uint8Array(readFileSync(path));
  if (mutate) bytes = mutate(bytes);
  return new MemoryByteSource(basename(path), bytes);
}
