import { SourceError, type ByteSource } from '@solvscope/core';

/** The subset of `fetch` this source needs (injectable for tests and auth headers). */
export type FetchLike = (url: string, init?: { headers?: Record<string, string>; signal?: AbortSignal; method?: string }) => Promise<Response>;

export interface HttpRangeOptions {
  /** Name for error messages (default: the last path segment of the URL). */
  name?: string;
  /** Extra request headers, e.g. `{ authorization: 'Bearer …' }` for `solvscope serve --token`. */
  headers?: Record<string, string>;
  /** Default: the global fetch. */
  fetch?: FetchLike;
  signal?: AbortSignal;
}

function baseName(url: string): string {
  try {
    const u = new URL(url, 'http://localhost/');
    const seg = u.pathname.split('/').filter(Boolean).pop();
    return seg ? decodeURIComponent(seg) : url;
  } catch {
    return url;
  }
}

/**
 * A {@link ByteSource} over HTTP range requests (`Range: bytes=a-b`, answered with
 * `206 Partial Content`), e.g. files under `solvscope serve DIR` reached through an SSH tunnel.
 * Only the bytes asked for cross the network. Open with {@link HttpRangeByteSource.open}, which
 * learns the size from a one-byte range request.
 */
export class HttpRangeByteSource implements ByteSource {
  private closed = false;
  private constructor(
    readonly url: string,
    readonly name: string,
    readonly size: number,
    private readonly options: HttpRangeOptions,
  ) {}

  /**
   * Ask the server for byte 0 and read the total size from `Content-Range: bytes 0-0/SIZE`.
   * @throws SourceError naming the URL when the server is unreachable, answers an error status,
   *   or does not support range requests (no 206 / no Content-Range total).
   */
  static async open(url: string, options: HttpRangeOptions = {}): Promise<HttpRangeByteSource> {
    const name = options.name ?? baseName(url);
    const f = options.fetch ?? (globalThis.fetch as FetchLike);
    let res: Response;
    try {
      res = await f(url, { headers: { ...options.headers, range: 'bytes=0-0' }, signal: options.signal });
    } catch (e) {
      throw new SourceError('SOURCE', `cannot reach ${url}: ${e instanceof Error ? e.message : String(e)}`, { file: name });
    }
    if (res.status === 416) {
      await res.body?.cancel();
      return new HttpRangeByteSource(url, name, 0, options);
    }
    if (res.status !== 206) {
      await res.body?.cancel();
      const why = res.status === 200 ? 'the server ignores range requests (answered 200 instead of 206)' : `HTTP ${res.status} ${res.statusText}`;
      throw new SourceError('SOURCE', why, { file: name });
    }
    const cr = res.headers.get('content-range') ?? '';
    await res.arrayBuffer();
    const m = /^bytes\s+\d+-\d+\/(\d+)$/i.exec(cr.trim());
    if (!m) throw new SourceError('SOURCE', `the server sent no total size (Content-Range: '${cr}')`, { file: name });
    return new HttpRangeByteSource(url, name, Number(m[1]), options);
  }

  /**
   * Read `length` bytes from `offset` with one range request (fewer only past the end).
   * @throws SourceError with the byte offset on network errors, error statuses or a short answer.
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (this.closed) throw new SourceError('SOURCE', 'read after close', { file: this.name, byteOffset: offset });
    if (!(offset >= 0) || !(length >= 0) || !Number.isFinite(offset) || !Number.isFinite(length)) {
      throw new SourceError('SOURCE', `invalid read of ${length} bytes at ${offset}`, { file: this.name, byteOffset: offset });
    }
    const end = Math.min(this.size, offset + length);
    if (end <= offset) return new Uint8Array(0);
    const f = this.options.fetch ?? (globalThis.fetch as FetchLike);
    let res: Response;
    try {
      res = await f(this.url, { headers: { ...this.options.headers, range: `bytes=${offset}-${end - 1}` }, signal: this.options.signal });
    } catch (e) {
      throw new SourceError('SOURCE', `request failed: ${e instanceof Error ? e.message : String(e)}`, { file: this.name, byteOffset: offset });
    }
    if (res.status !== 206 && !(res.status === 200 && offset === 0 && end === this.size)) {
      await res.body?.cancel();
      throw new SourceError('SOURCE', `range request answered HTTP ${res.status} ${res.statusText}`, { file: this.name, byteOffset: offset });
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    if (bytes.length !== end - offset) {
      throw new SourceError('SOURCE', `asked for ${end - offset} bytes, the server sent ${bytes.length} (did the file change?)`, {
        file: this.name,
        byteOffset: offset,
      });
    }
    return bytes;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
