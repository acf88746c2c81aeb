/**
 * End-to-end in real headless Chromium: load the bundled example through the file input and
 * check what a chemist would see (dominant species, a drawn shell, frames, linked panels,
 * errors). Skipped, loudly, when chromium is missing and cannot be installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InProcessExecutor, defaultAnalyses, finalizeRun, planChunks, setupAnalyses, type AnalysisRequest } from '@solvscope/core';
import { openBrowserSystem } from '@solvscope/browser';
import { analyze } from '@solvscope/node';
import { MG_TFSI_DME } from '@solvscope/fixtures';
import { resultsJson } from '../src/model/export';
import { canvasInk, haveChromium, measureFrames, median, outDir, ranges, startViewer, type Harness } from './harness';

const enabled = haveChromium();

describe.skipIf(!enabled)('viewer in headless Chromium', () => {
  let h: Harness;
  const t0 = Date.now();

  beforeAll(async () => {
    h = await startViewer();
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    console.log(`viewer e2e: ${((Date.now() - t0) / 1000).toFixed(1)} s in total`);
  });

  it('loads the example through the file input and shows the dominant first-shell species', async () => {
    const tOpen = Date.now();
    await h.page.setInputFiles('[data-testid="file-input"]', [MG_TFSI_DME.gro, MG_TFSI_DME.xtc]);
    await h.page.waitForSelector('[data-testid="species-row"]', { timeout: 90_000 });
    const seconds = (Date.now() - tOpen) / 1000;
    const rows = await h.page.$$eval('[data-testid="species-row"]', (trs) => trs.map((tr) => ({ label: tr.getAttribute('data-label'), text: tr.textContent })));
    expect(rows[0].label).toBe('[Mg(TFSI)2(DME)2]');
    // 8 of the 12 Mg hold this shell in every one of the 301 frames
    expect(rows[0].text).toContain('66.7 %');
    expect(rows[0].text).toContain(String(8 * MG_TFSI_DME.frames));
    expect(await h.page.textContent('[data-testid="pairing"]')).toMatch(/CIP 66\.7 %/);
    expect(await h.page.textContent('[data-testid="system-info"]')).toContain('3572 atoms · 301 frames');
    console.log(`viewer e2e: open + index + g(r) + shells in ${seconds.toFixed(1)} s`);
  }, 120_000);

  it('computes in its browser workers exactly the numbers an in-process run gives', async () => {
    const last = await h.page.evaluate(() => window.__solvscope!.lastSolvation!);
    const workers = await h.page.evaluate(() => navigator.hardwareConcurrency);
    const sys = await openBrowserSystem({
      topology: { name: 'final.gro', blob: new Blob([readFileSync(MG_TFSI_DME.gro)]) },
      trajectory: { name: 'prod.xtc', blob: new Blob([readFileSync(MG_TFSI_DME.xtc)]) },
    });
    const system = { topology: sys.topology, frameCount: sys.trajectory.frameCount, periodic: true };
    const job = { source: sys.trajectory, system, analyses: setupAnalyses(defaultAnalyses, [last.request as AnalysisRequest], system) };
    const run = finalizeRun(job, await new InProcessExecutor(job).run(planChunks(sys.trajectory.frameCount)));
    await sys.trajectory.close();
    expect(last.json).toBe(resultsJson(run.results[0]));
    // …and the same shells, cutoffs and fractions as `solvscope analyze --ion "species MG"`
    const cli = (await analyze({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, ion: 'species MG', workers: 0, hashInputs: false })).report;
    const viewer = JSON.parse(last.json);
    expect(viewer.speciation).toEqual(JSON.parse(JSON.stringify(cli.speciation)));
    expect(viewer.coordination).toEqual(JSON.parse(JSON.stringify(cli.coordination)));
    expect(viewer.pairing).toEqual(JSON.parse(JSON.stringify(cli.pairing)));
    console.log(`viewer e2e: solvation from ${workers} browser workers is identical to the in-process run and to solvscope analyze`);
  }, 60_000);

  it('draws the shell of the first ion on a canvas that is not blank', async () => {
    await h.page.waitForFunction(() => (window.__solvscope?.framesShown ?? 0) > 0, undefined, { timeout: 30_000 });
    expect(await h.page.textContent('[data-testid="shell-label"]')).toMatch(/^\[Mg.*\]/);
    expect(await canvasInk(h.page)).toBeGreaterThan(0.01);
  }, 60_000);

  it('changes frame with the slider and reports the frame-change latency', async () => {
    const t = await measureFrames(h.page, [1, 37, 150, 299, 300, 12, 200, 75, 250, 5]);
    expect(await h.page.textContent('[data-testid="frame-readout"]')).toMatch(/^frame \d+ \/ 300/);
    const draws = await h.page.evaluate(() => Array.from({ length: 5 }, () => window.__solvscope!.drawOnce!()).sort((a, b) => a - b));
    console.log(
      `viewer e2e (3572 atoms): frame change median ${median(t.latencies).toFixed(1)} ms (max ${t.latencies[t.latencies.length - 1].toFixed(1)}), ` +
        `worker read median ${median(t.reads).toFixed(1)} ms, one draw ${median(draws).toFixed(1)} ms, playback ${t.playFps.toFixed(1)} frames/s`,
    );
    expect(t.playFps).toBeGreaterThan(1);
  }, 60_000);

  it('jumps to an ion and frame with a species when its row is clicked, and takes a screenshot', async () => {
    const rows = await h.page.$$('[data-testid="species-row"]');
    const label = await rows[rows.length - 1].getAttribute('data-label');
    await rows[rows.length - 1].click();
    await h.page.waitForFunction((l) => document.querySelector('[data-testid="shell-label"]')?.textContent === l, label, { timeout: 10_000 });
    expect(await h.page.inputValue('[data-testid="ion-filter"]')).toBe(label);
    await rows[0].click();
    await h.page.waitForFunction(() => document.querySelector('[data-testid="shell-label"]')?.textContent === '[Mg(TFSI)2(DME)2]', undefined, { timeout: 10_000 });
    await h.page.waitForTimeout(300);
    await h.page.screenshot({ path: join(outDir, 'viewer.png') });
    expect(readFileSync(join(outDir, 'viewer.png')).length).toBeGreaterThan(10_000);
    expect(h.pageErrors).toEqual([]);
  }, 60_000);

  it('changes the shell in 3D and the speciation when the g(r) cutoff is dragged', async () => {
    const box = (await h.page.locator('[data-testid="cutoff-handle"] rect').boundingBox())!;
    const plot = (await h.page.locator('[data-testid="rdf-plot"] svg').boundingBox())!;
    const y = box.y + box.height / 2;
    // r = 1.5 Å, inside the first DME peak: no DME oxygen is that close
    // the plot spans 0..rMax = 12 Å (the CLI's default g(r) range) over x = 34..326 of a 360-wide viewBox
    const x15 = plot.x + ((34 + (1.5 / 12) * (360 - 68)) / 360) * plot.width;
    await h.page.mouse.move(box.x + box.width / 2, y);
    await h.page.mouse.down();
    await h.page.mouse.move(x15, y, { steps: 5 });
    expect(await h.page.textContent('[data-testid="shell-label"]')).toBe('[Mg(TFSI)2]');
    await h.page.mouse.up();
    await h.page.waitForFunction(() => document.querySelector('[data-testid="species-row"]')?.getAttribute('data-label') === '[Mg(TFSI)2]', undefined, { timeout: 60_000 });
    expect(await h.page.textContent('[data-testid="cutoff-value"]')).toMatch(/^1\.[45]\d Å$/);
  }, 90_000);

  it('shows the reader error, naming the file, for a broken trajectory', async () => {
    const xtc = readFileSync(MG_TFSI_DME.xtc);
    await h.page.setInputFiles('[data-testid="file-input"]', [
      { name: 'final.gro', mimeType: 'application/octet-stream', buffer: readFileSync(MG_TFSI_DME.gro) },
      { name: 'broken.xtc', mimeType: 'application/octet-stream', buffer: Buffer.concat([Buffer.from([0, 0, 7, 0xcb]), xtc.subarray(4, 60)]) },
    ]);
    const msg = await h.page.textContent('[data-testid="error"]', { timeout: 30_000 });
    expect(msg).toMatch(/^broken\.xtc: /);
    console.log(`viewer e2e: error shown for a broken file: ${msg}`);
    await h.page.screenshot({ path: join(outDir, 'viewer-error.png') });
  }, 60_000);

  it('loads the bundled example with one click and exports the view as PNG', async () => {
    await h.page.click('[data-testid="load-example"]');
    await h.page.waitForSelector('[data-testid="species-row"]', { timeout: 90_000 });
    expect(await h.page.getAttribute('[data-testid="species-row"]', 'data-label')).toBe('[Mg(TFSI)2(DME)2]');
    await h.page.waitForFunction(() => (window.__solvscope?.framesShown ?? 0) > 0);
    const [download] = await Promise.all([h.page.waitForEvent('download'), h.page.click('text=PNG')]);
    const png = readFileSync((await download.path())!);
    expect(download.suggestedFilename()).toMatch(/^solvscope-frame\d+\.png$/);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  }, 120_000);

  it('opens files served over HTTP with range requests, never fetching them whole', async () => {
    ranges.length = 0;
    await h.page.goto(`${h.base}?top=example/final.gro&traj=example/prod.xtc`);
    await h.page.waitForSelector('[data-testid="species-row"]', { timeout: 90_000 });
    expect(await h.page.getAttribute('[data-testid="species-row"]', 'data-label')).toBe('[Mg(TFSI)2(DME)2]');
    const dataRequests = ranges.filter((r) => r !== '');
    expect(dataRequests.length).toBeGreaterThan(10);
    expect(dataRequests.every((r) => /^bytes=\d+-\d+$/.test(r))).toBe(true);
    expect(h.pageErrors).toEqual([]);
  }, 120_000);
});
