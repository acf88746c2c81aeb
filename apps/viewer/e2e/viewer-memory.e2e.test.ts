/**
 * Browser memory on long trajectories: the viewer opens a 110k-atom tiled MgCl2/water XTC of
 * 200 and 1000 frames (84 and 422 MB; bench/generate/make-large-xtc.mjs, reused from bench/out
 * when there) through a file input, as a chemist dropping files does, and runs its analyses in
 * web workers. While it does, the resident memory of every Chromium process is summed every
 * 250 ms (/proc, Linux). The files are read as Blob slices, never whole, so the peak must not
 * grow with the file: the test fails when the 1000-frame file's peak exceeds the 200-frame
 * file's by more than a third of the extra 338 MB of file. Opt-in (a few minutes):
 *
 *   npx tsc -b tsconfig.json && SOLVSCOPE_E2E_MEMORY=1 npx vitest run apps/viewer/e2e/viewer-memory.e2e.test.ts
 *
 * SOLVSCOPE_E2E_MEMORY_FRAMES=200,1000,3000 chooses the lengths (the first is the baseline).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { appDir, haveChromium, outDir, startViewer, type Harness } from './harness';

const enabled = process.env.SOLVSCOPE_E2E_MEMORY === '1' && haveChromium();
const LENGTHS = (process.env.SOLVSCOPE_E2E_MEMORY_FRAMES ?? '200,1000').split(',').map(Number);
const root = resolve(appDir, '../..');

/** The tiled trajectory of `frames` frames, generated into bench/out when missing. */
function tiled(frames: number): { gro: string; xtc: string } {
  const name = `tiled-3x3x4-${frames}f`;
  const dir = join(root, 'bench/out', name);
  const files = { gro: join(dir, `${name}.gro`), xtc: join(dir, `${name}.xtc`) };
  if (!existsSync(files.xtc) || !existsSync(files.gro)) {
    execFileSync(process.execPath, [join(root, 'bench/generate/make-large-xtc.mjs'), '--tiles', '3x3x4', '--frames', String(frames), '--out', dir, '--quiet'], { stdio: 'inherit' });
  }
  return files;
}

/** Σ resident memory (MB) of the processes whose executable is Chromium. */
function chromiumRssMB(): number {
  let kb = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!/^Name:\s*(chromium|chrome)/m.test(status)) continue;
      const m = /^VmRSS:\s*(\d+) kB/m.exec(status);
      if (m) kb += Number(m[1]);
    } catch {
      // the process ended meanwhile
    }
  }
  return kb / 1024;
}

describe.skipIf(!enabled)('viewer memory on long trajectories', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startViewer();
  }, 240_000);
  afterAll(async () => {
    await h?.close();
  });

  it('keeps Chromium’s peak memory flat from 200 to 1000 frames of 110k atoms', async () => {
    const rows: { frames: number; fileMB: number; idleMB: number; peakMB: number; seconds: number }[] = [];
    for (const frames of LENGTHS) {
      const files = tiled(frames);
      const page = await h.page.context().newPage();
      for (const p of h.page.context().pages()) if (p !== page) await p.close();
      h.page = page;
      await page.goto(h.base);
      await page.waitForTimeout(1000);
      const idleMB = chromiumRssMB();
      let peakMB = idleMB;
      const timer = setInterval(() => (peakMB = Math.max(peakMB, chromiumRssMB())), 250);
      const t = Date.now();
      try {
        await page.setInputFiles('[data-testid="file-input"]', [files.gro, files.xtc]);
        await page.waitForSelector('[data-testid="species-row"]', { timeout: 900_000 });
      } finally {
        clearInterval(timer);
      }
      peakMB = Math.max(peakMB, chromiumRssMB());
      const first = await page.$eval('[data-testid="species-row"]', (tr) => tr.getAttribute('data-label'));
      expect(first).toBe('[Mg(H2O)6]2+');
      const row = { frames, fileMB: statSync(files.xtc).size / 1e6, idleMB, peakMB, seconds: (Date.now() - t) / 1000 };
      rows.push(row);
      console.log(
        `viewer e2e memory: ${frames} frames (${row.fileMB.toFixed(0)} MB XTC): Chromium Σ RSS idle ${idleMB.toFixed(0)} MB, peak ${peakMB.toFixed(0)} MB while opening and analysing (${row.seconds.toFixed(1)} s)`,
      );
      await page.screenshot({ path: join(outDir, `viewer-memory-${frames}f.png`) });
    }
    const [base, ...rest] = rows;
    for (const r of rest) expect(r.peakMB - base.peakMB).toBeLessThan((r.fileMB - base.fileMB) / 3);
    expect(h.pageErrors).toEqual([]);
  }, 1_800_000);
});
