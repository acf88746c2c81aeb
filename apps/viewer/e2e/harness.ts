/**
 * Shared by the viewer's end-to-end tests: make sure Chromium is there, build the app with
 * Vite's JS API, serve the build on 127.0.0.1 (random port), launch Debian's headless Chromium
 * through playwright-core with a fresh profile, and helpers to drive and measure the page.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';

export const appDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outDir = join(appDir, 'e2e-out');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when chromium is installed (running scripts/ensure-chromium.sh once if it is not). */
export function haveChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  spawnSync('bash', [resolve(appDir, '../../scripts/ensure-chromium.sh')], { stdio: 'inherit' });
  const ok = existsSync(CHROMIUM);
  if (!ok) console.warn(`\n*** viewer e2e SKIPPED: no chromium at ${CHROMIUM} (see scripts/ensure-chromium.sh) ***\n`);
  return ok;
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

/** Range headers of every request the test server saw ('' for plain GETs). */
export const ranges: string[] = [];

function serve(root: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const file = resolve(root, '.' + (path === '/' ? '/index.html' : path));
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const size = statSync(file).size;
    ranges.push(req.headers.range ?? '');
    const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (m) {
      // range requests, as `solvscope serve` answers them (HttpRangeByteSource)
      const a = Number(m[1]);
      const b = Math.min(Number(m[2]), size - 1);
      res.writeHead(206, { 'content-type': type, 'content-range': `bytes ${a}-${b}/${size}`, 'content-length': String(b - a + 1) });
      createReadStream(file, { start: a, end: b }).pipe(res);
      return;
    }
    res.writeHead(200, { 'content-type': type, 'content-length': String(size) });
    createReadStream(file).pipe(res);
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

export interface Harness {
  page: Page;
  base: string;
  /** Errors the page logged (console errors and uncaught exceptions). */
  pageErrors: string[];
  close(): Promise<void>;
}

/** Build, serve and open the viewer in a fresh headless Chromium. */
export async function startViewer(): Promise<Harness> {
  const { build } = await import('vite');
  const distDir = mkdtempSync(join(tmpdir(), 'solvscope-viewer-dist-'));
  await build({ configFile: join(appDir, 'vite.config.ts'), root: appDir, logLevel: 'warn', build: { outDir: distDir, emptyOutDir: true } });
  const server = await serve(distDir);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'solvscope-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 860 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // WebGL without a GPU: ANGLE on SwiftShader
        '--use-angle=swiftshader',
        '--enable-unsafe-swiftshader',
      ],
    });
  } catch (e) {
    server.close();
    throw e;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') pageErrors.push(m.text());
  });
  mkdirSync(outDir, { recursive: true });
  await page.goto(base);
  return {
    page,
    base,
    pageErrors,
    async close() {
      await context.close();
      await new Promise<void>((r) => server.close(() => r()));
      for (const d of [profile, distDir]) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Set the frame slider the way a user drag does (React listens to 'input'). */
export async function setSlider(page: Page, value: number): Promise<void> {
  await page.evaluate((v) => {
    const el = document.querySelector<HTMLInputElement>('[data-testid="frame-slider"]')!;
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(el, String(v));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, value);
}

/** Fraction of canvas pixels that differ clearly from the background colour (#10141c). */
export function canvasInk(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('[data-testid="canvas"] canvas')!;
    const cv = document.createElement('canvas');
    cv.width = c.width;
    cv.height = c.height;
    const ctx = cv.getContext('2d')!;
    ctx.drawImage(c, 0, 0);
    const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 0x10) + Math.abs(d[i + 1] - 0x14) + Math.abs(d[i + 2] - 0x1c) > 40) ink++;
    return ink / (cv.width * cv.height);
  });
}

export interface FrameTiming {
  /** Request → drawn, as the app measures it (ms), sorted. */
  latencies: number[];
  /** Worker round trip of the frame reads (ms), sorted. */
  reads: number[];
  /** Frames per second while playing. */
  playFps: number;
}

/** Move the slider through `frames`, waiting for each to be drawn, then play for `playMs`. */
export async function measureFrames(page: Page, frames: number[], playMs = 3000): Promise<FrameTiming> {
  for (const f of frames) {
    await setSlider(page, f);
    await page.waitForFunction((want) => window.__solvscope?.lastFrameDrawn === want, f, { timeout: 30_000 });
  }
  const n = frames.length;
  const { latencies, reads } = await page.evaluate((k) => ({ latencies: window.__solvscope!.latencies.slice(-k), reads: window.__solvscope!.readMs.slice(-k) }), n);
  await page.click('[data-testid="play"]');
  await page.waitForTimeout(playMs);
  await page.click('[data-testid="play"]');
  const playFps = await page.evaluate(() => window.__solvscope!.playFps);
  const sort = (a: number[]) => a.sort((x, y) => x - y);
  return { latencies: sort(latencies), reads: sort(reads), playFps };
}

export const median = (a: number[]): number => a[a.length >> 1];
