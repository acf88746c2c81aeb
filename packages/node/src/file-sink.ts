import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { SourceError } from '@solvscope/core';
import type { ByteSink } from '@solvscope/formats';

/**
 * A ByteSink writing to a temporary file beside the target, renamed into place on close, so
 * an interrupted conversion never leaves a half-written file under the final name.
 */
export class FileByteSink implements ByteSink {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private constructor(
    readonly name: string,
    private readonly tmp: string,
    private fh: FileHandle | null,
  ) {}

  static async create(path: string): Promise<FileByteSink> {
    const tmp = `${path}.partial-${process.pid}`;
    try {
      return new FileByteSink(path, tmp, await open(tmp, 'w'));
    } catch (e) {
      throw new SourceError('SOURCE', `cannot write: ${(e as Error).message}`, { file: path });
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    this.pending.push(bytes.slice());
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.fh || this.pendingBytes === 0) return;
    const all = new Uint8Array(this.pendingBytes);
    let o = 0;
    for (const p of this.pending) {
      all.set(p, o);
      o += p.length;
    }
    this.pending = [];
    this.pendingBytes = 0;
    try {
      await this.fh.write(all);
    } catch (e) {
      throw new SourceError('SOURCE', `write failed: ${(e as Error).message}`, { file: this.name });
    }
  }

  async close(): Promise<void> {
    if (!this.fh) return;
    await this.flush();
    await this.fh.close();
    this.fh = null;
    await rename(this.tmp, this.name);
  }

  /** Drop the partial output. */
  async abort(): Promise<void> {
    if (this.fh) await this.fh.close().catch(() => {});
    this.fh = null;
    await rm(this.tmp, { force: true });
  }
}
