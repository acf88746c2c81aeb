import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import type { AddressInfo } from 'node:net';

/**
 * `solvscope serve DIR`: read-only HTTP access to trajectories under DIR (with Range requests,
 * so the viewer reads them through the same Blob-like byte source as local files) and the
 * viewer itself. Safety rules:
 *  - binds to 127.0.0.1 unless told otherwise; any other address requires a token
 *    (`?token=…` or `Authorization: Bearer …`), printed at start;
 *  - only GET and HEAD; nothing is ever written;
 *  - paths are decoded once; encoded separators (%2F, %5C), NUL, backslashes and `..`
 *    segments are refused; the real path (symlinks resolved) must lie inside DIR's real path.
 */
export interface ServeOptions {
  /** Folder whose files are served under /files/. */
  root: string;
  /** Built viewer (apps/viewer/dist) served at /; optional. */
  viewerDir?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Required token; default: none on loopback, a random one otherwise. */
  token?: string | null;
}

export interface RunningServer {
  server: Server;
  url: string;
  host: string;
  port: number;
  token: string | null;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.gro': 'text/plain; charset=utf-8',
  '.pdb': 'text/plain; charset=utf-8',
  '.xyz': 'text/plain; charset=utf-8',
};

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Map a URL path below a mount to a safe relative path, or null when it must be refused. */
export function safeRelativePath(urlPath: string): string | null {
  if (/%2f|%5c|%00/i.test(urlPath)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const parts = decoded.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  return parts.join('/');
}

async function insideRoot(rootReal: string, rel: string): Promise<string | null> {
  const full = join(rootReal, rel);
  let real: string;
  try {
    real = await realpath(full);
  } catch {
    return null;
  }
  const r = relative(rootReal, real);
  if (r === '' || (!r.startsWith('..') && !r.startsWith(sep) && r !== '..')) return real;
  return null;
}

function send(res: ServerResponse, code: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

async function serveFile(req: IncomingMessage, res: ServerResponse, file: string): Promise<void> {
  const st = await stat(file);
  if (!st.isFile()) return send(res, 404, 'not found');
  const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
  const headers: Record<string, string | number> = {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Last-Modified': st.mtime.toUTCString(),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  const range = req.headers.range;
  let start = 0;
  let end = st.size - 1;
  let status = 200;
  if (range) {
    const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim());
    if (!m || (m[1] === '' && m[2] === '')) {
      res.writeHead(416, { 'Content-Range': `bytes */${st.size}` });
      return void res.end();
    }
    if (m[1] === '') {
      start = Math.max(0, st.size - Number(m[2]));
    } else {
      start = Number(m[1]);
      end = m[2] === '' ? st.size - 1 : Math.min(st.size - 1, Number(m[2]));
    }
    if (start >= st.size || start > end) {
      res.writeHead(416, { 'Content-Range': `bytes */${st.size}` });
      return void res.end();
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${st.size}`;
  }
  headers['Content-Length'] = st.size === 0 ? 0 : end - start + 1;
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || st.size === 0) return void res.end();
  createReadStream(file, { start, end }).on('error', () => res.destroy()).pipe(res);
}

async function listFiles(rootReal: string, dir = '', depth = 0, out: { path: string; bytes: number }[] = []): Promise<{ path: string; bytes: number }[]> {
  if (depth > 6 || out.length > 5000) return out;
  let entries;
  try {
    entries = await readdir(join(rootReal, dir), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) await listFiles(rootReal, rel, depth + 1, out);
    else if (e.isFile()) out.push({ path: rel, bytes: (await lstat(join(rootReal, rel))).size });
  }
  return out;
}

/** Start the server. Resolves once it listens. */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token !== undefined ? options.token : isLoopback(host) ? null : randomBytes(18).toString('base64url');
  if (!isLoopback(host) && !token) throw new Error('a token is required when serving on a non-loopback address');
  const rootReal = await realpath(options.root);
  const viewerReal = options.viewerDir ? await realpath(options.viewerDir).catch(() => null) : null;
  const tokenBuf = token ? Buffer.from(token) : null;
  const authorised = (req: IncomingMessage, url: URL) => {
    if (!tokenBuf) return true;
    const given = url.searchParams.get('token') ?? (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const b = Buffer.from(given);
    return b.length === tokenBuf.length && timingSafeEqual(b, tokenBuf);
  };
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return send(res, 405, 'read-only server: only GET and HEAD');
      }
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!authorised(req, url)) return send(res, 401, 'token required');
      const path = url.pathname;
      if (path === '/api/files') {
        return send(res, 200, JSON.stringify({ root: options.root, files: await listFiles(rootReal) }), 'application/json');
      }
      if (path.startsWith('/files/')) {
        const rel = safeRelativePath(path.slice('/files/'.length));
        if (rel === null || rel === '') return send(res, 403, 'forbidden path');
        const real = await insideRoot(rootReal, rel);
        if (!real) return send(res, 404, 'not found');
        return serveFile(req, res, real);
      }
      if (!viewerReal) return send(res, 404, 'viewer not built (run npm run setup in the solvscope checkout); files are under /files/');
      const rel = safeRelativePath(path === '/' ? 'index.html' : path.slice(1));
      if (rel === null) return send(res, 403, 'forbidden path');
      const real = (await insideRoot(viewerReal, rel)) ?? (await insideRoot(viewerReal, 'index.html'));
      if (!real) return send(res, 404, 'not found');
      return serveFile(req, res, real);
    })().catch(() => {
      if (!res.headersSent) send(res, 500, 'internal error');
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shownHost}:${addr.port}/${token ? `?token=${token}` : ''}`;
  return {
    server,
    url,
    host: addr.address,
    port: addr.port,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
