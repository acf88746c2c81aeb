import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, safeRelativePath, type RunningServer } from './serve.js';

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', host = '127.0.0.1'): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    // raw path: no URL normalisation by the client
    const req = request({ host, port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('solvscope serve', () => {
  let root: string;
  let outside: string;
  let srv: RunningServer;
  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'solvscope-serve-'));
    root = join(base, 'data');
    outside = join(base, 'secret');
    await mkdir(join(root, 'run1'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(root, 'run1', 'traj.xtc'), Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256)));
    await writeFile(join(outside, 'passwd'), 'top secret');
    await symlink(join(outside, 'passwd'), join(root, 'link-out'));
    await symlink(join(root, 'run1', 'traj.xtc'), join(root, 'link-in.xtc'));
    srv = await startServer({ root });
  });
  afterAll(async () => srv?.close());

  it('binds to the loopback address by default and needs no token there', () => {
    expect(srv.host).toBe('127.0.0.1');
    expect(srv.token).toBeNull();
  });

  it('serves byte ranges of files under DIR', async () => {
    const r = await get(srv.port, '/files/run1/traj.xtc', { Range: 'bytes=10-19' });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('bytes 10-19/1000');
    expect([...r.body]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    const tail = await get(srv.port, '/files/run1/traj.xtc', { Range: 'bytes=-4' });
    expect([...tail.body]).toEqual([996 % 256, 997 % 256, 998 % 256, 999 % 256]);
    const head = await get(srv.port, '/files/run1/traj.xtc', {}, 'HEAD');
    expect(head.headers['content-length']).toBe('1000');
    expect((await get(srv.port, '/files/run1/traj.xtc', { Range: 'bytes=2000-' })).status).toBe(416);
    expect((await get(srv.port, '/files/link-in.xtc')).status).toBe(200);
  });

  it('refuses traversal: .., encoded dots and separators, backslashes and symlinks out of DIR', async () => {
    for (const p of ['/files/../secret/passwd', '/files/run1/../../secret/passwd', '/files/%2e%2e/secret/passwd', '/files/..%2fsecret%2fpasswd', '/files/run1%2f..%2f..%2fsecret%2fpasswd', '/files/..%5csecret%5cpasswd', '/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/files/link-out', '/files/run1/%00']) {
      const r = await get(srv.port, p);
      expect([403, 404], p).toContain(r.status);
      expect(r.body.toString(), p).not.toContain('top secret');
    }
    expect(safeRelativePath('a/../../b')).toBeNull();
    expect(safeRelativePath('a/%2e%2e/b')).toBeNull();
    expect(safeRelativePath('a/./b.xtc')).toBe('a/b.xtc');
  });

  it('never writes: other methods are refused', async () => {
    for (const m of ['PUT', 'POST', 'DELETE', 'PATCH']) expect((await get(srv.port, '/files/run1/traj.xtc', {}, m)).status).toBe(405);
  });

  it('lists the files under DIR', async () => {
    const r = await get(srv.port, '/api/files');
    const files = JSON.parse(r.body.toString()).files.map((f: { path: string }) => f.path);
    expect(files).toContain('run1/traj.xtc');
    expect(files).not.toContain('passwd');
  });

  it('requires the printed token when bound to another address', async () => {
    const s = await startServer({ root, host: '0.0.0.0' });
    try {
      expect(s.token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      expect((await get(s.port, '/files/run1/traj.xtc')).status).toBe(401);
      expect((await get(s.port, '/files/run1/traj.xtc?token=wrong')).status).toBe(401);
      expect((await get(s.port, `/files/run1/traj.xtc?token=${s.token}`)).status).toBe(200);
      expect((await get(s.port, '/files/run1/traj.xtc', { Authorization: `Bearer ${s.token}` })).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
