import { open, stat, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { SourceError, type ByteSource } from '@solvscope/core';

/**
 * A ByteSource over a local file: positional reads through one file handle, never the whole
 * file. `name` is the path as given (shown in errors).
 */
export class FileByteSource implements ByteSource {
  private constructor(
    readonly name: string,
    readonly path: string,
    readonly size: number,
    readonly mtimeMs: number,
    private fh: FileHandle | null,
  ) {}

  /** @throws SourceError naming the file when it cannot be opened (missing, directory, permission). */
  static async open(path: string, displayName?: string): Promise<FileByteSource> {
    const name = displayName ?? path;
    let st;
    try {
      st = await stat(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new SourceError('SOURCE', `cannot open: ${why}`, { file: name });
    }
    if (st.isDirectory()) throw new SourceError('SOURCE', 'is a directory, expected a file', { file: name });
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      throw new SourceError('SOURCE', `cannot open: ${(e as Error).message}`, { file: name });
    }
    return new FileByteSource(name, path, st.size, st.mtimeMs, fh);
  }

  get baseName(): string {
    return basename(this.path);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    const len = Math.max(0, Math.min(length, this.size - offset));
    return this.readInto(offset, len, new Uint8Array(len));
  }

  /** Read into a caller's buffer (reused across reads by streaming readers: no allocation, no fresh pages to fault in). */
  async readInto(offset: number, length: number, into: Uint8Array): Promise<Uint8Array> {
    if (!this.fh) throw new SourceError('SOURCE', 'read after close', { file: this.name, byteOffset: offset });
    const len = Math.max(0, Math.min(length, this.size - offset, into.length));
    const buf = into;
    let got = 0;
    try {
      while (got < len) {
        const { bytesRead } = await this.fh.read(buf, got, len - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
    } catch (e) {
      throw new SourceError('SOURCE', `read of ${length} bytes failed: ${(e as Error).message}`, { file: this.name, byteOffset: offset });
    }
    return buf.subarray(0, got);
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close().catch(() => {});
  }
}
