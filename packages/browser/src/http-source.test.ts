import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SourceError } from '@solvscope/core';
import { HttpRangeByteSource } from './http-source.js';

const body = new Uint8Array(5000).map((_, i) => (i * 7) & 255);
let server: Server;
let base = '';
const ranges: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/plain.bin') {
      res.writeHead(200, { 'content-length': body.length });
      res.end(Buffer.from(body));
      return;
    }
    if (req.url !== '/data/run%201.xtc') {
      res.writeHead(404).end();
      return;
    }
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    ranges.push(req.headers.range ?? '');
    if (!m) {
      res.writeHead(200).end(Buffer.from(body));
      return;
    }
    const a = Number(m[1]);
    const b = Math.min(Number(m[2]), body.length - 1);
    res.writeHead(206, { 'content-range': `bytes ${a}-${b}/${body.length}`, 'content-length': b - a + 1 });
    res.end(Buffer.from(body.subarray(a, b + 1)));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('HttpRangeByteSource', () => {
  it('learns the size from a one-byte range request and names the file after the URL path', async () => {
    const src = await HttpRangeByteSource.open(`${base}/data/run%201.xtc`);
    expect(src.size).toBe(5000);
    expect(src.name).toBe('run 1.xtc');
  });

  it('reads exactly the requested bytes with one range request per read', async () => {
    const src = await HttpRangeByteSource.open(`${base}/data/run%201.xtc`);
    ranges.length = 0;
    expect(Array.from(await src.read(1000, 4))).toEqual(Array.from(body.subarray(1000, 1004)));
    expect((await src.read(4990, 100)).length).toBe(10);
    expect(ranges).toEqual(['bytes=1000-1003', 'bytes=4990-4999']);
  });

  it('refuses a server that ignores range requests', async () => {
    const err = await HttpRangeByteSource.open(`${base}/plain.bin`).catch((e) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect(err.message).toBe('plain.bin: the server ignores range requests (answered 200 instead of 206)');
  });

  it('reports a missing file with its HTTP status', async () => {
    await expect(HttpRangeByteSource.open(`${base}/nope.xtc`)).rejects.toThrow(/nope\.xtc: HTTP 404/);
  });
});
