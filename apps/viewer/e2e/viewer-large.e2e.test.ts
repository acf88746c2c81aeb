/**
 * Frame-change latency and playback rate on a ~100k-atom system: the bundled example tiled
 * 3 × 3 × 3 (96 444 atoms, 20 frames), written with solvscope's own GRO and XTC writers into a
 * temporary folder. Opt-in (it takes a minute or two): SOLVSCOPE_E2E_LARGE=1 npx vitest run apps/viewer/e2e
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTopology, createFrame, type Topology } from '@solvscope/core';
import { createGroWriter, createXtcWriter, type ByteSink } from '@solvscope/formats';
import { openBrowserSystem } from '@solvscope/browser';
import { MG_TFSI_DME } from '@solvscope/fixtures';
import { displayCell, makeWholeAround } from '../src/model/core-bridge';
import { haveChromium, measureFrames, median, outDir, startViewer, type Harness } from './harness';

const N = 3;
const FRAMES = 20;
const enabled = process.env.SOLVSCOPE_E2E_LARGE === '1' && haveChromium();

function memorySink(name: string) {
  const parts: Uint8Array[] = [];
  const sink: ByteSink = {
    name,
    write: async (b) => void parts.push(b.slice()),
    close: async () => {},
  };
  return { sink, bytes: () => Buffer.concat(parts) };
}

/** Write the example tiled N×N×N as GRO (frame 0) and XTC (FRAMES frames) into dir. */
async function writeTiled(dir: string): Promise<{ gro: string; xtc: string; atoms: number }> {
  const sys = await openBrowserSystem({
    topology: { name: 'final.gro', blob: new Blob([readFileSync(MG_TFSI_DME.gro)]) },
    trajectory: { name: 'prod.xtc', blob: new Blob([readFileSync(MG_TFSI_DME.xtc)]) },
  });
  const t: Topology = sys.topology;
  const n = t.atomCount;
  const copies = N * N * N;
  const maxResid = Math.max(...t.resids);
  const topo = buildTopology({
    atomCount: n * copies,
    names: Array.from({ length: copies }, () => t.names).flat(),
    resnames: Array.from({ length: copies }, () => t.resnames).flat(),
    elements: Array.from({ length: copies }, () => t.elements).flat(),
    resids: Array.from({ length: copies * n }, (_, i) => t.resids[i % n] + Math.floor(i / n) * maxResid),
  });
  const gro = memorySink('tiled.gro');
  const xtc = memorySink('tiled.xtc');
  const gw = createGroWriter(gro.sink, { topology: topo });
  const xw = createXtcWriter(xtc.sink, { topology: topo });
  const big = createFrame(n * copies);
  for (let f = 0; f < FRAMES; f++) {
    const fr = await sys.trajectory.readFrame(Math.round((f * (MG_TFSI_DME.frames - 1)) / (FRAMES - 1)));
    const b = fr.box!;
    // GROMACS wrote atoms into the box one by one, so molecules are broken across its faces;
    // copies of a broken molecule would be chemically different molecules. Make them whole first.
    const cell = displayCell(b);
    for (let m = 0; m < t.moleculeCount; m++) {
      const atoms = t.moleculeAtoms.subarray(t.moleculeStart[m], t.moleculeStart[m + 1]);
      const a0 = atoms[0];
      const whole = makeWholeAround(fr.positions, atoms, [fr.positions[3 * a0], fr.positions[3 * a0 + 1], fr.positions[3 * a0 + 2]], cell, new Float32Array(3 * atoms.length));
      atoms.forEach((a, k) => fr.positions.set(whole.subarray(3 * k, 3 * k + 3), 3 * a));
    }
    let c = 0;
    for (let i = 0; i < N; i++)
      for (let j = 0; j < N; j++)
        for (let k = 0; k < N; k++, c++)
          for (let a = 0; a < n; a++)
            for (let d = 0; d < 3; d++) big.positions[3 * (c * n + a) + d] = fr.positions[3 * a + d] + i * b[d] + j * b[3 + d] + k * b[6 + d];
    big.box = b.map((v) => v * N);
    big.time = fr.time;
    big.step = fr.step;
    big.index = f;
    await xw.writeFrame(big);
    if (f === 0) await gw.writeFrame(big);
  }
  await xw.close();
  await gw.close();
  await sys.trajectory.close();
  const paths = { gro: join(dir, 'tiled.gro'), xtc: join(dir, 'tiled.xtc') };
  writeFileSync(paths.gro, gro.bytes());
  writeFileSync(paths.xtc, xtc.bytes());
  return { ...paths, atoms: n * copies };
}

describe.skipIf(!enabled)('viewer on a 96k-atom system', () => {
  let h: Harness;
  let dir = '';
  let files: { gro: string; xtc: string; atoms: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'solvscope-large-'));
    const t = Date.now();
    files = await writeTiled(dir);
    console.log(`viewer e2e large: wrote ${files.atoms} atoms × ${FRAMES} frames in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    h = await startViewer();
  }, 240_000);

  afterAll(async () => {
    await h?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds the same speciation as the untiled system and stays responsive', async () => {
    const t = Date.now();
    await h.page.setInputFiles('[data-testid="file-input"]', [files.gro, files.xtc]);
    await h.page.waitForSelector('[data-testid="species-row"]', { timeout: 240_000 });
    const analysis = (Date.now() - t) / 1000;
    await h.page.screenshot({ path: join(outDir, 'viewer-large.png') });
    console.log(`viewer e2e large: cutoffs ${await h.page.evaluate(() => window.__solvscope!.lastSolvation!.request.spec && JSON.stringify((window.__solvscope!.lastSolvation!.request.spec as { species: unknown }).species))}`);
    const first = await h.page.$eval('[data-testid="species-row"]', (tr) => ({ label: tr.getAttribute('data-label'), text: tr.textContent }));
    expect(first.label).toBe('[Mg(TFSI)2(DME)2]');
    expect(first.text).toContain('66.7 %');
    await h.page.waitForFunction(() => (window.__solvscope?.framesShown ?? 0) > 0, undefined, { timeout: 30_000 });
    const timing = await measureFrames(h.page, [1, 10, 19, 5, 15, 2, 12, 7], 5000);
    console.log(
      `viewer e2e large (${files.atoms} atoms): open + analyses ${analysis.toFixed(1)} s; frame change median ${median(timing.latencies).toFixed(1)} ms ` +
        `(max ${timing.latencies[timing.latencies.length - 1].toFixed(1)}), worker read median ${median(timing.reads).toFixed(1)} ms, playback ${timing.playFps.toFixed(1)} frames/s`,
    );
    await h.page.screenshot({ path: join(outDir, 'viewer-large.png') });
    expect(h.pageErrors).toEqual([]);
  }, 400_000);
});
