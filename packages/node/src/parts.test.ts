import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@solvscope/core';
import { MG_TFSI_DME, MGCL2_WATER } from '@solvscope/fixtures';
import { analyze } from './analyze.js';
import { openSystem, openTrajectory } from './open.js';
import { runAnalyses } from './run-analyses.js';

/**
 * A run written in parts: the fixture's XTC cut at frame boundaries into three files (frames
 * 0–99, 100–209, 210–300). XTC frames stand alone, so the parts together hold exactly the bytes
 * of the whole, and every result over the parts must equal the result over the whole file.
 */
let dir: string;
let parts: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'solvscope-parts-'));
  const t = await openTrajectory(MG_TFSI_DME.xtc, { cache: false });
  const off = t.index.offsets;
  await t.close();
  const bytes = readFileSync(MG_TFSI_DME.xtc);
  const cuts = [0, 100, 210, off.length - 1];
  parts = cuts.slice(1).map((c, k) => {
    const p = join(dir, `prod.part000${k + 1}.xtc`);
    writeFileSync(p, bytes.subarray(off[cuts[k]], off[c]));
    return p;
  });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The report without what names the inputs or the execution. */
function science(r: Awaited<ReturnType<typeof analyze>>['report']) {
  const { provenance: _p, ...rest } = r;
  return rest;
}

describe('a run written in several files', () => {
  it('gives every g(r), shell and residence result of the whole file, in this thread and on workers', async () => {
    const whole = await analyze({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, ion: 'name MG', hashInputs: false, workers: 0, chunkFrames: 16 });
    const inThread = await analyze({ traj: parts, top: MG_TFSI_DME.gro, ion: 'name MG', hashInputs: false, workers: 0, chunkFrames: 16 });
    const pooled = await analyze({ traj: parts, top: MG_TFSI_DME.gro, ion: 'name MG', hashInputs: false, workers: 2, chunkFrames: 16 });
    expect(inThread.report.frames).toBe(301);
    expect(science(inThread.report)).toEqual(science(whole.report));
    expect(science(pooled.report)).toEqual(science(whole.report));
    const trajFacts = inThread.report.provenance.trajectory as { name: string; bytes: number }[];
    expect(trajFacts.map((f) => f.name)).toEqual(['prod.part0001.xtc', 'prod.part0002.xtc', 'prod.part0003.xtc']);
    expect(trajFacts.reduce((s, f) => s + f.bytes, 0)).toBe(readFileSync(MG_TFSI_DME.xtc).length);
  });

  it('numbers frames in the whole run: slices across the part boundaries equal those of the whole file', async () => {
    const requests = [{ id: 'summary', spec: {} }];
    for (const [start, stop, step] of [
      [95, 215, 7],
      [0, 301, 50],
      [209, 211, 1],
    ]) {
      const a = await runAnalyses({ traj: MG_TFSI_DME.xtc, top: MG_TFSI_DME.gro, requests, workers: 0, start, stop, step, chunkFrames: 5 });
      const b = await runAnalyses({ traj: parts, top: MG_TFSI_DME.gro, requests, workers: 0, start, stop, step, chunkFrames: 5 });
      const c = await runAnalyses({ traj: parts, top: MG_TFSI_DME.gro, requests, workers: 2, start, stop, step, chunkFrames: 5 });
      expect(b.results).toEqual(a.results);
      expect(c.results).toEqual(a.results);
      expect(b.framesInFile).toBe(301);
    }
  });

  it('names the part whose atom count differs from the first', async () => {
    const p = openSystem([parts[0], MGCL2_WATER.xtc], { top: MG_TFSI_DME.gro });
    await expect(p).rejects.toBeInstanceOf(FormatError);
    await expect(openSystem([parts[0], MGCL2_WATER.xtc], { top: MG_TFSI_DME.gro })).rejects.toThrow(/mgcl2-water\/prod\.xtc: XTC frame 0: this part has 3066 atoms but .*prod\.part0001\.xtc, the first part, has 3572/);
    await expect(openSystem([], {})).rejects.toThrow(/trajectory must be a file name or a list of file names/);
  });

  it('warns when a part starts no later than the previous one ends (a repeated checkpoint frame, or parts out of order)', async () => {
    const warnings: string[] = [];
    const sys = await openSystem([parts[1], parts[0], parts[2]], { top: MG_TFSI_DME.gro, onWarning: (w) => warnings.push(w.message) });
    await sys.trajectory.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/prod\.part0001\.xtc: XTC frame 0: this part starts at t = 0 ps, not after the end of .*prod\.part0002\.xtc \(t = 209 ps\)/);
    // analyze opens the files for its plan and for each pass, and says it once; the residence
    // times say the frame times jump (t = 100 … 209, 0 … 99, 210 … 300)
    const said: string[] = [];
    const rep = await analyze({ traj: [parts[1], parts[0], parts[2]], top: MG_TFSI_DME.gro, ion: 'name MG', hashInputs: false, workers: 0, onWarning: (w) => said.push(w.message) });
    expect(said.filter((m) => m.includes('this part starts at'))).toHaveLength(1);
    expect(rep.report.warnings.join('\n')).toMatch(/residence: frame times are not evenly spaced \(Δt = [\d.]+ ps on average, off by up to [\d.]+ ps\)/);
    // all of the run backwards in time: no Δt at all, and the warning says why
    const back = await analyze({ traj: [parts[2], parts[1], parts[0]], top: MG_TFSI_DME.gro, ion: 'name MG', hashInputs: false, workers: 0 });
    expect(back.report.warnings.join('\n')).toMatch(/residence: frame times do not increase along the run \(Δt = -[\d.e-]+ ps on average\) and no timestepPs was given/);
    const inOrder: string[] = [];
    await (await openSystem(parts, { top: MG_TFSI_DME.gro, onWarning: (w) => inOrder.push(w.message) })).trajectory.close();
    expect(inOrder).toEqual([]);
  });

  it('warns about a truncated middle part and keeps its complete frames', async () => {
    const cut = join(dir, 'cut.part0002.xtc');
    const b = readFileSync(parts[1]);
    writeFileSync(cut, b.subarray(0, b.length - 500));
    const warnings: string[] = [];
    const r = await runAnalyses({ traj: [parts[0], cut, parts[2]], top: MG_TFSI_DME.gro, requests: [{ id: 'summary', spec: {} }], workers: 0, onWarning: (w) => warnings.push(w.message) });
    expect(r.framesInFile).toBe(300); // the middle part lost its last frame
    expect(warnings.length).toBe(1);
    expect(warnings[0]).toMatch(/cut\.part0002\.xtc.*frame 109/);
  });
});
