import { SourceError } from './errors.js';

/**
 * Random-access bytes: a Node file handle, a browser Blob, or memory. Readers only ever ask for
 * byte ranges, so no reader holds a whole file.
 */
export interface ByteSource {
  /** Used in error messages (usually the file's base name or path). */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /**
   * Read `length` bytes from `offset`. Returns fewer bytes only when the range passes the end
   * of the source. The returned bytes belong to the caller (a source never reuses them).
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: read `length` bytes from `offset` into the start of `into` (length ≥ `length`)
   * and return the filled part (a view of `into`; shorter only at the end of the source).
   * Streaming readers use it to reuse one buffer instead of allocating one per read.
   */
  readInto?(offset: number, length: number, into: Uint8Array): Promise<Uint8Array>;
  /** Release OS resources. Idempotent. */
  close(): Promise<void>;
}

/** A ByteSource over an in-memory array (tests, small uploads). */
export class MemoryByteSource implements ByteSource {
  readonly name: string;
  readonly bytes: Uint8Array;
  constructor(name: string, bytes: Uint8Array | ArrayBuffer | string) {
    this.name = name;
    this.bytes = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  }
  get size(): number {
    return this.bytes.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (offset < 0 || length < 0 || !Number.isFinite(offset) || !Number.isFinite(length)) {
      throw new SourceError('SOURCE', `invalid read of ${length} bytes at ${offset}`, { file: this.name, byteOffset: offset });
    }
    const end = Math.min(this.bytes.length, offset + length);
    return this.bytes.subarray(Math.min(offset, end), end);
  }
  async close(): Promise<void> {}
}

/** Read exactly `length` bytes or throw a SourceError naming the file and offset. */
export async function readExactly(src: ByteSource, offset: number, length: number, what = 'data'): Promise<Uint8Array> {
  const b = await src.read(offset, length);
  if (b.length !== length) {
    throw new SourceError('TRUNCATED', `${what} needs ${length} bytes, file ends after ${b.length}`, { file: src.name, byteOffset: offset });
  }
  return b;
}
