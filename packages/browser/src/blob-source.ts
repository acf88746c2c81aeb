import { SourceError, type ByteSource } from '@solvscope/core';

/**
 * A {@link ByteSource} over a browser `Blob` or `File`. Every read slices the blob and reads only
 * that range (`blob.slice(a, b).arrayBuffer()`), so a multi-GB trajectory is never held whole.
 * A `Blob` is cheap to send to a worker (structured clone shares the underlying data), so each
 * worker opens its own BlobByteSource over the same file.
 */
export class BlobByteSource implements ByteSource {
  readonly name: string;
  readonly size: number;
  private closed = false;

  /**
   * @param blob the data; a `File`'s own name is used when `name` is omitted.
   * @param name shown in error messages (default: the file name, else 'blob').
   */
  constructor(
    readonly blob: Blob,
    name?: string,
  ) {
    this.name = name ?? (blob as File).name ?? 'blob';
    this.size = blob.size;
  }

  /**
   * Read `length` bytes from `offset` (fewer only past the end of the blob).
   * @throws SourceError for a negative or non-finite range, after close, or when the browser
   *   cannot read the file (it was deleted or changed on disk after it was picked).
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (this.closed) throw new SourceError('SOURCE', 'read after close', { file: this.name, byteOffset: offset });
    if (!(offset >= 0) || !(length >= 0) || !Number.isFinite(offset) || !Number.isFinite(length)) {
      throw new SourceError('SOURCE', `invalid read of ${length} bytes at ${offset}`, { file: this.name, byteOffset: offset });
    }
    const end = Math.min(this.size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    try {
      return new Uint8Array(await this.blob.slice(offset, end).arrayBuffer());
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new SourceError('SOURCE', `cannot read ${end - offset} bytes (was the file changed or removed after it was opened?): ${why}`, {
        file: this.name,
        byteOffset: offset,
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
