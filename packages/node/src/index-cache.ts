import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FrameIndex } from '@solvscope/core';

/**
 * On-disk cache of frame indexes, so a 10 GB XTC is scanned once. Entries live in the user
 * cache directory ($SOLVSCOPE_CACHE_DIR, else $XDG_CACHE_HOME/solvscope, else
 * ~/.cache/solvscope), keyed by the absolute path and format, and are valid only while the
 * file's size and mtime are unchanged. A broken or stale entry is ignored and rewritten.
 */
export function cacheDir(): string {
  if (process.env.SOLVSCOPE_CACHE_DIR) return process.env.SOLVSCOPE_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(xdg, 'solvscope');
}

const VERSION = 1;

function entryPath(path: string, format: string): string {
  const h = createHash('sha256').update(`${resolve(path)}\0${format}`).digest('hex').slice(0, 32);
  return join(cacheDir(), 'index', `${h}.json`);
}

interface Entry {
  version: number;
  path: string;
  format: string;
  size: number;
  mtimeMs: number;
  index: Omit<FrameIndex, 'offsets' | 'lines'> & { offsets: number[]; lines?: number[] };
}

export async function loadCachedIndex(path: string, format: string, size: number, mtimeMs: number): Promise<FrameIndex | null> {
  try {
    const e = JSON.parse(await readFile(entryPath(path, format), 'utf8')) as Entry;
    if (e.version !== VERSION || e.size !== size || e.mtimeMs !== mtimeMs || e.format !== format || e.path !== resolve(path)) return null;
    const offsets = Float64Array.from(e.index.offsets);
    if (offsets.length < 1 || offsets[offsets.length - 1] > size) return null;
    return { ...e.index, offsets, lines: e.index.lines ? Float64Array.from(e.index.lines) : undefined };
  } catch {
    return null;
  }
}

export async function storeCachedIndex(path: string, format: string, size: number, mtimeMs: number, index: FrameIndex): Promise<void> {
  const file = entryPath(path, format);
  const entry: Entry = {
    version: VERSION,
    path: resolve(path),
    format,
    size,
    mtimeMs,
    index: { ...index, offsets: Array.from(index.offsets), lines: index.lines ? Array.from(index.lines) : undefined },
  };
  try {
    await mkdir(join(cacheDir(), 'index'), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(entry));
    await rename(tmp, file);
  } catch {
    // a read-only home or full disk only costs a rescan next time
  }
}
